"""Settings: Profile (name, timezone, day start) and Security (sessions, sign out everywhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx

from app.config import get_settings
from app.db.engine import run_in_session
from app.domain.analytics import DEFAULT_WINDOW_KIND, STANDING_WINDOWS
from app.domain.local_days import zone_for
from app.services import accounts, session_admin
from app.services import profile as profiles
from app.services.errors import ServiceError
from app.services.principals import Principal
from app.services.session_admin import SessionRow
from app.ui.components.layout import page_frame
from app.ui.pages.insights import WINDOW_LABELS
from app.ui.states.session import SIGN_IN_ROUTE, SessionState, session_id_from_cookie_header

ROUTE = "/settings"
DATA_ROUTE = "/settings/data"
DAY_START_HELP = "A day ends at 03:00 means check-ins before 3 am count for the previous day."
TIMEZONE_LIST_ID = "timezone-names"
# A full page load, so the websocket reconnects without the ended session (compiled into the
# bundle by rx.run_script; Reflex runs event payloads sent from the backend the same way as toasts).
GO_TO_SIGN_IN = f"window.location.assign('{SIGN_IN_ROUTE}?signed_out=1')"


@dataclass
class SessionView:
    session_id: int
    device: str
    created: str
    last_seen: str
    current: bool
    revoke_label: str


def _local_time(instant: datetime, timezone: str) -> str:
    local = instant.astimezone(zone_for(timezone))
    return f"{local.day} {local:%b %Y, %H:%M}"


def _views(rows: list[SessionRow], timezone: str) -> list[SessionView]:
    views = []
    for row in rows:
        created, last_seen = _local_time(row.created_at, timezone), _local_time(row.last_seen_at, timezone)
        label = (
            f"Revoke this browser's session ({row.device}) and sign out"
            if row.current
            else f"Revoke session: {row.device}, last seen {last_seen}"
        )
        views.append(SessionView(row.session_id, row.device, created, last_seen, row.current, label))
    return views


class SettingsState(rx.State):
    loading: bool = True
    load_error: str = ""
    saving: bool = False
    display_name: str = ""
    timezone: str = "UTC"
    day_start_hour: str = "0"
    insights_window: str = DEFAULT_WINDOW_KIND.value
    sessions: list[SessionView] = []
    linked: list[str] = []
    linkable: list[dict[str, str]] = []

    async def _principal(self) -> Principal | None:
        session = await self.get_state(SessionState)
        return await session.current_principal()

    def _session_id(self) -> str | None:
        return session_id_from_cookie_header(self.router.headers.cookie)

    async def _reload_sessions(self, principal: Principal) -> None:
        session_id, now, settings = self._session_id(), datetime.now(UTC), get_settings()
        rows = await run_in_session(
            lambda db: session_admin.list_sessions(db, principal, session_id, now=now, settings=settings)
        )
        self.sessions = _views(rows, principal.timezone)

    @rx.event
    async def load(self):
        # Unmount the form first: its fields take their initial values from the loaded profile.
        self.loading, self.load_error = True, ""
        yield
        principal = await self._principal()
        if principal is None:
            yield rx.redirect(SIGN_IN_ROUTE)
            return
        try:
            profile = await run_in_session(lambda db: profiles.profile_of(db, principal))
            await self._reload_sessions(principal)
        except ServiceError as error:
            self.load_error = str(error)
            self.loading = False
            yield rx.toast.error(str(error))
            return
        linked = await run_in_session(lambda db: accounts.linked_providers(db, principal.user_id))
        providers = get_settings().providers()
        self.linked = [p.display_name for p in providers if p.name in linked]
        self.linkable = [
            {"label": p.display_name, "href": f"/auth/link/{p.name}"}
            for p in providers
            if p.name not in linked
        ]
        self.display_name, self.timezone = profile.display_name, profile.timezone
        self.day_start_hour = str(profile.day_start_hour)
        self.insights_window = profile.insights_window
        self.loading = False

    @rx.event
    async def save_profile(self, form_data: dict[str, str]):
        principal = await self._principal()
        if principal is None:
            yield rx.redirect(SIGN_IN_ROUTE)
            return
        name, timezone = str(form_data.get("display_name", "")), str(form_data.get("timezone", ""))
        try:
            hour = int(str(form_data.get("day_start_hour", "")))
        except ValueError:
            yield rx.toast.error("Pick the hour your day ends at, from 00:00 to 23:00.")
            return
        self.saving = True
        yield
        try:
            saved = await run_in_session(
                lambda db: profiles.update_profile(db, principal, name, timezone, hour)
            )
        except ServiceError as error:
            self.saving = False
            yield rx.toast.error(str(error))
            return
        self.saving = False
        self.display_name, self.timezone = saved.display_name, saved.timezone
        self.day_start_hour = str(saved.day_start_hour)
        # The header shows the name too; times in the session list follow the new time zone.
        refreshed = await self._principal()
        if refreshed is not None:
            await self._reload_sessions(refreshed)
        yield rx.toast.success("Settings saved.")

    @rx.event
    async def revoke(self, session_id: int):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        try:
            target = int(session_id)
        except (TypeError, ValueError):
            return rx.toast.error("That session does not exist.")
        try:
            await run_in_session(lambda db: session_admin.revoke_session(db, principal, target))
        except ServiceError as error:
            await self._reload_sessions(principal)
            return rx.toast.error(str(error))
        if await self._principal() is None:  # that was this browser's own session
            return rx.run_script(GO_TO_SIGN_IN)
        await self._reload_sessions(principal)
        return rx.toast.success("Session revoked: that browser is signed out.")

    @rx.event
    async def sign_out_everywhere(self):
        principal = await self._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        try:
            await run_in_session(lambda db: session_admin.revoke_all_sessions(db, principal))
        except ServiceError as error:
            return rx.toast.error(str(error))
        self.sessions = []
        return rx.run_script(GO_TO_SIGN_IN)


class InsightsDefaultState(rx.State):
    """Saves the default Insights window as soon as it is picked."""

    @rx.event
    async def choose(self, window: str):
        settings_state = await self.get_state(SettingsState)
        principal = await settings_state._principal()
        if principal is None:
            return rx.redirect(SIGN_IN_ROUTE)
        try:
            await run_in_session(lambda db: profiles.set_insights_window(db, principal, str(window)))
        except ServiceError as error:
            return rx.toast.error(str(error))
        settings_state.insights_window = str(window)
        return rx.toast.success("Insights will open on this window.")


def _insights_window_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id="insights-window", width="100%"),
        rx.select.content(*(rx.select.item(WINDOW_LABELS[value], value=value) for value in STANDING_WINDOWS)),
        value=SettingsState.insights_window,
        on_change=InsightsDefaultState.choose,
    )


def _field(label: str, control: rx.Component, control_id: str, help_text: str = "") -> rx.Component:
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=control_id),
        control,
        *([rx.text(help_text, size="1", color_scheme="gray", id=f"{control_id}-help")] if help_text else []),
        spacing="1",
        width="100%",
    )


def _timezone_list() -> rx.Component:
    return rx.el.datalist(
        *(rx.el.option(value=name) for name in profiles.timezone_names()), id=TIMEZONE_LIST_ID
    )


def _day_start_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id="day-start-hour", aria_describedby="day-start-hour-help", width="100%"),
        rx.select.content(*(rx.select.item(f"{hour:02d}:00", value=str(hour)) for hour in range(24))),
        name="day_start_hour",
        default_value=SettingsState.day_start_hour,
    )


def profile_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _field(
                "Name",
                rx.input(
                    name="display_name",
                    id="display-name-input",
                    default_value=SettingsState.display_name,
                    max_length=200,
                    width="100%",
                ),
                "display-name-input",
            ),
            _field(
                "Time zone",
                rx.input(
                    name="timezone",
                    id="timezone-input",
                    default_value=SettingsState.timezone,
                    placeholder="e.g. Europe/Berlin",
                    auto_complete="off",
                    custom_attrs={"list": TIMEZONE_LIST_ID},
                    aria_describedby="timezone-input-help",
                    width="100%",
                ),
                "timezone-input",
                "Type to search, e.g. Berlin or New_York.",
            ),
            _timezone_list(),
            _field("Day ends at", _day_start_select(), "day-start-hour", DAY_START_HELP),
            rx.button("Save profile", type="submit", loading=SettingsState.saving, id="save-profile"),
            spacing="4",
            width="100%",
        ),
        on_submit=SettingsState.save_profile,
        width="100%",
        id="profile-form",
    )


def session_card(row: rx.Var[SessionView]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.box(
                rx.hstack(
                    rx.text(row.device, weight="medium"),
                    rx.cond(row.current, rx.badge("This browser", color_scheme="green")),
                    align="center",
                    wrap="wrap",
                ),
                rx.text("Signed in " + row.created, size="2", color_scheme="gray"),
                rx.text("Last seen " + row.last_seen, size="2", color_scheme="gray"),
                flex_grow="1",
                min_width="0",
            ),
            rx.button(
                "Revoke",
                on_click=SettingsState.revoke(row.session_id),
                aria_label=row.revoke_label,
                variant="soft",
                color_scheme="red",
            ),
            align="center",
            justify="between",
            spacing="3",
            wrap="wrap",
        ),
        width="100%",
        class_name="session-row",
    )


def sign_out_everywhere_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button("Sign out everywhere", color_scheme="red", id="sign-out-everywhere")
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Sign out everywhere?"),
            rx.alert_dialog.description(
                "This ends every session listed here, including this browser's. "
                "You will need to sign in again on each device."
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        "Sign out everywhere", color_scheme="red", on_click=SettingsState.sign_out_everywhere
                    )
                ),
                spacing="3",
                justify="end",
                wrap="wrap",
                margin_top="4",
            ),
        ),
    )


def security_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Security", size="5", as_="h2"),
        rx.text("Browsers signed in to your account. Revoking one signs it out at its next click."),
        rx.cond(
            SettingsState.sessions.length() > 0,
            rx.vstack(rx.foreach(SettingsState.sessions, session_card), width="100%", id="session-list"),
            rx.text("No active sessions.", color_scheme="gray", id="no-sessions"),
        ),
        sign_out_everywhere_dialog(),
        spacing="3",
        width="100%",
    )


def link_button(provider: rx.Var[dict[str, str]]) -> rx.Component:
    # A real navigation: linking runs the provider's sign-in flow through backend routes.
    return rx.button(
        rx.el.a(
            "Link " + provider["label"].to(str), href=provider["href"], custom_attrs={"reloadDocument": True}
        ),
        as_child=True,
        variant="soft",
    )


def sign_in_methods_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Sign-in methods", size="5", as_="h2"),
        rx.text("You can sign in with any provider linked to this account."),
        rx.hstack(
            rx.foreach(SettingsState.linked, lambda name: rx.badge(name, size="2", color_scheme="green")),
            wrap="wrap",
            id="linked-providers",
        ),
        rx.hstack(rx.foreach(SettingsState.linkable, link_button), wrap="wrap"),
        spacing="3",
        width="100%",
    )


def settings_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.heading("Settings", size="7", as_="h1"),
            rx.cond(
                SettingsState.loading,
                rx.spinner(size="3", aria_label="Loading"),
                rx.cond(
                    SettingsState.load_error != "",
                    rx.callout(
                        SettingsState.load_error, icon="triangle_alert", color_scheme="red", role="alert"
                    ),
                    rx.vstack(
                        rx.heading("Profile", size="5", as_="h2"),
                        profile_form(),
                        rx.separator(),
                        sign_in_methods_section(),
                        rx.separator(),
                        security_section(),
                        rx.separator(),
                        _field("Insights opens on", _insights_window_select(), "insights-window"),
                        rx.separator(),
                        rx.heading("Your data", size="5", as_="h2"),
                        rx.link("Import and export your data", href=DATA_ROUTE, id="data-link"),
                        spacing="4",
                        width="100%",
                    ),
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
