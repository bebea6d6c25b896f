"""Drives the emulator with the official Tencent Cloud Python SDK (tencentcloud-sdk-python).

Environment: EMULATOR_URL (http://127.0.0.1:PORT), EMU_SECRET_ID / EMU_SECRET_KEY (a key pair
the emulator knows), EMU_TOKEN_ID / EMU_TOKEN_KEY / EMU_TOKEN (a pair that needs a token).
Prints one line per case and `python-sdk: N passed, M failed`; exits non-zero on failure.
"""

import base64
import json
import os
import sys
import time
from urllib.parse import urlparse

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.essbasic.v20210526 import essbasic_client, models

URL = os.environ["EMULATOR_URL"]
HOSTPORT = urlparse(URL).netloc
SID, SKEY = os.environ["EMU_SECRET_ID"], os.environ["EMU_SECRET_KEY"]
TID, TKEY, TOKEN = os.environ["EMU_TOKEN_ID"], os.environ["EMU_TOKEN_KEY"], os.environ["EMU_TOKEN"]
AGENT = {"AppId": "yDwhxUUckp3gl8j5UuFX33LSNozpRsbi", "ProxyOrganizationOpenId": "org_emulator",
         "ProxyOperator": {"OpenId": "n9527"}}

passed, failed = 0, 0


def client(sign_method="TC3-HMAC-SHA256", method="POST", cred=None, file_host=False):
    """A client aimed at the emulator: directly, or through it as the file host's proxy."""
    http = HttpProfile(protocol="http", reqMethod=method)
    if file_host:
        # The real file host name is signed and sent as Host; the emulator is the HTTP proxy,
        # so no traffic leaves the machine.
        http.endpoint = "file.ess.tencent.cn"
        http.proxy = URL
    else:
        http.endpoint = HOSTPORT
    profile = ClientProfile(httpProfile=http, signMethod=sign_method)
    return essbasic_client.EssbasicClient(cred or credential.Credential(SID, SKEY), "", profile)


def call(c, action, params):
    req = getattr(models, action + "Request")()
    req.from_json_string(json.dumps(params))
    resp = getattr(c, action)(req)
    return json.loads(resp.to_json_string())


def case(name, fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"ok   python {name}")
    except Exception as e:  # noqa: BLE001 - report every failure and go on
        failed += 1
        print(f"FAIL python {name}: {type(e).__name__}: {e}")


def expect_error(code, fn):
    try:
        fn()
    except TencentCloudSDKException as e:
        assert e.get_code() == code, f"expected {code}, got {e.get_code()}: {e.get_message()}"
        return
    raise AssertionError(f"expected error {code}, got success")


state = {}


def upload():
    body = base64.b64encode(b"%PDF-1.4 emulator test").decode()
    r = call(client(file_host=True), "UploadFiles",
             {"Agent": AGENT, "BusinessType": "DOCUMENT", "FileInfos": [{"FileBody": body, "FileName": "a.pdf"}]})
    assert len(r["FileIds"]) == 1, r
    state["file"] = r["FileIds"][0]


def create_flow():
    r = call(client(), "ChannelCreateFlowByFiles", {
        "Agent": AGENT, "FlowName": "python flow", "FileIds": [state["file"]], "Deadline": int(time.time()) + 86400,
        "FlowApprovers": [{"ApproverType": "PERSON", "Name": "张三", "Mobile": "13200000000"}]})
    assert r["FlowId"], r
    state["flow"] = r["FlowId"]


def describe_get():
    r = call(client(method="GET"), "DescribeFlowDetailInfo", {"Agent": AGENT, "FlowIds": [state["flow"]]})
    assert r["FlowInfo"][0]["FlowId"] == state["flow"], r
    assert r["FlowInfo"][0]["FlowStatus"] == "INIT", r


def sign_url_hmac256():
    r = call(client(sign_method="HmacSHA256"), "ChannelCreateFlowSignUrl", {
        "Agent": AGENT, "FlowId": state["flow"],
        "FlowApproverInfos": [{"ApproverType": "PERSON", "Name": "张三", "Mobile": "13200000000"}]})
    assert r["FlowApproverUrlInfos"][0]["SignUrl"].startswith("https://"), r


def convert_hmac1():
    c = client(sign_method="HmacSHA1")
    r = call(c, "CreateFileConvertTask", {"Agent": AGENT, "ResourceType": "docx", "ResourceName": "a.docx",
                                          "ResourceId": state["file"]})
    task = r["TaskId"]
    for _ in range(5):
        r = call(c, "DescribeFileConvertTask", {"Agent": AGENT, "TaskId": task})
        if r["TaskStatus"] == 8:
            assert r["ResourceId"], r
            return
    raise AssertionError(f"task never finished: {r}")


def hmac1_get():
    r = call(client(sign_method="HmacSHA1", method="GET"), "DescribeTemplates",
             {"Agent": AGENT, "Limit": 20, "Offset": 0, "QueryAllComponents": True})
    assert "Templates" in r, r


def with_token():
    cred = credential.Credential(TID, TKEY, TOKEN)
    r = call(client(cred=cred), "DescribeUsage",
             {"Agent": AGENT, "StartDate": "2024-01-01", "EndDate": "2024-01-31"})
    assert "Details" in r, r


def with_token_v1():
    cred = credential.Credential(TID, TKEY, TOKEN)
    r = call(client(sign_method="HmacSHA256", cred=cred), "DescribeUsage",
             {"Agent": AGENT, "StartDate": "2024-01-01", "EndDate": "2024-01-31"})
    assert "Details" in r, r


def wrong_token():
    cred = credential.Credential(TID, TKEY, "not-the-token")
    expect_error("AuthFailure.TokenFailure", lambda: call(client(cred=cred), "DescribeUsage",
                 {"Agent": AGENT, "StartDate": "2024-01-01", "EndDate": "2024-01-31"}))


def wrong_signature():
    cred = credential.Credential(SID, SKEY + "-wrong")
    expect_error("AuthFailure.SignatureFailure",
                 lambda: call(client(cred=cred), "DescribeFlowDetailInfo", {"Agent": AGENT, "FlowIds": [state["flow"]]}))


def missing_member():
    expect_error("MissingParameter", lambda: call(client(), "ChannelCancelFlow", {"Agent": AGENT}))


def cancel():
    call(client(), "ChannelCancelFlow", {"Agent": AGENT, "FlowId": state["flow"], "CancelMessage": "test"})
    r = call(client(), "DescribeFlowDetailInfo", {"Agent": AGENT, "FlowIds": [state["flow"]]})
    assert r["FlowInfo"][0]["FlowStatus"] == "CANCEL", r


def unknown_flow():
    expect_error("ResourceNotFound.Flow", lambda: call(client(), "DescribeFlowDetailInfo",
                                                      {"Agent": AGENT, "FlowIds": ["yDnoSuchFlow"]}))


case("UploadFiles via file host (TC3 POST, service essbasic)", upload)
case("ChannelCreateFlowByFiles (TC3 POST)", create_flow)
case("DescribeFlowDetailInfo (TC3 GET)", describe_get)
case("ChannelCreateFlowSignUrl (v1 HmacSHA256 POST)", sign_url_hmac256)
case("CreateFileConvertTask + DescribeFileConvertTask (v1 HmacSHA1 POST)", convert_hmac1)
case("DescribeTemplates (v1 HmacSHA1 GET)", hmac1_get)
case("DescribeUsage with token (TC3)", with_token)
case("DescribeUsage with token (v1 HmacSHA256)", with_token_v1)
case("wrong token refused", wrong_token)
case("wrongly signed request refused", wrong_signature)
case("missing required member refused", missing_member)
case("ChannelCancelFlow then status CANCEL", cancel)
case("unknown flow id refused", unknown_flow)

print(f"python-sdk: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
