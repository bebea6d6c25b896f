"""Fixtures: the emulator (``tests/emulator``, spawned once per session), clients on it, a
connection-counting TCP proxy, and schema-valid parameters synthesized from the spec."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import essbasic
import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO / "core" / "spec" / "api.json"

SECRET_ID = "AKIDpythonTests0000000000000001"
SECRET_KEY = "python-tests-secret-key-must-not-leak"
AGENT: Dict[str, Any] = {
    "AppId": "yDapp",
    "ProxyOrganizationOpenId": "org",
    "ProxyOperator": {"OpenId": "op"},
}


def emulator_binary() -> Path:
    """``$ESSBASIC_EMULATOR``, or the debug build (built here when missing)."""
    env = os.environ.get("ESSBASIC_EMULATOR")
    if env:
        return Path(env)
    path = REPO / "target" / "debug" / "essbasic-emulator"
    if not path.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "essbasic-emulator"], cwd=REPO, check=True)
    return path


class Emulator:
    """One emulator process on 127.0.0.1 with the test key pair."""

    def __init__(self, *flags: str) -> None:
        self.proc = subprocess.Popen(
            [
                str(emulator_binary()),
                "--listen",
                "127.0.0.1:0",
                "--secret-id",
                SECRET_ID,
                "--secret-key",
                SECRET_KEY,
                *flags,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line: List[str] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(60)
        if not line or not line[0].startswith("http://"):
            self.proc.kill()
            raise RuntimeError(f"the emulator did not print its URL: {line!r}")
        self.url = line[0].strip()
        self.port = int(self.url.rsplit(":", 1)[1])

    def admin(self, method: str, path: str, body: Optional[bytes] = None) -> Any:
        """Calls the ``/__emulator/`` API."""
        req = urllib.request.Request(f"{self.url}/__emulator/{path}", data=body, method=method)
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def stats(self) -> Dict[str, Any]:
        """``GET /__emulator/stats``."""
        result: Dict[str, Any] = self.admin("GET", "stats")
        return result

    def requests(self, action: str) -> int:
        """How many requests the emulator received for ``action``."""
        return int(self.stats()["actions"].get(action, {}).get("requests", 0))

    def effect(self, name: str) -> int:
        """A side-effect counter (``flows_created``, ...)."""
        return int(self.stats()["side_effects"][name])

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(10)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """A stateful emulator with faults on demand (``X-Emulator-Fault``)."""
    emu = Emulator("--faults", "--task-polls", "1")
    yield emu
    emu.close()


@pytest.fixture(scope="session")
def stateless_emulator() -> Iterator[Emulator]:
    """A stateless emulator: every authenticated, schema-valid request succeeds."""
    emu = Emulator("--stateless")
    yield emu
    emu.close()


@pytest.fixture
def client(emulator: Emulator) -> Iterator[essbasic.Client]:
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=emulator.url) as c:
        yield c


# --- a TCP proxy that counts connections ---------------------------------------------------


class CountingProxy:
    """Forwards 127.0.0.1:<port> to the emulator and counts the connections it accepts."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.accepted = 0
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.accepted += 1
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._stop = True
        self.server.close()


@pytest.fixture
def proxy(emulator: Emulator) -> Iterator[CountingProxy]:
    p = CountingProxy(emulator.port)
    yield p
    p.close()


# --- schema-valid parameters from the spec -----------------------------------------------


def load_spec() -> Dict[str, Any]:
    spec: Dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


def _scalar(kind: str, example: Any) -> Any:
    text = example if isinstance(example, str) else None
    if kind in ("string", "date"):
        return text if text else "x"
    if kind in ("int64", "uint64"):
        try:
            return int(text) if text is not None else 1
        except ValueError:
            return 1
    if kind == "float":
        try:
            return float(text) if text is not None else 1.0
        except ValueError:
            return 1.0
    if kind == "bool":
        return text == "true"
    raise ValueError(kind)


def synthesize(spec: Dict[str, Any], object_name: str) -> Dict[str, Any]:
    """The required members of ``object_name``, recursively: strings from ``example``,
    numbers and booleans parsed from it, one element per required list."""
    out: Dict[str, Any] = {}
    for m in spec["objects"][object_name]["members"]:
        if not m.get("required"):
            continue
        elem = m["member"]
        if elem in spec["objects"]:
            value: Any = synthesize(spec, elem)
        else:
            example = m.get("example")
            if m["type"] == "list" and isinstance(example, str):
                try:
                    parsed = json.loads(example)
                except ValueError:
                    parsed = None
                if isinstance(parsed, list) and parsed:
                    example = json.dumps(parsed[0]) if not isinstance(parsed[0], str) else parsed[0]
            value = _scalar(elem, example)
        out[m["name"]] = [value] if m["type"] == "list" else value
    return out


@pytest.fixture(scope="session")
def spec() -> Dict[str, Any]:
    return load_spec()


# --- a stub server for answers the emulator does not make --------------------------------


class StubServer:
    """Answers every POST with the configured status, Content-Type and body (HTTP/1.1,
    keep-alive), and records the requests it got."""

    def __init__(self) -> None:
        import http.server

        stub = self
        self.status = 200
        self.content_type = "application/json"
        self.body = b'{"Response":{"RequestId":"stub"}}'
        self.requests: List[Dict[str, Any]] = []
        #: Close each connection this long after answering (an idle keep-alive timeout).
        self.idle_close: Optional[float] = None

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                stub.requests.append(
                    {"headers": dict(self.headers), "body": self.rfile.read(length)}
                )
                self.send_response(stub.status)
                self.send_header("Content-Type", stub.content_type)
                self.send_header("Content-Length", str(len(stub.body)))
                self.end_headers()
                self.wfile.write(stub.body)
                self.wfile.flush()
                if stub.idle_close is not None:
                    time.sleep(stub.idle_close)
                    self.close_connection = True

            do_GET = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub() -> Iterator[StubServer]:
    s = StubServer()
    yield s
    s.close()
