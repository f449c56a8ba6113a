"""Where sign-in sends people back to: only a path on this site."""

from __future__ import annotations

import pytest

from app.auth.next_path import safe_next_path


@pytest.mark.parametrize("path", ["/", "/habits?x=1", "/habits/3/stats#week", "/a/b?next=https://x"])
def test_same_site_paths_are_kept(path: str) -> None:
    assert safe_next_path(path) == path


@pytest.mark.parametrize(
    "candidate",
    [
        None,
        "",
        "//evil.com",
        "//evil.com/habits",
        "/\\evil.com",
        "\\\\evil.com",
        "https://evil.com",
        "http://evil.com/",
        "javascript:alert(1)",
        "evil",
        "evil.com/habits",
        "/habits\r\nSet-Cookie: a=b",
        "/\tevil",
        "/habits\x00",
    ],
)
def test_everything_else_becomes_the_root(candidate: str | None) -> None:
    assert safe_next_path(candidate) == "/"
