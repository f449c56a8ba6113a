"""The Reflex app: pages, the HTTP backend mounted around them, and lifespan tasks."""

import reflex as rx

from app.api.backend import create_backend
from app.auth.dev_provider import dev_identity_provider
from app.config import get_settings
from app.observability.logging_setup import configure_logging
from app.ui.pages import admin, bench_counter, data, habit_detail, habits, insights, settings, signin, today

configure_logging(get_settings().log_level)

app = rx.App(api_transformer=create_backend())
PAGES = [
    (today.today_page, today.ROUTE, "Today", today.TodayState.load),
    (habits.habits_page, habits.ROUTE, "Habits", habits.HabitsState.load),
    (habit_detail.habit_detail_page, habit_detail.ROUTE, "Habit", habit_detail.HabitDetailState.load),
    (insights.insights_page, insights.ROUTE, "Insights", insights.InsightsState.load),
    (settings.settings_page, settings.ROUTE, "Settings", settings.SettingsState.load),
    (data.data_page, data.ROUTE, "Your data", data.DataState.load),
    (admin.admin_page, admin.ROUTE, "Admin", admin.AdminState.load),
    (signin.signin_page, signin.ROUTE, "Sign in", signin.SignInState.load),
]
for component, route, title, on_load in PAGES:
    app.add_page(component, route=route, title=f"{title} · Habit Wizard", on_load=on_load)
if not get_settings().is_production:
    # The baseline for `make bench`: a trivial event on the same app, in the same run.
    app.add_page(bench_counter.counter_page, route=bench_counter.ROUTE, title="Counter · Habit Wizard")
app.register_lifespan_task(dev_identity_provider)
