"""Typing mistakes ``mypy --strict`` must report, each on the line marked ``# expect: CODE``
(test_typing.py): the generated signatures really check parameters and results."""

from __future__ import annotations

import essbasic
from essbasic import models

AGENT: models.Agent = {"AppId": "yDapp"}


def mistakes(client: essbasic.Client) -> None:
    client.channel_cancel_flow(Agent=AGENT)  # expect: call-arg
    client.channel_cancel_flow(Agent=AGENT, FlowId=42)  # expect: arg-type
    client.channel_cancel_flow(Agent=AGENT, FlowId="f", NoSuchMember=1)  # expect: call-arg
    client.describe_templates(Agent={"AppId": 1})  # expect: typeddict-item
    resp = client.describe_templates(Agent=AGENT)
    count: str = resp["TotalCount"]  # expect: assignment
    resp["NoSuchKey"]  # expect: typeddict-item
    client.no_such_action()  # expect: attr-defined
    client.describe_templates(Agent=AGENT, trace_id=42)  # expect: arg-type
    meta = essbasic.response_meta(resp)
    attempts: str = meta.attempts  # expect: assignment
    client.paginate("DescribeTemplates", 42)  # expect: arg-type
    client.wait_file_convert("t")  # expect: call-arg
    essbasic.Client(hooks={"before_send": 42})  # expect: dict-item


def callback_mistakes(body: bytes) -> None:
    event = essbasic.callbacks.open(body)
    event["MsgType"]  # expect: index
    if event is not None:
        data = essbasic.callbacks.msg_data(event, "FlowStatusChange")
        data["NoSuchKey"]  # expect: typeddict-item


async def async_mistakes(client: essbasic.AsyncClient) -> None:
    resp = client.describe_templates(Agent=AGENT)
    resp["RequestId"]  # expect: index
