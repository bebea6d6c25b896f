"""Exceptions of essbasic, compatible with the official SDK's ``TencentCloudSDKException``.

Every exception the client raises derives from :class:`TencentCloudSDKException` and has its
``code``, ``message`` and ``requestId`` attributes and ``get_code()``, ``get_message()``,
``get_request_id()`` methods, so ``except TencentCloudSDKException`` code keeps working. The
subclasses tell what went wrong:

- :class:`ValidationError` (also a :class:`ValueError`): the parameters do not fit the spec,
  with the ``action`` and the field ``path`` (``FlowApprovers[0].ApproverType``); nothing was sent.
- :class:`SigningError` (also a :class:`ValueError`): a bad configuration (endpoint, signature
  method); nothing was sent.
- :class:`ApiError`: the service answered ``Response.Error`` (``code`` is ``Error.Code``).
- :class:`HttpError`: a non-2xx status without a readable API error (``status``).
- :class:`DecodeError`: a 2xx answer that is not the ``{"Response": {...}}`` envelope.
- :class:`TimeoutError` (also the built-in :class:`TimeoutError`): no answer in time.
- :class:`TransportError` (also a :class:`ConnectionError`): the HTTP stack failed.
- :class:`CallbackError` (also a :class:`ValueError`): a callback body was refused (bad
  signature, wrong key, not an envelope): answer with an error status, process nothing.
- :class:`CryptoError` (also a :class:`ValueError`): a ``CreateRequestWithEncryption``
  envelope could not be sealed or opened (bad key, altered data).
- :class:`TaskError`: an asynchronous task (file conversion, batch cancel, ...) failed.

Every exception raised by a call carries the call's ``trace_id`` (the ``X-TC-TraceId`` it
sent; also ``traceId`` and ``get_trace_id()``) and ``attempts`` (how many were made).

No message, ``str()`` or ``repr()`` ever holds a SecretKey, a token or a signature.
"""

from __future__ import annotations

import builtins
import re
from typing import Any, Dict, Iterable, Optional, Tuple, Type

__all__ = [
    "TencentCloudSDKException",
    "EssbasicError",
    "ValidationError",
    "SigningError",
    "ApiError",
    "HttpError",
    "DecodeError",
    "TimeoutError",
    "TransportError",
    "CallbackError",
    "CryptoError",
    "TaskError",
]

REDACTED = "** REDACTED **"

_SECRET_QUERY = re.compile(r"(?i)\b(Signature|Token|SecretKey)=[^&\s'\"]*")
_AUTH_HEADER = re.compile(
    r"(?i)(TC3-HMAC-SHA256 Credential=\S+?/\S+?, SignedHeaders=\S+?, Signature=)[0-9a-f]+"
)


def redact(text: str, secrets: Iterable[Optional[str]] = ()) -> str:
    """Masks secrets in ``text``: the given values (SecretKey, token), and the ``Signature``,
    ``Token`` and ``SecretKey`` query values and an Authorization signature, wherever they
    appear (a URL inside an HTTP library's message, for example)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    text = _SECRET_QUERY.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
    return _AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)


def _rebuild(
    cls: Type[TencentCloudSDKException], state: Dict[str, Any]
) -> TencentCloudSDKException:
    exc = cls.__new__(cls)
    exc.__dict__.update(state)
    return exc


class TencentCloudSDKException(Exception):
    """The base of every essbasic exception, shaped like the official SDK's.

    :param code: the error code: the API's ``Error.Code`` or a local one
        (``ValidationError``, ``HttpError``, ``DecodeError``, ``TimeoutError``, ...).
    :param message: what went wrong.
    :param requestId: the ``RequestId`` the service gave, if any.
    """

    #: The kind as a short stable word (``validation``, ``api``, ``http``, ...).
    kind: str = "sdk"

    code: Optional[str]
    message: Optional[str]
    requestId: Optional[str]
    #: The ``X-TC-TraceId`` of the call that failed (``None`` for an error raised outside
    #: a call).
    trace_id: Optional[str]
    #: How many attempts the call made (0 when nothing was sent).
    attempts: int

    def __init__(
        self,
        code: Optional[str] = None,
        message: Optional[str] = None,
        requestId: Optional[str] = None,
    ) -> None:
        Exception.__init__(self, message)
        self.code = code
        self.message = message
        self.requestId = requestId
        self.trace_id = None
        self.attempts = 0

    @property
    def request_id(self) -> Optional[str]:
        """The ``RequestId`` the service gave, if any (same as ``requestId``)."""
        return self.requestId

    @property
    def traceId(self) -> Optional[str]:
        """The ``X-TC-TraceId`` of the call (same as ``trace_id``; the official SDK has no
        trace id, this spelling matches ``requestId``)."""
        return self.trace_id

    def get_trace_id(self) -> Optional[str]:
        """The ``X-TC-TraceId`` of the call, if any."""
        return self.trace_id

    def get_code(self) -> Optional[str]:
        """The error code."""
        return self.code

    def get_message(self) -> Optional[str]:
        """The error message."""
        return self.message

    def get_request_id(self) -> Optional[str]:
        """The ``RequestId``, if any."""
        return self.requestId

    def __str__(self) -> str:
        return "[TencentCloudSDKException] code:%s message:%s requestId:%s" % (
            self.code,
            self.message,
            self.requestId,
        )

    def _repr_fields(self) -> Dict[str, Any]:
        return {"code": self.code, "message": self.message, "requestId": self.requestId}

    def __repr__(self) -> str:
        shown = self._repr_fields()
        trace_id = getattr(self, "trace_id", None)
        if trace_id:
            shown["trace_id"] = trace_id
        fields = ", ".join(f"{k}={v!r}" for k, v in shown.items())
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_rebuild, (type(self), dict(self.__dict__)))


class EssbasicError(TencentCloudSDKException):
    """The base of the exceptions this package raises itself (every kind below)."""


class ValidationError(EssbasicError, ValueError):
    """The parameters do not fit the spec, or the action is unknown; nothing was sent.

    ``path`` locates the field (``FlowApprovers[0].ApproverType``; empty for the action or
    the whole parameter object) and ``detail`` says what is wrong with it.
    """

    kind = "validation"

    def __init__(self, message: str, *, action: str = "", path: str = "", detail: str = "") -> None:
        super().__init__("ValidationError", message, None)
        self.action = action
        self.path = path
        self.detail = detail or message

    def _repr_fields(self) -> Dict[str, Any]:
        return {"action": self.action, "path": self.path, "message": self.message}


class SigningError(EssbasicError, ValueError):
    """The request could not be built or signed (a bad endpoint or signature method)."""

    kind = "signing"

    def __init__(self, message: str) -> None:
        super().__init__("SigningError", message, None)


class ApiError(EssbasicError):
    """The service answered with ``Response.Error``: ``code`` is its ``Error.Code``
    (``OperationDenied``, ``AuthFailure.SignatureExpire``, ...)."""

    kind = "api"

    def __init__(self, code: str, message: str, requestId: Optional[str] = None) -> None:
        super().__init__(code, message, requestId)


class HttpError(EssbasicError):
    """A non-2xx HTTP status without a readable API error; ``body_excerpt`` holds the first
    characters of the body."""

    kind = "http"

    def __init__(self, status: int, body_excerpt: str = "", message: Optional[str] = None) -> None:
        super().__init__("HttpError", message or f"HTTP {status}: {body_excerpt}", None)
        self.status = status
        self.body_excerpt = body_excerpt

    def _repr_fields(self) -> Dict[str, Any]:
        return {"status": self.status, "message": self.message}


class DecodeError(EssbasicError):
    """A 2xx answer that is not the ``{"Response": {...}}`` JSON envelope."""

    kind = "decode"

    def __init__(self, message: str, code: str = "DecodeError") -> None:
        # ``DecodeError.TooLarge``: over ``max_body_bytes``; the same answer would come
        # again, so it is never retried.
        super().__init__(code, message, None)


class TransportError(EssbasicError, ConnectionError):
    """The HTTP stack failed (connect, TLS, reset, ...).

    ``not_sent`` is true when the request provably never reached the server (the connection
    could not be opened): only then is it safe to send a write action again.
    """

    kind = "transport"

    def __init__(self, message: str, *, not_sent: bool = False) -> None:
        super().__init__("TransportError", message, None)
        self.not_sent = not_sent

    def _repr_fields(self) -> Dict[str, Any]:
        return {"message": self.message, "not_sent": self.not_sent}


class TimeoutError(EssbasicError, builtins.TimeoutError):
    """The call did not finish within its timeout (``after_ms``). ``not_sent`` is true when
    it was the connection that timed out."""

    kind = "timeout"

    def __init__(
        self, after_ms: int, *, not_sent: bool = False, message: Optional[str] = None
    ) -> None:
        super().__init__("TimeoutError", message or f"timed out after {after_ms} ms", None)
        self.after_ms = after_ms
        self.not_sent = not_sent

    def _repr_fields(self) -> Dict[str, Any]:
        return {"after_ms": self.after_ms, "not_sent": self.not_sent}


class CallbackError(EssbasicError, ValueError):
    """A callback body was refused: a ``Content-Signature`` that does not match, a wrong or
    missing key, a body that does not decrypt or is not an envelope. Answer the sender with
    an error status and process nothing. The message never holds the key, the token or the
    body."""

    kind = "callback"

    def __init__(self, message: str) -> None:
        super().__init__("CallbackError", message, None)


class CryptoError(EssbasicError, ValueError):
    """A ``CreateRequestWithEncryption`` envelope could not be sealed or opened: a bad key
    length, an integrity check that failed (nothing was decrypted), bad padding or base64."""

    kind = "crypto"

    def __init__(self, message: str) -> None:
        super().__init__("CryptoError", message, None)


class TaskError(EssbasicError):
    """An asynchronous task ended in failure: ``task`` (``file_convert``, ``cancel_flows``,
    ...), ``task_id``, the final ``status`` (``-6``, ``TIMEOUT``, ...) and the service's
    ``detail``."""

    kind = "task"

    def __init__(
        self, message: str, *, task: str = "", task_id: str = "", status: str = "", detail: str = ""
    ) -> None:
        super().__init__("TaskFailed", message, None)
        self.task = task
        self.task_id = task_id
        self.status = status
        self.detail = detail

    def _repr_fields(self) -> Dict[str, Any]:
        return {"task": self.task, "task_id": self.task_id, "status": self.status}


def _from_core(kind: str, fields: Dict[str, Any]) -> TencentCloudSDKException:
    """Builds the exception for an error of the Rust core (called by ``essbasic._core``)."""
    message = str(fields.get("message", ""))
    if kind == "validation":
        return ValidationError(
            message,
            action=str(fields.get("action", "")),
            path=str(fields.get("path", "")),
            detail=str(fields.get("detail", "")),
        )
    if kind == "signing":
        return SigningError(message)
    if kind == "api":
        return ApiError(str(fields.get("code", "")), message, fields.get("request_id"))
    if kind == "http":
        return HttpError(int(fields.get("status", 0)), str(fields.get("body_excerpt", "")), message)
    if kind == "decode":
        return DecodeError(message, str(fields.get("code") or "DecodeError"))
    if kind == "timeout":
        return TimeoutError(int(fields.get("after_ms", 0)), message=message)
    if kind == "transport":
        return TransportError(message, not_sent=bool(fields.get("not_sent", False)))
    if kind == "callback":
        return CallbackError(message)
    if kind == "crypto":
        return CryptoError(message)
    if kind == "task":
        return TaskError(
            message,
            task=str(fields.get("task", "")),
            task_id=str(fields.get("task_id", "")),
            status=str(fields.get("status", "")),
            detail=str(fields.get("detail", "")),
        )
    return EssbasicError(kind, message, None)
