"""``max_body_bytes`` is enforced while the answer is read, by every transport: a declared
``Content-Length`` over the limit is refused before any of the body is read, and a body
streamed without a length is abandoned at the limit (never buffered whole)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any, Callable, Dict, Iterator, List

import essbasic
import httpx
import pytest
import requests
from conftest import AGENT, SECRET_ID, SECRET_KEY
from essbasic.errors import DecodeError, HttpError
from essbasic.transport import AiohttpTransport, StdlibTransport, ThreadedTransport

LIMIT = 1 << 20
CHUNK = 256 << 10
STREAMED = 64 << 20  # what the server would send if it were let


class RawServer:
    """Answers each request on a raw socket: ``declared`` sends a ``Content-Length`` far over
    the limit and then waits (a client reading the body would hang); ``streamed`` sends an
    endless-looking body without a length (closing delimits it) and counts what it could
    write before the client hung up."""

    def __init__(self, mode: str, status: int = 200) -> None:
        self.mode = mode
        self.status = status
        self.sent: List[int] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            while len(rest) < length:
                rest += conn.recv(65536)
            status = f"HTTP/1.1 {self.status} X\r\n".encode()
            sent = 0
            try:
                if self.mode == "declared":
                    conn.sendall(
                        status + b"Content-Type: application/json\r\n"
                        b"Content-Length: 104857600\r\n\r\n" + b'{"Response":{"Blob":"'
                    )
                    self._stop.wait(10)
                    return
                conn.sendall(
                    status + b"Content-Type: application/json\r\nConnection: close\r\n\r\n"
                    b'{"Response":{"Blob":"'
                )
                block = b"x" * CHUNK
                while sent < STREAMED and not self._stop.is_set():
                    conn.sendall(block)
                    sent += len(block)
            except OSError:
                pass
            finally:
                self.sent.append(sent)

    def close(self) -> None:
        self._stop.set()
        self.server.close()


@pytest.fixture(params=["declared", "streamed"])
def raw(request: pytest.FixtureRequest) -> Iterator[RawServer]:
    server = RawServer(request.param)
    yield server
    server.close()


SYNC: Dict[str, Callable[[], Any]] = {
    "socket": lambda: None,
    "http.client": lambda: StdlibTransport(),
    "requests": lambda: requests.Session(),
    "httpx": lambda: httpx.Client(),
}
ASYNC: Dict[str, Callable[[], Any]] = {
    "socket": lambda: None,  # the default
    "httpx": lambda: httpx.AsyncClient(),
    "aiohttp": lambda: AiohttpTransport(),  # owns its session: closed by aclose()
    "threaded": lambda: ThreadedTransport(StdlibTransport()),
}


def _check(err: pytest.ExceptionInfo[Any], raw: RawServer, elapsed: float) -> None:
    assert "max_body_bytes" in (err.value.message or "")
    assert err.value.attempts == 1
    assert elapsed < 5, elapsed
    if raw.mode == "streamed":
        deadline = time.monotonic() + 5
        while not raw.sent and time.monotonic() < deadline:
            time.sleep(0.01)
        # The client hung up near the limit (socket buffers hold a few MiB more at most).
        assert raw.sent and raw.sent[0] < 24 << 20, raw.sent


@pytest.mark.parametrize("transport", list(SYNC))
def test_sync_transports_stop_at_the_limit(raw: RawServer, transport: str) -> None:
    with essbasic.Client(
        SECRET_ID,
        SECRET_KEY,
        endpoint=raw.url,
        max_body_bytes=LIMIT,
        timeout=20,
        transport=SYNC[transport](),
    ) as c:
        started = time.monotonic()
        with pytest.raises(DecodeError) as err:
            c.channel_cancel_flow(Agent=AGENT, FlowId="f")
        _check(err, raw, time.monotonic() - started)


@pytest.mark.parametrize("transport", list(ASYNC))
def test_async_transports_stop_at_the_limit(raw: RawServer, transport: str) -> None:
    async def main() -> None:
        async with essbasic.AsyncClient(
            SECRET_ID,
            SECRET_KEY,
            endpoint=raw.url,
            max_body_bytes=LIMIT,
            timeout=20,
            transport=ASYNC[transport](),
        ) as c:
            started = time.monotonic()
            with pytest.raises(DecodeError) as err:
                await c.channel_cancel_flow(Agent=AGENT, FlowId="f")
            _check(err, raw, time.monotonic() - started)

    asyncio.run(main())


def test_an_oversized_error_page_is_an_http_error() -> None:
    server = RawServer("declared", status=502)
    try:
        with essbasic.Client(
            SECRET_ID, SECRET_KEY, endpoint=server.url, max_body_bytes=LIMIT, retry=False
        ) as c:
            with pytest.raises(HttpError) as err:
                c.describe_templates(Agent=AGENT)
        assert err.value.status == 502 and "max_body_bytes" in (err.value.message or "")
    finally:
        server.close()


def test_the_default_limit_is_the_cores() -> None:
    c = essbasic.Client(SECRET_ID, SECRET_KEY)
    assert c.settings.max_body_bytes == essbasic._core.DEFAULT_MAX_BODY_BYTES == 64 << 20
    with pytest.raises(ValueError):
        essbasic.Client(SECRET_ID, SECRET_KEY, max_body_bytes=-1)
