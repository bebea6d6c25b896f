"""A typed usage sample: ``mypy --strict`` must accept it as it is (test_typing.py)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import essbasic
from essbasic import callbacks, encryption, models
from essbasic.errors import (
    ApiError,
    CallbackError,
    TaskError,
    TencentCloudSDKException,
    ValidationError,
)


def agent() -> models.Agent:
    return {"AppId": "yDapp", "ProxyOrganizationOpenId": "org", "ProxyOperator": {"OpenId": "op"}}


def create_and_cancel(client: essbasic.Client, file_id: str) -> List[str]:
    approver: models.FlowApproverInfo = {
        "ApproverType": "PERSON",
        "Name": "张三",
        "Mobile": "13200000000",
    }
    created = client.channel_create_flow_by_files(
        Agent=agent(),
        FlowName="劳动合同",
        FileIds=[file_id],
        FlowApprovers=[approver],
        Deadline=2**40,
    )
    flow_id: str = created.get("FlowId", "")
    statuses: List[str] = []
    detail = client.describe_flow_detail_info(Agent=agent(), FlowIds=[flow_id])
    for info in detail.get("FlowInfo", []):
        statuses.append(info.get("FlowStatus", ""))
    cancelled: models.ChannelCancelFlowResponse = client.channel_cancel_flow(
        Agent=agent(), FlowId=flow_id, CancelMessage="写错了"
    )
    statuses.append(cancelled.get("RequestId", ""))
    return statuses


def errors(client: essbasic.Client) -> Optional[str]:
    try:
        client.channel_cancel_flow(Agent=agent(), FlowId="nope")
    except ValidationError as e:
        return f"{e.action} {e.path}"
    except ApiError as e:
        return e.get_code()
    except TencentCloudSDKException as e:
        return e.get_request_id()
    return None


def official_shapes(client: essbasic.Client) -> str:
    resp = client.ChannelCancelFlow({"Agent": agent(), "FlowId": "f"})
    envelope = client.call_json("DescribeTemplates", {"Agent": agent()})
    body: bytes = client.call("DescribeTemplates", {"Agent": agent()})
    return f"{resp.get('RequestId')} {envelope['Response']} {len(body)}"


async def asynchronous(client: essbasic.AsyncClient) -> int:
    templates = await client.describe_templates(Agent=agent(), Limit=10, Offset=0)
    many = await asyncio.gather(
        *(
            client.describe_usage(Agent=agent(), StartDate="2024-01-01", EndDate="2024-01-31")
            for _ in range(3)
        )
    )
    return templates.get("TotalCount", 0) + len(many)


def configured() -> essbasic.Client:
    return essbasic.Client(
        secret_id="AKID...",
        secret_key="...",
        endpoint="http://127.0.0.1:8080",
        timeout=5,
        retry=essbasic.Retry(max_attempts=3),
        strict=True,
        language="en-US",
    ).with_options(timeout=10)


# --- retries, credentials, trace ids, metadata, hooks (issues #7 and #10) ----------------------


def observed(client: essbasic.Client) -> Tuple[str, int, Optional[str]]:
    resp = client.describe_templates(Agent=agent(), trace_id="order-42")
    meta: essbasic.ResponseMeta = essbasic.response_meta(resp)
    try:
        client.channel_cancel_flow(Agent=agent(), FlowId="f", trace_id="cancel-1")
    except TencentCloudSDKException as e:
        return e.get_code() or "", e.attempts, e.trace_id
    return meta.trace_id, meta.attempts, meta.request_id


def hooked() -> essbasic.Client:
    def before_send(ctx: essbasic.HookContext) -> None:
        ctx.add_header("X-Request-Source", ctx.action)

    def on_retry(ctx: essbasic.HookContext) -> None:
        logging.getLogger("app").warning("retry %s in %s s", ctx.attempt, ctx.delay)

    return essbasic.Client(
        profile="prod",
        retry=False,
        max_body_bytes=8 << 20,
        hooks={"before_send": before_send, "on_retry": on_retry},
        log_body_bytes=512,
    )


async def async_hooks() -> essbasic.AsyncClient:
    async def after_receive(ctx: essbasic.HookContext) -> None:
        await asyncio.sleep(0)

    return essbasic.AsyncClient(hooks={"after_receive": after_receive})


# --- uploads, waiters, pagination, callbacks, encryption (issue #8) ----------------------------


def upload_and_convert(client: essbasic.Client, path: Path) -> str:
    up: models.UploadFilesResponse = client.upload_files(
        path, b"%PDF-1.7", ("b.docx", b"PK"), business_type="DOCUMENT", agent=agent()
    )
    plain = client.upload_files(
        Agent=agent(),
        BusinessType="DOCUMENT",
        FileInfos=[{"FileBody": "JVBERi0=", "FileName": "a.pdf"}],
    )
    task = client.create_file_convert_task(
        Agent=agent(), ResourceType="docx", ResourceName="b.docx", ResourceId=up["FileIds"][1]
    )

    def progress(update: essbasic.WaitUpdate) -> None:
        print(update.attempt, update.status, update.next_delay)

    try:
        done = client.wait_file_convert(
            task.get("TaskId", ""), agent=agent(), deadline=120, on_progress=progress
        )
    except TaskError as e:
        return e.status
    return done.get("ResourceId", "") + str(plain.get("TotalCount"))


def every_template(client: essbasic.Client) -> List[str]:
    names: List[str] = []
    for item in client.paginate("DescribeTemplates", {"Agent": agent(), "Limit": 100}):
        names.append(str(item.get("TemplateName")))
    return names


async def every_template_async(client: essbasic.AsyncClient) -> int:
    n = 0
    async for _item in client.paginate("DescribeTemplates", {"Agent": agent()}):
        n += 1
    done = await client.wait_cancel_flows("task", agent=agent(), policy=essbasic.WaitPolicy())
    return n + len(done.get("SuccessFlowIds", []))


def on_callback(body: bytes, headers: Mapping[str, str]) -> int:
    try:
        event = callbacks.open(
            body, key="0" * 32, token="t", signature=headers.get(callbacks.SIGNATURE_HEADER)
        )
    except CallbackError:
        return 403
    if event is None:
        return 200
    if event["MsgType"] == "FlowStatusChange":
        data: callbacks.FlowStatusChange = callbacks.msg_data(event, "FlowStatusChange")
        status: Optional[str] = data.get("FlowStatus")
        print(event["MsgId"], data.get("FlowId"), status)
    return 200


def encrypted(client: essbasic.Client) -> Dict[str, Any]:
    keys = encryption.Keys(b"0" * 32, b"1" * 32, algorithm="AES-CBC")
    envelope: encryption.Envelope = encryption.seal(b"{}", keys)
    plain: bytes = encryption.open(envelope, keys)
    assert plain == b"{}"
    return client.call_encrypted("ChannelCancelFlow", {"Agent": agent(), "FlowId": "f"}, keys=keys)
