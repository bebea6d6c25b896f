"""Callbacks (回调): authenticate, decrypt and parse what the service POSTs to your URL, with
the core's ``essbasic::callback``.

The service sends ``{"encrypt": "<base64>"}``: the envelope ``{"MsgId", "MsgType",
"MsgVersion", "MsgData"}`` encrypted with AES-256-CBC under the 32-character callback key of
the console; with a callback token it also sends ``Content-Signature: sha256=<hex HMAC>`` of
the raw body. :func:`open` checks the signature first (in constant time, over the bytes
exactly as received: pass the raw body, never a re-encoded one), then decrypts, then parses::

    from essbasic import callbacks

    def handle(body: bytes, headers: Mapping[str, str]) -> int:
        try:
            event = callbacks.open(body, key=KEY, token=TOKEN,
                                   signature=headers.get("Content-Signature"))
        except essbasic.CallbackError:
            return 403                     # forged, altered or undecryptable: process nothing
        if event is None:
            return 200                     # the console's URL check
        if event["MsgType"] == "FlowStatusChange":
            data = callbacks.msg_data(event, "FlowStatusChange")
            print(data.get("FlowId"), data.get("FlowStatus"))
        return 200

**Duplicates and replays.** A callback has no timestamp or nonce and undelivered ones are
sent again, so the same message can arrive more than once: store the ``MsgId`` s you
processed (with the business change, in one transaction) and ignore one you have seen.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple, TypedDict, Union, overload

from . import _core

__all__ = [
    "SIGNATURE_HEADER",
    "MAX_BODY_BYTES",
    "CallbackEvent",
    "FlowApprover",
    "FlowStatusChange",
    "OperateSeal",
    "VerifyStaffInfo",
    "OrgAuth",
    "OrgCertify",
    "OrgOpenTsignBiz",
    "open",
    "seal",
    "msg_data",
]

#: The header with the body's HMAC (``Content-Signature``).
SIGNATURE_HEADER: str = _core.CALLBACK_SIGNATURE_HEADER
#: The largest body accepted (4 MiB): larger ones are refused unread.
MAX_BODY_BYTES: int = _core.CALLBACK_MAX_BODY_BYTES


class CallbackEvent(TypedDict):
    """One callback message: ``MsgData`` as the service sent it (see :func:`msg_data` for
    its typed view by ``MsgType``)."""

    MsgId: str
    MsgType: str
    MsgVersion: str
    MsgData: Dict[str, Any]


class FlowApprover(TypedDict, total=False):
    """One signer in ``FlowStatusChange.FlowApproverInfo``."""

    ReceiptId: str
    ProxyOrganizationOpenId: str
    ProxyOperatorOpenId: str
    ProxyOrganizationName: str
    #: Masked by the service.
    Mobile: str
    SignOrder: int
    ApproveName: str
    #: ``PENDING``, ``ACCEPT``, ``REJECT``, ``DEADLINE``, ``CANCEL``...
    ApproveStatus: str
    ApproveMessage: str
    ApproveTime: int
    #: ``PERSON``, ``ORGANIZATION``...
    ApproveType: str


class FlowStatusChange(TypedDict, total=False):
    """``MsgData`` of ``FlowStatusChange``: a contract was created, signed, refused,
    cancelled, expired..."""

    ApplicationId: str
    ProxyOrganizationOpenId: str
    FlowId: str
    FlowName: str
    FlowType: str
    #: ``INIT``, ``PART``, ``REJECT``, ``ALL``, ``DEADLINE``, ``CANCEL``, ``RELIEVED``...
    FlowStatus: str
    FlowMessage: str
    CreateOn: int
    Deadline: int
    CustomerData: str
    FlowApproverInfo: List[FlowApprover]


class OperateSeal(TypedDict, total=False):
    """``MsgData`` of ``OperateSeal``."""

    ApplicationId: str
    ProxyOrganizationOpenId: str
    ProxyOperatorOpenId: str
    AuthorizedOperatorOpenId: str
    SealId: str
    SealName: str
    #: ``Create``, ``Delete``, ``Disable``, ``Enable``, ``Valid`` or ``Invalid``.
    Operate: str


class VerifyStaffInfo(TypedDict, total=False):
    """``MsgData`` of ``VerifyStaffInfo``: an employee joined a sub-organization."""

    ApplicationId: str
    ProxyOrganizationOpenId: str
    ProxyOperatorOpenId: str


class OrgAuth(TypedDict, total=False):
    """``MsgData`` of ``OrgAuth``: a sub-organization authorized."""

    ApplicationId: str
    ProxyOrganizationOpenId: str
    ProxyOperatorOpenId: str
    AuthSuccess: bool


class OrgCertify(TypedDict, total=False):
    """``MsgData`` of ``OrgCertify``: the authorization letter was reviewed."""

    ApplicationId: str
    ProxyOrganizationOpenId: str
    OperateSuccess: bool
    CertifyReason: str
    OperateTime: str


class OrgOpenTsignBiz(TypedDict, total=False):
    """``MsgData`` of ``OrgOpenTsignBiz``: a sub-organization finished activation."""

    ApplicationId: str
    ProxyOrganizationOpenId: str
    ProxyOperatorOpenId: str
    ProxyAppId: str
    OpenSuccess: bool
    OrganizationName: str
    USCC: str
    LegalName: str


def open(
    body: Union[bytes, bytearray, memoryview, str],
    key: Optional[str] = None,
    token: Optional[str] = None,
    signature: Optional[str] = None,
) -> Optional[CallbackEvent]:
    """Authenticates, decrypts and parses one callback body.

    :param body: the raw request body, byte for byte.
    :param key: the 32-character callback key of the console, or ``None`` when none is
        configured (the body is then the plain envelope; an encrypted one is refused).
    :param token: the callback token; when set, ``signature`` is required and checked.
    :param signature: the ``Content-Signature`` header value.
    :returns: the envelope, or ``None`` for the console's URL check (answer it with 200).
    :raises essbasic.errors.CallbackError: refuse the request (an error status) and process
        nothing.
    """
    data = bytes(body) if isinstance(body, (bytearray, memoryview)) else body
    text = _core.callback_open(data, key, token, signature)
    if text is None:
        return None
    event: CallbackEvent = json.loads(text)
    return event


def seal(
    envelope: Union[Mapping[str, Any], bytes, str],
    key: Optional[str] = None,
    token: Optional[str] = None,
) -> Tuple[bytes, Optional[str]]:
    """What the service would send for ``envelope``: ``(body, Content-Signature value or
    None)``. For tests of your handler, and to replay a stored callback."""
    if isinstance(envelope, Mapping):
        data: Union[bytes, str] = json.dumps(envelope, ensure_ascii=False)
    else:
        data = envelope
    return _core.callback_seal(data, key, token)


@overload
def msg_data(event: CallbackEvent, msg_type: Literal["FlowStatusChange"]) -> FlowStatusChange: ...
@overload
def msg_data(event: CallbackEvent, msg_type: Literal["OperateSeal"]) -> OperateSeal: ...
@overload
def msg_data(event: CallbackEvent, msg_type: Literal["VerifyStaffInfo"]) -> VerifyStaffInfo: ...
@overload
def msg_data(event: CallbackEvent, msg_type: Literal["OrgAuth"]) -> OrgAuth: ...
@overload
def msg_data(event: CallbackEvent, msg_type: Literal["OrgCertify"]) -> OrgCertify: ...
@overload
def msg_data(event: CallbackEvent, msg_type: Literal["OrgOpenTsignBiz"]) -> OrgOpenTsignBiz: ...
@overload
def msg_data(event: CallbackEvent, msg_type: str) -> Mapping[str, Any]: ...
def msg_data(event: CallbackEvent, msg_type: str) -> Any:
    """``event["MsgData"]``, typed for ``msg_type``; ``ValueError`` when the event is of
    another type."""
    if event.get("MsgType") != msg_type:
        raise ValueError(f"the event is a {event.get('MsgType')!r}, not a {msg_type!r}")
    return event.get("MsgData") or {}
