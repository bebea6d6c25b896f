"""The Python package from its wheel (or built from its sdist), in a fresh virtualenv: one
action, one API error, one validation error against the emulator.

    python smoke.py <emulator-url> <version>
"""

from __future__ import annotations

import sys
import sysconfig
import traceback
from pathlib import Path
from typing import Callable

import essbasic

URL, VERSION = sys.argv[1], sys.argv[2]
SECRET_ID = "AKIDessbasicEmulator"  # the emulator's documented default pair
SECRET_KEY = "essbasic-emulator-secret-key"
AGENT = {
    "AppId": "yDwhxUUckp3gl8j5UuFX33LSNozpRsbi",
    "ProxyOrganizationOpenId": "org",
    "ProxyOperator": {"OpenId": "op"},
}
failed = 0


def check(name: str, fn: Callable[[], object]) -> None:
    global failed
    try:
        detail = fn()
        print(f"ok - {name}" + (f" ({detail})" if detail else ""))
    except Exception:  # noqa: BLE001 - report every failure as a line
        failed += 1
        print(f"not ok - {name}: " + " | ".join(traceback.format_exc().strip().splitlines()[-3:]))


def client(secret_key: str = SECRET_KEY) -> essbasic.Client:
    return essbasic.Client(secret_id=SECRET_ID, secret_key=secret_key, endpoint=URL, timeout=20)


def installed() -> str:
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    here = Path(essbasic.__file__).resolve()
    assert here.is_relative_to(site), f"{here} is not under {site}"
    assert (here.parent / "py.typed").is_file(), "no py.typed"
    assert (here.parent / "_core.pyi").is_file(), "no _core.pyi"
    assert essbasic.__version__ == VERSION, essbasic.__version__
    return f"{essbasic.__version__} in {here.parent}"


def action() -> str:
    res = client().describe_usage(Agent=AGENT, StartDate="2026-01-01", EndDate="2026-01-02")
    assert isinstance(res["RequestId"], str) and res["RequestId"], res
    return f"RequestId {res['RequestId']}"


def api_error() -> str:
    try:
        client("not-the-key").channel_cancel_flow(Agent=AGENT, FlowId="f")
    except essbasic.ApiError as e:
        assert e.code == "AuthFailure.SignatureFailure", e.code
        assert isinstance(e, essbasic.TencentCloudSDKException)
        assert e.requestId, "no requestId"
        return e.code
    raise AssertionError("no ApiError")


def validation_error() -> str:
    try:
        client().channel_cancel_flow(Agent=AGENT)  # type: ignore[call-arg]  # FlowId missing
    except essbasic.ValidationError as e:
        assert e.path == "FlowId", e.path
        return f"path {e.path}"
    raise AssertionError("no ValidationError")


check("import essbasic comes from site-packages, with py.typed and _core.pyi", installed)
check("an action: describe_usage answers with a RequestId", action)
check("an API error: a wrong key is ApiError AuthFailure.SignatureFailure", api_error)
check("a validation error: a missing required member names its path", validation_error)
sys.exit(1 if failed else 0)
