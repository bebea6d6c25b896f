"""A script written for the official tencentcloud-sdk-python (essbasic 2021-05-26).

test_migration.py runs it as it is with the official SDK, then with only its imports
changed to essbasic's, and expects the same output. It reads the emulator's address and
the key pair from the environment.
"""

import json
import os
import time

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.essbasic.v20210526 import essbasic_client, models


def agent():
    operator = models.UserInfo()
    operator.OpenId = "op"
    a = models.Agent()
    a.AppId = "yDapp"
    a.ProxyOrganizationOpenId = "org"
    a.ProxyOperator = operator
    return a


def main():
    cred = credential.Credential(
        os.environ["TENCENTCLOUD_SECRET_ID"], os.environ["TENCENTCLOUD_SECRET_KEY"]
    )
    http_profile = HttpProfile(protocol="http", endpoint=os.environ["ESSBASIC_DEMO_ENDPOINT"])
    http_profile.reqTimeout = 10
    client_profile = ClientProfile(httpProfile=http_profile)
    client = essbasic_client.EssbasicClient(cred, "", client_profile)

    # Upload a file, the JSON way.
    req = models.UploadFilesRequest()
    req.from_json_string(
        json.dumps(
            {
                "Agent": {
                    "AppId": "yDapp",
                    "ProxyOrganizationOpenId": "org",
                    "ProxyOperator": {"OpenId": "op"},
                },
                "BusinessType": "DOCUMENT",
                "FileInfos": [{"FileBody": "JVBERi0xLjQ=", "FileName": "contract.pdf"}],
            }
        )
    )
    resp = client.UploadFiles(req)
    print("uploaded", resp.TotalCount, len(resp.FileIds[0]))
    file_id = resp.FileIds[0]

    # Create a contract, the model way.
    approver = models.FlowApproverInfo()
    approver.ApproverType = "PERSON"
    approver.Name = "张三"
    approver.Mobile = "13200000000"
    approver.ApproverRoleName = "乙方"
    req = models.ChannelCreateFlowByFilesRequest()
    req.Agent = agent()
    req.FlowName = "劳动合同"
    req.FileIds = [file_id]
    req.FlowApprovers = [approver]
    req.Deadline = int(time.time()) + 86400
    resp = client.ChannelCreateFlowByFiles(req)
    flow_id = resp.FlowId
    print("created", len(flow_id), len(resp.Approvers))
    assert json.loads(resp.to_json_string())["FlowId"] == flow_id

    req = models.DescribeFlowDetailInfoRequest()
    req.Agent = agent()
    req.FlowIds = [flow_id]
    resp = client.DescribeFlowDetailInfo(req)
    print("status", resp.FlowInfo[0].FlowName, resp.FlowInfo[0].FlowStatus)

    req = models.ChannelCancelFlowRequest()
    req.Agent = agent()
    req.FlowId = flow_id
    req.CancelMessage = "写错了"
    resp = client.ChannelCancelFlow(req)
    print("cancelled", bool(resp.RequestId))

    # The generic call.
    data = client.call_json(
        "DescribeFlowDetailInfo",
        {
            "Agent": {
                "AppId": "yDapp",
                "ProxyOrganizationOpenId": "org",
                "ProxyOperator": {"OpenId": "op"},
            },
            "FlowIds": [flow_id],
        },
    )
    print("status", data["Response"]["FlowInfo"][0]["FlowStatus"])

    # Errors.
    try:
        client.ChannelCancelFlow(req)
    except TencentCloudSDKException as err:
        print("error", err.get_code(), bool(err.get_request_id()))
    try:
        bad = essbasic_client.EssbasicClient(
            credential.Credential(os.environ["TENCENTCLOUD_SECRET_ID"], "wrong-key"),
            "",
            client_profile,
        )
        bad.ChannelCancelFlow(req)
    except TencentCloudSDKException as err:
        print("error", err.code, bool(err.requestId))


if __name__ == "__main__":
    main()
