"""The default transports (``SocketTransport``, and ``AsyncSocketTransport`` for asyncio) over
TLS and with the framings the core reads: a local HTTPS server with a self-signed certificate
(made with the ``openssl`` command)."""

from __future__ import annotations

import asyncio
import http.server
import shutil
import socketserver
import ssl
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import essbasic
import pytest
from essbasic.transport import AsyncSocketTransport, HttpRequest, SocketTransport

BODY = b'{"Response":{"RequestId":"tls"}}'


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if self.path == "/chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            head, tail = BODY[:5], BODY[5:]
            self.wfile.write(b"5\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (head, len(tail), tail))
        elif self.path == "/close":
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(BODY)
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

    def log_message(self, *args: Any) -> None:
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


@pytest.fixture(scope="module")
def https(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl command to make a certificate")
    d: Path = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes"),
            *("-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    server = _Server(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"https://127.0.0.1:{server.server_address[1]}"
    server.cert = cert
    yield server
    server.shutdown()
    server.server_close()


def test_tls_with_reuse_after_idle(https: Any) -> None:
    t = SocketTransport(ssl_context=ssl.create_default_context(cafile=str(https.cert)))
    with essbasic.Client("AKIDtls", "tls-key", endpoint=https.url, transport=t) as c:
        for _ in range(3):
            assert c.channel_cancel_flow(FlowId="f", Agent={"AppId": "a"})["RequestId"] == "tls"
            time.sleep(0.1)  # idle: TLS 1.3 session tickets make the socket readable
    assert (t.opened, t.reused) == (1, 2)


def test_chunked_and_connection_close(https: Any) -> None:
    t = SocketTransport(ssl_context=ssl.create_default_context(cafile=str(https.cert)))
    headers = [("Content-Type", "application/json")]
    for path in ("/chunked", "/close", "/close"):
        r = t.send(HttpRequest("POST", https.url + path, headers, b"{}"), 5.0)
        assert (r.status, r.body) == (200, BODY)
    # The chunked answer's connection carried the first "close" answer; the second needed one.
    assert (t.opened, t.reused) == (2, 1)


def test_an_untrusted_certificate_is_not_sent(https: Any) -> None:
    with essbasic.Client("AKIDtls", "tls-key", endpoint=https.url, retry=False) as c:
        with pytest.raises(essbasic.TransportError) as err:
            c.channel_cancel_flow(FlowId="f", Agent={"AppId": "a"})
    assert err.value.not_sent and "CERTIFICATE_VERIFY_FAILED" in str(err.value)


def test_async_tls_with_reuse_after_idle(https: Any) -> None:
    t = AsyncSocketTransport(ssl_context=ssl.create_default_context(cafile=str(https.cert)))

    async def main() -> None:
        async with essbasic.AsyncClient("AKIDtls", "tls-key", endpoint=https.url, transport=t) as c:
            for _ in range(3):
                r = await c.channel_cancel_flow(FlowId="f", Agent={"AppId": "a"})
                assert r["RequestId"] == "tls"
                await asyncio.sleep(0.1)  # idle: TLS 1.3 session tickets arrive meanwhile

    asyncio.run(main())
    assert (t.opened, t.reused) == (1, 2)


def test_async_chunked_and_connection_close(https: Any) -> None:
    t = AsyncSocketTransport(ssl_context=ssl.create_default_context(cafile=str(https.cert)))
    headers = [("Content-Type", "application/json")]

    async def main() -> None:
        for path in ("/chunked", "/close", "/close"):
            r = await t.send(HttpRequest("POST", https.url + path, headers, b"{}"), 5.0)
            assert (r.status, r.body) == (200, BODY)
        await t.aclose()

    asyncio.run(main())
    assert (t.opened, t.reused) == (2, 1)


def test_async_an_untrusted_certificate_is_not_sent(https: Any) -> None:
    async def main() -> None:
        async with essbasic.AsyncClient(
            "AKIDtls", "tls-key", endpoint=https.url, retry=False, transport=AsyncSocketTransport()
        ) as c:
            with pytest.raises(essbasic.TransportError) as err:
                await c.channel_cancel_flow(FlowId="f", Agent={"AppId": "a"})
        assert err.value.not_sent and "CERTIFICATE_VERIFY_FAILED" in str(err.value)

    asyncio.run(main())
