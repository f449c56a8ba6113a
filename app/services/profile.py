"""Profile use cases: the person's name, time zone, the hour their habit day starts, and the
window the Insights page opens with."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from sqlmodel import Session

from app.db.tables import User
from app.domain.analytics import DEFAULT_WINDOW_KIND, STANDING_WINDOWS
from app.domain.local_days import LocalDayError, check_day_start_hour, zone_for
from app.services.errors import InvalidInput, NotFound
from app.services.principals import Principal

MAX_NAME_LENGTH = 200

# Files the tz database ships that name no place ("Factory" is a placeholder zone; "localtime"
# is a link to this machine's own zone, which is not the person's).
_NOT_PLACES = frozenset({"Factory", "localtime"})


@dataclass(frozen=True)
class Profile:
    display_name: str
    timezone: str
    day_start_hour: int
    insights_window: str = DEFAULT_WINDOW_KIND.value


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted (the settings form offers these)."""
    return tuple(sorted(available_timezones() - _NOT_PLACES))


def _own_user(db: Session, principal: Principal) -> User:
    user = db.get(User, principal.user_id)
    if user is None:
        raise NotFound("That account does not exist.")
    return user


def profile_of(db: Session, principal: Principal) -> Profile:
    user = _own_user(db, principal)
    return Profile(user.display_name, user.timezone, user.day_start_hour, user.insights_window)


def _checked_name(raw: str) -> str:
    name = str(raw).strip()
    if not name:
        raise InvalidInput("Give your name.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"Keep your name to {MAX_NAME_LENGTH} characters (this one has {len(name)}).")
    return name


def _checked_timezone(raw: str) -> str:
    """Only canonical IANA names: ZoneInfo alone would also load odd files such as "posixrules"."""
    name = str(raw).strip()
    if name not in timezone_names():
        raise InvalidInput(f"Unknown time zone {name!r}. Pick one from the list, e.g. Europe/Berlin.")
    try:
        zone_for(name)
    except LocalDayError as error:
        raise InvalidInput(str(error)) from None
    return name


def update_profile(
    db: Session, principal: Principal, display_name: str, timezone: str, day_start_hour: int
) -> Profile:
    """Check every field first, so bad input stores nothing; returns the stored profile."""
    name = _checked_name(display_name)
    zone = _checked_timezone(timezone)
    try:
        hour = check_day_start_hour(day_start_hour)
    except LocalDayError as error:
        raise InvalidInput(str(error)) from None
    user = _own_user(db, principal)
    user.display_name, user.timezone, user.day_start_hour = name, zone, hour
    db.add(user)
    return Profile(name, zone, hour, user.insights_window)


def set_insights_window(db: Session, principal: Principal, window: str) -> None:
    """The window Insights opens with: one of the fixed windows (a custom range is per visit)."""
    if window not in STANDING_WINDOWS:
        raise InvalidInput(f"Choose one of {', '.join(STANDING_WINDOWS)} as the default window.")
    user = _own_user(db, principal)
    user.insights_window = window
    db.add(user)
