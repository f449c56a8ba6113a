"""Download a person's data (Loop CSV zip, our JSON) and upload a file to import.

The person is resolved on the server from the HttpOnly session cookie, never from the request.
The upload is read with a hard cap before it is parsed, so an oversized body is refused (413)
without being spooled to disk, and the import POST only accepts our own origins (a cross-site
form cannot post into someone's account).
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile

from app.api.problems import problem
from app.auth.sessions import cookie_name, resolve_session
from app.config import get_settings
from app.db.engine import run_in_session
from app.domain.loop import ImportLimits
from app.domain.loop.model import describe_size
from app.services.data_export import export_json, export_loop_zip, import_upload, outcome_json, read_upload
from app.services.errors import InvalidInput, NotSignedIn
from app.services.habits import today_for
from app.services.principals import Principal

router = APIRouter(prefix="/api/v1")
UPLOAD_FIELD = "file"
# Room for the multipart boundaries and part headers around the file itself.
MULTIPART_OVERHEAD_BYTES = 16 * 1024
NOT_SIGNED_IN = "Sign in to export or import your data."


async def current_principal(request: Request) -> Principal:
    settings = get_settings()
    session_id = request.cookies.get(cookie_name(settings))
    now = datetime.now(UTC)
    principal = await run_in_session(lambda db: resolve_session(db, session_id, settings=settings, now=now))
    if principal is None:
        raise NotSignedIn(NOT_SIGNED_IN)
    return principal


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/export/loop.zip")
async def download_loop_zip(request: Request) -> Response:
    principal = await current_principal(request)
    today = today_for(principal, datetime.now(UTC))
    data = await run_in_session(lambda db: export_loop_zip(db, principal, today))
    return _attachment(data, "application/zip", f"habit-wizard-loop-{today.isoformat()}.zip")


@router.get("/export/habit-wizard.json")
async def download_json(request: Request) -> Response:
    principal = await current_principal(request)
    now = datetime.now(UTC)
    document = await run_in_session(lambda db: export_json(db, principal, now))
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    filename = f"habit-wizard-{today_for(principal, now).isoformat()}.json"
    return _attachment(text.encode(), "application/json", filename)


class _TooLarge(Exception):
    pass


async def _read_capped(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> JSONResponse:
    return problem(413, "File too large", f"The file is larger than the {describe_size(limit)} limit.")


@router.post("/import")
async def upload_import(request: Request) -> Response:
    """Multipart upload, field ``file``: a Loop zip or .db backup, or our JSON (by content)."""
    settings = get_settings()
    if request.headers.get("origin") not in settings.allowed_origins:
        return problem(403, "Forbidden", "Imports are only accepted from this site's own pages.")
    principal = await current_principal(request)
    limit = settings.import_max_bytes
    try:
        body = await _read_capped(request, limit + MULTIPART_OVERHEAD_BYTES)
    except _TooLarge:
        return _too_large(limit)

    async def replay() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    # Malformed multipart becomes a 400 problem in Starlette; spooled parts are closed on exit.
    async with Request(request.scope, replay).form(max_files=1, max_fields=4) as form:
        upload = form.get(UPLOAD_FIELD)
        if not isinstance(upload, UploadFile):
            raise InvalidInput(f'Send the file as multipart form data in the field "{UPLOAD_FIELD}".')
        data = await upload.read(limit + 1)
        filename = upload.filename or "upload"
    if len(data) > limit:
        return _too_large(limit)
    parsed = await asyncio.to_thread(read_upload, data, filename, ImportLimits(max_file_bytes=limit))
    outcome = await run_in_session(lambda db: import_upload(db, principal, parsed))
    return JSONResponse(outcome_json(parsed, outcome))
