"""The per-call fast paths of ``essbasic._core``: ``RequestBuilder`` (Python objects straight
into the core, the same request as their JSON text), ``parse_response`` (the same objects as
``json.loads``), ``Tc3Signer`` (the TC3 vectors), and what ``import essbasic`` leaves out."""

from __future__ import annotations

import enum
import json
import math
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import essbasic
import pytest
from essbasic import _core
from essbasic._base import AttrDict, dump_params
from essbasic.errors import ApiError, DecodeError, HttpError, ValidationError

ROOT = Path(__file__).resolve().parents[2]
CONFIG: Dict[str, Any] = {"endpoint": "http://127.0.0.1:9"}
ARGS = (1_700_000_000, 7, "trace")


def builder(**config: Any) -> Any:
    return _core.RequestBuilder(dict(CONFIG, **config), "AKIDfast", "fast-secret", "tok")


class Color(enum.IntEnum):
    RED = 1


class Name(str):
    pass


# Every value here converts in Rust; the request must be the one its JSON text gives.
CONVERTED: List[Any] = [
    {"FlowId": "f", "Agent": {"AppId": "a"}},
    {
        "FlowId": '测试 "q" \\ \n\t\u0001 😀',
        "Agent": {"AppId": "a", "ProxyOperator": {"OpenId": "o"}},
    },
    {
        "FlowId": "f",
        "Agent": {"AppId": "a"},
        "CancelMessage": None,
        "Extra": [1, -2, 2**63 - 1, -(2**63), 2**64 - 1],
    },
    {
        "FlowId": "f",
        "Agent": {"AppId": "a"},
        "Numbers": [0.1, -0.0, 1e300, 5e-324, 1.0, 123456789.125],
    },
    {"FlowId": "f", "Agent": {"AppId": "a"}, "Flags": [True, False], "T": (1, "x"), "E": Color.RED},
    {Name("FlowId"): Name("f"), "Agent": {"AppId": "a"}},
    {"FlowId": "f", "Agent": {"AppId": "a"}, "Big": [2**64, -(2**70)]},
]

# Values only Python's json encodes exactly: the builder hands them back (None).
HANDED_BACK: List[Any] = [
    {"FlowId": "f", "Agent": {"AppId": "a"}, 1: "int key"},
    {"FlowId": "f", "Agent": {"AppId": "a"}, "NaN": math.nan},
    {"FlowId": "f", "Agent": AttrDict({"AppId": "a"})},
    {"FlowId": "f", "Agent": {"AppId": "a"}, "Lone": "\ud800"},
]


@pytest.mark.parametrize("params", CONVERTED)
def test_objects_build_the_request_their_json_text_builds(params: Any) -> None:
    b = builder(strict=False)
    fast = b.build("ChannelCancelFlow", params, *ARGS)
    text = b.build("ChannelCancelFlow", json.dumps(params, ensure_ascii=False), *ARGS)
    assert fast is not None and fast == text
    assert fast == _core.build_request(
        "ChannelCancelFlow",
        json.dumps(params, ensure_ascii=False, separators=(",", ":")),
        dict(CONFIG, strict=False),
        "AKIDfast",
        "fast-secret",
        "tok",
        *ARGS,
    )


@pytest.mark.parametrize("params", HANDED_BACK)
def test_objects_json_encodes_its_own_way_are_handed_back(params: Any) -> None:
    assert builder().build("ChannelCancelFlow", params, *ARGS) is None


def test_the_client_encodes_handed_back_objects_with_json() -> None:
    sent: List[bytes] = []

    class Capture:
        def send(self, request: Any, timeout: float) -> Any:
            sent.append(request.body)
            return essbasic.transport.HttpResponse(200, [], b'{"Response":{"RequestId":"r"}}')

        def close(self) -> None:
            pass

    c = essbasic.Client(
        "AKIDfast", "fast-secret", endpoint="http://127.0.0.1:9", transport=Capture()
    )
    c.call_json(
        "ChannelCancelFlow", {"FlowId": "f", "Agent": AttrDict({"AppId": "a"}), "Big": 2**64}
    )
    assert json.loads(sent[-1]) == {"FlowId": "f", "Agent": {"AppId": "a"}, "Big": 2**64}
    with pytest.raises(ValidationError) as err:
        c.call_json("ChannelCancelFlow", {"FlowId": "f", "Agent": {"AppId": "a"}, "N": math.nan})
    assert "not JSON" in str(err.value) and err.value.attempts == 0
    with pytest.raises(ValidationError):
        c.call_json("ChannelCancelFlow", {"FlowId": "f", "Agent": {"AppId": "a"}, "O": object()})
    # A model object serializes itself.
    model = type("M", (), {"_serialize": lambda self: {"AppId": "m"}})()
    c.call_json("ChannelCancelFlow", {"FlowId": "f", "Agent": model})
    assert json.loads(sent[-1])["Agent"] == {"AppId": "m"}


def test_builder_errors_and_repr() -> None:
    b = builder()
    with pytest.raises(ValidationError) as err:
        b.build("ChannelCancelFlow", {"Agent": {"AppId": "a"}}, *ARGS)
    assert err.value.path == "FlowId"
    with pytest.raises(ValidationError):
        b.build("ChannelCancelFlow", "{not json", *ARGS)
    bare = _core.RequestBuilder(CONFIG)
    with pytest.raises(ValueError):
        bare.build("ChannelCancelFlow", {"FlowId": "f", "Agent": {"AppId": "a"}}, *ARGS)
    got = bare.build(
        "ChannelCancelFlow",
        {"FlowId": "f", "Agent": {"AppId": "a"}},
        *ARGS,
        ("AKIDfast", "fast-secret", "tok"),
    )
    assert got == b.build("ChannelCancelFlow", {"FlowId": "f", "Agent": {"AppId": "a"}}, *ARGS)
    assert "fast-secret" not in repr(b) and "tok" not in repr(b)


BODIES: List[str] = [
    '{"RequestId":"r","A":[1,-2,3.5,-0.0,1e400,-1E-5,0,-0,12345678901234567890123],'
    '"B":{"c":null,"d":true,"e":false}}',
    '{"RequestId":"r","S":"\\u6d4b\\u8bd5 \\ud83d\\ude00 \\"\\\\\\/\\b\\f\\n\\r\\t 测试",'
    '"K":{"S":1,"S":2}}',
    '{"RequestId":"r","Empty":{},"L":[],"Deep":[[[[{"x":[{}]}]]]]}',
    ' { "RequestId" : "r" , "Spaced" : [ 1 , 2 ] } ',
    '{"RequestId":"r","Lone":"\\ud800 x","Big":999999999999999999,"Bigger":-9999999999999999999}',
    '{"RequestId":"r","Long":"%s","Esc":"%s\\n%s","Ctl":"a\\u001fb\\u0000"}'
    % ("长文本 abc" * 50, "x" * 13, "y" * 7),
]


@pytest.mark.parametrize("inner", BODIES)
@pytest.mark.parametrize("hook", [None, AttrDict])
def test_parse_response_is_json_loads(inner: str, hook: Optional[Any]) -> None:
    body = ('{"Response":%s}' % inner).encode()
    value, request_id = _core.parse_response(200, body, 1 << 20, hook)
    if isinstance(value, str):  # left to json.loads (the lone surrogate)
        assert "\\ud800" in inner
        value = json.loads(value, object_hook=hook)
    expected = json.loads(inner, object_hook=hook)
    assert request_id == "r"
    assert pickle.dumps(value) == pickle.dumps(expected)  # types, order and -0.0 included
    assert type(value) is type(expected)


def test_parse_response_classifies_like_classify_response() -> None:
    with pytest.raises(ApiError) as api:
        _core.parse_response(
            200, b'{"Response":{"Error":{"Code":"X.Y","Message":"m"},"RequestId":"r"}}'
        )
    assert api.value.code == "X.Y" and api.value.requestId == "r"
    with pytest.raises(HttpError):
        _core.parse_response(502, b"<html>bad gateway</html>")
    with pytest.raises(DecodeError):
        _core.parse_response(200, b'{"Response":{"RequestId":"r"}}', 10)
    with pytest.raises(DecodeError):
        _core.parse_response(200, b"not json")


# Invalid text inside the ``Response`` object: the core only locates it (the member values
# are not checked there), so these reach the binding's parser, which must refuse them and
# let the core's validating path raise the error.
INVALID_INSIDE: List[bytes] = [
    b'{"A":[1,]}',
    b'{"A":01}',
    b'{"A":tru}',
    b'{"A":1.}',
    b'{"A":-}',
    b'{"A":+1}',
    b'{"A":"x\ny"}',  # a raw newline in a string
    rb'{"A":"\x"}',  # an unknown escape
    rb'{"A":"\u12"}',
    b'{"A":"\xff"}',  # not UTF-8
    b'{"A":"\xe9\x87"}',  # a cut UTF-8 character
    b'{"A":{"B":1,}}',
    b'{"A":1 2}',
    b'{"A":[1}',
    b'{"A":nulll}',
    b'{"A":"a"\x00}',
    b'{"A":9007199254740993x}',
]


@pytest.mark.parametrize("inner", INVALID_INSIDE)
@pytest.mark.parametrize("size", ["small", "large"])
def test_parse_response_refuses_invalid_text_inside_response(inner: bytes, size: str) -> None:
    pad = b'"Pad":"%s",' % (b"x" * (100_000 if size == "large" else 1))
    body = b'{"Response":{' + pad + inner[1:] + b"}"
    with pytest.raises(ValueError):
        json.loads(body)  # the premise: it is not JSON
    with pytest.raises(DecodeError):
        _core.parse_response(200, body, 1 << 20, None)


def test_tc3_signer_matches_the_vectors() -> None:
    cases = json.loads((ROOT / "tests" / "vectors" / "signing.json").read_text(encoding="utf-8"))[
        "cases"
    ]
    checked = 0
    for case in cases:
        req = case["request"]
        if (
            req["sign_method"] != "TC3-HMAC-SHA256"
            or req["method"] != "POST"
            or req.get("unsigned_payload")
            or req.get("query")
            or req.get("path") not in (None, "/")
            or req["service"] != "essbasic"
        ):
            continue
        cred = case["credential"]
        signer = essbasic.Tc3Signer(cred["secret_id"], cred["secret_key"])
        body = (req.get("body") or "").encode()
        auth = signer.authorization(body, req["host"], req["timestamp"], req["content_type"])
        assert auth == case["expected"]["headers"]["Authorization"], case["id"]
        # Again (the cached signing key), and the same from a str body.
        assert (
            signer.authorization(
                req.get("body") or "", req["host"], req["timestamp"], req["content_type"]
            )
            == auth
        )
        checked += 1
    assert checked >= 10


def test_tc3_signer_key_changes_with_the_date_and_repr_hides_the_key() -> None:
    s = essbasic.Tc3Signer("AKIDsig", "sig-secret-key")
    day1 = s.authorization(b"{}", "essbasic.tencentcloudapi.com", 1_700_000_000)
    day2 = s.authorization(b"{}", "essbasic.tencentcloudapi.com", 1_700_000_000 + 86_400)
    assert "/2023-11-14/" in day1 and "/2023-11-15/" in day2
    assert s.authorization(b"{}", "essbasic.tencentcloudapi.com", 1_700_000_000) == day1
    assert "sig-secret-key" not in repr(s) and s.secret_id == "AKIDsig"


def test_import_essbasic_is_light() -> None:
    code = (
        "import sys, essbasic\n"
        "heavy = ['asyncio', 'ssl', 'http.client', 'json', 'logging', 'dataclasses', 'inspect',"
        " 'uuid', 'secrets', 'concurrent.futures', 'pathlib', 'email']\n"
        "print([m for m in heavy if m in sys.modules])\n"
        "print(type(sys.modules['essbasic.models']).__name__)\n"
        "from essbasic import AsyncClient, models, WaitPolicy, callbacks\n"
        "print(models.ChannelCancelFlowRequest.__name__, AsyncClient.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert lines[0] == "[]", lines
    assert lines[1] == "_LazyModule", lines
    assert lines[2] == "ChannelCancelFlowRequest AsyncClient"


def test_dump_params_still_validates() -> None:
    assert dump_params("A", {"a": "测试"}) == '{"a":"测试"}'
    with pytest.raises(ValidationError):
        dump_params("A", {"a": math.inf})


def test_a_string_as_parameters_is_a_value_not_json_text() -> None:
    c = essbasic.Client("AKIDfast", "fast-secret", endpoint="http://127.0.0.1:9")
    with pytest.raises(ValidationError):
        c.call_json("ChannelCancelFlow", '{"FlowId":"f","Agent":{"AppId":"a"}}')  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as err:
        c.call_json("ChannelCancelFlow", b"{}")  # type: ignore[arg-type]
    assert "not JSON" in str(err.value) and err.value.trace_id


# -- the dict read by the core itself (no JSON text): the body its JSON text gives -----------

AGENT = {"AppId": "a", "ProxyOrganizationOpenId": "o", "ProxyOperator": {"OpenId": "u"}}

# Read in Rust and valid: the walk must give a body (a broken walk that always defers fails).
WALKED: List[Any] = [
    {"FlowId": "f", "Agent": AGENT},
    {"FlowId": '测试 "q" \\ \n\t\u0001\u007f 😀 /', "Agent": AGENT, "CancelMessage": None},
    {"FlowId": "f", "Agent": AGENT, "CancelMessageFormat": 0},
    {"FlowId": "f", "Agent": AGENT, "CancelMessageFormat": -(2**63)},
    {"FlowId": "f", "Agent": AGENT, "CancelMessageFormat": 2**63 - 1},
    {"FlowId": "f", "Agent": AGENT, "X": [1, -2, 2**64 - 1, 0.1, -0.0, 1e300, 5e-324, 1.0]},
    {"FlowId": "f", "Agent": AGENT, "X": {"a": None, "b": [None, [[[]]], {}], "c": (True, False)}},
    {"FlowId": "f", "Agent": AGENT, "X": {'"k\\\n': "v", "é": "\x00"}, "Y": ()},
    {"Agent": AGENT, "Limit": 2**64 - 1},
]

# Deferred to the JSON text path (which words any error): each must give None.
DEFERRED: List[Any] = [
    {"FlowId": "f", "Agent": AGENT, "X": 2**64},
    {"FlowId": "f", "Agent": AGENT, "X": -(2**63) - 1},
    {"FlowId": "f", "Agent": AGENT, "X": math.nan},
    {"FlowId": "f", "Agent": AGENT, "X": math.inf},
    {"FlowId": "f", "Agent": AGENT, 1: "int key"},
    {"FlowId": "f", "Agent": AGENT, None: "None key"},
    {"FlowId": "f", "Agent": AttrDict(AGENT)},
    {Name("FlowId"): "f", "Agent": AGENT},
    {"FlowId": Name("f"), "Agent": AGENT},
    {"FlowId": "f", "Agent": AGENT, "CancelMessageFormat": Color.RED},
    {"FlowId": "f", "Agent": AGENT, "X": "\ud800"},
    {"FlowId": "f", "Agent": AGENT, "X": b"bytes"},
    {"FlowId": "f", "Agent": AGENT, "X": [{"$serde_json::private::RawValue": "1"}]},
    {"FlowId": "f", "Agent": AGENT, "CancelMessageFormat": True},
    {"FlowId": "f", "Agent": AGENT, "CancelMessageFormat": 1.0},
    {"FlowId": 5, "Agent": AGENT},
    {"FlowId": None, "Agent": AGENT},
    {"Agent": AGENT},
    {"Agent": AGENT, "Limit": -1},
]


def _nested(depth: int) -> Any:
    v: Any = 1
    for _ in range(depth):
        v = [v]
    return v


def _outcome(action: str, params: Any, strict: bool) -> Any:
    """What building ``params`` gives: the request, or the error's kind, path and message."""
    b = builder(strict=strict)
    try:
        return b.build(action, params, *ARGS)
    except essbasic.TencentCloudSDKException as exc:
        return (type(exc).__name__, getattr(exc, "path", None), str(exc))


def _text(params: Any) -> str:
    return json.dumps(params, ensure_ascii=False)


@pytest.mark.parametrize("params", WALKED)
@pytest.mark.parametrize("strict", [False, True])
def test_a_walked_dict_builds_the_body_of_its_json_text(params: Any, strict: bool) -> None:
    action = "DescribeTemplates" if "Limit" in params else "ChannelCancelFlow"
    walked = _core.canonical_body_of(action, params, strict)
    extra = set(params) - {"FlowId", "Agent", "CancelMessage", "CancelMessageFormat", "Limit"}
    if strict and extra:
        assert walked is None
    else:
        assert walked is not None
    by_text = _outcome(action, _text(params), strict)
    assert _outcome(action, params, strict) == by_text
    if walked is not None:
        assert by_text[3] == walked


@pytest.mark.parametrize("params", DEFERRED)
def test_values_json_writes_its_own_way_or_invalid_are_deferred(params: Any) -> None:
    action = "DescribeTemplates" if "Limit" in params else "ChannelCancelFlow"
    assert _core.canonical_body_of(action, params) is None
    try:
        text = dump_params(action, params)
    except essbasic.TencentCloudSDKException as exc:  # not JSON at all (NaN): the client says
        assert "not JSON" in str(exc)
        return
    # The builder's answer for the dict is the JSON text path's: None (handed back to
    # json.dumps) or the same request or error.
    got = _outcome(action, params, False)
    assert got is None or got == _outcome(action, text, False)


def test_deep_nesting_is_deferred_and_shallower_is_walked() -> None:
    deep = {"FlowId": "f", "Agent": AGENT, "X": _nested(150)}
    assert _core.canonical_body_of("ChannelCancelFlow", deep) is None
    shallow = {"FlowId": "f", "Agent": AGENT, "X": _nested(90)}
    body = _core.canonical_body_of("ChannelCancelFlow", shallow)
    assert body is not None and json.loads(body)["X"] == _nested(90)


def test_every_request_vector_builds_the_same_from_the_dict_and_its_text() -> None:
    cases = json.loads((ROOT / "tests" / "vectors" / "request.json").read_text("utf-8"))["cases"]
    walked = 0
    for case in cases:
        params = case.get("params")
        if not isinstance(params, dict):
            continue
        action = case["action"]
        for strict in (False, True):
            got = _outcome(action, params, strict)
            assert got == _outcome(action, _text(params), strict), case["id"]
            try:
                body = _core.canonical_body_of(action, params, strict)
            except ValidationError:  # an unknown action
                assert isinstance(got, tuple) and "unknown action" in got[2]
                continue
            if body is not None:
                walked += 1
                assert got is not None and got[3] == body, case["id"]
    assert walked >= 5


def test_the_fixture_of_the_benchmark_is_walked() -> None:
    fixtures = json.loads((ROOT / "bench" / "fixtures.json").read_text("utf-8"))
    params = fixtures["create"]
    body = _core.canonical_body_of("ChannelCreateFlowByFiles", params)
    assert body is not None
    assert _outcome("ChannelCreateFlowByFiles", params, False) == _outcome(
        "ChannelCreateFlowByFiles", _text(params), False
    )


def test_unchanging_header_pairs_are_shared_and_changing_ones_are_not() -> None:
    b = builder()
    params = {"FlowId": "f", "Agent": AGENT}
    first = b.build("ChannelCancelFlow", params, *ARGS)
    second = b.build("ChannelCancelFlow", json.dumps(params), 1_700_000_001, 8, "other")
    assert first is not None and second is not None
    one, two = dict(first[2]), dict(second[2])
    assert one["X-TC-Timestamp"] == "1700000000" and two["X-TC-Timestamp"] == "1700000001"
    assert one["X-TC-TraceId"] == "trace" and two["X-TC-TraceId"] == "other"
    assert one["Authorization"] != two["Authorization"]
    assert one["Host"] == two["Host"] and one["X-TC-Action"] == "ChannelCancelFlow"
    pairs = {p[0]: p for p in first[2]}
    for pair in second[2]:
        shared = pairs[pair[0]] is pair
        assert shared == (
            pair[0]
            in (
                "Host",
                "Content-Type",
                "X-TC-Action",
                "X-TC-Version",
                "X-TC-RequestClient",
                "X-TC-Region",
                "X-TC-Language",
            )
        ), pair
    # Another action: its own X-TC-Action, the list is the caller's to extend.
    third = b.build("ChannelCreateFlowByFiles", {"Agent": AGENT}, *ARGS)
    assert third is not None and dict(third[2])["X-TC-Action"] == "ChannelCreateFlowByFiles"
    third[2].append(("X-Extra", "1"))
    fourth = b.build("ChannelCreateFlowByFiles", {"Agent": AGENT}, *ARGS)
    assert fourth is not None and ("X-Extra", "1") not in fourth[2]


def test_entropy_trace_ids_are_uuid4_text_of_the_generator() -> None:
    import uuid

    def expected(seed: int, count: int) -> List[str]:
        # The generator (wyrand) and the UUID bits, as the Rust code computes them.
        mask, out, state = (1 << 64) - 1, [], seed

        def nxt() -> int:
            nonlocal state
            state = (state + 0xA0761D6478BD642F) & mask
            t = state * (state ^ 0xE7037ED1A0B428DB)
            return ((t >> 64) ^ t) & mask

        for _ in range(count):
            v = (nxt() << 64) | nxt()
            v = (v & ~(0xF << 76 | 0x3 << 62)) | (0x4 << 76) | (0x2 << 62)
            out.append(str(uuid.UUID(int=v)))
        return out

    for seed in (0, 1, 2**64 - 1, 0x1234_5678_9ABC_DEF0):
        e = _core.Entropy(seed)
        got = [e.trace_id() for _ in range(5)]
        assert got == expected(seed, 5)
        assert all(uuid.UUID(t).version == 4 and str(uuid.UUID(t)) == t for t in got)


def test_special_characters_are_found_at_every_position_and_length() -> None:
    # The scan for '"', '\\' and control characters runs 16 (or 8) bytes at a time, then over
    # the block that ends the text: each special at each place of strings of every length
    # up to 40.
    fillers = ["a", "é", "测", "\x7f", " ", "😀"]
    specials = ['"', "\\", "\x00", "\x1f", "\n", "\t"]
    for length in range(41):
        for filler in fillers:
            base = filler * length
            cases = [base] + [
                base[:p] + sp + base[p + 1 :] for p in range(length) for sp in specials
            ]
            for text in cases:
                params = {"FlowId": text, "Agent": AGENT}
                body = _core.canonical_body_of("ChannelCancelFlow", params)
                assert body is not None
                assert (
                    body == json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode()
                )
                answer = json.dumps({"Response": {"RequestId": "r", "S": text}}).encode()
                value, _ = _core.parse_response(200, answer, 1 << 20, None)
                assert value == {"RequestId": "r", "S": text}
                raw = json.dumps({"Response": {"RequestId": "r", "S": text}}, ensure_ascii=False)
                value, _ = _core.parse_response(200, raw.encode(), 1 << 20, None)
                assert value == {"RequestId": "r", "S": text}


@pytest.mark.parametrize("hook", [None, AttrDict])
def test_a_large_answer_with_repeated_keys_is_json_loads(hook: Optional[Any]) -> None:
    # Over the small-answer size, keys go through the key cache.
    items = [
        {"FlowId": f"f{i}", "Name": "名字" * (i % 3), "N": i, "Big": 2**70 + i, "L": [{"K": i}]}
        for i in range(200)
    ]
    body = json.dumps({"Response": {"RequestId": "r", "Items": items}}, ensure_ascii=False)
    assert len(body) > 4096
    value, request_id = _core.parse_response(200, body.encode(), 1 << 20, hook)
    assert request_id == "r"
    assert value == json.loads(body)["Response"]
    if hook is not None:
        assert isinstance(value, AttrDict) and isinstance(value.Items[0], AttrDict)


def test_the_inline_first_attempt_is_the_call_a_hooked_client_makes() -> None:
    # A plain client (static credentials, no hooks, no extra headers) makes a dict call's first
    # attempt inline; a hook sends the call through `Call`. Both must make the same requests
    # and give the same results, metadata, errors, retries and DEBUG records.
    import logging

    from essbasic.errors import TransportError

    def error(request_id: str, code: str) -> bytes:
        answer = {"Response": {"RequestId": request_id, "Error": {"Code": code, "Message": "m"}}}
        return json.dumps(answer).encode()

    ok = b'{"Response":{"RequestId":"r1","FlowIds":["f1"]}}'
    limited = error("r0", "RequestLimitExceeded")
    refused = error("r2", "InvalidParameter")
    surrogate = b'{"Response":{"RequestId":"r3","S":"\\ud800"}}'  # left to json.loads
    script: List[Any] = [
        ok,
        limited,
        ok,
        TransportError("refused", not_sent=True),
        ok,
        refused,
        surrogate,
        ok,
    ]

    def run(hooked: bool) -> Any:
        answers = list(script)
        sent: List[Any] = []

        class Canned:
            def send(self, request: Any, timeout: float) -> Any:
                headers = dict(request.headers)
                for name in ("Authorization", "X-TC-Timestamp", "X-TC-TraceId"):
                    assert headers.pop(name)
                sent.append((request.method, request.url, headers, request.body))
                item = answers.pop(0)
                if isinstance(item, Exception):
                    raise item
                return essbasic.transport.HttpResponse(200, [("X", "y")], item)

            def close(self) -> None:
                pass

        c = essbasic.Client(
            "AKIDfast",
            "fast-secret",
            endpoint="http://127.0.0.1:9",
            transport=Canned(),
            hooks={"after_receive": lambda ctx: None} if hooked else None,
            retry=essbasic.Retry(max_attempts=3, backoff=0.0),
        )
        params = {"FlowId": "f", "Agent": AGENT}
        out: List[Any] = []
        for _ in range(3):
            r = c.call_json("ChannelCancelFlow", params, trace_id="t-1")["Response"]
            m = essbasic.response_meta(r)
            out.append((dict(r), m.action, m.request_id, m.trace_id, m.attempts, m.headers))
        with pytest.raises(ApiError) as err:
            c.call_json("ChannelCancelFlow", params, trace_id="t-2")
        out.append((err.value.code, err.value.requestId, err.value.trace_id, err.value.attempts))
        logger = logging.getLogger("essbasic")
        level = logger.level
        records: List[logging.LogRecord] = []
        handler = logging.Handler()
        handler.emit = records.append  # type: ignore[method-assign]
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
        try:
            out.append(c.call_json("ChannelCancelFlow", params, trace_id="t-3"))
            compat = c.ChannelCancelFlow({"FlowId": "f", "Agent": AGENT})
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        out.append((type(compat).__name__, compat.RequestId, compat.meta.attempts))
        logged = [dict(rec.essbasic) for rec in records]
        assert [f.pop("trace_id") for f in logged] == ["t-3", compat.meta.trace_id]
        for fields in logged:
            fields.pop("duration_ms")
        return out, logged, sent

    inline, through_call = run(False), run(True)
    assert inline == through_call
    out, logged, sent = inline
    assert [o[2:5] for o in out[:3]] == [("r1", "t-1", 1), ("r1", "t-1", 2), ("r1", "t-1", 2)]
    assert out[3] == ("InvalidParameter", "r2", "t-2", 1)
    assert out[4] == {"Response": {"RequestId": "r3", "S": "\ud800"}}
    assert out[5] == ("AttrResult", "r1", 1)
    assert [(f["request_id"], f["attempt"]) for f in logged] == [("r3", 1), ("r1", 1)]
    assert len(sent) == len(script)


def test_build_request_makes_the_request_type_build_would_fill() -> None:
    from essbasic.transport import HttpRequest

    b = _core.RequestBuilder(
        dict(CONFIG),
        "AKIDfast",
        "fast-secret",
        "tok",
        request_type=HttpRequest,
        max_body_bytes=1234,
    )
    params = {"FlowId": "f", "Agent": AGENT}
    request = b.build_request("ChannelCancelFlow", params, *ARGS)
    built = b.build("ChannelCancelFlow", params, *ARGS)
    assert type(request) is HttpRequest and built is not None
    assert tuple(request) == (*built, 1234) and request.max_body_bytes == 1234
    assert request.headers == built[2] and "fast-secret" not in repr(request)
    # Handed back, refused and raised as `build` does.
    assert (
        b.build_request("ChannelCancelFlow", {"FlowId": "f", "Agent": AGENT, "N": math.nan}, *ARGS)
        is None
    )
    with pytest.raises(ValidationError):
        b.build_request("ChannelCancelFlow", {"Agent": AGENT}, *ARGS)
    with pytest.raises(ValueError, match="request_type"):
        builder().build_request("ChannelCancelFlow", params, *ARGS)
    with pytest.raises(ValueError, match="credentials"):
        _core.RequestBuilder(dict(CONFIG), request_type=HttpRequest).build_request(
            "ChannelCancelFlow", params, *ARGS
        )
    for wrong in (tuple, list, int):
        with pytest.raises(TypeError):
            _core.RequestBuilder(dict(CONFIG), request_type=wrong)
