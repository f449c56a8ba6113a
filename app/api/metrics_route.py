"""/metrics, behind a bearer token in production."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request, Response

from app.config import get_settings
from app.observability.metrics import render_metrics

router = APIRouter()


def _authorized(request: Request) -> bool:
    settings = get_settings()
    if not settings.is_production:
        return True
    assert settings.metrics_token is not None  # Settings refuses production without it
    expected = f"Bearer {settings.metrics_token.get_secret_value()}"
    return secrets.compare_digest(request.headers.get("authorization", ""), expected)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    if not _authorized(request):
        return Response(
            "metrics need Authorization: Bearer <METRICS_TOKEN>\n",
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            media_type="text/plain",
        )
    body, content_type = render_metrics()
    return Response(body, media_type=content_type)
