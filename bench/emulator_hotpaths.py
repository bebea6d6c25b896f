"""Measures the emulator alone on its benchmark hot paths: one sequential client on one
keep-alive loopback socket replays pre-signed requests (no signing or parsing in the loop).

    bench/.venv/bin/python bench/emulator_hotpaths.py [--binary PATH] [--secs 2] [--runs 3]

Starts its own emulators (`--workers 1`, one `--stateless`, one stateful filled by
`essbasic-bench setup` with 20 flows x 104 approvers) on loopback (`--ports A,B`) unless
`--stateless-url` / `--stateful-url` (plus `--flows FILE` with the ids from setup) are given,
and prints requests/s and the mean round trip for ChannelCancelFlow, the 2 KB
ChannelCreateFlowByFiles and the ~1 MB DescribeFlowDetailInfo answer.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import essbasic._core as core

BENCH = Path(__file__).resolve().parent
SECRET_ID = "AKIDessbasicEmulator"
SECRET_KEY = "essbasic-emulator-secret-key"


def start(binary: str, port: int, *args: str) -> "tuple[subprocess.Popen, str]":
    proc = subprocess.Popen(
        [binary, "--listen", f"127.0.0.1:{port}", "--workers", "1", *args],
        stdout=subprocess.PIPE,
    )
    url = proc.stdout.readline().decode().strip()
    return proc, url


def raw_request(url: str, action: str, params: dict) -> bytes:
    method, _, headers, body = core.build_request(
        action,
        json.dumps(params, ensure_ascii=False),
        {"endpoint": url},
        SECRET_ID,
        SECRET_KEY,
        None,
        int(time.time()),
        1,
        uuid.uuid4().hex,
    )
    if isinstance(body, str):
        body = body.encode()
    body = bytes(body or b"")
    host = url.split("://", 1)[1]
    head = [f"{method} / HTTP/1.1"]
    items = headers.items() if isinstance(headers, dict) else headers
    names = set()
    for k, v in items:
        names.add(k.lower())
        head.append(f"{k}: {v}")
    if "host" not in names:
        head.append(f"Host: {host}")
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class Reader:
    """Reads Content-Length framed responses into one reused buffer (recv_into, no copies)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = bytearray(1 << 16)
        self.start = 0  # first unread byte
        self.end = 0  # end of the bytes received

    def _fill(self) -> None:
        if self.end == len(self.buf):
            if self.start > 0:
                n = self.end - self.start
                self.buf[:n] = self.buf[self.start : self.end]
                self.start, self.end = 0, n
            else:
                self.buf.extend(bytes(len(self.buf)))
        with memoryview(self.buf) as view:
            got = self.sock.recv_into(view[self.end :])
        if not got:
            raise RuntimeError("connection closed")
        self.end += got

    def response(self) -> int:
        """Reads one response; returns the body length."""
        while True:
            end = self.buf.find(b"\r\n\r\n", self.start, self.end)
            if end >= 0:
                break
            self._fill()
        head = bytes(self.buf[self.start : end]).lower()
        i = head.find(b"content-length:")
        j = head.find(b"\r\n", i)
        length = int(head[i + 15 : j if j > 0 else None])
        total = end + 4 + length
        if total > len(self.buf):
            # Make room for the whole body after what is unread.
            n = self.end - self.start
            self.buf[:n] = self.buf[self.start : self.end]
            total -= self.start
            self.start, self.end = 0, n
            if total > len(self.buf):
                self.buf.extend(bytes(total - len(self.buf)))
        while self.end < total:
            self._fill()
        self.start = total
        if self.start == self.end:
            self.start = self.end = 0
        return length


def cpu_seconds(pid: "int | None") -> float:
    """utime + stime of a process, in seconds (0 when unknown)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(url: str, request: bytes, secs: float, pid: "int | None") -> "tuple[float, int, float]":
    host, port = url.split("://", 1)[1].split(":")
    sock = socket.create_connection((host, int(port)))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    reader = Reader(sock)
    size = 0
    for _ in range(20):  # warm-up
        sock.sendall(request)
        size = reader.response()
    n = 0
    cpu0 = cpu_seconds(pid)
    t0 = time.perf_counter()
    deadline = t0 + secs
    while True:
        sock.sendall(request)
        reader.response()
        n += 1
        if n % 8 == 0 and time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - t0
    cpu = cpu_seconds(pid) - cpu0
    sock.close()
    return n / elapsed, size, cpu / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(BENCH / "target" / "release" / "essbasic-emulator"))
    ap.add_argument("--stateless-url")
    ap.add_argument("--stateful-url")
    ap.add_argument("--flows", help="JSON from `essbasic-bench setup` (with --stateful-url)")
    ap.add_argument(
        "--ports",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[0, 0],
        help="STATELESS,STATEFUL ports for the emulators it starts (default: free ports)",
    )
    ap.add_argument("--only", default="", help="run only the cases whose name contains this")
    ap.add_argument("--secs", type=float, default=2.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    fx = json.loads((BENCH / "fixtures.json").read_text())
    procs = []
    try:
        stateless = args.stateless_url
        pids: "dict[str, int | None]" = {}
        if not stateless:
            p, stateless = start(args.binary, args.ports[0], "--stateless")
            procs.append(p)
            pids[stateless] = p.pid
        stateful = args.stateful_url
        if stateful and args.flows:
            flows = json.loads(Path(args.flows).read_text())
        else:
            if not stateful:
                p, stateful = start(args.binary, args.ports[1])
                procs.append(p)
                pids[stateful] = p.pid
            env = dict(
                os.environ,
                BENCH_FIXTURES=str(BENCH / "fixtures.json"),
                EMU_STATEFUL=stateful,
            )
            out = subprocess.run(
                [str(BENCH / "rust" / "target" / "release" / "essbasic-bench"), "setup"],
                env=env,
                check=True,
                capture_output=True,
            ).stdout
            flows = json.loads(out)
        cases = [
            (
                "ChannelCancelFlow (tiny)",
                stateless,
                raw_request(stateless, "ChannelCancelFlow", fx["cancel"]),
            ),
            (
                "ChannelCreateFlowByFiles (2 KB)",
                stateless,
                raw_request(stateless, "ChannelCreateFlowByFiles", fx["create"]),
            ),
            (
                "DescribeFlowDetailInfo (~1 MB)",
                stateful,
                raw_request(
                    stateful,
                    "DescribeFlowDetailInfo",
                    {"Agent": fx["agent"], "FlowIds": flows["flow_ids"]},
                ),
            ),
        ]
        for name, url, req in cases:
            if args.only not in name:
                continue
            rates = []
            cpus = []
            size = 0
            for _ in range(args.runs):
                rate, size, cpu = measure(url, req, args.secs, pids.get(url))
                rates.append(rate)
                cpus.append(cpu)
            rates.sort()
            cpus.sort()
            med = rates[len(rates) // 2]
            cpu = cpus[len(cpus) // 2] * 1e6
            print(
                f"{name:32} {med:8.0f} req/s ({1e6 / med:8.1f} us/req, emulator CPU "
                f"{cpu:7.1f} us/req)  runs {[round(r) for r in rates]}  answer {size} B",
                flush=True,
            )
    finally:
        for p in procs:
            p.terminate()
            p.wait()


if __name__ == "__main__":
    sys.exit(main())
