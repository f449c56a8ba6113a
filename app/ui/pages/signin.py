"""Sign-in page: one button per configured provider, and messages from failed attempts."""

from __future__ import annotations

import reflex as rx

from app.config import get_settings
from app.ui.components.layout import page_frame
from app.ui.states.session import SessionState

ROUTE = "/signin"
SESSION_ENDED = "Your session has ended (it expired, was revoked or you signed out elsewhere). Sign in again."


class SignInState(rx.State):
    providers: list[dict[str, str]] = []
    error: str = ""
    signed_out: bool = False

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        if await session.current_principal() is not None:
            return rx.redirect("/")
        params = self.router.url.query_parameters
        # Shown as text only, and shortened: the message came through the URL.
        self.error = params.get("error", "")[:200] or (SESSION_ENDED if session.session_ended else "")
        # The provider's logout (RP-initiated) returns with state=signed_out.
        self.signed_out = params.get("signed_out") == "1" or params.get("state") == "signed_out"
        self.providers = [
            {"name": p.name, "label": p.display_name, "href": f"/auth/login/{p.name}"}
            for p in get_settings().providers()
        ]
        return None


def provider_button(provider: rx.Var[dict[str, str]]) -> rx.Component:
    # A plain anchor styled as a button: sign-in must be a full navigation to the backend.
    return rx.button(
        rx.el.a(
            "Sign in with " + provider["label"].to(str),
            href=provider["href"],
            # Reflex renders var hrefs as router links; this makes it a real page load.
            custom_attrs={"reloadDocument": True},
        ),
        as_child=True,
        size="3",
        width="100%",
    )


def signin_page() -> rx.Component:
    return page_frame(
        rx.card(
            rx.vstack(
                rx.heading("Sign in", size="6"),
                rx.text("Track your habits and let the coach help you keep them."),
                rx.cond(
                    SignInState.error != "",
                    rx.callout(
                        SignInState.error,
                        icon="triangle_alert",
                        color_scheme="red",
                        role="alert",
                        id="sign-in-error",
                    ),
                ),
                rx.cond(
                    SignInState.signed_out,
                    rx.callout("You are signed out.", icon="info", id="signed-out"),
                ),
                rx.foreach(SignInState.providers, provider_button),
                spacing="4",
                width="100%",
            ),
            max_width="28em",
            margin_x="auto",
            margin_top="10vh",
        )
    )
