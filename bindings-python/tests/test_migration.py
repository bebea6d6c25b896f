"""Migration: a script written for tencentcloud-sdk-python runs on essbasic with only its
imports changed, and prints what it printed with the official SDK."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict

import essbasic
import pytest
from conftest import AGENT, SECRET_ID, SECRET_KEY, Emulator
from essbasic.compat import CommonClient, Credential, models

SCRIPT = Path(__file__).parent / "migration" / "official_script.py"

#: The official imports and what they become.
IMPORTS: Dict[str, str] = {
    "from tencentcloud.common import credential": "from essbasic.compat import credential",
    "from tencentcloud.common.profile.client_profile import ClientProfile": (
        "from essbasic.compat import ClientProfile"
    ),
    "from tencentcloud.common.profile.http_profile import HttpProfile": (
        "from essbasic.compat import HttpProfile"
    ),
    "from tencentcloud.common.exception.tencent_cloud_sdk_exception"
    " import TencentCloudSDKException": ("from essbasic.errors import TencentCloudSDKException"),
    "from tencentcloud.essbasic.v20210526 import essbasic_client, models": (
        "from essbasic.compat import essbasic_client, models"
    ),
}

#: Keeping the official models: only the client side changes.
IMPORTS_KEEPING_MODELS: Dict[str, str] = dict(
    IMPORTS,
    **{
        "from tencentcloud.essbasic.v20210526 import essbasic_client, models": (
            "from essbasic.compat import essbasic_client\n"
            "from tencentcloud.essbasic.v20210526 import models"
        )
    },
)


def migrate(text: str, imports: Dict[str, str]) -> str:
    lines = [imports.get(line, line) for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def run_script(source: str, emulator: Emulator, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    env = dict(
        os.environ,
        TENCENTCLOUD_SECRET_ID=SECRET_ID,
        TENCENTCLOUD_SECRET_KEY=SECRET_KEY,
        ESSBASIC_DEMO_ENDPOINT=emulator.url.removeprefix("http://"),
        PYTHONIOENCODING="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(path)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def official_output(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> str:
    pytest.importorskip("tencentcloud.essbasic.v20210526")
    out = run_script(
        SCRIPT.read_text(encoding="utf-8"), emulator, tmp_path_factory.mktemp("o"), "official.py"
    )
    assert "status 劳动合同 INIT" in out and "error OperationDenied.FlowStatusForbid True" in out
    return out


@pytest.mark.parametrize(
    "imports", [IMPORTS, IMPORTS_KEEPING_MODELS], ids=["compat-models", "official-models"]
)
def test_the_script_runs_with_only_its_imports_changed(
    official_output: str, emulator: Emulator, tmp_path: Path, imports: Dict[str, str]
) -> None:
    original = SCRIPT.read_text(encoding="utf-8")
    migrated = migrate(original, imports)
    changed = [
        line
        for line in difflib.unified_diff(
            original.splitlines(), migrated.splitlines(), lineterm="", n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed and all(line[1:].startswith(("from ", "import ")) for line in changed), changed
    if imports is IMPORTS:
        assert "import tencentcloud" not in migrated and "from tencentcloud" not in migrated
    assert run_script(migrated, emulator, tmp_path, "migrated.py") == official_output


def test_compat_models() -> None:
    req = models.ChannelCancelFlowRequest()
    assert req.FlowId is None
    req.FlowId = "f"
    agent = models.Agent()
    agent.AppId = "app"
    agent.ProxyOperator = models.UserInfo(OpenId="op")
    req.Agent = agent
    req.CancelMessage = None
    assert req._serialize() == {
        "FlowId": "f",
        "Agent": {"AppId": "app", "ProxyOperator": {"OpenId": "op"}},
    }
    assert json.loads(req.to_json_string())["CancelMessage"] is None
    again = models.ChannelCancelFlowRequest()
    again.from_json_string(req.to_json_string())
    assert again.FlowId == "f" and again.Agent["AppId"] == "app"
    assert models.ChannelCancelFlowRequest is type(req)
    with pytest.raises(AttributeError):
        models.NoSuchModel  # noqa: B018
    with pytest.raises(AttributeError):
        models.METHOD_NAMES  # noqa: B018
    with pytest.raises(AttributeError):
        req.lowercase_name  # noqa: B018


def test_compat_credential_and_clients(emulator: Emulator) -> None:
    cred = Credential(SECRET_ID, SECRET_KEY)
    assert SECRET_KEY not in repr(cred)
    with pytest.raises(essbasic.TencentCloudSDKException) as err:
        Credential(" AKID", "k")
    assert err.value.code == "InvalidCredential"
    common = CommonClient("essbasic", "2021-05-26", cred, "", endpoint=emulator.url)
    envelope = common.call_json("DescribeTemplates", {"Agent": AGENT})
    assert envelope["Response"]["RequestId"]
    assert json.loads(common.call("DescribeTemplates", {"Agent": AGENT}))["Response"]["RequestId"]
    with pytest.raises(essbasic.TencentCloudSDKException):
        CommonClient("ess", "2020-11-11", cred, "")


def test_official_exception_attributes_match() -> None:
    official = pytest.importorskip("tencentcloud.common.exception.tencent_cloud_sdk_exception")
    theirs = official.TencentCloudSDKException("C", "M", "R")
    ours = essbasic.ApiError("C", "M", "R")
    for name in ("code", "message", "requestId"):
        assert getattr(theirs, name) == getattr(ours, name)
    for name in ("get_code", "get_message", "get_request_id"):
        assert getattr(theirs, name)() == getattr(ours, name)()
    assert str(theirs) == str(ours)
