"""The synchronous client."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any, Dict, Mapping, Optional, Type

from ._actions import SyncActions
from ._base import BaseClient, model_headers, request_params
from .errors import TencentCloudSDKException
from .transport import HttpResponse, Transport, sync_transport

__all__ = ["Client"]


class Client(SyncActions, BaseClient):
    """A client of the essbasic API (Tencent E-Sign for partner apps, version 2021-05-26).

    Every action is a method, twice: ``client.channel_cancel_flow(FlowId=..., Agent={...})``
    returns the ``Response`` object as a dict (RequestId included), and
    ``client.ChannelCancelFlow(request)`` takes a dict or an official SDK model object.
    Parameters are validated against the spec before anything is sent
    (:class:`~essbasic.errors.ValidationError` names the field); answers are classified by
    their body, whatever their Content-Type.

    :param secret_id: the SecretId; with ``secret_key``, read from ``TENCENTCLOUD_SECRET_ID``
        and ``TENCENTCLOUD_SECRET_KEY`` (and the token from ``TENCENTCLOUD_SESSION_TOKEN``)
        when both are omitted.
    :param secret_key: the SecretKey. It is never printed, logged or put in an exception.
    :param token: the temporary-credential token (``X-TC-Token``), if any.
    :param region: ``X-TC-Region`` (essbasic needs none); default ``TENCENTCLOUD_REGION``.
    :param credential: instead of the three above, an object with ``get_credential_info()``
        (an official ``Credential``, STS or role provider), asked before each request.
    :param endpoint: an explicit endpoint: a host, ``host:port`` or an ``http(s)://`` URL.
    :param file_endpoint: an explicit endpoint for ``UploadFiles`` only.
    :param test_environment: use the joint-debug test environment hosts.
    :param language: ``zh-CN`` or ``en-US`` (``X-TC-Language``).
    :param timeout: seconds allowed to each network operation of an attempt (default 60).
    :param retry: the retry policy (:class:`~essbasic.retry.Retry`, an attempt count,
        ``True`` for the default policy); none by default. Only safe retries are made: a
        write action is sent again only when it never left.
    :param strict: reject members the spec does not know (by default they are sent).
    :param sign_method: ``TC3-HMAC-SHA256`` (default), ``HmacSHA256`` or ``HmacSHA1``.
    :param http_method: ``POST`` (default) or ``GET``.
    :param unsigned_payload: TC3 only: do not sign the body.
    :param request_client: the ``X-TC-RequestClient`` value (default ``essbasic-python/<v>``).
    :param max_body_bytes: the largest answer accepted (default 64 MiB).
    :param headers: extra headers sent with every request (``X-TC-TraceId`` sets the trace id).
    :param transport: ``None`` (the standard library with a keep-alive pool), a
        ``requests.Session``, an ``httpx.Client``, or any :class:`~essbasic.transport.Transport`.

    The client is thread-safe; use it as a context manager or call :meth:`close`.
    """

    _transport: Transport

    def _set_transport(self, transport: Any) -> None:
        self._transport = sync_transport(transport)

    @property
    def transport(self) -> Transport:
        """The transport requests go through."""
        return self._transport

    # -- calls -----------------------------------------------------------------------------

    def invoke(self, action: str, params: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Calls ``action`` by name; returns the ``Response`` object (RequestId included)."""
        result: Dict[str, Any] = self._call(action, params or {})
        return result

    def call_json(
        self,
        action: str,
        params: Optional[Mapping[str, Any]],
        headers: Optional[Mapping[str, str]] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> Dict[str, Any]:
        """The official SDK's ``call_json``: returns the whole envelope,
        ``{"Response": {...}}``. ``headers`` are sent too (``X-TC-TraceId`` sets the trace
        id); ``options`` is accepted for compatibility and ignored."""
        return {"Response": self._call(action, params or {}, headers=headers)}

    def call(
        self,
        action: str,
        params: Optional[Mapping[str, Any]],
        options: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> bytes:
        """The official SDK's ``call``: returns the body of a successful answer as bytes
        (errors are raised as with every other method)."""
        body: bytes = self._call(action, params or {}, headers=headers, raw=True)
        return body

    def _action(self, action: str, params: Mapping[str, Any]) -> Any:
        return self._call(action, params)

    def _action_compat(self, action: str, request: Optional[Any]) -> Any:
        return self._call(
            action, request_params(action, request), headers=model_headers(request), attrs=True
        )

    def _call(
        self,
        action: str,
        params: Any,
        *,
        headers: Optional[Mapping[str, str]] = None,
        attrs: bool = False,
        raw: bool = False,
    ) -> Any:
        params_json = self._start(action, params)
        started = time.monotonic()
        attempt = 0
        resigned = False
        while True:
            attempt += 1
            request, timestamp = self._prepare(action, params_json, headers)
            response: Optional[HttpResponse] = None
            try:
                response = self._transport.send(request, self._settings.timeout)
                self._log_done(action, request, response, started)
                result = self._parse(response, attrs)
                return response.body if raw else result
            except TencentCloudSDKException as error:
                delay, resigned = self._next_step(
                    action, error, response, timestamp, attempt, started, resigned
                )
                if delay is None:
                    raise
                if delay:
                    time.sleep(delay)

    # -- lifetime --------------------------------------------------------------------------

    def close(self) -> None:
        """Closes the pooled connections (a client given a session leaves it open)."""
        if self._owns_transport:
            self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()
