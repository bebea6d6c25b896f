"""What :class:`essbasic.Client` and :class:`essbasic.AsyncClient` share: settings,
credentials, building a signed request through the core, and reading the answer."""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import os
import secrets
import time
import uuid
import warnings
from typing import Any, Dict, List, Mapping, Optional, Tuple, TypeVar, Union

from . import _core
from .errors import SigningError, TencentCloudSDKException, ValidationError
from .retry import Retry, retry_policy
from .transport import HttpRequest, HttpResponse

__all__ = [
    "AttrDict",
    "BaseClient",
    "Settings",
    "ENV_SECRET_ID",
    "ENV_SECRET_KEY",
    "ENV_TOKEN",
    "ENV_REGION",
]

logger = logging.getLogger("essbasic")

#: The environment variables the credentials and the region come from (the official SDK's).
ENV_SECRET_ID = "TENCENTCLOUD_SECRET_ID"
ENV_SECRET_KEY = "TENCENTCLOUD_SECRET_KEY"
ENV_TOKEN = "TENCENTCLOUD_SESSION_TOKEN"
ENV_REGION = "TENCENTCLOUD_REGION"

_TOKEN_FALLBACK = "TENCENTCLOUD_TOKEN"
_USER_AGENT = f"essbasic-python/{_core.__version__}"

#: action name -> (read_only, deprecated, replaced_by)
_ACTIONS: Dict[str, Tuple[bool, bool, Optional[str]]] = {
    name: (read_only, deprecated, replaced_by)
    for name, read_only, deprecated, replaced_by in _core.actions()
}


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
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self, *args, **kwargs)

    def _serialize(self, allow_none: bool = False) -> Dict[str, Any]:
        return dict(self)


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything a client is configured with, credentials and transport aside."""

    region: Optional[str] = None
    language: Optional[str] = None
    endpoint: Optional[str] = None
    file_endpoint: Optional[str] = None
    test_environment: bool = False
    sign_method: str = "TC3-HMAC-SHA256"
    http_method: str = "POST"
    unsigned_payload: bool = False
    strict: bool = False
    request_client: Optional[str] = None
    timeout: float = 60.0
    retry: Retry = dataclasses.field(default_factory=lambda: retry_policy(None))
    max_body_bytes: int = int(_core.DEFAULT_MAX_BODY_BYTES)
    headers: Tuple[Tuple[str, str], ...] = ()

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


def _mask(secret_id: str) -> str:
    if len(secret_id) <= 8:
        return "****"
    return f"{secret_id[:4]}****{secret_id[-4:]}"


class _Credentials:
    """A SecretId, a SecretKey and a token, or an object that provides them (an official
    ``Credential``, STS or role provider: anything with ``get_credential_info()``)."""

    __slots__ = ("_static", "_provider")

    def __init__(self, static: Optional[Tuple[str, str, Optional[str]]], provider: Any) -> None:
        self._static = static
        self._provider = provider

    def get(self) -> Tuple[str, str, Optional[str]]:
        if self._static is not None:
            return self._static
        info = getattr(self._provider, "get_credential_info", None)
        if callable(info):
            secret_id, secret_key, token = info()
        else:
            secret_id = self._provider.secret_id
            secret_key = self._provider.secret_key
            token = getattr(self._provider, "token", None)
        return str(secret_id), str(secret_key), (str(token) if token else None)

    def secret_id(self) -> str:
        return self.get()[0]

    def __repr__(self) -> str:
        try:
            shown = _mask(self.secret_id())
        except Exception:  # noqa: BLE001 - a failing provider must not break repr()
            shown = "?"
        return f"<credentials {shown}>"


def _credentials(
    secret_id: Optional[str],
    secret_key: Optional[str],
    token: Optional[str],
    credential: Any,
) -> _Credentials:
    if credential is not None:
        if secret_id or secret_key:
            raise ValueError("pass either credential or secret_id/secret_key, not both")
        return _Credentials(None, credential)
    if secret_id is None and secret_key is None:
        secret_id = os.environ.get(ENV_SECRET_ID)
        secret_key = os.environ.get(ENV_SECRET_KEY)
        if token is None:
            token = os.environ.get(ENV_TOKEN) or os.environ.get(_TOKEN_FALLBACK)
    if not secret_id or not secret_key:
        raise SigningError(
            "no credentials: pass secret_id and secret_key, or set "
            f"{ENV_SECRET_ID} and {ENV_SECRET_KEY}"
        )
    if secret_id.strip() != secret_id or secret_key.strip() != secret_key:
        raise SigningError("the SecretId and the SecretKey must not have surrounding spaces")
    return _Credentials((secret_id, secret_key, token or None), None)


def _to_json(value: Any) -> Any:
    """``json.dumps`` fallback: official SDK model objects serialize themselves."""
    serialize = getattr(value, "_serialize", None)
    if callable(serialize):
        return serialize()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dump_params(action: str, params: Any) -> str:
    """The parameters as compact JSON text; ``ValidationError`` when they are not JSON."""
    try:
        return json.dumps(
            params,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
            default=_to_json,
        )
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


_C = TypeVar("_C", bound="BaseClient")


class BaseClient:
    """The configuration and the sans-I/O half of a client (see :class:`essbasic.Client`)."""

    _settings: Settings
    _credentials: _Credentials

    def __init__(
        self,
        secret_id: Optional[str] = None,
        secret_key: Optional[str] = None,
        token: Optional[str] = None,
        region: Optional[str] = None,
        *,
        credential: Any = None,
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
        transport: Any = None,
    ) -> None:
        self._credentials = _credentials(secret_id, secret_key, token, credential)
        if region is None:
            region = os.environ.get(ENV_REGION) or None
        if language not in (None, "", "zh-CN", "en-US"):
            raise ValueError(f"language must be zh-CN or en-US, not {language!r}")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
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
        )
        self._config = self._settings.core_config()
        self._owns_transport = True
        #: Seconds added to the local clock, learnt from ``AuthFailure.SignatureExpire``.
        self._clock_offset = 0
        self._set_transport(transport)

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

    def with_options(self: _C, **changes: Any) -> _C:
        """A copy of this client with some settings changed (``timeout``, ``retry``,
        ``endpoint``, ``region``, ``language``, ``strict``, ...), sharing its connections.
        Close the original, not the copy."""
        if "retry" in changes:
            changes["retry"] = retry_policy(changes["retry"])
        if "timeout" in changes:
            changes["timeout"] = float(changes["timeout"])
        if "headers" in changes:
            changes["headers"] = tuple(
                (str(k), str(v)) for k, v in (changes["headers"] or {}).items()
            )
        clone = copy.copy(self)
        clone._settings = dataclasses.replace(self._settings, **changes)
        clone._config = clone._settings.core_config()
        clone._owns_transport = False
        return clone

    def __repr__(self) -> str:
        s = self._settings
        where = s.endpoint or ("test environment" if s.test_environment else "production")
        return (
            f"{type(self).__name__}({self._credentials!r}, region={s.region!r}, endpoint={where!r})"
        )

    # -- the sans-I/O steps ----------------------------------------------------------------

    def _prepare(
        self, action: str, params_json: str, headers: Optional[Mapping[str, str]]
    ) -> Tuple[HttpRequest, int]:
        """Validates, builds and signs one attempt (a fresh timestamp, nonce and trace id)."""
        extra: List[Tuple[str, str]] = list(self._settings.headers)
        if headers:
            extra.extend((str(k), str(v)) for k, v in headers.items())
        trace_id = None
        for name, value in extra:
            if name.lower() == "x-tc-traceid":
                trace_id = value
        secret_id, secret_key, token = self._credentials.get()
        timestamp = int(time.time()) + self._clock_offset
        method, url, signed, body = _core.build_request(
            action,
            params_json,
            self._config,
            secret_id,
            secret_key,
            token,
            timestamp,
            secrets.randbelow(0xFFFFFFFF) + 1,
            trace_id or str(uuid.uuid4()),
        )
        present = {name.lower() for name, _ in signed}
        for name, value in extra:
            if name.lower() not in present:
                signed.append((name, value))
                present.add(name.lower())
        return HttpRequest(method, url, signed, body), timestamp

    def _parse(self, response: HttpResponse, attrs: bool) -> Any:
        """The ``Response`` object of a 2xx answer, or the matching exception."""
        raw, _request_id = _core.classify_response(
            response.status, response.body, self._settings.max_body_bytes
        )
        if attrs:
            return json.loads(raw, object_hook=AttrDict)
        return json.loads(raw)

    def _start(self, action: str, params: Any) -> str:
        """The JSON text of the parameters (and a warning for a deprecated action)."""
        _read_only, deprecated, replaced_by = _ACTIONS.get(action, (False, False, None))
        if deprecated:
            hint = f": use {replaced_by}" if replaced_by else ""
            warnings.warn(f"{action} is deprecated{hint}", DeprecationWarning, stacklevel=4)
        return dump_params(action, params)

    def _next_step(
        self,
        action: str,
        error: TencentCloudSDKException,
        response: Optional[HttpResponse],
        timestamp: int,
        attempt: int,
        started: float,
        resigned: bool,
    ) -> Tuple[Optional[float], bool]:
        """After a failed attempt: ``(seconds to wait before the next one, or None to give
        up; whether the request was re-signed with the server's clock)``."""
        if error.code == "AuthFailure.SignatureExpire" and not resigned and response is not None:
            date = next((v for k, v in response.headers if k.lower() == "date"), None)
            offset = _core.clock_offset(date, timestamp - self._clock_offset) if date else None
            if offset is not None:
                logger.info("%s: the local clock is off by %d s; re-signing", action, offset)
                self._clock_offset = offset
                return 0.0, True
        delay = self._settings.retry.decide(action, error, attempt, time.monotonic() - started)
        if delay is not None:
            self._log_failure(action, error, attempt, delay)
        return delay, resigned

    def _log_failure(
        self, action: str, error: TencentCloudSDKException, attempt: int, delay: float
    ) -> None:
        logger.info(
            "%s failed on attempt %d (%s), retrying in %.2f s",
            action,
            attempt,
            error.code,
            delay,
        )

    def _log_done(
        self, action: str, request: HttpRequest, response: HttpResponse, started: float
    ) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> HTTP %d, %d bytes in %.0f ms",
                action,
                request.method,
                response.status,
                len(response.body),
                (time.monotonic() - started) * 1000,
            )
