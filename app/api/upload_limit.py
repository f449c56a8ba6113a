"""Cap request bodies on Reflex's `/_upload` endpoint, which buffers whole files itself.

Declared sizes over the limit are refused before reading; undeclared (chunked) bodies are
counted as they arrive and cut off at the limit.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_PATH = "/_upload"
# Multipart framing around the file itself.
FRAMING_ALLOWANCE = 64 * 1024


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "File too large",
            "status": 413,
            "detail": f"Files over {limit // (1024 * 1024)} MB are refused.",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class UploadSizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_body = max_bytes + FRAMING_ALLOWANCE

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(UPLOAD_PATH):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await _refuse(send, self.max_bytes)
            return
        received = 0
        too_large = refused = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    # Tell the endpoint the client went away; whatever it answers is replaced.
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def replacing_send(message: Message) -> None:
            nonlocal refused
            if not too_large:
                await send(message)
            elif not refused:
                refused = True
                await _refuse(send, self.max_bytes)

        try:
            await self.app(scope, counting_receive, replacing_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not refused:
            await _refuse(send, self.max_bytes)
