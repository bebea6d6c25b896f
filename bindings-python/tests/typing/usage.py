"""A typed usage sample: ``mypy --strict`` must accept it as it is (test_typing.py)."""

from __future__ import annotations

import asyncio
from typing import List, Optional

import essbasic
from essbasic import models
from essbasic.errors import ApiError, TencentCloudSDKException, ValidationError


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
