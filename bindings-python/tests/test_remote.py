"""``essbasic.sign_remote``, the server half of remote signing: the signature matches an
independent TC3 computation, the emulator accepts a request signed that way, and the
refusals hold."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from datetime import datetime, timezone
from typing import Dict, Tuple

import essbasic
import pytest
from conftest import AGENT, SECRET_ID, SECRET_KEY, Emulator
from essbasic.errors import SigningError

HOST = "essbasic.tencentcloudapi.com"


def canonical(host: str, action: str, body: bytes) -> str:
    """A remote canonical request: content-type, host and x-tc-action are signed."""
    return "\n".join(
        [
            "POST",
            "/",
            "",
            "content-type:application/json",
            f"host:{host}",
            f"x-tc-action:{action.lower()}",
            "",
            "content-type;host;x-tc-action",
            hashlib.sha256(body).hexdigest(),
        ]
    )


def reference_signature(key: str, canonical_request: str, timestamp: int) -> str:
    """TC3-HMAC-SHA256 from its published definition, with hashlib and hmac only."""
    date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
    scope = f"{date}/essbasic/tc3_request"
    digest = hashlib.sha256(canonical_request.encode()).hexdigest()
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{digest}"

    def mac(k: bytes, msg: str) -> bytes:
        return hmac.new(k, msg.encode(), hashlib.sha256).digest()

    signing_key = mac(mac(mac(f"TC3{key}".encode(), date), "essbasic"), "tc3_request")
    return hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()


def test_signature_matches_the_published_algorithm() -> None:
    ts = 1_700_000_000
    cr = canonical(HOST, "ChannelCancelFlow", b'{"FlowId":"f"}')
    got = essbasic.sign_remote("secret", cr, ts, now=ts + 10, allowed_actions=["ChannelCancelFlow"])
    assert got == reference_signature("secret", cr, ts)


@pytest.mark.parametrize(
    "cr, ts, now, allowed",
    [
        (canonical(HOST, "ChannelCancelFlow", b"{}"), 1_700_000_000, 1_700_000_301, None),
        (
            canonical(HOST, "ChannelCancelFlow", b"{}"),
            1_700_000_000,
            1_700_000_000,
            ["DescribeTemplates"],
        ),
        (canonical("evil.example", "ChannelCancelFlow", b"{}"), 1_700_000_000, 1_700_000_000, None),
        (canonical(HOST, "NoSuchAction", b"{}"), 1_700_000_000, 1_700_000_000, None),
        (
            "POST\n/\n\ncontent-type:application/json\nhost:x\n\ncontent-type;host\n" + "0" * 64,
            1,
            1,
            None,
        ),
    ],
    ids=["skew", "not-allowed", "foreign-host", "unknown-action", "not-remote-shape"],
)
def test_refusals(cr: str, ts: int, now: int, allowed: object) -> None:
    with pytest.raises(SigningError) as err:
        essbasic.sign_remote("secret", cr, ts, now=now, allowed_actions=allowed)  # type: ignore[arg-type]
    assert "secret" not in str(err.value)


def send_remote_signed(
    emulator: Emulator, action: str, params: Dict[str, object]
) -> Tuple[int, bytes]:
    """Signs on the 'server' with sign_remote, sends from the 'browser' with plain HTTP."""
    host = emulator.url.removeprefix("http://")
    body = json.dumps(params, separators=(",", ":")).encode()
    ts = int(time.time())
    signature = essbasic.sign_remote(
        SECRET_KEY, canonical(host, action, body), ts, allowed_actions=[action]
    )
    date = datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d")
    headers = {
        "Authorization": (
            f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{date}/essbasic/tc3_request, "
            f"SignedHeaders=content-type;host;x-tc-action, Signature={signature}"
        ),
        "Content-Type": "application/json",
        "Host": host,
        "X-TC-Action": action,
        "X-TC-Timestamp": str(ts),
        "X-TC-Version": "2021-05-26",
    }
    conn = http.client.HTTPConnection(host, timeout=10)
    try:
        conn.request("POST", "/", body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_the_emulator_accepts_a_remotely_signed_request(emulator: Emulator) -> None:
    status, body = send_remote_signed(emulator, "DescribeTemplates", {"Agent": AGENT})
    assert status == 200
    response = json.loads(body)["Response"]
    assert "Error" not in response, response
    assert response["RequestId"]
