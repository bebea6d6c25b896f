"""The extension module itself: conversions, error classes, and the GIL released while the
core works."""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Dict

import essbasic
import pytest
from essbasic import _core
from essbasic.errors import ApiError, DecodeError, HttpError, SigningError, ValidationError

CONFIG: Dict[str, Any] = {"endpoint": "http://127.0.0.1:9"}


def build(params: Any, **config: Any) -> Any:
    return _core.build_request(
        "ChannelCancelFlow",
        params,
        dict(CONFIG, **config),
        "AKIDcore",
        "core-secret",
        "tok",
        1_700_000_000,
        7,
        "trace",
    )


def test_build_request_converts_both_ways() -> None:
    method, url, headers, body = build('{"FlowId":"f","Agent":{"AppId":"a"}}')
    assert (method, url) == ("POST", "http://127.0.0.1:9/")
    assert body == b'{"FlowId":"f","Agent":{"AppId":"a"}}'
    names = [k for k, _ in headers]
    assert names[:3] == ["Authorization", "Content-Type", "Host"]
    assert dict(headers)["X-TC-Token"] == "tok" and dict(headers)["X-TC-TraceId"] == "trace"
    # bytes work as well as str; member order is kept; nulls are left out
    assert build(b'{"Agent":{"AppId":"a"},"FlowId":"f","CancelMessage":null}')[3] == (
        b'{"Agent":{"AppId":"a"},"FlowId":"f"}'
    )


def test_build_request_errors() -> None:
    with pytest.raises(ValidationError) as err:
        build("{not json")
    assert err.value.action == "ChannelCancelFlow" and err.value.path == ""
    with pytest.raises(ValidationError) as err:
        build('{"FlowId":1}')
    assert err.value.path == "FlowId"
    with pytest.raises(SigningError):
        build('{"FlowId":"f"}', sign_method="RSA")
    with pytest.raises(ValueError):
        build('{"FlowId":"f"}', http_method="PUT")
    with pytest.raises(ValueError):
        build('{"FlowId":"f"}', no_such_option=True)
    with pytest.raises(TypeError):
        build(42)


def test_classify_response() -> None:
    raw, rid = _core.classify_response(
        200, b'{"Response":{"N":18446744073709551615,"RequestId":"r"}}'
    )
    assert json.loads(raw)["N"] == 2**64 - 1 and rid == "r"
    with pytest.raises(ApiError) as api:
        _core.classify_response(
            503, b'{"Response":{"Error":{"Code":"C","Message":"M"},"RequestId":"r"}}'
        )
    assert (api.value.code, api.value.message, api.value.requestId) == ("C", "M", "r")
    with pytest.raises(HttpError) as http:
        _core.classify_response(502, b"<html>bad gateway</html>")
    assert http.value.status == 502
    with pytest.raises(DecodeError):
        _core.classify_response(200, b"{}")
    with pytest.raises(DecodeError):
        _core.classify_response(200, b'{"Response":{}}', 4)


def test_actions_table() -> None:
    table = {name: (ro, dep, rep) for name, ro, dep, rep in _core.actions()}
    assert len(table) == 101
    assert table["DescribeFlowDetailInfo"][0] and not table["ChannelCreateFlowByFiles"][0]
    assert table["ChannelGetTaskResultApi"][1:] == (True, "DescribeFileConvertTask")
    assert _core.API_VERSION == essbasic.API_VERSION == "2021-05-26"


def test_clock_offset() -> None:
    assert _core.clock_offset("Thu, 01 Jan 1970 01:00:00 GMT", 0) == 3600
    assert _core.clock_offset("yesterday", 0) is None


def test_the_gil_is_released_while_the_core_works() -> None:
    # A large answer: the core scans it with the GIL released, so a Python thread runs. (The
    # large member is outside Response: the str of Response, made with the GIL held, stays
    # small, so the time measured is the core's.)
    body = b'{"Blob":"' + b"x" * (96 << 20) + b'","Response":{"RequestId":"r"}}'
    ticks = 0
    stop = False

    def count() -> None:
        nonlocal ticks
        while not stop:
            ticks += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        time.sleep(0.05)
        first = ticks
        time.sleep(0.2)  # the main thread sleeps: the counter's own pace
        rate = (ticks - first) / 0.2
        before = ticks
        started = time.perf_counter()
        _core.classify_response(200, body, 128 << 20)
        elapsed = time.perf_counter() - started
        during = ticks - before
    finally:
        stop = True
        counter.join()
    if elapsed < 0.08:
        pytest.skip(f"the core was too fast to measure ({elapsed * 1000:.1f} ms)")
    # Had the call held the GIL, the counter would only move at the switch boundaries
    # (a few milliseconds' worth); released, it keeps a good part of its pace.
    assert during > 0.25 * rate * elapsed, (during, rate, elapsed)
