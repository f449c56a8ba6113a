"""The page frame shared by every page: header with the person's name and sign-out."""

from __future__ import annotations

import reflex as rx

from app.ui.states.session import SessionState

# Reflex forms always prevent the browser's submit, so build and submit a plain one: a real
# POST navigation clears the HttpOnly cookie and reconnects the websocket signed out.
# rx.run_script compiles the code into the bundle (rx.call_script would eval it, which the
# Content-Security-Policy forbids).
_SUBMIT_SIGN_OUT = (
    "document.body.appendChild(Object.assign(document.createElement('form'), "
    "{method: 'post', action: '/auth/logout'})).submit()"
)


def sign_out_button() -> rx.Component:
    return rx.button("Sign out", on_click=rx.run_script(_SUBMIT_SIGN_OUT), variant="soft", id="sign-out")


NAVIGATION = (("Today", "/"), ("Habits", "/habits"), ("Insights", "/insights"), ("Settings", "/settings"))


def navigation() -> rx.Component:
    links = [rx.link(label, href=href, weight="medium") for label, href in NAVIGATION]
    admin = rx.cond(SessionState.is_admin, rx.link("Admin", href="/admin", weight="medium"))
    return rx.el.nav(rx.hstack(*links, admin, spacing="4", wrap="wrap"), aria_label="Main")


def header() -> rx.Component:
    return rx.hstack(
        rx.text("Habit Wizard", size="5", weight="bold"),
        rx.cond(SessionState.signed_in, navigation()),
        rx.spacer(),
        # Name, sign-out and the colour toggle stay together when the header wraps on phones.
        rx.hstack(
            rx.cond(
                SessionState.signed_in,
                rx.hstack(
                    rx.text(SessionState.display_name, id="display-name", weight="medium"),
                    sign_out_button(),
                    align="center",
                ),
            ),
            rx.color_mode.button(aria_label="Toggle dark mode"),
            align="center",
        ),
        width="100%",
        align="center",
        wrap="wrap",
        padding_y="3",
    )


def page_frame(*children: rx.Component) -> rx.Component:
    return rx.container(
        header(),
        rx.el.main(*children),
        size="3",
        padding_x="4",
    )
