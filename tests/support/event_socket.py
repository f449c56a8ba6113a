"""A minimal socket.io client for Reflex's `/_event` websocket, to send crafted events.

It speaks just enough Engine.IO 4 / Socket.IO 5 over a real websocket (wsproto): open,
namespace connect, emit an event, read the reply, answer pings. Tests use it to send what
a malicious client could send, bypassing the UI entirely.
"""

from __future__ import annotations

import json
import socket
import uuid
from typing import Any

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, RejectConnection, Request, TextMessage

NAMESPACE = "/_event"
TIMEOUT_SECONDS = 30


class EventSocket:
    def __init__(self, port: int, origin: str, cookie: str | None) -> None:
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._sock = socket.create_connection(("localhost", port), timeout=TIMEOUT_SECONDS)
        self._pending: list[str] = []
        headers = [("Origin", origin)] + ([("Cookie", cookie)] if cookie else [])
        target = f"{NAMESPACE}/?EIO=4&transport=websocket&token={uuid.uuid4()}"
        self._sock.sendall(
            self._ws.send(Request(host=f"localhost:{port}", target=target, extra_headers=headers))
        )
        assert self._next().startswith("0")  # Engine.IO open
        self._send(f"40{NAMESPACE},")
        connected = self._next()
        assert connected.startswith(f"40{NAMESPACE},"), connected

    def _send(self, text: str) -> None:
        self._sock.sendall(self._ws.send(TextMessage(data=text)))

    def _next(self) -> str:
        """The next Engine.IO message that is not a ping (pings are answered)."""
        while True:
            while self._pending:
                message = self._pending.pop(0)
                if message == "2":
                    self._send("3")
                    continue
                return message
            data = self._sock.recv(65536)
            if not data:
                raise ConnectionError("the server closed the event socket")
            self._ws.receive_data(data)
            for event in self._ws.events():
                if isinstance(event, RejectConnection):
                    raise ConnectionError(f"handshake refused with HTTP {event.status_code}")
                if isinstance(event, TextMessage):
                    self._pending.append(event.data)
                elif isinstance(event, CloseConnection):
                    raise ConnectionError("the server closed the event socket")
                elif not isinstance(event, AcceptConnection):
                    continue

    def send_event(
        self, name: str, payload: dict[str, Any], path: str = "/", query: dict[str, str] | None = None
    ) -> Any:
        """Emit a state event as if from page `path`; return the server's first state update."""
        event = {"name": name, "payload": payload, "router_data": {"pathname": path, "query": query or {}}}
        self._send(f"42{NAMESPACE}," + json.dumps(["event", event]))
        while True:
            message = self._next()
            if message.startswith(f"42{NAMESPACE},"):
                return json.loads(message[len(f"42{NAMESPACE},") :])[1]

    def close(self) -> None:
        try:
            self._sock.sendall(self._ws.send(CloseConnection(code=1000)))
        finally:
            self._sock.close()
