"""The Reflex app: pages, the HTTP backend mounted around them, and lifespan tasks."""

import reflex as rx

from app.api.backend import create_backend
from app.auth.dev_provider import dev_identity_provider
from app.config import get_settings
from app.observability.logging_setup import configure_logging
from app.ui.pages import signin, today

configure_logging(get_settings().log_level)

app = rx.App(api_transformer=create_backend())
app.add_page(today.today_page, route=today.ROUTE, title="Today · Habit Wizard", on_load=today.TodayState.load)
app.add_page(
    signin.signin_page, route=signin.ROUTE, title="Sign in · Habit Wizard", on_load=signin.SignInState.load
)
app.register_lifespan_task(dev_identity_provider)
