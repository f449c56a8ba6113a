"""In Chromium: a check-in on Today against a trivial Reflex event, and the habit detail page.

The real app runs (`habit-wizard serve`, SQLite) with one person holding 30 habits with a
year of history each, plus three archived habits with 1, 3 and 10 years of daily history.
Click-to-DOM-update times are measured inside the page (a MutationObserver notes the first
change after the click), for a Today check-in and for the counter page's increment in the
same run; the ratio is the figure that matters on a shared, noisy machine.

A check-in ticks its box at once (the click's wish is kept in the row's own React state) and
the server's answer then replaces the row with the stored entry, streak and strength. Both
are timed: "check-in" is the box ticking, "confirmed" is the row carrying the answer (its
``data-revision`` changes), a full round trip with the database write.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from sqlalchemy import insert

from app.db.engine import build_engine, session_scope
from app.db.tables import Entry, Habit, Identity, User
from tests.support.live_app import LiveApp, running_app
from tests.support.parts import CHROMIUM, CHROMIUM_ARGS, free_port

TODAY_HABITS = 30
HISTORY_DAYS = 365
DETAIL_YEARS = (1, 3, 10)
WARMUP, CHECK_INS, COUNTER_CLICKS, PAGE_LOADS = 10, 60, 200, 5
CHECK_IN_TARGET_RATIO = 2.0
DETAIL_TARGET_MS = 1000.0

# Clicks `target`, then resolves with the time until `watched` (its aria-checked, or its
# text) first differs from before the click.
MEASURE_CLICK = """
async ([target, watched, attribute]) => {
  const read = () => {
    const element = document.querySelector(watched);
    if (!element) return null;
    return attribute ? element.getAttribute(attribute) : element.textContent;
  };
  const before = read();
  const changed = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (read() !== before) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  });
  const start = performance.now();
  document.querySelector(target).click();
  return (await changed) - start;
}
"""


def _seed(database_url: str, dev_issuer: str, today: date) -> dict[int, int]:
    """The dev provider's user "ada" with habits; returns detail-habit id by years of history."""
    engine = build_engine(database_url)
    detail: dict[int, int] = {}
    with session_scope(engine) as db:
        user = User(display_name="Ada Lovelace", email="ada@example.org", email_verified=True)
        db.add(user)
        db.flush()
        assert user.id is not None
        db.add(Identity(user_id=user.id, provider="dev", issuer=dev_issuer, subject="ada"))
        histories: list[tuple[Habit, int]] = []
        for number in range(TODAY_HABITS):
            histories.append(
                (Habit(user_id=user.id, name=f"Habit {number:02d}", position=number), HISTORY_DAYS)
            )
        for years in DETAIL_YEARS:
            habit = Habit(user_id=user.id, name=f"{years} years", position=100 + years, archived=True)
            histories.append((habit, 365 * years))
        db.add_all([habit for habit, _ in histories])
        db.flush()
        recorded = datetime.now(UTC)
        rows = []
        for habit, days in histories:
            assert habit.id is not None
            if habit.archived:
                detail[days // 365] = habit.id
            for back in range(1, days + 1):
                if (back * 7 + habit.id) % 10 < 8:  # done on 80% of days, in a fixed pattern
                    rows.append({"habit_id": habit.id, "day": today - timedelta(days=back), "kind": "done",
                                 "recorded_at": recorded, "note": ""})  # fmt: skip
        db.execute(insert(Entry), rows)
    engine.dispose()
    return detail


def _sign_in(page: Page, app: LiveApp) -> None:
    page.goto(f"{app.base_url}/signin")
    page.get_by_role("link", name="Sign in with Development sign-in").click()
    page.get_by_role("button", name="ada").click()
    page.wait_for_selector("#display-name")


def _click_times(page: Page, target: str, watched: str, attribute: str | None, count: int) -> list[float]:
    return [float(page.evaluate(MEASURE_CLICK, [target, watched, attribute])) for _ in range(count)]


def _check_in_times(page: Page, app: LiveApp) -> tuple[list[float], list[float]]:
    """(click to ticked box, click to the row holding the server's answer) per check-in."""
    page.goto(f"{app.base_url}/")
    page.wait_for_selector('[aria-label="Done today: Habit 29"]')
    ticked, confirmed = [], []
    for click in range(WARMUP + CHECK_INS):
        name = f"Habit {click % TODAY_HABITS:02d}"
        box = f'[aria-label="Done today: {name}"]'
        elapsed = float(page.evaluate(MEASURE_CLICK, [box, box, "aria-checked"]))
        # The same click again (undo), this time timed until the answer reaches the row.
        row = f'.habit-row:has([aria-label="Done today: {name}"])'
        answered = float(page.evaluate(MEASURE_CLICK, [box, row, "data-revision"]))
        if click >= WARMUP:
            ticked.append(elapsed)
            confirmed.append(answered)
    return ticked, confirmed


def _counter_times(page: Page, app: LiveApp) -> list[float]:
    page.goto(f"{app.base_url}/bench/counter")
    page.wait_for_selector("#increment")
    return _click_times(page, "#increment", "#count", None, WARMUP + COUNTER_CLICKS)[WARMUP:]


def _detail_load_ms(page: Page, app: LiveApp, habit_id: int) -> float:
    times = []
    for _ in range(PAGE_LOADS):
        start = time.perf_counter()
        page.goto(f"{app.base_url}/habits/{habit_id}")
        page.wait_for_function("document.querySelectorAll('.day-cell').length > 300")
        page.wait_for_function("(document.querySelector('#current-streak')?.textContent || '').length > 0")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    if not Path(CHROMIUM).exists():
        print(f"Browser benchmarks skipped: {CHROMIUM} is missing (apt-get install chromium)")
        return
    setup = f"{TODAY_HABITS} habits x {HISTORY_DAYS} days"
    print(f"\nToday check-in vs a trivial counter event ({setup}), in Chromium")
    with tempfile.TemporaryDirectory() as folder:
        dev_port = free_port()
        with running_app(Path(folder), extra_env={"DEV_OIDC_PORT": str(dev_port)}) as app:
            today = datetime.now(UTC).date()
            detail = _seed(
                f"sqlite:///{Path(folder) / 'habit-wizard.db'}", f"http://localhost:{dev_port}", today
            )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                _sign_in(page, app)
                counter = _counter_times(page, app)
                check_ins, confirmed = _check_in_times(page, app)
                loads = {years: _detail_load_ms(page, app, detail[years]) for years in DETAIL_YEARS}
                browser.close()
    for label, values in (("counter event", counter), ("check-in", check_ins), ("confirmed", confirmed)):
        print(
            f"  {label:<14} p50 {_percentile(values, 0.5):7.1f} ms   p95 {_percentile(values, 0.95):7.1f} ms"
            f"   ({len(values)} clicks)"
        )
    ratio = statistics.median(check_ins) / statistics.median(counter)
    verdict = "meets" if ratio <= CHECK_IN_TARGET_RATIO else "misses"
    print(f"  check-in p50 / counter p50 = {ratio:.2f}x ({verdict} the {CHECK_IN_TARGET_RATIO:.0f}x target)")
    round_trip = statistics.median(confirmed) / statistics.median(counter)
    print(f"  confirmed p50 / counter p50 = {round_trip:.2f}x (the server's answer, written and recomputed)")
    print(f"\nHabit detail page load (navigation to rendered calendar), median of {PAGE_LOADS}")
    for years in DETAIL_YEARS:
        growth = loads[years] / loads[DETAIL_YEARS[0]]
        print(f"  {years:>2} years of daily history: {loads[years]:7.0f} ms   x{growth:.2f} vs 1 year")
    verdict = "meets" if loads[DETAIL_YEARS[-1]] < DETAIL_TARGET_MS else "misses"
    print(f"  10 years {verdict} the {DETAIL_TARGET_MS:.0f} ms target")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
