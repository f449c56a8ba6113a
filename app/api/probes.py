"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from redis.asyncio import Redis
from sqlalchemy import text

from app.config import get_settings
from app.db.engine import get_engine

router = APIRouter()
PROBE_TIMEOUT_SECONDS = 3.0


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    """The process answers; depends on nothing else."""
    return {"status": "ok"}


def _ping_database() -> None:
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))


async def _ping_redis(url: str) -> None:
    client = Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT_SECONDS)
    try:
        await client.ping()  # type: ignore[misc]  # redis-py types ping as sync-or-async
    finally:
        await client.aclose()


async def _failure(check: asyncio.Future[None] | asyncio.Task[None]) -> str | None:
    try:
        await asyncio.wait_for(check, PROBE_TIMEOUT_SECONDS)
    except Exception as error:  # any failure means "not ready"; the kind is enough detail
        return type(error).__name__
    return None


@router.get("/readyz", include_in_schema=False)
async def readyz() -> JSONResponse:
    """Ready when the database answers, and Redis too when it is configured."""
    checks: dict[str, asyncio.Task[None]] = {
        "database": asyncio.create_task(asyncio.to_thread(_ping_database))
    }
    redis_url = get_settings().redis_url
    if redis_url:
        checks["redis"] = asyncio.create_task(_ping_redis(redis_url))
    failures = {name: reason for name, task in checks.items() if (reason := await _failure(task))}
    if failures:
        failing = ", ".join(sorted(failures))
        return JSONResponse(
            {"status": "unavailable", "failing": sorted(failures), "detail": f"not ready: {failing}"},
            status_code=503,
        )
    return JSONResponse({"status": "ok", "checked": sorted(checks)})
