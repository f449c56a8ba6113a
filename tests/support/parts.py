"""Real parts the tests need: skip when one is missing locally, fail when CI=true.

CI must prove everything, so a missing PostgreSQL, Redis, Chromium, Prometheus or OIDC
provider there is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import socket
from typing import NoReturn

import pytest

POSTGRES_HOST, POSTGRES_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
CHROMIUM = "/usr/bin/chromium"
# Headless on shared machines: no GPU, no background traffic, nothing the run does not need.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(part: str, why: str) -> NoReturn:
    message = f"{part} is not available: {why}"
    if in_ci():
        pytest.fail(f"{message} (CI=true requires it)", pytrace=False)
    pytest.skip(message)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require_postgres() -> str:
    """The base URL of the machine's PostgreSQL (trust auth)."""
    if not port_open(POSTGRES_HOST, POSTGRES_PORT):
        missing("PostgreSQL", f"nothing listens on {POSTGRES_HOST}:{POSTGRES_PORT}")
    return f"postgresql://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}"


def require_redis() -> str:
    if not port_open(REDIS_HOST, REDIS_PORT):
        missing("Redis", f"nothing listens on {REDIS_HOST}:{REDIS_PORT}")
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/0"


def require_chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        missing("Chromium", f"{CHROMIUM} not found (apt-get install chromium)")
    return CHROMIUM


def require_executable(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing(name, "not on PATH")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
