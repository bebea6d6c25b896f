"""The asyncio client end to end against the emulator, over each of its transports: its own
socket transport (the default), httpx, aiohttp, and the standard library in a thread pool."""

from __future__ import annotations

import asyncio
import time
import warnings
from typing import Any, Awaitable, Callable, Dict, List, TypeVar

import aiohttp
import essbasic
import httpx
import pytest
from conftest import AGENT, SECRET_ID, SECRET_KEY, CountingProxy, Emulator, load_spec, synthesize
from essbasic.errors import (
    ApiError,
    DecodeError,
    HttpError,
    TimeoutError,
    TransportError,
    ValidationError,
)
from essbasic.models import METHOD_NAMES
from essbasic.transport import (
    AiohttpTransport,
    AsyncSocketTransport,
    HttpRequest,
    HttpResponse,
    HttpxAsyncTransport,
    StdlibTransport,
    ThreadedTransport,
)
from test_client import APPROVER, response_keys

SPEC = load_spec()
ACTIONS = sorted(SPEC["actions"])
T = TypeVar("T")

#: Builds the transport inside the running loop (aiohttp sessions must be made there).
TRANSPORTS: Dict[str, Callable[[], Any]] = {
    "socket": lambda: None,  # the default
    "httpx": lambda: httpx.AsyncClient(),
    "aiohttp": lambda: AiohttpTransport(),  # owns its session: closed by aclose()
    "threaded": lambda: ThreadedTransport(StdlibTransport()),
}


def run(factory: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(factory())  # type: ignore[arg-type]


def test_default_transport_is_the_socket_one_or_httpx_behind_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("https_proxy", "http_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)

    async def main() -> type:
        async with essbasic.AsyncClient(SECRET_ID, SECRET_KEY) as c:
            return type(c.transport)

    assert run(main) is AsyncSocketTransport
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    assert run(main) is HttpxAsyncTransport


def test_socket_transport_bounds_connections_per_host(proxy: CountingProxy) -> None:
    transport = AsyncSocketTransport(max_connections=4)

    async def main() -> None:
        async with essbasic.AsyncClient(
            SECRET_ID, SECRET_KEY, endpoint=proxy.url, transport=transport
        ) as c:
            results = await asyncio.gather(*(c.describe_templates(Agent=AGENT) for _ in range(40)))
            assert all(r["RequestId"] for r in results)

    run(main)
    assert 1 <= proxy.accepted <= 4
    assert transport.opened == proxy.accepted and transport.reused == 40 - proxy.accepted


def test_socket_transport_waits_for_a_free_connection_within_the_timeout(
    emulator: Emulator,
) -> None:
    transport = AsyncSocketTransport(max_connections=1)

    async def main() -> None:
        def client(timeout: float) -> essbasic.AsyncClient:
            return essbasic.AsyncClient(
                SECRET_ID,
                SECRET_KEY,
                endpoint=emulator.url,
                timeout=timeout,
                retry=False,
                transport=transport,
            )

        patient, hasty = client(5.0), client(0.5)
        slow = asyncio.ensure_future(
            patient.call_json(
                "DescribeTemplates", {"Agent": AGENT}, headers={"X-Emulator-Fault": "delay_ms=1500"}
            )
        )
        await asyncio.sleep(0.1)
        started = time.monotonic()
        with pytest.raises(TimeoutError) as err:
            await hasty.describe_templates(Agent=AGENT)
        assert err.value.not_sent and "max_connections=1" in str(err.value)
        assert time.monotonic() - started < 1.0
        assert (await slow)["Response"]["RequestId"]
        assert (await hasty.describe_templates(Agent=AGENT))["RequestId"]
        assert (transport.opened, transport.reused) == (1, 1)
        await transport.aclose()

    run(main)


def test_socket_transport_a_cancelled_call_drops_its_connection(emulator: Emulator) -> None:
    transport = AsyncSocketTransport()

    async def main() -> None:
        async with essbasic.AsyncClient(
            SECRET_ID, SECRET_KEY, endpoint=emulator.url, transport=transport
        ) as c:
            assert (await c.describe_templates(Agent=AGENT))["RequestId"]
            slow = asyncio.ensure_future(
                c.call_json(
                    "DescribeTemplates",
                    {"Agent": AGENT},
                    headers={"X-Emulator-Fault": "delay_ms=1000"},
                )
            )
            await asyncio.sleep(0.1)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            # The late answer must not be read as the next call's: a new connection.
            assert (await c.describe_templates(Agent=AGENT))["RequestId"]
            assert (transport.opened, transport.reused) == (2, 1)

    run(main)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("transport", list(TRANSPORTS))
def test_every_action(stateless_emulator: Emulator, transport: str) -> None:
    async def main() -> List[Dict[str, Any]]:
        async with essbasic.AsyncClient(
            SECRET_ID,
            SECRET_KEY,
            endpoint=stateless_emulator.url,
            transport=TRANSPORTS[transport](),
        ) as c:
            gate = asyncio.Semaphore(8)

            async def one(action: str) -> Dict[str, Any]:
                params = synthesize(SPEC, SPEC["actions"][action]["input"])
                async with gate:
                    resp: Dict[str, Any] = await getattr(c, METHOD_NAMES[action])(**params)
                    return resp

            return list(await asyncio.gather(*(one(a) for a in ACTIONS)))

    results = run(main)
    assert len(results) == 101
    for action, resp in zip(ACTIONS, results):
        assert isinstance(resp, essbasic.Result), action
        assert resp["RequestId"], action
        assert set(resp) <= response_keys(action), action


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_action_in_the_official_shape(stateless_emulator: Emulator) -> None:
    async def main() -> None:
        async with essbasic.AsyncClient(
            SECRET_ID, SECRET_KEY, endpoint=stateless_emulator.url
        ) as c:
            for action in ACTIONS:
                params = synthesize(SPEC, SPEC["actions"][action]["input"])
                resp = await getattr(c, action)(params)
                assert resp.RequestId
                envelope = await c.call_json(action, params)
                assert envelope["Response"]["RequestId"]

    run(main)


@pytest.mark.parametrize("transport", list(TRANSPORTS))
def test_contract_lifecycle(emulator: Emulator, transport: str) -> None:
    async def main() -> None:
        async with essbasic.AsyncClient(
            SECRET_ID, SECRET_KEY, endpoint=emulator.url, transport=TRANSPORTS[transport]()
        ) as c:
            up = await c.upload_files(
                Agent=AGENT,
                BusinessType="DOCUMENT",
                FileInfos=[{"FileBody": "JVBERi0xLjQ=", "FileName": "contract.pdf"}],
            )
            created = await c.channel_create_flow_by_files(
                Agent=AGENT,
                FlowName="采购合同",
                FileIds=up["FileIds"],
                FlowApprovers=[APPROVER],
                Deadline=int(time.time()) + 86400,
            )
            flow = created["FlowId"]
            info = await c.describe_flow_detail_info(Agent=AGENT, FlowIds=[flow])
            assert info["FlowInfo"][0]["FlowStatus"] == "INIT"
            await c.channel_cancel_flow(Agent=AGENT, FlowId=flow)
            info = await c.describe_flow_detail_info(Agent=AGENT, FlowIds=[flow])
            assert info["FlowInfo"][0]["FlowStatus"] == "CANCEL"
            with pytest.raises(ApiError) as err:
                await c.channel_cancel_flow(Agent=AGENT, FlowId=flow)
            assert err.value.code == "OperationDenied.FlowStatusForbid"

    created = emulator.effect("flows_created")
    run(main)
    assert emulator.effect("flows_created") == created + 1


@pytest.mark.parametrize("transport", list(TRANSPORTS))
def test_error_mapping(emulator: Emulator, transport: str) -> None:
    async def main() -> None:
        async with essbasic.AsyncClient(
            SECRET_ID,
            SECRET_KEY,
            endpoint=emulator.url,
            transport=TRANSPORTS[transport](),
            max_body_bytes=1 << 20,
            retry=essbasic.Retry(backoff=0.01),  # every fault here is retried to the end
        ) as c:
            with pytest.raises(ValidationError) as verr:
                await c.channel_cancel_flow(Agent=AGENT)  # type: ignore[call-arg]
            assert verr.value.path == "FlowId"
            with pytest.raises(ApiError) as aerr:
                await c.channel_cancel_flow(Agent=AGENT, FlowId="nope")
            assert aerr.value.code == "ResourceNotFound.Flow" and aerr.value.requestId

            async def fault(spec: str) -> None:
                await c.call_json(
                    "DescribeTemplates", {"Agent": AGENT}, headers={"X-Emulator-Fault": spec}
                )

            with pytest.raises(HttpError) as herr:
                await fault("html502")
            assert herr.value.status == 502
            with pytest.raises(ApiError):
                await fault("throttle")
            with pytest.raises(DecodeError):
                await fault("malformed")
            with pytest.raises(DecodeError):
                await fault("oversize_mb=2")
            with pytest.raises((TransportError, DecodeError)):
                await fault("truncate")
            with pytest.raises(TransportError):
                await fault("reset=after")
            assert (await c.describe_templates(Agent=AGENT))["RequestId"]

    run(main)


@pytest.mark.parametrize("transport", list(TRANSPORTS))
def test_timeout(emulator: Emulator, transport: str) -> None:
    async def main() -> None:
        async with essbasic.AsyncClient(
            SECRET_ID,
            SECRET_KEY,
            endpoint=emulator.url,
            timeout=0.5,
            retry=False,
            transport=TRANSPORTS[transport](),
        ) as c:
            for spec in ("delay_ms=2000", "slow_body_ms=3000"):
                started = time.monotonic()
                with pytest.raises(TimeoutError) as err:
                    await c.call_json(
                        "DescribeTemplates", {"Agent": AGENT}, headers={"X-Emulator-Fault": spec}
                    )
                assert time.monotonic() - started < 1.6, spec
                assert not err.value.not_sent
            assert (await c.describe_templates(Agent=AGENT))["RequestId"]

    run(main)


def test_connect_refused_is_not_sent() -> None:
    from test_client import free_port

    async def main() -> None:
        for make in TRANSPORTS.values():
            async with essbasic.AsyncClient(
                SECRET_ID,
                SECRET_KEY,
                endpoint=f"http://127.0.0.1:{free_port()}",
                transport=make(),
                retry=essbasic.Retry(backoff=0.01),
            ) as c:
                with pytest.raises(TransportError) as err:
                    await c.describe_templates(Agent=AGENT)
                assert err.value.not_sent and err.value.attempts == 3

    run(main)


@pytest.mark.parametrize("transport", list(TRANSPORTS))
def test_connection_reuse(proxy: CountingProxy, transport: str) -> None:
    async def main() -> None:
        async with essbasic.AsyncClient(
            SECRET_ID, SECRET_KEY, endpoint=proxy.url, transport=TRANSPORTS[transport]()
        ) as c:
            for _ in range(20):
                assert (await c.describe_templates(Agent=AGENT))["RequestId"]

    run(main)
    assert proxy.accepted == 1


def test_concurrent_calls_share_a_bounded_pool(proxy: CountingProxy) -> None:
    async def main() -> None:
        limits = httpx.Limits(max_connections=4)
        async with essbasic.AsyncClient(
            SECRET_ID, SECRET_KEY, endpoint=proxy.url, transport=httpx.AsyncClient(limits=limits)
        ) as c:
            results = await asyncio.gather(*(c.describe_templates(Agent=AGENT) for _ in range(40)))
            assert all(r["RequestId"] for r in results)

    run(main)
    assert 1 <= proxy.accepted <= 4


def test_sessions_passed_in_stay_open(emulator: Emulator) -> None:
    async def main() -> None:
        session = httpx.AsyncClient()
        async with essbasic.AsyncClient(
            SECRET_ID, SECRET_KEY, endpoint=emulator.url, transport=session
        ) as c:
            await c.describe_templates(Agent=AGENT)
        assert not session.is_closed
        await session.aclose()
        aio = aiohttp.ClientSession()
        async with essbasic.AsyncClient(
            SECRET_ID, SECRET_KEY, endpoint=emulator.url, transport=aio
        ) as c:
            assert isinstance(c.transport, AiohttpTransport)
            await c.describe_templates(Agent=AGENT)
        assert not aio.closed
        await aio.close()

    run(main)


class FlakyAsync:
    def __init__(self, error: Exception) -> None:
        self.error = error
        self.sent: List[HttpRequest] = []

    async def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.sent.append(request)
        if len(self.sent) == 1:
            raise self.error
        return HttpResponse(200, [], b'{"Response":{"RequestId":"r"}}')

    async def aclose(self) -> None:
        pass


def test_retries_follow_the_same_rules() -> None:
    async def main() -> None:
        t = FlakyAsync(TransportError("refused", not_sent=True))
        async with essbasic.AsyncClient(
            SECRET_ID, SECRET_KEY, transport=t, retry=essbasic.Retry(backoff=0)
        ) as c:
            assert (await c.channel_cancel_flow(Agent=AGENT, FlowId="f"))["RequestId"] == "r"
        assert len(t.sent) == 2
        t = FlakyAsync(TimeoutError(100))
        async with essbasic.AsyncClient(SECRET_ID, SECRET_KEY, transport=t, retry=3) as c:
            with pytest.raises(TimeoutError):
                await c.channel_cancel_flow(Agent=AGENT, FlowId="f")
        assert len(t.sent) == 1
        t = FlakyAsync(TimeoutError(100))
        async with essbasic.AsyncClient(
            SECRET_ID, SECRET_KEY, transport=t, retry=essbasic.Retry(backoff=0)
        ) as c:
            assert (await c.describe_templates(Agent=AGENT))["RequestId"] == "r"
        assert len(t.sent) == 2

    run(main)


def test_large_answers_are_parsed_off_the_loop() -> None:
    big = (
        b'{"Response":{"Blob":"'
        + b"x" * (2 << 20)
        + b'","N":18446744073709551615,"RequestId":"r"}}'
    )

    class Big:
        async def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
            return HttpResponse(200, [], big)

        async def aclose(self) -> None:
            pass

    async def main() -> None:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.ensure_future(ticker())
        async with essbasic.AsyncClient(SECRET_ID, SECRET_KEY, transport=Big()) as c:
            resp = await c.describe_templates(Agent=AGENT)
        task.cancel()
        assert resp["N"] == 2**64 - 1 and len(resp["Blob"]) == 2 << 20  # type: ignore[typeddict-item]
        assert ticks > 0

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run(main)
