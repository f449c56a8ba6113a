"""Where to go after sign-in: only a path on this site, never another origin."""

from urllib.parse import urlsplit

DEFAULT_NEXT = "/"


def safe_next_path(candidate: str | None) -> str:
    """`candidate` when it is a same-site absolute path, else "/".

    Refuses scheme-relative (`//evil`), backslash tricks (`/\\evil`), schemes and hosts.
    """
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return DEFAULT_NEXT
    if "\\" in candidate or any(ord(ch) < 0x20 for ch in candidate):
        return DEFAULT_NEXT
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc:
        return DEFAULT_NEXT
    return candidate
