"""Today's grouping: due habits by category in manual order, then those not due today."""

from __future__ import annotations

from app.domain.entries import HabitKind
from app.services.habits import TodayHabit
from app.ui.pages.today import NOT_DUE, UNCATEGORISED, _rows


def habit(habit_id: int, category: str, due: bool = True) -> TodayHabit:
    return TodayHabit(
        habit_id=habit_id,
        name=f"h{habit_id}",
        question="",
        category=category,
        color="violet",
        kind=HabitKind.YES_NO,
        unit="",
        target=None,
        scheduled_today=due,
        entry_kind=None,
        entry_value=None,
        current_streak=0,
        strength=0.25,
    )


def test_due_habits_grouped_by_category_then_not_due_ones():
    found = [habit(1, "Health"), habit(2, "", due=False), habit(3, "Mind"), habit(4, "Health"), habit(5, "")]

    rows = _rows(found, 1)

    assert [(r.habit_id, r.category_header) for r in rows] == [
        (1, "Health"),
        (4, ""),
        (3, "Mind"),
        (5, UNCATEGORISED),
        (2, NOT_DUE),
    ]
    assert rows[0].strength_percent == 25


def test_a_single_group_needs_no_header():
    assert [r.category_header for r in _rows([habit(1, "Health"), habit(2, "Health")], 1)] == ["", ""]
