"""Issue #10: every request carries ``X-TC-TraceId`` (a fresh UUID, or the caller's
``trace_id=``), errors and results expose it (``err.trace_id``, :func:`essbasic.response_meta`),
one DEBUG record per attempt on the ``essbasic`` logger with bodies redacted by the core, and
hooks (``before_send``, ``after_receive``, ``on_retry``, ``on_error``) in order."""

from __future__ import annotations

import asyncio
import copy
import logging
import pickle
import re
import time
import uuid
from typing import Any, Dict, Iterator, List, Optional, Tuple

import essbasic
import pytest
from conftest import AGENT, SECRET_ID, SECRET_KEY, Emulator, StubServer
from essbasic.errors import ApiError, HttpError, TransportError, ValidationError
from essbasic.transport import HttpRequest, HttpResponse

TOKEN = "observability-token-must-not-leak"
MOBILE = "13912345678"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """An emulator with faults on demand and a temporary key pair (a token is required)."""
    e = Emulator("--faults", "--token", TOKEN)
    yield e
    e.close()


class Recorder:
    """A transport that answers like the service and keeps the requests."""

    def __init__(self, answers: Optional[List[Any]] = None) -> None:
        self.sent: List[HttpRequest] = []
        self.answers = answers or []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.sent.append(request)
        if self.answers:
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer  # type: ignore[no-any-return]
        return HttpResponse(200, [], b'{"Response":{"FlowId":"f","RequestId":"r-ok"}}')

    def close(self) -> None:
        pass

    def trace_ids(self) -> List[str]:
        return [dict(r.headers)["X-TC-TraceId"] for r in self.sent]


# --- trace ids ---------------------------------------------------------------------------------


def test_every_request_carries_a_trace_id() -> None:
    t = Recorder()
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t)
    resp = c.channel_cancel_flow(Agent=AGENT, FlowId="f")
    c.invoke("DescribeTemplates", {"Agent": AGENT})
    c.call_json("DescribeTemplates", {"Agent": AGENT})
    c.call("DescribeTemplates", {"Agent": AGENT})
    c.DescribeTemplates({"Agent": AGENT})
    ids = t.trace_ids()
    assert len(ids) == 5 and len(set(ids)) == 5
    assert all(UUID4.match(i) for i in ids), ids
    assert essbasic.response_meta(resp).trace_id == ids[0]


def test_a_caller_supplied_trace_id() -> None:
    t = Recorder()
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t)
    resp = c.channel_cancel_flow(Agent=AGENT, FlowId="f", trace_id="order-42")
    assert essbasic.response_meta(resp).trace_id == "order-42"
    c.invoke("DescribeTemplates", {"Agent": AGENT}, trace_id="inv-1")
    c.call_json("DescribeTemplates", {"Agent": AGENT}, trace_id="json-1")
    c.call("DescribeTemplates", {"Agent": AGENT}, trace_id="raw-1")
    c.call_json("DescribeTemplates", {"Agent": AGENT}, headers={"X-TC-TraceId": "hdr-1"})
    assert t.trace_ids() == ["order-42", "inv-1", "json-1", "raw-1", "hdr-1"]


def test_one_trace_id_for_every_attempt_of_a_call() -> None:
    t = Recorder([TransportError("refused", not_sent=True)] * 2)
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t, retry=essbasic.Retry(backoff=0))
    resp = c.describe_templates(Agent=AGENT)
    ids = t.trace_ids()
    assert len(ids) == 3 and len(set(ids)) == 1
    meta = essbasic.response_meta(resp)
    assert (meta.trace_id, meta.attempts, meta.status) == (ids[0], 3, 200)


def test_errors_carry_the_trace_id(emu: Emulator) -> None:
    with essbasic.Client(SECRET_ID, SECRET_KEY, token=TOKEN, endpoint=emu.url) as c:
        with pytest.raises(ApiError) as api:
            c.channel_cancel_flow(Agent=AGENT, FlowId="nope", trace_id="trace-api")
        e = api.value
        assert (e.trace_id, e.traceId, e.get_trace_id()) == ("trace-api",) * 3
        assert e.attempts == 1 and e.requestId and "trace-api" in repr(e)
        # The official str() format is kept.
        assert str(e).startswith("[TencentCloudSDKException] code:ResourceNotFound.Flow")

        with pytest.raises(HttpError) as http:
            c.call_json(
                "ChannelCancelFlow",
                {"Agent": AGENT, "FlowId": "f"},
                headers={"X-Emulator-Fault": "html502"},
            )
        assert UUID4.match(http.value.trace_id or "")

        with pytest.raises(ValidationError) as invalid:
            c.channel_cancel_flow(Agent=AGENT, trace_id="trace-invalid")  # type: ignore[call-arg]
        assert invalid.value.trace_id == "trace-invalid" and invalid.value.attempts == 0

    t = Recorder([TransportError("reset")])
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t)
    with pytest.raises(TransportError) as transport:
        c.channel_cancel_flow(Agent=AGENT, FlowId="f")
    assert transport.value.trace_id == t.trace_ids()[0]


def test_errors_pickle_with_their_trace_id() -> None:
    e = ApiError("InternalError", "boom", "r-1")
    e.trace_id, e.attempts = "t-1", 2
    again = pickle.loads(pickle.dumps(e))
    assert (again.trace_id, again.attempts, again.code) == ("t-1", 2, "InternalError")


# --- results -----------------------------------------------------------------------------------


def test_response_meta(emu: Emulator) -> None:
    with essbasic.Client(SECRET_ID, SECRET_KEY, token=TOKEN, endpoint=emu.url) as c:
        resp = c.describe_templates(Agent=AGENT, Limit=1)
        meta = essbasic.response_meta(resp)
        assert meta.action == "DescribeTemplates" and meta.request_id == resp["RequestId"]
        assert meta.status == 200 and meta.attempts == 1 and 0 < meta.duration < 5
        assert any(k.lower() == "date" for k, _ in meta.headers)
        assert resp.meta is meta  # type: ignore[attr-defined]
        compat = c.DescribeTemplates({"Agent": AGENT})
        assert essbasic.response_meta(compat).request_id == compat.RequestId
        envelope = c.call_json("DescribeTemplates", {"Agent": AGENT})
        assert essbasic.response_meta(envelope["Response"]).attempts == 1
    # Copies and pickles are plain data; a plain dict has no meta.
    for plain in (copy.copy(resp), pickle.loads(pickle.dumps(resp)), dict(resp)):
        assert plain == resp
        with pytest.raises(ValueError):
            essbasic.response_meta(plain)
    assert type(pickle.loads(pickle.dumps(compat))) is essbasic.AttrDict


# --- the debug log ------------------------------------------------------------------------------


def _approver() -> Dict[str, Any]:
    return {
        "ApproverType": "PERSON",
        "Name": "张三丰",
        "Mobile": MOBILE,
        "ApproverRoleName": "乙方",
    }


def test_a_debug_log_of_a_full_call_holds_no_secret(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="essbasic")
    with essbasic.Client(SECRET_ID, SECRET_KEY, token=TOKEN, endpoint=emu.url) as c:
        up = c.upload_files(("c.pdf", b"%PDF-1.7 log test"), business_type="DOCUMENT", agent=AGENT)
        created = c.channel_create_flow_by_files(
            Agent=AGENT,
            FlowName="租房合同",
            FileIds=up["FileIds"],
            FlowApprovers=[_approver()],  # type: ignore[list-item]
            Deadline=int(time.time()) + 86400,
            trace_id="trace-log",
        )
        detail = c.describe_flow_detail_info(Agent=AGENT, FlowIds=[created["FlowId"]])
        assert detail["FlowInfo"][0]["FlowApproverInfos"][0]["Mobile"] == MOBILE
        with pytest.raises(ApiError):
            c.channel_cancel_flow(Agent=AGENT, FlowId="nope")
    # The same with the legacy signature, whose token and signature travel in the body.
    with essbasic.Client(
        SECRET_ID, SECRET_KEY, token=TOKEN, endpoint=emu.url, sign_method="HmacSHA256"
    ) as c:
        c.describe_flow_detail_info(Agent=AGENT, FlowIds=[created["FlowId"]])
    with essbasic.Client(
        SECRET_ID, SECRET_KEY, token=TOKEN, endpoint=emu.url, http_method="GET"
    ) as c:
        c.describe_flow_detail_info(Agent=AGENT, FlowIds=[created["FlowId"]])

    records = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert len(records) == 6  # one per attempt
    text = caplog.text
    for secret in (SECRET_KEY, TOKEN, MOBILE):
        assert secret not in text, secret
    # Masked by the core's rule, not dropped.
    assert '"Mobile":"139****5678"' in text and '"Name":"张**"' in text
    create = next(r for r in records if r.essbasic["action"] == "ChannelCreateFlowByFiles")  # type: ignore[attr-defined]
    fields = create.essbasic  # type: ignore[attr-defined]
    assert fields["trace_id"] == "trace-log" and fields["attempt"] == 1
    assert fields["status"] == 200 and fields["request_id"] == created["RequestId"]
    assert fields["host"] == emu.url.split("//")[1] and fields["duration_ms"] >= 0
    message = create.getMessage()
    for part in ("attempt=1", "status=200", f"request_id={created['RequestId']}", "trace-log"):
        assert part in message
    assert '"FlowName":"租房合同"' in message  # what is not personal data stays readable
    failed = next(r for r in records if r.essbasic["error"])  # type: ignore[attr-defined]
    assert failed.essbasic["error"] == "ResourceNotFound.Flow"  # type: ignore[attr-defined]


def test_log_bodies_are_cut_to_the_configured_size(
    stub: StubServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="essbasic")
    stub.body = b'{"Response":{"Blob":"' + b"y" * 5000 + b'","RequestId":"r"}}'
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=stub.url, log_body_bytes=100) as c:
        c.describe_templates(Agent=AGENT)
    message = caplog.records[-1].getMessage()
    assert "bytes in all" in message and "y" * 200 not in message


def test_nothing_is_formatted_when_debug_is_off(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="essbasic")

    def boom(*args: Any) -> str:
        raise AssertionError("redact_body called with DEBUG off")

    monkeypatch.setattr(essbasic._core, "redact_body", boom)
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=Recorder())
    assert c.describe_templates(Agent=AGENT)["RequestId"] == "r-ok"
    assert not [r for r in caplog.records if r.levelno == logging.DEBUG]


# --- hooks ---------------------------------------------------------------------------------------


Event = Tuple[str, int, Optional[int], Optional[str]]


def _recording(events: List[Event], contexts: List[essbasic.HookContext]) -> Dict[str, Any]:
    def hook(ctx: essbasic.HookContext) -> None:
        contexts.append(ctx)
        events.append((ctx.stage, ctx.attempt, ctx.status, ctx.error.code if ctx.error else None))

    return {name: hook for name in ("before_send", "after_receive", "on_retry", "on_error")}


RETRIED: List[Event] = [
    ("before_send", 1, None, None),
    ("after_receive", 1, 503, "InternalError"),
    ("on_retry", 1, 503, "InternalError"),
    ("before_send", 2, None, None),
    ("after_receive", 2, 200, None),
]
FAILED: List[Event] = [
    ("before_send", 1, None, None),
    ("after_receive", 1, 502, "HttpError"),
    ("on_error", 1, 502, "HttpError"),
]


def test_hooks_fire_in_order_under_a_retry(emu: Emulator) -> None:
    events: List[Event] = []
    contexts: List[essbasic.HookContext] = []
    with essbasic.Client(
        SECRET_ID,
        SECRET_KEY,
        token=TOKEN,
        endpoint=emu.url,
        retry=essbasic.Retry(backoff=0.02),
        hooks=_recording(events, contexts),
    ) as c:
        fault = {"X-Emulator-Fault": f"status=503;times=1;key={uuid.uuid4()}"}
        resp = c.call_json("DescribeTemplates", {"Agent": AGENT}, headers=fault, trace_id="hooked")
        assert events == RETRIED
        assert {ctx.trace_id for ctx in contexts} == {"hooked"}
        assert contexts[2].delay is not None and 0.01 <= contexts[2].delay <= 0.02
        assert contexts[4].request_id == resp["Response"]["RequestId"]
        assert contexts[1].request_id  # the API error's RequestId
        assert all(ctx.duration is not None for ctx in contexts[1:3])
        assert contexts[0].duration is None
        assert contexts[-1].elapsed >= contexts[0].elapsed
        assert "Authorization" not in repr(contexts[0]) and TOKEN not in repr(contexts[0].request)

        events.clear()
        with pytest.raises(HttpError):
            c.call_json(
                "ChannelCancelFlow",
                {"Agent": AGENT, "FlowId": "f"},
                headers={"X-Emulator-Fault": "html502"},
            )
        assert events == FAILED


def test_async_hooks_may_be_coroutines(emu: Emulator) -> None:
    events: List[Event] = []

    async def main() -> None:
        async def hook(ctx: essbasic.HookContext) -> None:
            await asyncio.sleep(0)
            events.append(
                (ctx.stage, ctx.attempt, ctx.status, ctx.error.code if ctx.error else None)
            )

        def sync_hook(ctx: essbasic.HookContext) -> None:
            events.append(
                (ctx.stage, ctx.attempt, ctx.status, ctx.error.code if ctx.error else None)
            )

        hooks = {
            "before_send": hook,
            "after_receive": sync_hook,
            "on_retry": hook,
            "on_error": hook,
        }
        async with essbasic.AsyncClient(
            SECRET_ID,
            SECRET_KEY,
            token=TOKEN,
            endpoint=emu.url,
            retry=essbasic.Retry(backoff=0.02),
            hooks=hooks,
        ) as c:
            fault = {"X-Emulator-Fault": f"status=503;times=1;key={uuid.uuid4()}"}
            await c.call_json("DescribeTemplates", {"Agent": AGENT}, headers=fault)
            assert events == RETRIED
            events.clear()
            with pytest.raises(HttpError):
                await c.call_json(
                    "ChannelCancelFlow",
                    {"Agent": AGENT, "FlowId": "f"},
                    headers={"X-Emulator-Fault": "html502"},
                )
            assert events == FAILED

    asyncio.run(main())


def test_before_send_may_add_headers(stub: StubServer) -> None:
    def before_send(ctx: essbasic.HookContext) -> None:
        ctx.add_header("X-Request-Source", f"{ctx.action}#{ctx.attempt}")
        for name in ("Authorization", "X-TC-Timestamp", "Host"):
            with pytest.raises(ValueError):
                ctx.add_header(name, "x")

    def after_receive(ctx: essbasic.HookContext) -> None:
        with pytest.raises(RuntimeError):
            ctx.add_header("X-Late", "1")

    hooks = {"before_send": before_send, "after_receive": after_receive}
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=stub.url, hooks=hooks) as c:
        c.describe_templates(Agent=AGENT)
    assert stub.requests[-1]["headers"]["X-Request-Source"] == "DescribeTemplates#1"


def test_hook_options_are_checked() -> None:
    with pytest.raises(ValueError):
        essbasic.Client(SECRET_ID, SECRET_KEY, hooks={"before_sending": print})
    with pytest.raises(TypeError):
        essbasic.Client(SECRET_ID, SECRET_KEY, hooks={"on_error": 42})  # type: ignore[dict-item]
    c = essbasic.Client(SECRET_ID, SECRET_KEY)
    assert c.with_options(hooks={"on_error": print}).settings.hooks.on_error is print
    assert c.settings.hooks.on_error is None


def test_a_failing_hook_propagates() -> None:
    def before_send(ctx: essbasic.HookContext) -> None:
        raise KeyError("stop")

    t = Recorder()
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t, hooks={"before_send": before_send})
    with pytest.raises(KeyError):
        c.describe_templates(Agent=AGENT)
    assert not t.sent
