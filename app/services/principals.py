"""The acting user, resolved on the server from a session; every use case takes it first."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    user_id: int
    display_name: str
    role: str
    timezone: str
    day_start_hour: int

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
