"""Issue #8: callbacks, the ``CreateRequestWithEncryption`` envelope, the upload helper,
task waiters and pagination, forwarded to the core and run against the emulator (callbacks
POSTed by it to a tiny server here, conversion tasks that finish after ``--task-polls``)."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Tuple

import essbasic
import pytest
from conftest import AGENT, SECRET_ID, SECRET_KEY, Emulator
from essbasic import callbacks, encryption
from essbasic.errors import (
    ApiError,
    CallbackError,
    CryptoError,
    TaskError,
    TimeoutError,
    ValidationError,
)
from essbasic.transport import HttpRequest, HttpResponse
from test_client import APPROVER

CALLBACK_KEY = "0123456789ABCDEFfedcba9876543210"
CALLBACK_TOKEN = "callback-token-for-the-tests"
POLLS = 3
FAST = essbasic.WaitPolicy(initial_delay=0.01, max_delay=0.05)


class Receiver:
    """A tiny HTTP server that keeps every callback POSTed to it (raw body and headers)."""

    def __init__(self) -> None:
        received = self.received = []  # type: List[Tuple[bytes, Dict[str, str]]]
        self.arrived = threading.Condition()
        arrived = self.arrived

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with arrived:
                    received.append((body, dict(self.headers)))
                    arrived.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 10) -> List[Tuple[bytes, Dict[str, str]]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def emu(receiver: Receiver) -> Iterator[Emulator]:
    e = Emulator(
        "--task-polls",
        str(POLLS),
        "--callback-url",
        receiver.url,
        "--callback-key",
        CALLBACK_KEY,
        "--callback-token",
        CALLBACK_TOKEN,
    )
    yield e
    e.close()


@pytest.fixture
def client(emu: Emulator) -> Iterator[essbasic.Client]:
    with essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=emu.url) as c:
        yield c


# --- callbacks -------------------------------------------------------------------------------


def _signature(headers: Mapping[str, str]) -> str:
    return next(v for k, v in headers.items() if k.lower() == "content-signature")


def test_callbacks_from_the_emulator(
    client: essbasic.Client, emu: Emulator, receiver: Receiver
) -> None:
    up = client.upload_files(
        ("c.pdf", b"%PDF-1.7 callbacks"), business_type="DOCUMENT", agent=AGENT
    )
    before = len(receiver.received)
    flow = client.channel_create_flow_by_files(
        Agent=AGENT, FlowName="回调测试", FileIds=up["FileIds"], FlowApprovers=[APPROVER]
    )["FlowId"]
    emu.admin("POST", f"flows/{flow}/status", json.dumps({"FlowStatus": "ALL"}).encode())
    got = receiver.wait_for(before + 2)[before:]
    assert len(got) == 2
    statuses = []
    for body, headers in got:
        assert b"encrypt" in body and b"FlowId" not in body  # encrypted on the wire
        event = callbacks.open(
            body, key=CALLBACK_KEY, token=CALLBACK_TOKEN, signature=_signature(headers)
        )
        assert event is not None
        assert event["MsgType"] == "FlowStatusChange" and event["MsgId"]
        data = callbacks.msg_data(event, "FlowStatusChange")
        assert data.get("FlowId") == flow and data.get("FlowName") == "回调测试"
        statuses.append(data.get("FlowStatus"))
    assert statuses == ["INIT", "ALL"]

    body, headers = got[-1]
    # Forged, altered or unsigned bodies are refused; nothing is decrypted.
    with pytest.raises(CallbackError):
        callbacks.open(
            body + b" ", key=CALLBACK_KEY, token=CALLBACK_TOKEN, signature=_signature(headers)
        )
    with pytest.raises(CallbackError):
        callbacks.open(body, key=CALLBACK_KEY, token="another-token", signature=_signature(headers))
    with pytest.raises(CallbackError) as err:
        callbacks.open(body, key=CALLBACK_KEY, token=CALLBACK_TOKEN)
    assert "Content-Signature" in str(err.value)
    with pytest.raises(CallbackError):
        callbacks.open(body, key="F" * 32)
    with pytest.raises(CallbackError):
        callbacks.open(body)  # encrypted, but no key configured
    for text in (str(err.value), repr(err.value)):
        assert CALLBACK_KEY not in text and CALLBACK_TOKEN not in text
    with pytest.raises(ValueError):
        callbacks.msg_data(event, "OperateSeal")


def test_callbacks_url_check_and_seal() -> None:
    assert callbacks.open(b"{}", key=CALLBACK_KEY) is None
    envelope = {
        "MsgId": "m1",
        "MsgType": "OperateSeal",
        "MsgVersion": "ThirdPartyApp",
        "MsgData": {"SealId": "s", "Operate": "Create"},
    }
    body, signature = callbacks.seal(envelope, key=CALLBACK_KEY, token=CALLBACK_TOKEN)
    assert signature is not None and signature.startswith("sha256=")
    event = callbacks.open(body, CALLBACK_KEY, CALLBACK_TOKEN, signature)
    assert event is not None and callbacks.msg_data(event, "OperateSeal").get("SealId") == "s"
    plain, no_signature = callbacks.seal(envelope)
    assert no_signature is None and callbacks.open(plain) == envelope
    assert callbacks.SIGNATURE_HEADER == "Content-Signature"
    with pytest.raises(CallbackError):
        callbacks.open(b"x" * (callbacks.MAX_BODY_BYTES + 1))


# --- encryption ------------------------------------------------------------------------------


CIPHER_KEY = b"0123456789abcdef0123456789abcdef"
HMAC_KEY = b"another-key-for-the-hmac-only!!!"


def test_the_envelope_round_trips() -> None:
    keys = encryption.Keys(CIPHER_KEY, HMAC_KEY)
    assert keys.algorithm == "AES-CBC"
    assert "0123" not in repr(keys) and "another" not in repr(keys)
    first, second = (
        encryption.seal(b'{"FlowId":"f"}', keys),
        encryption.seal(b'{"FlowId":"f"}', keys),
    )
    assert first["IV"] != second["IV"]  # a fresh IV each time (os.urandom)
    assert encryption.open(first, keys) == b'{"FlowId":"f"}'
    sm4 = encryption.Keys(b"sm4-key-16-bytes", b"mac", algorithm="sm4")
    assert sm4.algorithm == "SM4-CBC"
    assert encryption.open(encryption.seal("国密", sm4), sm4) == "国密".encode()

    altered = dict(first, EncryptedData=encryption.seal(b"other", keys)["EncryptedData"])
    with pytest.raises(CryptoError) as err:
        encryption.open(altered, keys)
    assert "nothing was decrypted" in str(err.value)
    with pytest.raises(CryptoError):
        encryption.open({"IV": first["IV"]}, keys)
    for bad in (
        lambda: encryption.Keys(b"short", HMAC_KEY),
        lambda: encryption.Keys(CIPHER_KEY, CIPHER_KEY),
        lambda: encryption.Keys(CIPHER_KEY, HMAC_KEY, algorithm="DES"),
    ):
        with pytest.raises(CryptoError) as err:
            bad()
        assert "0123456789abcdef" not in str(err.value)


class EncryptedService:
    """A transport that opens ``CreateRequestWithEncryption`` requests with the agreed keys
    and answers them encrypted, like the service."""

    def __init__(self, keys: encryption.Keys, answer: Dict[str, Any]) -> None:
        self.keys = keys
        self.answer = answer
        self.inner: List[Dict[str, Any]] = []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        params = json.loads(request.body)
        assert params["RequestAction"] == "ChannelCancelFlow"
        assert params["ApplicationId"] == AGENT["AppId"]
        self.inner.append(json.loads(encryption.open(params, self.keys)))
        sealed = encryption.seal(json.dumps({"Response": self.answer}), self.keys)
        body = json.dumps({"Response": {**sealed, "RequestId": "outer"}}).encode()
        return HttpResponse(200, [], body)

    def close(self) -> None:
        pass


def test_call_encrypted_round_trip() -> None:
    keys = encryption.Keys(CIPHER_KEY, HMAC_KEY)
    service = EncryptedService(keys, {"RequestId": "inner"})
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=service)
    resp = c.call_encrypted("ChannelCancelFlow", {"Agent": AGENT, "FlowId": "f"}, keys=keys)
    assert resp == {"RequestId": "inner"}
    assert service.inner == [{"Agent": AGENT, "FlowId": "f"}]
    service.answer = {"Error": {"Code": "OperationDenied", "Message": "no"}, "RequestId": "in"}
    with pytest.raises(ApiError) as err:
        c.call_encrypted("ChannelCancelFlow", {"Agent": AGENT, "FlowId": "f"}, keys=keys)
    assert err.value.code == "OperationDenied"
    # The inner parameters are validated before anything is encrypted or sent.
    with pytest.raises(ValidationError) as invalid:
        c.call_encrypted("ChannelCancelFlow", {"Agent": AGENT}, keys=keys)
    assert invalid.value.path == "FlowId" and len(service.inner) == 2
    # An answer signed with another key is refused before decryption.
    other = encryption.Keys(CIPHER_KEY, b"a-different-hmac-key-00000000000")
    service.keys = other
    with pytest.raises(CryptoError):
        c.call_encrypted("ChannelCancelFlow", {"Agent": AGENT, "FlowId": "f"}, keys=keys)

    async def main() -> Dict[str, Any]:
        service.keys, service.answer = keys, {"RequestId": "async"}
        async with essbasic.AsyncClient(SECRET_ID, SECRET_KEY, transport=service) as a:
            return await a.call_encrypted(
                "ChannelCancelFlow", {"Agent": AGENT, "FlowId": "f"}, keys=keys
            )

    assert asyncio.run(main()) == {"RequestId": "async"}


# --- uploads ---------------------------------------------------------------------------------


def test_upload_files_from_paths_and_bytes(
    client: essbasic.Client, emu: Emulator, tmp_path: Path
) -> None:
    pdf = tmp_path / "合同.pdf"
    pdf.write_bytes(b"%PDF-1.7 contract")
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    before = emu.effect("files_uploaded")
    up = client.upload_files(
        pdf,
        str(png),
        b"%PDF-1.4 anonymous",
        ("named.docx", b"PK\x03\x04 docx"),
        business_type="DOCUMENT",
        agent=AGENT,
    )
    assert up["TotalCount"] == 4 and len(up["FileIds"]) == 4
    assert emu.effect("files_uploaded") == before + 4
    # The plain action still works with keyword members.
    again = client.upload_files(
        Agent=AGENT,
        BusinessType="DOCUMENT",
        FileInfos=[{"FileBody": "JVBERi0xLjQ=", "FileName": "x.pdf"}],
    )
    assert again["FileIds"]


def test_upload_limits_are_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t_sent: List[HttpRequest] = []

    class Never:
        def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
            t_sent.append(request)
            raise AssertionError("nothing may be sent")

        def close(self) -> None:
            pass

    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=Never())
    # Too many files: refused before any of them is opened (these paths do not exist).
    with pytest.raises(ValidationError) as err:
        c.upload_files(
            *[f"/nonexistent/{i}.pdf" for i in range(21)], business_type="DOCUMENT", agent=AGENT
        )
    assert "20" in err.value.detail and err.value.path == "FileInfos"
    with pytest.raises(ValidationError) as err:
        c.upload_files(business_type="DOCUMENT", agent=AGENT)
    with pytest.raises(ValidationError) as err:
        c.upload_files(b"%PDF-", business_type="", agent=AGENT)
    assert err.value.path == "BusinessType"

    # Too large: refused from the size and the first bytes, the file is never read whole.
    big = tmp_path / "big.pdf"
    with big.open("wb") as f:
        f.write(b"%PDF-1.7")
        f.truncate(61 << 20)
    image = tmp_path / "seal.png"
    with image.open("wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.truncate(9 << 20)
    reads: List[int] = []
    real_open = open

    def counting_open(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(path, mode, *args, **kwargs)
        real_read = handle.read

        def read(n: int = -1) -> Any:
            data = real_read(n)
            reads.append(len(data))
            return data

        handle.read = read
        return handle

    import essbasic._features as features

    monkeypatch.setattr(features, "open", counting_open, raising=False)
    with pytest.raises(ValidationError) as err:
        c.upload_files(big, business_type="DOCUMENT", agent=AGENT)
    assert err.value.path == "FileInfos[0]" and str(61 << 20) in err.value.detail
    with pytest.raises(ValidationError) as err:
        c.upload_files(b"%PDF-1.7 ok", image, business_type="SEAL", agent=AGENT)
    assert err.value.path == "FileInfos[0]"  # a PDF is not a seal image
    with pytest.raises(ValidationError) as err:
        c.upload_files(image, business_type="SEAL", agent=AGENT)
    assert "image" in err.value.detail and err.value.path == "FileInfos[0]"
    assert max(reads) <= 512, reads  # only the first bytes were read
    with pytest.raises(ValidationError) as err:
        c.upload_files(("empty.pdf", b""), business_type="DOCUMENT", agent=AGENT)
    assert "empty" in err.value.detail
    assert not t_sent


def test_async_upload(emu: Emulator, tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7 async")

    async def main() -> Any:
        async with essbasic.AsyncClient(SECRET_ID, SECRET_KEY, endpoint=emu.url) as c:
            return await c.upload_files(pdf, business_type="DOCUMENT", agent=AGENT)

    assert asyncio.run(main())["FileIds"]


# --- waiters ---------------------------------------------------------------------------------


def _convert_task(client: essbasic.Client) -> str:
    up = client.upload_files(("a.docx", b"PK\x03\x04 docx"), business_type="DOCUMENT", agent=AGENT)
    task = client.create_file_convert_task(
        Agent=AGENT, ResourceType="docx", ResourceName="a.docx", ResourceId=up["FileIds"][0]
    )
    return task["TaskId"]


def test_wait_file_convert(client: essbasic.Client) -> None:
    updates: List[essbasic.WaitUpdate] = []
    done = client.wait_file_convert(
        _convert_task(client), agent=AGENT, on_progress=updates.append, policy=FAST
    )
    assert done["TaskStatus"] == 8 and done["ResourceId"]
    assert [u.attempt for u in updates] == list(range(1, POLLS + 2))
    assert [u.done for u in updates] == [False] * POLLS + [True]
    assert updates[0].status.startswith("4") and updates[-1].status == "Done"
    assert updates[0].next_delay == 0.01 and updates[-1].next_delay is None
    assert updates[0].kind == "file_convert"


def test_the_wait_schedule_is_the_cores() -> None:
    p = essbasic.WaitPolicy()
    assert (p.initial_delay, p.multiplier, p.max_delay, p.deadline) == (1.0, 1.5, 15.0, 600.0)
    decide = essbasic._core.wait_decide
    assert [decide(p.core(), n, 0) for n in (1, 2, 3)] == [1000, 1500, 2250]
    assert decide(p.core(), 1, 599_500) == 500 and decide(p.core(), 1, 600_000) is None


def test_a_waiter_gives_up_at_its_deadline(client: essbasic.Client) -> None:
    task = _convert_task(client)
    started = time.monotonic()
    with pytest.raises(TimeoutError) as err:
        client.wait_file_convert(
            task, agent=AGENT, deadline=0.05, policy=essbasic.WaitPolicy(initial_delay=0.03)
        )
    assert time.monotonic() - started < 2
    assert task in str(err.value)


def test_a_failed_task_raises_task_error() -> None:
    class Failing:
        def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
            body = {
                "Response": {
                    "TaskId": "t",
                    "TaskStatus": -6,
                    "TaskMessage": "转换失败",
                    "RequestId": "r",
                }
            }
            return HttpResponse(200, [], json.dumps(body).encode())

        def close(self) -> None:
            pass

    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=Failing())
    with pytest.raises(TaskError) as err:
        c.wait_file_convert("t", agent=AGENT, policy=FAST)
    e = err.value
    assert (e.task, e.task_id, e.status, e.code) == ("file_convert", "t", "-6", "TaskFailed")
    assert "转换失败" in e.detail
    with pytest.raises(ValueError):
        c.wait_task("no-such-kind", "t", agent=AGENT)


def test_wait_cancel_flows_and_async_waiters(client: essbasic.Client, emu: Emulator) -> None:
    up = client.upload_files(("c.pdf", b"%PDF-1.7 cancel"), business_type="DOCUMENT", agent=AGENT)
    flow = client.channel_create_flow_by_files(
        Agent=AGENT, FlowName="n", FileIds=up["FileIds"], FlowApprovers=[APPROVER]
    )["FlowId"]
    task = client.channel_batch_cancel_flows(Agent=AGENT, FlowIds=[flow])["TaskId"]
    done = client.wait_cancel_flows(task, agent=AGENT, policy=FAST)
    assert done["TaskStatus"] == "END" and flow in done["SuccessFlowIds"]

    async def main() -> Tuple[Any, List[int]]:
        seen: List[int] = []

        async def progress(update: essbasic.WaitUpdate) -> None:
            await asyncio.sleep(0)
            seen.append(update.attempt)

        async with essbasic.AsyncClient(SECRET_ID, SECRET_KEY, endpoint=emu.url) as c:
            result = await c.wait_file_convert(
                _convert_task(client), agent=AGENT, on_progress=progress, policy=FAST
            )
            return result, seen

    result, seen = asyncio.run(main())
    assert result["TaskStatus"] == 8 and seen == list(range(1, POLLS + 2))


# --- pagination ------------------------------------------------------------------------------


class Pages:
    """A transport serving ``DescribeTemplates`` and ``ChannelDescribeEmployees`` from
    lists, honouring ``Offset`` (items or pages) and ``Limit``."""

    def __init__(self, total: int) -> None:
        self.items = [{"TemplateId": f"t{i}", "Name": f"模板{i}"} for i in range(total)]
        self.asked: List[Tuple[int, int]] = []

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        action = dict(request.headers)["X-TC-Action"]
        params = json.loads(request.body)
        offset, limit = int(params["Offset"]), int(params["Limit"])
        self.asked.append((offset, limit))
        if action == "DescribeTemplates":
            page = self.items[offset : offset + limit]
            body = {"Templates": page, "TotalCount": len(self.items), "RequestId": "r"}
        else:
            page = self.items[offset * limit : (offset + 1) * limit]
            body = {"Employees": page, "TotalCount": len(self.items), "RequestId": "r"}
        return HttpResponse(200, [], json.dumps({"Response": body}).encode())

    def close(self) -> None:
        pass


def test_paginate() -> None:
    t = Pages(45)
    c = essbasic.Client(SECRET_ID, SECRET_KEY, transport=t)
    items = list(c.paginate("DescribeTemplates", {"Agent": AGENT}))
    assert [i["TemplateId"] for i in items] == [f"t{i}" for i in range(45)]
    assert t.asked == [(0, 20), (20, 20), (40, 20)]  # the core's default page size
    t.asked.clear()
    pages = list(c.pages("DescribeTemplates", {"Agent": AGENT, "Limit": 15}))
    assert [len(p["Templates"]) for p in pages] == [15, 15, 15] and len(t.asked) == 3
    # ChannelDescribeEmployees counts pages, not items.
    t.asked.clear()
    assert len(list(c.paginate("ChannelDescribeEmployees", {"Agent": AGENT, "Limit": 20}))) == 45
    assert t.asked == [(0, 20), (1, 20), (2, 20)]
    # Lazy: nothing is sent before the iteration starts; a wrong action fails at once.
    t.asked.clear()
    lazy = c.paginate("DescribeTemplates", {"Agent": AGENT})
    assert not t.asked and next(lazy)["TemplateId"] == "t0"
    with pytest.raises(ValidationError):
        c.paginate("ChannelCancelFlow", {"Agent": AGENT})
    with pytest.raises(ValidationError):
        c.paginate("DescribeTemplates", {"Agent": AGENT, "Limit": 0})
    assert "DescribeTemplates" in essbasic._core.page_actions()


def test_async_paginate(emu: Emulator) -> None:
    t = Pages(30)

    async def main() -> Tuple[List[Dict[str, Any]], int]:
        async with essbasic.AsyncClient(SECRET_ID, SECRET_KEY, transport=t) as c:
            items = [i async for i in c.paginate("DescribeTemplates", {"Agent": AGENT})]
        async with essbasic.AsyncClient(SECRET_ID, SECRET_KEY, endpoint=emu.url) as c:
            n = 0
            async for page in c.pages("DescribeTemplates", {"Agent": AGENT, "Limit": 1}):
                n += 1
                assert page["RequestId"]
        return items, n

    items, n = asyncio.run(main())
    assert len(items) == 30 and t.asked == [(0, 20), (20, 20)]
    assert n >= 1


def test_paginate_against_the_emulator(client: essbasic.Client) -> None:
    items = list(client.paginate("DescribeTemplates", {"Agent": AGENT, "Limit": 100}))
    assert items and all("TemplateId" in i for i in items)
