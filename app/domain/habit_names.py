"""Rules for habit names, shared by every way a habit is created or renamed."""

MAX_HABIT_NAME_LENGTH = 120


class InvalidHabitName(ValueError):
    """The message is shown to the person as is."""


def clean_habit_name(raw: str) -> str:
    """The name with surrounding spaces removed, or InvalidHabitName saying what is wrong."""
    name = " ".join(raw.split())
    if not name:
        raise InvalidHabitName("Give the habit a name.")
    if len(name) > MAX_HABIT_NAME_LENGTH:
        raise InvalidHabitName(
            f"Keep the name to {MAX_HABIT_NAME_LENGTH} characters (this one has {len(name)})."
        )
    return name
