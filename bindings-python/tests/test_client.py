"""The synchronous client end to end against the emulator: every action, the contract
lifecycle, error mapping, retries, connection reuse, timeouts, and secrets kept out of
everything printable."""

from __future__ import annotations

import builtins
import json
import logging
import socket
import threading
import time
import traceback
import warnings
from typing import Any, Dict, List

import essbasic
import httpx
import pytest
import requests
from conftest import (
    AGENT,
    SECRET_ID,
    SECRET_KEY,
    CountingProxy,
    Emulator,
    StubServer,
    load_spec,
    synthesize,
)
from essbasic import models
from essbasic.errors import (
    ApiError,
    DecodeError,
    HttpError,
    SigningError,
    TencentCloudSDKException,
    TimeoutError,
    TransportError,
    ValidationError,
)
from essbasic.models import METHOD_NAMES
from essbasic.transport import HttpRequest, HttpResponse, SocketTransport, StdlibTransport

SPEC = load_spec()
ACTIONS = sorted(SPEC["actions"])


def response_keys(action: str) -> set:
    td = getattr(models, SPEC["actions"][action]["output"])
    return set(td.__required_keys__) | set(td.__optional_keys__)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# --- every action ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stateless_client(stateless_emulator: Emulator) -> Any:
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=stateless_emulator.url) as c:
        yield c


def test_there_are_101_actions() -> None:
    assert len(ACTIONS) == 101
    assert len(essbasic._core.actions()) == 101
    assert set(METHOD_NAMES) == set(ACTIONS)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action(stateless_client: essbasic.Client, action: str) -> None:
    params = synthesize(SPEC, SPEC["actions"][action]["input"])
    resp = getattr(stateless_client, METHOD_NAMES[action])(**params)
    assert isinstance(resp, essbasic.Result) and isinstance(resp, dict)
    assert essbasic.response_meta(resp).request_id == resp["RequestId"]
    assert isinstance(resp["RequestId"], str) and resp["RequestId"]
    assert set(resp) <= response_keys(action), set(resp) - response_keys(action)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_action_in_the_official_shape(stateless_client: essbasic.Client) -> None:
    for action in ACTIONS:
        params = synthesize(SPEC, SPEC["actions"][action]["input"])
        resp = getattr(stateless_client, action)(params)
        assert isinstance(resp, essbasic.AttrDict)
        assert resp.RequestId == resp["RequestId"]
        assert json.loads(resp.to_json_string())["RequestId"] == resp.RequestId
        envelope = stateless_client.call_json(action, params)
        assert set(envelope) == {"Response"} and envelope["Response"]["RequestId"]


# --- the contract lifecycle ----------------------------------------------------------------


APPROVER = {
    "ApproverType": "PERSON",
    "Name": "张三",
    "Mobile": "13200000000",
    "ApproverRoleName": "乙方",
}


def test_contract_lifecycle(client: essbasic.Client, emulator: Emulator) -> None:
    created_before = emulator.effect("flows_created")
    cancelled_before = emulator.effect("flows_cancelled")

    up = client.upload_files(
        Agent=AGENT,
        BusinessType="DOCUMENT",
        FileInfos=[{"FileBody": "JVBERi0xLjQ=", "FileName": "contract.pdf"}],
    )
    assert up.get("TotalCount") == 1
    file_id = up["FileIds"][0]

    task = client.create_file_convert_task(
        Agent=AGENT, ResourceType="docx", ResourceName="a.docx", ResourceId=file_id
    )["TaskId"]
    for _ in range(10):
        done = client.describe_file_convert_task(Agent=AGENT, TaskId=task)
        if done.get("TaskStatus") == 8:
            break
    assert done["TaskStatus"] == 8
    pdf = done["ResourceId"]

    created = client.channel_create_flow_by_files(
        Agent=AGENT,
        FlowName="劳动合同",
        FileIds=[pdf],
        FlowApprovers=[APPROVER],
        Deadline=int(time.time()) + 86400,
        CustomerData="abc",
    )
    flow = created["FlowId"]
    assert len(created["Approvers"]) == 1

    info = client.describe_flow_detail_info(Agent=AGENT, FlowIds=[flow])["FlowInfo"][0]
    assert (info["FlowId"], info["FlowName"], info["FlowStatus"]) == (flow, "劳动合同", "INIT")

    urls = client.channel_create_flow_sign_url(Agent=AGENT, FlowId=flow)
    assert urls["FlowApproverUrlInfos"][0]["SignUrl"].startswith("https://")

    client.channel_cancel_flow(Agent=AGENT, FlowId=flow, CancelMessage="写错了")
    info = client.describe_flow_detail_info(Agent=AGENT, FlowIds=[flow])["FlowInfo"][0]
    assert info["FlowStatus"] == "CANCEL"

    with pytest.raises(ApiError) as err:
        client.channel_cancel_flow(Agent=AGENT, FlowId=flow)
    assert err.value.code == "OperationDenied.FlowStatusForbid"
    assert err.value.get_request_id()

    assert emulator.effect("flows_created") == created_before + 1
    assert emulator.effect("flows_cancelled") == cancelled_before + 1


# --- errors ------------------------------------------------------------------------------------


def test_validation_errors_send_nothing(client: essbasic.Client, emulator: Emulator) -> None:
    before = emulator.stats()["requests"]
    with pytest.raises(ValidationError) as err:
        client.channel_cancel_flow(Agent=AGENT)  # type: ignore[call-arg]
    e = err.value
    assert (e.action, e.path, e.code) == ("ChannelCancelFlow", "FlowId", "ValidationError")
    assert isinstance(e, ValueError) and isinstance(e, TencentCloudSDKException)

    bad = dict(APPROVER, ApproverType=3)
    with pytest.raises(ValidationError) as err:
        client.channel_create_flow_by_files(
            Agent=AGENT,
            FlowName="n",
            FlowApprovers=[bad],  # type: ignore[list-item]
        )
    assert err.value.path == "FlowApprovers[0].ApproverType"

    with pytest.raises(ValidationError) as err:
        client.invoke("NoSuchAction", {})
    assert err.value.action == "NoSuchAction"

    with pytest.raises(ValidationError):
        client.call_json("DescribeTemplates", {"Agent": AGENT, "Limit": float("nan")})
    with pytest.raises(ValidationError):
        client.call_json("DescribeTemplates", {"Agent": AGENT, "Limit": object()})
    with pytest.raises(ValidationError) as err:
        client.with_options(strict=True).call_json(
            "DescribeTemplates", {"Agent": AGENT, "NotInTheSpec": 1}
        )
    assert err.value.path == "NotInTheSpec"
    assert emulator.stats()["requests"] == before


def test_api_errors(client: essbasic.Client) -> None:
    with pytest.raises(ApiError) as err:
        client.channel_cancel_flow(Agent=AGENT, FlowId="nope")
    e = err.value
    assert e.code == e.get_code() == "ResourceNotFound.Flow"
    assert e.message == e.get_message() and "nope" in (e.message or "")
    assert e.requestId and e.request_id == e.requestId == e.get_request_id()
    assert (
        str(e)
        == f"[TencentCloudSDKException] code:{e.code} message:{e.message} requestId:{e.requestId}"
    )


def test_wrong_key_is_an_auth_failure(emulator: Emulator) -> None:
    with essbasic.Client(SECRET_ID, "not-the-key", endpoint=emulator.url) as c:
        with pytest.raises(ApiError) as err:
            c.describe_templates(Agent=AGENT)
    assert err.value.code == "AuthFailure.SignatureFailure"


@pytest.mark.parametrize(
    "fault, kind, check",
    [
        ("status=503", ApiError, lambda e: e.code == "InternalError"),
        ("throttle", ApiError, lambda e: e.code == "RequestLimitExceeded"),
        ("html502", HttpError, lambda e: e.status == 502 and "Bad Gateway" in e.body_excerpt),
        ("malformed", DecodeError, lambda e: e.code == "DecodeError"),
        ("truncate", TransportError, lambda e: not e.not_sent),
        ("reset=before", TransportError, lambda e: not e.not_sent),
        ("reset=after", TransportError, lambda e: not e.not_sent),
        ("oversize_mb=2", DecodeError, lambda e: "limit" in (e.message or "")),
    ],
)
def test_fault_mapping(emulator: Emulator, fault: str, kind: type, check: Any) -> None:
    with essbasic.Client(
        SECRET_ID,
        SECRET_KEY,
        endpoint=emulator.url,
        max_body_bytes=1 << 20,
        timeout=10,
        retry=essbasic.Retry(backoff=0.01),
    ) as c:
        with pytest.raises(kind) as err:
            c.call_json("DescribeTemplates", {"Agent": AGENT}, headers={"X-Emulator-Fault": fault})
        assert check(err.value), repr(err.value)
        assert isinstance(err.value, TencentCloudSDKException)
        # The client stays usable after any failure.
        assert c.describe_templates(Agent=AGENT)["RequestId"]


def test_content_type_does_not_decide(client: essbasic.Client) -> None:
    hdr = {"X-Emulator-Fault": "content_type=text/html"}
    with pytest.raises(ApiError) as err:
        client.call_json("ChannelCancelFlow", {"Agent": AGENT, "FlowId": "nope"}, headers=hdr)
    assert err.value.code == "ResourceNotFound.Flow"
    assert client.call_json("DescribeTemplates", {"Agent": AGENT}, headers=hdr)["Response"]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "text/plain",
        "text/html",
    ],
)
def test_api_error_whatever_the_charset(stub: StubServer, content_type: str) -> None:
    stub.content_type = content_type
    stub.body = json.dumps(
        {"Response": {"Error": {"Code": "OperationDenied", "Message": "非法"}, "RequestId": "r-1"}},
        ensure_ascii=False,
    ).encode()
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=stub.url) as c:
        with pytest.raises(ApiError) as err:
            c.channel_cancel_flow(Agent=AGENT, FlowId="f")
    assert (err.value.code, err.value.message, err.value.requestId) == (
        "OperationDenied",
        "非法",
        "r-1",
    )


def test_integers_stay_exact(stub: StubServer) -> None:
    big, small = 2**64 - 1, -(2**63)
    stub.body = b'{"Response":{"A":%d,"B":%d,"C":9007199254740993,"RequestId":"r"}}' % (big, small)
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=stub.url) as c:
        resp = c.invoke("DescribeTemplates", {"Agent": AGENT, "Limit": 2**63 - 1})
        assert (resp["A"], resp["B"], resp["C"]) == (big, small, 9007199254740993)
        assert b'"Limit":9223372036854775807' in stub.requests[-1]["body"]
        compat = c.DescribeTemplates({"Agent": AGENT})
        assert compat.A == big


def test_connect_refused_is_not_sent() -> None:
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=f"http://127.0.0.1:{free_port()}") as c:
        with pytest.raises(TransportError) as err:
            c.describe_templates(Agent=AGENT)
    assert err.value.not_sent and isinstance(err.value, ConnectionError)


# --- timeouts ----------------------------------------------------------------------------------


def _transports() -> List[Any]:
    return [None, StdlibTransport(), requests.Session(), httpx.Client()]


@pytest.mark.parametrize(
    "transport", _transports(), ids=["socket", "http.client", "requests", "httpx"]
)
def test_timeout(emulator: Emulator, transport: Any) -> None:
    with essbasic.Client(
        SECRET_ID, SECRET_KEY, endpoint=emulator.url, timeout=0.5, transport=transport, retry=False
    ) as c:
        started = time.monotonic()
        with pytest.raises(TimeoutError) as err:
            c.call_json(
                "DescribeTemplates", {"Agent": AGENT}, headers={"X-Emulator-Fault": "delay_ms=2000"}
            )
        assert time.monotonic() - started < 1.8
        assert isinstance(err.value, builtins.TimeoutError)
        assert err.value.after_ms == 500 and not err.value.not_sent
        assert c.describe_templates(Agent=AGENT)["RequestId"]


def test_timeout_covers_the_whole_answer(emulator: Emulator) -> None:
    with essbasic.Client(
        SECRET_ID, SECRET_KEY, endpoint=emulator.url, timeout=1.0, retry=False
    ) as c:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            c.call_json(
                "DescribeTemplates",
                {"Agent": AGENT},
                headers={"X-Emulator-Fault": "slow_body_ms=4000"},
            )
        assert time.monotonic() - started < 2.5


# --- connection reuse ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "transport", _transports(), ids=["socket", "http.client", "requests", "httpx"]
)
def test_connection_reuse(proxy: CountingProxy, transport: Any) -> None:
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=proxy.url, transport=transport) as c:
        for _ in range(20):
            assert c.describe_templates(Agent=AGENT)["RequestId"]
    assert proxy.accepted == 1


POOLED = [SocketTransport, StdlibTransport]


@pytest.mark.parametrize("kind", POOLED)
def test_threads_share_the_pool(proxy: CountingProxy, kind: Any) -> None:
    transport = kind(pool_maxsize=4)
    errors: List[BaseException] = []
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=proxy.url, transport=transport) as c:

        def work() -> None:
            try:
                for _ in range(10):
                    c.describe_templates(Agent=AGENT)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert transport.opened <= 4 and transport.opened + transport.reused == 40
    assert proxy.accepted == transport.opened


@pytest.mark.parametrize("kind", POOLED)
def test_a_connection_closed_by_the_server_is_not_reused(stub: StubServer, kind: Any) -> None:
    stub.idle_close = 0.1  # the server drops idle keep-alive connections after 0.1 s
    transport = kind()
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=stub.url, transport=transport) as c:
        for _ in range(3):
            assert c.describe_templates(Agent=AGENT)["RequestId"] == "stub"
            time.sleep(0.3)
    assert transport.opened == 3 and transport.reused == 0


# --- retries -----------------------------------------------------------------------------------


def test_reads_are_retried(emulator: Emulator) -> None:
    before = emulator.stats()
    with essbasic.Client(
        SECRET_ID, SECRET_KEY, endpoint=emulator.url, retry=essbasic.Retry(backoff=0.01)
    ) as c:
        hdr = {"X-Emulator-Fault": f"throttle;times=1;key=read-{time.time()}"}
        assert c.call_json("DescribeTemplates", {"Agent": AGENT}, headers=hdr)["Response"]
    after = emulator.stats()
    assert after["requests"] == before["requests"] + 2
    assert after["faults"]["throttle"] == before["faults"].get("throttle", 0) + 1


def test_writes_are_not_resent_once_they_may_have_arrived(emulator: Emulator) -> None:
    created = emulator.effect("flows_created")
    before = emulator.requests("ChannelCreateFlowByFiles")
    up = essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=emulator.url).upload_files(
        Agent=AGENT,
        BusinessType="DOCUMENT",
        FileInfos=[{"FileBody": "JVBERi0xLjQ=", "FileName": "c.pdf"}],
    )
    params = {
        "Agent": AGENT,
        "FlowName": "n",
        "FileIds": up["FileIds"],
        "FlowApprovers": [APPROVER],
    }
    with essbasic.Client(
        SECRET_ID,
        SECRET_KEY,
        endpoint=emulator.url,
        retry=essbasic.Retry(max_attempts=5, backoff=0.01),
    ) as c:
        hdr = {"X-Emulator-Fault": f"reset=after;times=1;key=write-{time.time()}"}
        with pytest.raises(TransportError):
            c.call_json("ChannelCreateFlowByFiles", params, headers=hdr)
    # The contract was created once, and the request was not sent again.
    assert emulator.effect("flows_created") == created + 1
    assert emulator.requests("ChannelCreateFlowByFiles") == before + 1


class FlakyTransport:
    """Fails the first ``failures`` sends with ``error``, then answers like the service."""

    def __init__(self, error: Exception, failures: int = 1) -> None:
        self.error = error
        self.failures = failures
        self.sent: List[HttpRequest] = []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        self.sent.append(request)
        if len(self.sent) <= self.failures:
            raise self.error
        return HttpResponse(200, [], b'{"Response":{"FlowId":"f","RequestId":"r"}}')

    def close(self) -> None:
        pass


def test_a_write_that_never_left_is_retried() -> None:
    t = FlakyTransport(TransportError("connection refused", not_sent=True))
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t, retry=essbasic.Retry(backoff=0))
    assert c.channel_cancel_flow(Agent=AGENT, FlowId="f")["RequestId"] == "r"
    assert len(t.sent) == 2
    # Each attempt is signed anew, under the one trace id of the call.
    ids = [dict(r.headers)["X-TC-TraceId"] for r in t.sent]
    assert ids[0] == ids[1]


def test_a_write_that_may_have_arrived_is_not_retried() -> None:
    t = FlakyTransport(TimeoutError(500))
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t, retry=5)
    with pytest.raises(TimeoutError):
        c.channel_cancel_flow(Agent=AGENT, FlowId="f")
    assert len(t.sent) == 1
    t = FlakyTransport(ApiError("InternalError", "boom"))
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t, retry=5)
    with pytest.raises(ApiError):
        c.channel_cancel_flow(Agent=AGENT, FlowId="f")
    assert len(t.sent) == 1


def test_retries_are_on_by_default() -> None:
    assert essbasic.Client(SECRET_ID, SECRET_KEY).settings.retry == essbasic.DEFAULT_RETRY
    assert essbasic.DEFAULT_RETRY.max_attempts == essbasic._core.RETRY_POLICY_DEFAULT[0] == 3
    t = FlakyTransport(TransportError("refused", not_sent=True), failures=5)
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t)
    with pytest.raises(TransportError) as err:
        c.describe_templates(Agent=AGENT)
    assert len(t.sent) == 3 and err.value.attempts == 3
    for off in (False, essbasic.Retry(max_attempts=1), 1):
        t = FlakyTransport(TransportError("refused", not_sent=True), failures=5)
        c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t, retry=off)
        with pytest.raises(TransportError):
            c.describe_templates(Agent=AGENT)
        assert len(t.sent) == 1, off


def test_retry_decisions_come_from_the_core() -> None:
    r = essbasic.Retry(max_attempts=3, backoff=0.1)
    create, read = "ChannelCreateFlowByFiles", "DescribeFlowDetailInfo"
    for error in (
        TransportError("reset"),
        TimeoutError(500),
        HttpError(503),
        ApiError("InternalError", ""),
        DecodeError("cut"),
    ):
        assert r.decide(create, error, 1, 0.0) is None, error
        assert r.decide(read, error, 1, 0.0) is not None, error
    for error in (TransportError("refused", not_sent=True), ApiError("RequestLimitExceeded", "")):
        delay = r.decide(create, error, 1, 0.0)
        assert delay is not None and 0.05 <= delay <= 0.1
        assert r.decide(create, error, 3, 0.0) is None  # attempts used up
        assert r.decide(create, error, 1, 61.0) is None  # past the deadline
    for error in (ValidationError("x"), ApiError("InvalidParameter", ""), HttpError(400)):
        assert r.decide(read, error, 1, 0.0) is None
    with pytest.raises(ValueError):
        essbasic.Retry(max_attempts=0)


def test_throttled_writes_are_retried(emulator: Emulator) -> None:
    before = emulator.stats()
    with essbasic.Client(
        SECRET_ID, SECRET_KEY, endpoint=emulator.url, retry=essbasic.Retry(backoff=0.01)
    ) as c:
        hdr = {"X-Emulator-Fault": f"throttle;times=1;key=write-{time.time()}"}
        up = c.call_json(
            "UploadFiles",
            {
                "Agent": AGENT,
                "BusinessType": "DOCUMENT",
                "FileInfos": [{"FileBody": "JVBERi0xLjQ=", "FileName": "c.pdf"}],
            },
            headers=hdr,
        )
        assert up["Response"]["FileIds"]
    after = emulator.stats()
    assert after["requests"] == before["requests"] + 2
    assert after["side_effects"]["files_uploaded"] == before["side_effects"]["files_uploaded"] + 1


def test_a_wrong_clock_is_corrected_once(tmp_path: Any) -> None:
    skewed = Emulator("--clock-skew-s", "3600")
    try:
        with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=skewed.url) as c:
            assert c.describe_templates(Agent=AGENT)["RequestId"]
            assert 3590 <= c._clock_offset <= 3610
            assert c.describe_templates(Agent=AGENT)["RequestId"]
        stats = skewed.stats()
        assert stats["requests"] == 3
        assert stats["errors"].get("AuthFailure.SignatureExpire") == 1
    finally:
        skewed.close()


# --- configuration -------------------------------------------------------------------------


def test_credentials_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, stub: StubServer
) -> None:
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDfromTheEnvironment01")
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "key-from-the-environment")
    monkeypatch.setenv("TENCENTCLOUD_SESSION_TOKEN", "token-from-the-environment")
    monkeypatch.setenv("TENCENTCLOUD_REGION", "ap-guangzhou")
    with essbasic.Client(endpoint=stub.url) as c:
        assert c.secret_id == "AKIDfromTheEnvironment01"
        c.describe_templates(Agent=AGENT)
    headers = stub.requests[-1]["headers"]
    assert "Credential=AKIDfromTheEnvironment01/" in headers["Authorization"]
    assert headers["X-TC-Token"] == "token-from-the-environment"
    assert headers["X-TC-Region"] == "ap-guangzhou"
    monkeypatch.delenv("TENCENTCLOUD_SECRET_KEY")
    with pytest.raises(SigningError):
        essbasic.Client()


def test_credential_provider_is_asked_each_time(stub: StubServer) -> None:
    class Rotating:
        n = 0

        def get_credential_info(self) -> Any:
            self.n += 1
            return (f"AKIDrotating{self.n:08d}", "rotating-key", None)

    provider = Rotating()
    with essbasic.Client(credential=provider, endpoint=stub.url) as c:
        c.describe_templates(Agent=AGENT)
        c.describe_templates(Agent=AGENT)
    assert "AKIDrotating00000002/" in stub.requests[-1]["headers"]["Authorization"]


def test_headers_trace_id_language_and_request_client(stub: StubServer) -> None:
    with essbasic.Client(
        SECRET_ID, SECRET_KEY, endpoint=stub.url, language="en-US", headers={"X-Extra": "1"}
    ) as c:
        c.call_json("DescribeTemplates", {"Agent": AGENT}, headers={"X-TC-TraceId": "trace-1"})
        first = stub.requests[-1]["headers"]
        c.describe_templates(Agent=AGENT)
        second = stub.requests[-1]["headers"]
    assert first["X-TC-TraceId"] == "trace-1" and first["X-Extra"] == "1"
    assert first["X-TC-Language"] == "en-US"
    assert first["X-TC-RequestClient"].startswith("essbasic-python/")
    assert len(second["X-TC-TraceId"]) == 36


@pytest.mark.parametrize(
    "sign_method, http_method",
    [("TC3-HMAC-SHA256", "GET"), ("HmacSHA256", "POST"), ("HmacSHA1", "GET")],
)
def test_other_signatures_and_methods(
    emulator: Emulator, sign_method: str, http_method: str
) -> None:
    with essbasic.Client(
        SECRET_ID,
        SECRET_KEY,
        endpoint=emulator.url,
        sign_method=sign_method,
        http_method=http_method,
    ) as c:
        resp = c.describe_templates(Agent=AGENT, Limit=5, WithPreviewUrl=True)
        assert resp["RequestId"]
        with pytest.raises(ApiError) as err:
            c.channel_cancel_flow(Agent=AGENT, FlowId="nope", CancelMessage="a b&c=d/测试")
        assert err.value.code == "ResourceNotFound.Flow"


def test_bad_configuration() -> None:
    with pytest.raises(SigningError):
        essbasic.Client(SECRET_ID, SECRET_KEY, endpoint="ftp://x").describe_templates(Agent=AGENT)
    with pytest.raises(SigningError):
        essbasic.Client(SECRET_ID, SECRET_KEY, sign_method="MD5").describe_templates(Agent=AGENT)
    with pytest.raises(ValueError):
        essbasic.Client(SECRET_ID, SECRET_KEY, language="fr-FR")
    with pytest.raises(TypeError):
        essbasic.Client(SECRET_ID, SECRET_KEY, transport=object())


def test_official_shapes(client: essbasic.Client) -> None:
    class Req:
        """An official-SDK-like model object."""

        headers = {"X-TC-TraceId": "from-the-model"}  # noqa: RUF012

        def _serialize(self) -> Dict[str, Any]:
            return {"Agent": AGENT, "Limit": 1}

    resp = client.DescribeTemplates(Req())
    assert resp.RequestId and resp.NotAMember is None
    assert isinstance(resp.Templates, list)
    body = client.call("DescribeTemplates", {"Agent": AGENT})
    assert isinstance(body, bytes) and json.loads(body)["Response"]["RequestId"]
    with pytest.raises(ValidationError):
        client.DescribeTemplates(42)  # type: ignore[arg-type]


def test_deprecated_actions_warn(stateless_client: essbasic.Client) -> None:
    params = synthesize(SPEC, "ChannelGetTaskResultApiRequest")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stateless_client.channel_get_task_result_api(**params)
    assert any("DescribeFileConvertTask" in str(w.message) for w in caught)


# --- secrets -----------------------------------------------------------------------------------


TOKEN = "session-token-must-not-leak"


def _printable(exc: BaseException) -> str:
    return "\n".join(
        [str(exc), repr(exc), *traceback.format_exception(type(exc), exc, exc.__traceback__)]
    )


def test_secrets_are_never_printed(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="essbasic")
    seen: List[str] = []
    dead = f"http://127.0.0.1:{free_port()}"
    configs = [
        dict(endpoint=emulator.url),
        dict(endpoint=emulator.url, sign_method="HmacSHA256", http_method="GET"),
        dict(endpoint=dead, sign_method="HmacSHA1", http_method="GET", transport=httpx.Client()),
        dict(
            endpoint=dead, sign_method="HmacSHA1", http_method="GET", transport=requests.Session()
        ),
        dict(endpoint=dead),
    ]
    for config in configs:
        c = essbasic.Client(SECRET_ID, SECRET_KEY, token=TOKEN, retry=2, timeout=0.5, **config)
        seen.append(repr(c))
        for params, fault in (
            ({"Agent": AGENT}, ""),
            ({"Agent": AGENT, "FlowId": "nope"}, ""),
            ({"Agent": AGENT, "FlowId": "f"}, "html502"),
            ({"Agent": AGENT, "FlowId": "f"}, "delay_ms=1500"),
        ):
            with pytest.raises(TencentCloudSDKException) as err:
                c.call_json("ChannelCancelFlow", params, headers={"X-Emulator-Fault": fault})
            seen.append(_printable(err.value))
        request, _ = c._prepare("DescribeTemplates", json.dumps({"Agent": AGENT}), None)
        seen.append(repr(request))
        c.close()
    seen.append(caplog.text)
    text = "\n".join(seen)
    for secret in (SECRET_KEY, TOKEN):
        assert secret not in text
    assert "Signature=" not in text or "Signature=** REDACTED **" in text


def test_redaction() -> None:
    from essbasic.errors import REDACTED, redact

    text = "GET http://h/?Action=A&Signature=abc%2B&SecretId=AKID&Token=tok-1 failed"
    assert redact(text) == (
        f"GET http://h/?Action=A&Signature={REDACTED}&SecretId=AKID&Token={REDACTED} failed"
    )
    auth = (
        "TC3-HMAC-SHA256 Credential=AKID/2024-01-01/essbasic/tc3_request, "
        "SignedHeaders=content-type;host, Signature=0123abcd"
    )
    assert "0123abcd" not in redact(auth)
    assert redact("key is s3cret-key!", ["s3cret-key!"]) == f"key is {REDACTED}"


def test_the_default_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("https_proxy", "http_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    assert isinstance(essbasic.Client(SECRET_ID, SECRET_KEY).transport, SocketTransport)
    # With a proxy variable set, the http.client transport, as before.
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    assert isinstance(essbasic.Client(SECRET_ID, SECRET_KEY).transport, StdlibTransport)


def test_socket_transport_refuses_what_cannot_be_framed() -> None:
    t = SocketTransport()
    bad = HttpRequest("POST", "http://127.0.0.1:9/", [("X-Bad", "a\r\nInjected: 1")], b"{}")
    with pytest.raises(TransportError) as err:
        t.send(bad, 1.0)
    assert err.value.not_sent
    with pytest.raises(TransportError) as err:
        t.send(HttpRequest("POST", "ftp://127.0.0.1/", [], b""), 1.0)
    assert err.value.not_sent
    assert t.opened == 0
