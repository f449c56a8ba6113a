"""Validation of what a person defines for a habit: fields, kind, measure and schedule."""

from __future__ import annotations

import itertools
from datetime import time

import pytest

from app.domain.entries import HabitKind, Measure, TargetDirection
from app.domain.habit_definition import (
    COLORS,
    DEFAULT_COLOR,
    InvalidHabit,
    define_habit,
    mask_to_weekdays,
    schedule_from,
    weekdays_to_mask,
)
from app.domain.schedules import FrequencySchedule, WeekdaySchedule

DAILY = FrequencySchedule(1, 1)


def refusal(**fields: object) -> str:
    """The message of the InvalidHabit that define_habit raises for these fields."""
    arguments: dict[str, object] = {"name": "Read", "schedule": DAILY, **fields}
    with pytest.raises(InvalidHabit) as raised:
        define_habit(**arguments)  # type: ignore[arg-type]
    return str(raised.value)


# Names and text fields ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Read", "Read"),
        ("  Read  ", "Read"),
        ("Drink   water", "Drink water"),
        ("\tWalk\n the dog ", "Walk the dog"),
    ],
)
def test_name_is_trimmed_and_inner_spaces_collapsed(raw: str, expected: str) -> None:
    assert define_habit(name=raw, schedule=DAILY).name == expected


@pytest.mark.parametrize("raw", ["", "   ", "\n\t"])
def test_empty_name_is_refused(raw: str) -> None:
    assert refusal(name=raw) == "Give the habit a name."


def test_name_over_120_characters_is_refused_and_120_accepted() -> None:
    assert define_habit(name="n" * 120, schedule=DAILY).name == "n" * 120
    assert refusal(name="n" * 121) == "Keep the name to 120 characters (this one has 121)."


def test_defaults_describe_a_plain_daily_yes_no_habit() -> None:
    habit = define_habit(name="Read", schedule=DAILY)

    assert habit.kind is HabitKind.YES_NO
    assert habit.measure is None
    assert (habit.question, habit.description, habit.category) == ("", "", "")
    assert (habit.color, habit.difficulty, habit.target_time) == (DEFAULT_COLOR, 3, None)
    assert habit.schedule == DAILY


def test_text_fields_are_trimmed_and_category_spaces_collapsed() -> None:
    habit = define_habit(
        name="Read",
        schedule=DAILY,
        question="  Did you read?  ",
        description="  Twenty pages.\nAny book.  ",
        category="  Mind   and   body ",
        target_time=time(21, 30),
    )

    assert habit.question == "Did you read?"
    assert habit.description == "Twenty pages.\nAny book."
    assert habit.category == "Mind and body"
    assert habit.target_time == time(21, 30)


@pytest.mark.parametrize(
    ("field", "limit"),
    [("question", 200), ("description", 2000), ("category", 60)],
)
def test_text_fields_at_their_limit_are_accepted(field: str, limit: int) -> None:
    habit = define_habit(name="Read", schedule=DAILY, **{field: "x" * limit})  # type: ignore[arg-type]
    assert getattr(habit, field) == "x" * limit


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("question", 201, "Keep the question to 200 characters (this one has 201)."),
        ("description", 2001, "Keep the description to 2000 characters (this one has 2001)."),
        ("category", 61, "Keep the category to 60 characters (this one has 61)."),
    ],
)
def test_over_long_text_fields_are_refused_naming_the_field(field: str, length: int, message: str) -> None:
    assert refusal(**{field: "x" * length}) == message


def test_over_long_unit_is_refused_naming_the_field() -> None:
    message = refusal(kind=HabitKind.MEASURABLE, target=20.0, unit="u" * 31)
    assert message == "Keep the unit to 30 characters (this one has 31)."


def test_unit_of_30_characters_is_accepted() -> None:
    habit = define_habit(name="Read", schedule=DAILY, kind=HabitKind.MEASURABLE, target=1.0, unit="u" * 30)
    assert habit.measure is not None
    assert habit.measure.unit == "u" * 30


# Color and difficulty -------------------------------------------------------------------------


@pytest.mark.parametrize("color", COLORS)
def test_every_offered_color_is_accepted(color: str) -> None:
    assert define_habit(name="Read", schedule=DAILY, color=color).color == color


@pytest.mark.parametrize("color", ["", "chartreuse", "#ff0000", "Violet", " violet"])
def test_color_not_offered_is_refused(color: str) -> None:
    assert refusal(color=color) == f"Pick one of the offered colors, not {color!r}."


@pytest.mark.parametrize("difficulty", [1, 2, 3, 4, 5])
def test_difficulty_one_to_five_is_accepted(difficulty: int) -> None:
    assert define_habit(name="Read", schedule=DAILY, difficulty=difficulty).difficulty == difficulty


@pytest.mark.parametrize("difficulty", [0, 6, -1])
def test_difficulty_outside_one_to_five_is_refused(difficulty: int) -> None:
    assert refusal(difficulty=difficulty) == "Difficulty goes from 1 (easy) to 5 (hard)."


# Kind and measure -----------------------------------------------------------------------------


def test_measurable_habit_keeps_its_measure() -> None:
    habit = define_habit(
        name="Coffee",
        schedule=DAILY,
        kind=HabitKind.MEASURABLE,
        unit="  cups ",
        target=2.0,
        direction=TargetDirection.AT_MOST,
    )

    assert habit.kind is HabitKind.MEASURABLE
    assert habit.measure == Measure(2.0, TargetDirection.AT_MOST, "cups")


def test_measurable_habit_accepts_a_zero_target() -> None:
    habit = define_habit(name="Smoke", schedule=DAILY, kind=HabitKind.MEASURABLE, target=0.0)
    assert habit.measure == Measure(0.0, TargetDirection.AT_LEAST, "")


def test_measurable_habit_without_target_is_refused() -> None:
    assert (
        refusal(kind=HabitKind.MEASURABLE, unit="pages")
        == "A measurable habit needs a target, e.g. 20 pages."
    )


@pytest.mark.parametrize("target", [float("nan"), float("inf"), float("-inf")])
def test_measurable_habit_with_a_non_finite_target_is_refused(target: float) -> None:
    assert refusal(kind=HabitKind.MEASURABLE, target=target) == (
        "A measurable habit needs a target, e.g. 20 pages."
    )


def test_measurable_habit_with_a_negative_target_is_refused() -> None:
    assert refusal(kind=HabitKind.MEASURABLE, target=-1.0) == "The target must be zero or more, not -1.0."


def test_yes_no_habit_ignores_unit_target_and_direction() -> None:
    habit = define_habit(
        name="Read",
        schedule=DAILY,
        kind=HabitKind.YES_NO,
        unit="u" * 500,
        target=float("nan"),
        direction=TargetDirection.AT_MOST,
    )

    assert habit.kind is HabitKind.YES_NO
    assert habit.measure is None


def test_first_problem_is_reported_when_several_fields_are_wrong() -> None:
    assert refusal(name="", color="nope", difficulty=9) == "Give the habit a name."


# Schedules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("times", "days"), [(1, 1), (3, 7), (1, 30), (7, 7)])
def test_schedule_from_times_and_days(times: int, days: int) -> None:
    assert schedule_from(times, days, None) == FrequencySchedule(times, days)


def test_schedule_from_weekdays_ignores_times_and_days() -> None:
    schedule = schedule_from(0, 0, frozenset({0, 2, 4}))
    assert schedule == WeekdaySchedule(frozenset({0, 2, 4}))
    assert (schedule.times, schedule.days) == (3, 7)


@pytest.mark.parametrize(
    ("times", "days", "weekdays", "message"),
    [
        (0, 7, None, "A habit must be done at least once per period."),
        (-1, 7, None, "A habit must be done at least once per period."),
        (1, 0, None, "The period must be at least one day long."),
        (1, -3, None, "The period must be at least one day long."),
        (8, 7, None, "A habit can be done at most once a day, so at most 7 times in 7 days (not 8)."),
        (1, 1, frozenset(), "Choose at least one weekday."),
        (1, 1, frozenset({7}), "Weekdays are numbered 0 (Monday) to 6 (Sunday), not 7."),
        (1, 1, frozenset({-1}), "Weekdays are numbered 0 (Monday) to 6 (Sunday), not -1."),
    ],
)
def test_invalid_schedules_are_refused_with_a_message(
    times: int, days: int, weekdays: frozenset[int] | None, message: str
) -> None:
    with pytest.raises(InvalidHabit) as raised:
        schedule_from(times, days, weekdays)
    assert str(raised.value) == message


# Weekday mask ---------------------------------------------------------------------------------


ALL_WEEKDAY_SETS = [
    frozenset(chosen) for size in range(8) for chosen in itertools.combinations(range(7), size)
]


def test_there_are_128_weekday_sets_with_distinct_masks_from_0_to_127() -> None:
    masks = {weekdays_to_mask(weekdays) for weekdays in ALL_WEEKDAY_SETS}
    assert masks == set(range(128))


@pytest.mark.parametrize(
    "weekdays", ALL_WEEKDAY_SETS, ids=lambda days: "".join(map(str, sorted(days))) or "none"
)
def test_weekday_mask_round_trips(weekdays: frozenset[int]) -> None:
    assert mask_to_weekdays(weekdays_to_mask(weekdays)) == weekdays


def test_monday_is_bit_zero_and_sunday_bit_six() -> None:
    assert weekdays_to_mask(frozenset({0})) == 1
    assert weekdays_to_mask(frozenset({6})) == 64
    assert weekdays_to_mask(frozenset({0, 2, 4})) == 0b10101
    assert mask_to_weekdays(0b1100000) == frozenset({5, 6})
