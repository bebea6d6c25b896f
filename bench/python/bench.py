"""The Python measurements of bench/run.sh: one scenario of one implementation per process,
printing one JSON object. bench/driver.py runs them interleaved and aggregates the rounds.

    python bench/python/bench.py <scenario> <impl> [arg]
      scenario: sign | seq | conc | rss
      impl:     ours      essbasic (the release wheel installed in bench/.venv)
                floor     seq only: pre-signed requests replayed over bare http.client
                official  tencentcloud-sdk-python-common + tencentcloud-sdk-python-essbasic

Both clients are driven through the same dict-in, dict-out method, ``call_json(action,
params)`` (ours implements the official signature; the official async client's equivalent is
``call_and_deserialize(action, params, dict)``), which is the official SDK's cheapest path: its
typed model objects would only add work on its side. Neither logs anything. The official
clients get ``keepAlive=True`` (the sync one pools connections through ``requests`` either
way; the async one would open a connection per call without it).

Environment: BENCH_FIXTURES, EMU_STATELESS / EMU_STATEFUL (emulator base URLs), BENCH_FLOWS
(flow ids for the ~1 MB answer), BENCH_SECS (seconds per measurement), EMU_SECRET_ID /
EMU_SECRET_KEY.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from typing import Any, Awaitable, Callable, Dict, List
from urllib.parse import urlparse

SECS = float(os.environ.get("BENCH_SECS", "1"))
with open(os.environ["BENCH_FIXTURES"], encoding="utf-8") as _f:
    FIXTURES: Dict[str, Any] = json.load(_f)
SECRET_ID = os.environ.get("EMU_SECRET_ID", "AKIDessbasicEmulator")
SECRET_KEY = os.environ.get("EMU_SECRET_KEY", "essbasic-emulator-secret-key")
HOST = "essbasic.tencentcloudapi.com"
TRACE = "00000000-0000-4000-8000-000000000000"
# A canned answer for the no-network paths (as small as the service's smallest).
CANNED = ('{"Response":{"RequestId":"%s"}}' % TRACE).encode()

now = time.perf_counter


# -- measurement helpers ------------------------------------------------------------------


def rate(fn: Callable[[], Any]) -> float:
    """Calls ``fn`` for 0.2 s to warm up, then for SECS seconds; returns calls per second."""
    warm = now()
    while now() - warm < 0.2:
        fn()
    n = 0
    start = now()
    while True:
        for _ in range(64):
            fn()
        n += 64
        elapsed = now() - start
        if elapsed >= SECS:
            return n / elapsed


def summary(lat: List[float], total: float) -> Dict[str, float]:
    """``{calls, calls_per_s, p50_us, p99_us}`` of per-call latencies in microseconds."""
    lat.sort()

    def pick(q: float) -> float:
        return lat[round((len(lat) - 1) * q)]

    return {
        "calls": len(lat),
        "calls_per_s": len(lat) / total,
        "p50_us": pick(0.5),
        "p99_us": pick(0.99),
    }


def sequential(fn: Callable[[], Any]) -> Dict[str, float]:
    """Sequential calls for SECS seconds (at least 20) after a warm-up."""
    warm, w = now(), 0
    while w < 5 or now() - warm < 0.3:
        fn()
        w += 1
    lat: List[float] = []
    start = now()
    while len(lat) < 20 or now() - start < SECS:
        t = now()
        fn()
        lat.append((now() - t) * 1e6)
    return summary(lat, now() - start)


async def concurrent(fn: Callable[[], Awaitable[Any]]) -> Dict[str, float]:
    """Calls per second with 64 calls in flight at all times, for SECS seconds."""
    import asyncio

    async def run(seconds: float) -> int:
        deadline = now() + seconds
        count = 0

        async def worker() -> None:
            nonlocal count
            while now() < deadline:
                await fn()
                count += 1

        await asyncio.gather(*(worker() for _ in range(64)))
        return count

    await run(0.3)
    start = now()
    n = await run(SECS)
    return {"calls": n, "calls_per_s": n / (now() - start)}


def vm_hwm_kb() -> int:
    """VmHWM (peak resident set) of this process, KiB."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


# -- the implementations ------------------------------------------------------------------


class CannedTransport:
    """essbasic's transport protocol, answering at once (no network) with one prepared
    answer (as the official's canned ``send_request`` does)."""

    def __init__(self) -> None:
        from essbasic.transport import HttpResponse

        self.answer = HttpResponse(200, [("Content-Type", "application/json")], CANNED)

    def send(self, request: Any, timeout: float) -> Any:
        return self.answer

    def close(self) -> None:
        pass


class CannedResponse:
    """What the official SDK reads of a ``requests`` response, answering at once."""

    status_code = 200
    headers = {"Content-Type": "application/json"}
    content = CANNED


def official_profile(url: str) -> Any:
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    http = HttpProfile(protocol="http", endpoint=urlparse(url).netloc, keepAlive=True)
    return ClientProfile(httpProfile=http)


def make_client(impl: str, url: str, transport: Any = None) -> Any:
    """A synchronous client of ``impl`` aimed at ``url``."""
    if impl == "official":
        from tencentcloud.common import credential
        from tencentcloud.essbasic.v20210526 import essbasic_client

        cred = credential.Credential(SECRET_ID, SECRET_KEY)
        return essbasic_client.EssbasicClient(cred, "", official_profile(url))
    import essbasic

    return essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=url, transport=transport)


class FloorClient:
    """The HTTP floor of a sequential call in Python: the same signed request (built once by
    essbasic's core, then replayed; the emulator accepts it within its 300 s window) sent on
    one kept-alive ``http.client`` connection, its answer read whole. No signing, no parsing:
    what any Python client pays per call on this machine."""

    def __init__(self, url: str) -> None:
        import http.client

        from essbasic import _core

        self._core = _core
        self._url = url
        self._conn = http.client.HTTPConnection(urlparse(url).netloc)
        self._built: Dict[str, Any] = {}

    def call_json(self, action: str, params: Dict[str, Any]) -> Dict[str, Any]:
        if action not in self._built:
            import essbasic

            config = essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=self._url)._config
            _, _, headers, body = self._core.build_request(
                action, json.dumps(params), config, SECRET_ID, SECRET_KEY, None, int(time.time()), 1, TRACE
            )
            self._built[action] = (dict(headers), body)
        headers, body = self._built[action]
        self._conn.request("POST", "/", body=body, headers=headers)
        n = len(self._conn.getresponse().read())
        return {"Response": {"FlowInfo": [n]}}


# -- scenarios ----------------------------------------------------------------------------


def sign(impl: str) -> Dict[str, Any]:
    """1. Signing only: the 2 KB ChannelCreateFlowByFiles body, already serialized, to its
    Authorization. Official: its TC3 signer (``_get_tc3_signature`` and the header it formats,
    as ``_build_req_with_tc3_signature`` does). Ours: ``essbasic.Tc3Signer.authorization``
    over the body's bytes (the core's TC3 signer, the signing key cached per date).
    Serialize + sign: ``call_json(action, params)`` from the dict to the signed request, with
    the network replaced by a canned answer (ours: the ``transport`` option; official: its
    ``ApiRequest.send_request``)."""
    params = FIXTURES["create"]
    body = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
    ts = FIXTURES["timestamp"]
    out: Dict[str, Any] = {"body_bytes": len(body.encode())}
    if impl == "official":
        from tencentcloud.common.http.request import RequestInternal

        client = make_client("official", "https://" + HOST)
        req = RequestInternal(HOST, "POST", "/", data=body)
        req.header.update({"Content-Type": "application/json", "Host": HOST, "X-TC-Timestamp": str(ts)})

        def sign_once() -> str:
            date = datetime.utcfromtimestamp(ts).strftime("%Y-%m-%d")
            signature = client._get_tc3_signature(params, req, date, "essbasic", SECRET_KEY)
            return (
                "TC3-HMAC-SHA256 Credential=%s/%s/%s/tc3_request, SignedHeaders=content-type;host, Signature=%s"
                % (
                    SECRET_ID,
                    date,
                    "essbasic",
                    signature,
                )
            )

        out["sign_ops"] = rate(sign_once)
        client.request.send_request = lambda _req: CannedResponse()
        out["serialize_sign_ops"] = rate(lambda: client.call_json("ChannelCreateFlowByFiles", params))
        out["official_body_bytes"] = len(json.dumps(params).encode())
    else:
        import essbasic

        client = make_client("ours", HOST, CannedTransport())
        signer = essbasic.Tc3Signer(SECRET_ID, SECRET_KEY)
        body_bytes = body.encode()

        def sign_once() -> str:
            return signer.authorization(body_bytes, HOST, ts)

        sign_once()
        out["sign_ops"] = rate(sign_once)
        out["serialize_sign_ops"] = rate(lambda: client.call_json("ChannelCreateFlowByFiles", params))
    return out


def flow_ids() -> List[str]:
    with open(os.environ["BENCH_FLOWS"], encoding="utf-8") as f:
        ids: List[str] = json.load(f)["flow_ids"]
        return ids


def seq(impl: str) -> Dict[str, Any]:
    """2. Sequential calls with one reused client per emulator."""
    make = FloorClient if impl == "floor" else (lambda url: make_client(impl, url))
    stateless = make(os.environ["EMU_STATELESS"])
    stateful = make(os.environ["EMU_STATEFUL"])
    describe = {"Agent": FIXTURES["agent"], "FlowIds": flow_ids()}

    def big() -> None:
        r = stateful.call_json("DescribeFlowDetailInfo", describe)
        assert r["Response"]["FlowInfo"], "empty answer"

    return {
        "cancel": sequential(lambda: stateless.call_json("ChannelCancelFlow", FIXTURES["cancel"])),
        "create": sequential(lambda: stateless.call_json("ChannelCreateFlowByFiles", FIXTURES["create"])),
        "describe": sequential(big),
    }


def conc(impl: str) -> Dict[str, Any]:
    """3. 64 concurrent ChannelCancelFlow calls on one asyncio client."""
    import asyncio  # here only: the other scenarios (the RSS one above all) do not load it

    url = os.environ["EMU_STATELESS"]
    params = FIXTURES["cancel"]

    async def main() -> Dict[str, Any]:
        if impl == "official":
            from tencentcloud.common import credential
            from tencentcloud.essbasic.v20210526 import essbasic_client_async

            cred = credential.Credential(SECRET_ID, SECRET_KEY)
            official = essbasic_client_async.EssbasicClient(cred, "", official_profile(url))
            result = await concurrent(
                lambda: official.call_and_deserialize("ChannelCancelFlow", params, dict)
            )
            await official.close()
            return result
        import essbasic

        ours = essbasic.AsyncClient(SECRET_ID, SECRET_KEY, endpoint=url)
        result = await concurrent(lambda: ours.call_json("ChannelCancelFlow", params))
        await ours.aclose()
        return result

    return asyncio.run(main())


def rss(impl: str, n: int) -> Dict[str, Any]:
    """5. ``n`` sequential calls; the peak RSS after 1,000, after ``n // 2`` and at the end."""
    client = make_client(impl, os.environ["EMU_STATELESS"])
    marks: Dict[str, int] = {}
    for i in range(1, n + 1):
        client.call_json("ChannelCancelFlow", FIXTURES["cancel"])
        if i in (1000, n // 2):
            marks[str(i)] = vm_hwm_kb()
    marks["end"] = vm_hwm_kb()
    return {"hwm_kb": marks}


def main() -> None:
    scenario, impl = sys.argv[1], sys.argv[2]
    if impl not in ("ours", "official", "floor"):
        raise SystemExit(f"unknown implementation {impl}")
    if scenario == "sign":
        result = sign(impl)
    elif scenario == "seq":
        result = seq(impl)
    elif scenario == "conc":
        result = conc(impl)
    elif scenario == "rss":
        result = rss(impl, int(sys.argv[3]) if len(sys.argv) > 3 else 10_000)
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
