"""Habit name rules shared by every way a habit is named."""

from __future__ import annotations

import pytest

from app.domain.habit_names import MAX_HABIT_NAME_LENGTH, InvalidHabitName, clean_habit_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Read", "Read"),
        ("  Read  ", "Read"),
        ("Drink   water", "Drink water"),
        ("\t Walk \n the   dog ", "Walk the dog"),
    ],
)
def test_names_are_trimmed_and_inner_spaces_collapsed(raw: str, expected: str) -> None:
    assert clean_habit_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "\t\n "])
def test_empty_names_are_refused(raw: str) -> None:
    with pytest.raises(InvalidHabitName) as raised:
        clean_habit_name(raw)

    assert str(raised.value) == "Give the habit a name."


def test_the_limit_is_120_characters() -> None:
    assert MAX_HABIT_NAME_LENGTH == 120


def test_exactly_120_characters_is_accepted() -> None:
    name = "a" * 120

    assert clean_habit_name(name) == name


def test_120_characters_after_trimming_is_accepted() -> None:
    assert clean_habit_name("  " + "b" * 120 + "  ") == "b" * 120


def test_121_characters_are_refused_with_the_count() -> None:
    with pytest.raises(InvalidHabitName) as raised:
        clean_habit_name("a" * 121)

    assert str(raised.value) == "Keep the name to 120 characters (this one has 121)."
