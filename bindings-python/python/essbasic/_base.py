"""What :class:`essbasic.Client` and :class:`essbasic.AsyncClient` share: settings,
credentials, and one call as a sans-I/O sequence of attempts (build and sign through the
core, classify the answer through the core, decide retries through the core), with its trace
id, hooks, debug log records and :class:`ResponseMeta`."""

from __future__ import annotations

import copy
import os
import warnings
from time import monotonic
from time import time as _now
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

from . import _core
from ._credentials import (
    ENV_PROFILE,
    ENV_SECRET_ID,
    ENV_SECRET_KEY,
    ENV_TOKEN,
    Credentials,
    resolve_credentials,
)
from ._util import Frozen, debug_logger, info, logging_seen, new_nonce, new_trace_id
from .errors import DecodeError, TencentCloudSDKException, ValidationError
from .retry import Retry, retry_policy
from .transport import HttpRequest

if TYPE_CHECKING:
    from .transport import HttpResponse

__all__ = [
    "AttrDict",
    "BaseClient",
    "HookContext",
    "ResponseMeta",
    "Result",
    "Settings",
    "response_meta",
    "ENV_SECRET_ID",
    "ENV_SECRET_KEY",
    "ENV_TOKEN",
    "ENV_PROFILE",
    "ENV_REGION",
]

#: The environment variable the region comes from.
ENV_REGION = "TENCENTCLOUD_REGION"

_USER_AGENT = f"essbasic-python/{_core.__version__}"

_new_request = tuple.__new__
_logging_seen = logging_seen

#: The deprecated actions -> the action that replaces each (if any).
_DEPRECATED: Dict[str, Optional[str]] = {
    name: replaced_by for name, _read_only, deprecated, replaced_by in _core.actions() if deprecated
}

#: Headers a ``before_send`` hook may not set: the signature, what it covers, and the
#: protocol headers the core wrote.
_PROTECTED_PREFIX = "x-tc-"
_PROTECTED = frozenset({"authorization", "host", "content-type", "content-length"})


class AttrDict(Dict[str, Any]):
    """A dict that also reads its keys as attributes, like the official SDK's models:
    ``resp.FlowId`` is ``resp["FlowId"]``, and an absent PascalCase member reads as ``None``.
    ``to_json_string()`` and ``_serialize()`` work as on the official models."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            if name[:1].isupper():
                return None
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def to_json_string(self, *args: Any, **kwargs: Any) -> str:
        """The JSON text (``ensure_ascii=False`` unless given), like the official models."""
        import json

        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self, *args, **kwargs)

    def _serialize(self, allow_none: bool = False) -> Dict[str, Any]:
        return dict(self)


class ResponseMeta(Frozen):
    """How a call went: read it with :func:`essbasic.response_meta` (or ``resp.meta``).
    Immutable."""

    __slots__ = ("action", "request_id", "trace_id", "attempts", "status", "duration", "headers")
    _fields = __slots__

    #: The action.
    action: str
    #: ``Response.RequestId``.
    request_id: Optional[str]
    #: The ``X-TC-TraceId`` every attempt of the call carried.
    trace_id: str
    #: Attempts made (1 without retries).
    attempts: int
    #: The HTTP status of the answer.
    status: int
    #: Seconds from the start of the call to the answer, retries and backoffs included.
    duration: float
    #: The answer's HTTP headers.
    headers: Tuple[Tuple[str, str], ...]

    def __init__(
        self,
        action: str,
        request_id: Optional[str],
        trace_id: str,
        attempts: int,
        status: int,
        duration: float,
        headers: Tuple[Tuple[str, str], ...] = (),
    ) -> None:
        _set = object.__setattr__
        _set(self, "action", action)
        _set(self, "request_id", request_id)
        _set(self, "trace_id", trace_id)
        _set(self, "attempts", attempts)
        _set(self, "status", status)
        _set(self, "duration", duration)
        _set(self, "headers", headers)


class Result(Dict[str, Any]):
    """The ``Response`` object of a successful call: a ``dict`` (typed as the action's
    ``TypedDict``) that also carries the call's :class:`ResponseMeta` as ``meta``. Copies
    and pickles are plain dicts."""

    __slots__ = ("_meta",)
    _meta: Any

    @property
    def meta(self) -> ResponseMeta:
        """How the call went."""
        return _meta_of(self)

    def __reduce__(self) -> Tuple[Any, ...]:
        return (dict, (dict(self),))

    def __copy__(self) -> Dict[str, Any]:
        return dict(self)


class AttrResult(AttrDict):
    """:class:`Result` for the official-shaped methods: an :class:`AttrDict` with ``meta``."""

    __slots__ = ("_meta",)
    _meta: Any

    @property
    def meta(self) -> ResponseMeta:
        """How the call went."""
        return _meta_of(self)

    def __reduce__(self) -> Tuple[Any, ...]:
        return (AttrDict, (dict(self),))

    def __copy__(self) -> AttrDict:
        return AttrDict(self)


#: Sets ``AttrResult._meta`` (its ``__setattr__`` sets items).
_set_attr_meta = AttrResult._meta.__set__
_parse_response = _core.parse_response


def _meta_of(result: Union[Result, AttrResult]) -> ResponseMeta:
    """The result's :class:`ResponseMeta`, made from the call's fields on first read."""
    meta = result._meta
    if type(meta) is tuple:
        action, request_id, trace_id, attempts, status, duration, headers = meta
        meta = ResponseMeta(
            action, request_id, trace_id, attempts, status, duration, tuple(headers)
        )
        object.__setattr__(result, "_meta", meta)
    assert isinstance(meta, ResponseMeta)
    return meta


def response_meta(response: Mapping[str, Any]) -> ResponseMeta:
    """The :class:`ResponseMeta` of a ``Response`` object a client method returned (its
    RequestId, trace id, attempts, HTTP status, duration and headers). Raises
    ``ValueError`` for any other mapping (a copy, an envelope, a dict you made)."""
    meta = getattr(response, "meta", None) if isinstance(response, (Result, AttrResult)) else None
    if not isinstance(meta, ResponseMeta):
        raise ValueError("not a Response object returned by an essbasic client")
    return meta


class HookContext:
    """What a hook receives. Every hook gets ``action``, ``attempt`` (1-based),
    ``trace_id``, ``request`` (the signed :class:`~essbasic.transport.HttpRequest`; its
    ``repr`` hides the secrets) and ``elapsed`` (seconds since the call started);
    ``after_receive``, ``on_retry`` and ``on_error`` also get ``duration`` (seconds of the
    attempt), ``response`` / ``status`` (when an answer came), ``request_id`` (when the
    answer had one) and ``error``; ``on_retry`` gets ``delay`` (seconds before the next
    attempt). A ``before_send`` hook may call :meth:`add_header`."""

    __slots__ = (
        "stage",
        "action",
        "attempt",
        "trace_id",
        "request",
        "elapsed",
        "duration",
        "response",
        "status",
        "request_id",
        "error",
        "delay",
    )

    def __init__(
        self,
        stage: str,
        action: str,
        attempt: int,
        trace_id: str,
        request: HttpRequest,
        elapsed: float,
        duration: Optional[float] = None,
        response: Optional[HttpResponse] = None,
        request_id: Optional[str] = None,
        error: Optional[TencentCloudSDKException] = None,
        delay: Optional[float] = None,
    ) -> None:
        #: ``before_send``, ``after_receive``, ``on_retry`` or ``on_error``.
        self.stage = stage
        self.action = action
        self.attempt = attempt
        self.trace_id = trace_id
        self.request = request
        self.elapsed = elapsed
        self.duration = duration
        self.response = response
        self.status: Optional[int] = None if response is None else response.status
        self.request_id = request_id
        self.error = error
        self.delay = delay

    def add_header(self, name: str, value: str) -> None:
        """Adds a header to the request about to be sent (``before_send`` only). The
        signature, what it covers and the ``X-TC-*`` headers cannot be changed."""
        if self.stage != "before_send":
            raise RuntimeError("headers can only be added in a before_send hook")
        lower = name.lower()
        if lower in _PROTECTED or lower.startswith(_PROTECTED_PREFIX):
            raise ValueError(f"{name} is set by the client and cannot be changed in a hook")
        self.request.headers.append((str(name), str(value)))

    def __repr__(self) -> str:
        status = "" if self.status is None else f", status={self.status}"
        error = "" if self.error is None else f", error={self.error.code}"
        return (
            f"HookContext({self.stage}, {self.action}, attempt={self.attempt}, "
            f"trace_id={self.trace_id!r}{status}{error})"
        )


Hook = Callable[[HookContext], Any]


class Hooks(Frozen):
    """The hooks of a client (see :class:`HookContext`)."""

    __slots__ = ("before_send", "after_receive", "on_retry", "on_error")
    _fields = __slots__

    before_send: Optional[Hook]
    after_receive: Optional[Hook]
    on_retry: Optional[Hook]
    on_error: Optional[Hook]

    def __init__(
        self,
        before_send: Optional[Hook] = None,
        after_receive: Optional[Hook] = None,
        on_retry: Optional[Hook] = None,
        on_error: Optional[Hook] = None,
    ) -> None:
        _set = object.__setattr__
        _set(self, "before_send", before_send)
        _set(self, "after_receive", after_receive)
        _set(self, "on_retry", on_retry)
        _set(self, "on_error", on_error)


def hooks_from(value: Union[Mapping[str, Hook], Hooks, None]) -> Hooks:
    """The ``hooks`` option: a mapping of ``before_send``, ``after_receive``, ``on_retry``
    and ``on_error`` to callables."""
    if value is None:
        return Hooks()
    if isinstance(value, Hooks):
        return value
    unknown = set(value) - set(Hooks.__slots__)
    if unknown:
        raise ValueError(f"unknown hook {sorted(unknown)[0]!r}: use {', '.join(Hooks.__slots__)}")
    for name, hook in value.items():
        if hook is not None and not callable(hook):
            raise TypeError(f"hook {name!r} must be callable")
    return Hooks(**dict(value))


class Settings(Frozen):
    """Everything a client is configured with, credentials and transport aside. Immutable
    (:meth:`essbasic.Client.with_options` makes a client with other settings)."""

    __slots__ = (
        "region",
        "language",
        "endpoint",
        "file_endpoint",
        "test_environment",
        "sign_method",
        "http_method",
        "unsigned_payload",
        "strict",
        "request_client",
        "timeout",
        "retry",
        "max_body_bytes",
        "headers",
        "hooks",
        "log_body_bytes",
    )
    _fields = __slots__

    region: Optional[str]
    language: Optional[str]
    endpoint: Optional[str]
    file_endpoint: Optional[str]
    test_environment: bool
    sign_method: str
    http_method: str
    unsigned_payload: bool
    strict: bool
    request_client: Optional[str]
    timeout: float
    retry: Retry
    max_body_bytes: int
    headers: Tuple[Tuple[str, str], ...]
    hooks: Hooks
    log_body_bytes: int

    def __init__(
        self,
        region: Optional[str] = None,
        language: Optional[str] = None,
        endpoint: Optional[str] = None,
        file_endpoint: Optional[str] = None,
        test_environment: bool = False,
        sign_method: str = "TC3-HMAC-SHA256",
        http_method: str = "POST",
        unsigned_payload: bool = False,
        strict: bool = False,
        request_client: Optional[str] = None,
        timeout: float = 60.0,
        retry: Optional[Retry] = None,
        max_body_bytes: int = int(_core.DEFAULT_MAX_BODY_BYTES),
        headers: Tuple[Tuple[str, str], ...] = (),
        hooks: Optional[Hooks] = None,
        log_body_bytes: int = 2048,
    ) -> None:
        _set = object.__setattr__
        _set(self, "region", region)
        _set(self, "language", language)
        _set(self, "endpoint", endpoint)
        _set(self, "file_endpoint", file_endpoint)
        _set(self, "test_environment", test_environment)
        _set(self, "sign_method", sign_method)
        _set(self, "http_method", http_method)
        _set(self, "unsigned_payload", unsigned_payload)
        _set(self, "strict", strict)
        _set(self, "request_client", request_client)
        _set(self, "timeout", timeout)
        _set(self, "retry", retry_policy(None) if retry is None else retry)
        _set(self, "max_body_bytes", max_body_bytes)
        _set(self, "headers", headers)
        _set(self, "hooks", Hooks() if hooks is None else hooks)
        _set(self, "log_body_bytes", log_body_bytes)

    def core_config(self) -> Dict[str, Any]:
        """The configuration dict of ``_core.build_request``."""
        return {
            "region": self.region,
            "language": self.language,
            "endpoint": self.endpoint,
            "file_endpoint": self.file_endpoint,
            "test_environment": self.test_environment,
            "sign_method": self.sign_method,
            "http_method": self.http_method,
            "unsigned_payload": self.unsigned_payload,
            "strict": self.strict,
            "request_client": self.request_client or _USER_AGENT,
        }


def _to_json(value: Any) -> Any:
    """``json.dumps`` fallback: official SDK model objects serialize themselves."""
    serialize = getattr(value, "_serialize", None)
    if callable(serialize):
        return serialize()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_encode: Optional[Callable[[Any], str]] = None


def dump_params(action: str, params: Any) -> str:
    """The parameters as compact JSON text; ``ValidationError`` when they are not JSON."""
    global _encode
    if _encode is None:
        import json

        _encode = json.JSONEncoder(
            separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_to_json
        ).encode
    try:
        return _encode(params)
    except (TypeError, ValueError, RecursionError) as exc:
        detail = f"parameters are not JSON: {exc}"
        raise ValidationError(f"{action}: {detail}", action=action, detail=detail) from None


def request_params(action: str, request: Any) -> Any:
    """The parameters of an official-shaped call: a mapping, a model object (anything with
    ``_serialize()``) or ``None``."""
    if request is None:
        return {}
    if isinstance(request, Mapping):
        return request
    serialize = getattr(request, "_serialize", None)
    if callable(serialize):
        return serialize()
    detail = f"the request must be a dict or a model object, not {type(request).__name__}"
    raise ValidationError(f"{action}: {detail}", action=action, detail=detail)


def model_headers(request: Any) -> Optional[Mapping[str, str]]:
    """The extra headers an official model object carries (``request.headers``)."""
    if request is None or isinstance(request, Mapping):
        return None
    headers = getattr(request, "headers", None)
    return headers if isinstance(headers, Mapping) else None


def _loads(raw: str, attrs: bool) -> Any:
    import json

    try:
        if attrs:
            return json.loads(raw, object_hook=AttrDict)
        return json.loads(raw)
    except RecursionError:
        raise DecodeError("the answer nests deeper than Python's JSON parser allows") from None
    except ValueError as exc:
        raise DecodeError(f"the answer is not valid JSON: {exc}") from None


class Call:
    """One call: its attempts, as sans-I/O steps the sync and async clients drive.

    ``prepare()`` builds and signs the next attempt; the client sends it; ``received()``
    classifies the answer through the core; ``finish()`` parses it into the result, or
    ``failed()`` decides (through the core) whether and when to try again. Every attempt is
    logged once at DEBUG on the ``essbasic`` logger, and every error leaves with the call's
    trace id and attempt count."""

    __slots__ = (
        "client",
        "settings",
        "action",
        "params",
        "extra",
        "trace_id",
        "attrs",
        "raw",
        "attempt",
        "started",
        "resigned",
        "request",
        "timestamp",
        "attempt_started",
        "attempt_ended",
        "response",
        "classified",
        "error",
    )

    def __init__(
        self,
        client: BaseClient,
        action: str,
        params: Any,
        headers: Optional[Mapping[str, str]],
        trace_id: Optional[str],
        attrs: bool,
        raw: bool,
    ) -> None:
        self.client = client
        settings = self.settings = client._settings
        self.action = action
        #: The parameters: Python objects, or their JSON text.
        self.params = params
        extra: Sequence[Tuple[str, str]] = settings.headers
        if headers:
            extra = list(extra)
            extra.extend((str(k), str(v)) for k, v in headers.items())
        if extra and not trace_id:
            for name, value in extra:
                if name.lower() == "x-tc-traceid":
                    trace_id = value
        self.extra = extra
        #: One trace id for every attempt of the call.
        self.trace_id = str(trace_id) if trace_id else new_trace_id()
        self.attrs = attrs
        self.raw = raw
        self.attempt = 0
        self.started = self.attempt_started = self.attempt_ended = monotonic()
        self.resigned = False
        # What an attempt leaves (reset by the next `prepare`).
        self.request: Optional[HttpRequest] = None
        self.timestamp = 0
        self.response: Optional[HttpResponse] = None
        self.classified: Optional[Tuple[Any, Optional[str]]] = None
        self.error: Optional[TencentCloudSDKException] = None

    @classmethod
    def sent(
        cls,
        client: BaseClient,
        action: str,
        params: Any,
        trace_id: str,
        attrs: bool,
        started: float,
        request: HttpRequest,
        timestamp: int,
        attempt_started: float,
    ) -> Call:
        """The call whose first attempt a client made inline (built, signed and sent as
        :meth:`prepare` would), to go on from there: its outcome, a retry, the log record."""
        call = cls(client, action, params, None, trace_id, attrs, False)
        call.started = started
        call.attempt = 1
        call.request = request
        call.timestamp = timestamp
        call.attempt_started = attempt_started
        return call

    @property
    def timeout(self) -> float:
        return self.settings.timeout

    @property
    def hooks(self) -> Hooks:
        return self.settings.hooks

    def tag(self, error: TencentCloudSDKException) -> TencentCloudSDKException:
        """Marks ``error`` with the call's trace id and attempt count."""
        error.trace_id = self.trace_id
        error.attempts = self.attempt if self.request is not None else 0
        return error

    def prepare(self) -> HttpRequest:
        """Validates, builds and signs the next attempt (a fresh timestamp and nonce)."""
        attempt = self.attempt = self.attempt + 1
        if attempt > 1:
            self.response = None
            self.classified = None
            self.error = None
        client = self.client
        builder = client._builder
        action = self.action
        params = self.params
        trace_id = self.trace_id
        timestamp = int(_now()) + client._clock_offset
        nonce = new_nonce()
        try:
            if client._static_credentials:
                credentials = None
                built = builder.build(action, params, timestamp, nonce, trace_id)
            else:
                credentials = client._credentials.get()
                built = builder.build(action, params, timestamp, nonce, trace_id, credentials)
            if built is None:  # objects only Python's json encodes exactly as it does
                text = dump_params(action, params)
                built = builder.build(action, text, timestamp, nonce, trace_id, credentials)
                assert built is not None
        except TencentCloudSDKException as error:
            self.attempt -= 1
            raise self.tag(error) from None
        method, url, signed, body = built
        extra = self.extra
        if extra:
            present = {name.lower() for name, _ in signed}
            for name, value in extra:
                if name.lower() not in present:
                    signed.append((name, value))
                    present.add(name.lower())
        self.timestamp = timestamp
        request = self.request = _new_request(
            HttpRequest, (method, url, signed, body, self.settings.max_body_bytes)
        )
        self.attempt_started = monotonic()
        return request

    def context(self, stage: str, delay: Optional[float] = None) -> HookContext:
        """The :class:`HookContext` of the current attempt."""
        assert self.request is not None
        now = monotonic()
        answered = stage != "before_send"
        request_id = None
        if self.classified is not None:
            request_id = self.classified[1]
        elif self.error is not None:
            request_id = self.error.requestId
        return HookContext(
            stage,
            self.action,
            self.attempt,
            self.trace_id,
            self.request,
            now - self.started,
            duration=(self.attempt_ended - self.attempt_started) if answered else None,
            response=self.response,
            request_id=request_id,
            error=self.error,
            delay=delay,
        )

    def received(self, response: HttpResponse) -> None:
        """Classifies the answer through the core and parses its ``Response`` object (the
        error, if any, is kept for :meth:`finish`)."""
        self.attempt_ended = monotonic()
        self.response = response
        try:
            self.classified = _parse_response(
                response.status,
                response.body,
                self.settings.max_body_bytes,
                AttrDict if self.attrs else None,
            )
        except TencentCloudSDKException as error:
            self.error = error

    def finish(self) -> Any:
        """The result of a classified answer, or raises its error."""
        if self.error is not None:
            raise self.error
        response = self.response
        classified = self.classified
        assert response is not None and classified is not None
        parsed, request_id = classified
        if self.raw:
            self.log(None)
            return response.body
        if parsed.__class__ is str:  # what the core's parse leaves to json.loads
            parsed = _loads(parsed, self.attrs)
        # The ResponseMeta is made when it is read (most callers never do).
        meta = (
            self.action,
            request_id,
            self.trace_id,
            self.attempt,
            response.status,
            monotonic() - self.started,
            response.headers,
        )
        result: Union[Result, AttrResult]
        if self.attrs:
            result = AttrResult(parsed)
            _set_attr_meta(result, meta)
        else:
            result = Result(parsed)
            result._meta = meta
        if _logging_seen():
            self.log(None)
        return result

    def failed(self, error: TencentCloudSDKException, sent: bool = True) -> Optional[float]:
        """After a failed attempt: the seconds to wait before the next one, or ``None`` to
        give up. ``sent`` is false when the transport failed (no answer)."""
        if not sent:
            self.attempt_ended = monotonic()
            self.response = None
        self.error = error
        self.tag(error)
        self.log(error)
        client = self.client
        response = self.response
        if error.code == "AuthFailure.SignatureExpire" and not self.resigned and response:
            date = next((v for k, v in response.headers if k.lower() == "date"), None)
            local = self.timestamp - client._clock_offset
            offset = _core.clock_offset(date, local) if date else None
            if offset is not None:
                info("%s: the local clock is off by %d s; re-signing", self.action, offset)
                client._clock_offset = offset
                self.resigned = True
                return 0.0
        delay = self.settings.retry.decide(
            self.action, error, self.attempt, monotonic() - self.started
        )
        if delay is not None:
            info(
                "%s failed on attempt %d (%s), retrying in %.2f s",
                self.action,
                self.attempt,
                error.code,
                delay,
            )
        return delay

    def log(self, error: Optional[TencentCloudSDKException]) -> None:
        """The DEBUG record of the attempt; nothing is computed when DEBUG is off."""
        logger = debug_logger()
        if logger is None:
            return
        from urllib.parse import urlsplit

        request = self.request
        assert request is not None
        limit = self.settings.log_body_bytes
        parts = urlsplit(request.url)
        if request.body:
            sent = _core.redact_body(request.body, limit)
        else:
            sent = _core.redact_body(parts.query.encode(), limit) if parts.query else ""
        response = self.response
        answer = _core.redact_body(response.body, limit) if response is not None else ""
        request_id = None
        if self.classified is not None:
            request_id = self.classified[1]
        elif error is not None:
            request_id = error.requestId
        fields = {
            "action": self.action,
            "host": parts.netloc,
            "attempt": self.attempt,
            "status": None if response is None else response.status,
            "duration_ms": round((self.attempt_ended - self.attempt_started) * 1000, 1),
            "request_id": request_id,
            "trace_id": self.trace_id,
            "error": None if error is None else error.code,
        }
        logger.debug(
            "%s attempt=%d host=%s status=%s duration_ms=%.1f request_id=%s trace_id=%s "
            "error=%s request=%s response=%s",
            self.action,
            self.attempt,
            parts.netloc,
            fields["status"],
            fields["duration_ms"],
            request_id,
            self.trace_id,
            fields["error"],
            sent,
            answer,
            extra={"essbasic": fields},
        )


_C = TypeVar("_C", bound="BaseClient")


class BaseClient:
    """The configuration and the sans-I/O half of a client (see :class:`essbasic.Client`)."""

    _settings: Settings
    _credentials: Credentials

    def __init__(
        self,
        secret_id: Optional[str] = None,
        secret_key: Optional[str] = None,
        token: Optional[str] = None,
        region: Optional[str] = None,
        *,
        credential: Any = None,
        profile: Optional[str] = None,
        endpoint: Optional[str] = None,
        file_endpoint: Optional[str] = None,
        test_environment: bool = False,
        language: Optional[str] = None,
        timeout: float = 60.0,
        retry: Union[Retry, int, bool, None] = None,
        strict: bool = False,
        sign_method: str = "TC3-HMAC-SHA256",
        http_method: str = "POST",
        unsigned_payload: bool = False,
        request_client: Optional[str] = None,
        max_body_bytes: Optional[int] = None,
        headers: Optional[Mapping[str, str]] = None,
        hooks: Optional[Mapping[str, Hook]] = None,
        log_body_bytes: int = 2048,
        transport: Any = None,
    ) -> None:
        self._credentials = resolve_credentials(secret_id, secret_key, token, credential, profile)
        if region is None:
            region = os.environ.get(ENV_REGION) or None
        if language not in (None, "", "zh-CN", "en-US"):
            raise ValueError(f"language must be zh-CN or en-US, not {language!r}")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        if max_body_bytes is not None and max_body_bytes <= 0:
            raise ValueError("max_body_bytes must be positive")
        self._settings = Settings(
            region=region,
            language=language or None,
            endpoint=endpoint,
            file_endpoint=file_endpoint,
            test_environment=test_environment,
            sign_method=sign_method,
            http_method=http_method.upper(),
            unsigned_payload=unsigned_payload,
            strict=strict,
            request_client=request_client,
            timeout=float(timeout),
            retry=retry_policy(retry),
            max_body_bytes=int(max_body_bytes or _core.DEFAULT_MAX_BODY_BYTES),
            headers=tuple((str(k), str(v)) for k, v in (headers or {}).items()),
            hooks=hooks_from(hooks),
            log_body_bytes=int(log_body_bytes),
        )
        self._static_credentials = self._credentials.static is not None
        self._configure()
        self._owns_transport = True
        #: Seconds added to the local clock, learnt from ``AuthFailure.SignatureExpire``.
        self._clock_offset = 0
        self._set_transport(transport)

    def _configure(self) -> None:
        """The core's view of the settings: its configuration dict, and one
        :class:`essbasic._core.RequestBuilder` (the parsed configuration and the credentials
        when they do not change) that builds every request."""
        settings = self._settings
        self._config = settings.core_config()
        static = self._credentials.static
        hooks = settings.hooks
        #: Calls need none of the per-call machinery: static credentials, no extra headers,
        #: no hooks (a client may then make a call's first attempt inline).
        self._plain = (
            static is not None
            and not settings.headers
            and hooks.before_send is None
            and hooks.after_receive is None
            and hooks.on_retry is None
            and hooks.on_error is None
        )
        # `build_request` makes the HttpRequest itself (one object, no argument tuple).
        self._builder = _core.RequestBuilder(
            self._config,
            *(static or ()),
            request_type=HttpRequest,
            max_body_bytes=settings.max_body_bytes,
        )

    def _set_transport(self, transport: Any) -> None:
        """Adopts the transport (each client kind adapts what it accepts)."""
        raise NotImplementedError

    @property
    def settings(self) -> Settings:
        """The configuration (read-only; see :meth:`with_options`)."""
        return self._settings

    @property
    def secret_id(self) -> str:
        """The SecretId in use (public: it is sent in every Authorization header)."""
        return self._credentials.secret_id()

    @property
    def credentials_source(self) -> str:
        """Where the credentials came from: ``arguments``, ``the environment``,
        ``profile [NAME] in PATH`` or ``provider``."""
        return self._credentials.source

    def with_options(self: _C, **changes: Any) -> _C:
        """A copy of this client with some settings changed (``timeout``, ``retry``,
        ``endpoint``, ``region``, ``language``, ``strict``, ``hooks``, ...), sharing its
        connections. Close the original, not the copy."""
        if "retry" in changes:
            changes["retry"] = retry_policy(changes["retry"])
        if "timeout" in changes:
            changes["timeout"] = float(changes["timeout"])
        if "hooks" in changes:
            changes["hooks"] = hooks_from(changes["hooks"])
        if "headers" in changes:
            changes["headers"] = tuple(
                (str(k), str(v)) for k, v in (changes["headers"] or {}).items()
            )
        clone = copy.copy(self)
        clone._settings = self._settings._replace(**changes)
        clone._configure()
        clone._owns_transport = False
        return clone

    def __repr__(self) -> str:
        s = self._settings
        where = s.endpoint or ("test environment" if s.test_environment else "production")
        return (
            f"{type(self).__name__}({self._credentials!r}, region={s.region!r}, endpoint={where!r})"
        )

    # -- the sans-I/O steps ----------------------------------------------------------------

    def _begin(
        self,
        action: str,
        params: Any,
        headers: Optional[Mapping[str, str]] = None,
        trace_id: Optional[str] = None,
        attrs: bool = False,
        raw: bool = False,
        params_json: Optional[str] = None,
    ) -> Call:
        """Starts a call (and warns for a deprecated action): ``params`` are converted when
        the attempt is built (:meth:`Call.prepare`), or ``params_json`` is their JSON text."""
        if action in _DEPRECATED:
            replaced_by = _DEPRECATED[action]
            hint = f": use {replaced_by}" if replaced_by else ""
            warnings.warn(f"{action} is deprecated{hint}", DeprecationWarning, stacklevel=5)
        if params_json is not None:
            params = params_json
        elif params.__class__ is not dict and isinstance(params, (str, bytes, bytearray)):
            # Not JSON text: a value to encode (the builder reads str and bytes as text).
            try:
                params = dump_params(action, params)
            except ValidationError as error:
                raise Call(self, action, "", headers, trace_id, attrs, raw).tag(error) from None
        return Call(self, action, params, headers, trace_id, attrs, raw)

    def _prepare(
        self, action: str, params_json: str, headers: Optional[Mapping[str, str]]
    ) -> Tuple[HttpRequest, int]:
        """One signed attempt of ``action`` (for tests and tools)."""
        call = Call(self, action, params_json, headers, None, False, False)
        request = call.prepare()
        return request, call.timestamp

    def _parse(self, response: HttpResponse, attrs: bool) -> Any:
        """The ``Response`` object of one answer, or the matching exception (for tests and
        tools: no call, no meta)."""
        parsed, _request_id = _core.parse_response(
            response.status,
            response.body,
            self._settings.max_body_bytes,
            AttrDict if attrs else None,
        )
        return _loads(parsed, attrs) if isinstance(parsed, str) else parsed
