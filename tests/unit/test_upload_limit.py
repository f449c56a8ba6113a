"""The /_upload body cap: declared and streamed sizes over the limit get 413, others pass."""

from __future__ import annotations

from collections.abc import Iterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from app.api.upload_limit import FRAMING_ALLOWANCE, UploadSizeLimit

LIMIT = 1024


async def echo_size(request: Request) -> PlainTextResponse:
    return PlainTextResponse(str(len(await request.body())))


def client() -> TestClient:
    app = Starlette(
        routes=[Route("/_upload", echo_size, methods=["POST"]), Route("/other", echo_size, methods=["POST"])]
    )
    return TestClient(UploadSizeLimit(app, max_bytes=LIMIT))


def chunks(total: int, size: int = 4096) -> Iterator[bytes]:
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


def test_a_body_within_the_limit_reaches_the_endpoint():
    response = client().post("/_upload", content=b"x" * LIMIT)
    assert (response.status_code, response.text) == (200, str(LIMIT))


def test_a_declared_size_over_the_limit_is_refused_before_reading():
    response = client().post("/_upload", content=b"x" * (LIMIT + FRAMING_ALLOWANCE + 1))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_streamed_body_over_the_limit_is_cut_off():
    response = client().post("/_upload", content=chunks(LIMIT + FRAMING_ALLOWANCE + 10_000))
    assert response.status_code == 413


def test_other_paths_are_not_limited():
    response = client().post("/other", content=b"x" * (LIMIT + FRAMING_ALLOWANCE + 1))
    assert response.status_code == 200
