"""The asyncio client."""

from __future__ import annotations

import asyncio
import time
from types import TracebackType
from typing import Any, Dict, Mapping, Optional, Type

from ._actions import AsyncActions
from ._base import BaseClient, model_headers, request_params
from .errors import TencentCloudSDKException, TimeoutError
from .transport import AsyncTransport, HttpRequest, HttpResponse, async_transport

__all__ = ["AsyncClient"]

#: Answers larger than this are classified and parsed in a worker thread.
_OFFLOAD_BYTES = 1 << 20

#: Seconds given to a transport past the timeout to report its own, more precise, timeout.
_DEADLINE_GRACE = 0.25


class AsyncClient(AsyncActions, BaseClient):
    """The asyncio twin of :class:`essbasic.Client`: the same options and methods, as
    coroutines (``await client.channel_cancel_flow(FlowId=..., Agent={...})``).

    :param transport: ``None`` (``httpx.AsyncClient`` when httpx is installed, else an
        ``aiohttp.ClientSession`` when aiohttp is, else the standard library in a thread
        pool), an ``httpx.AsyncClient``, an ``aiohttp.ClientSession``, a sync transport or
        an :class:`~essbasic.transport.AsyncTransport`. Connections are reused.

    Every other parameter is :class:`essbasic.Client`'s. Use it as an async context manager
    or call :meth:`aclose`.
    """

    _transport: AsyncTransport

    def _set_transport(self, transport: Any) -> None:
        self._transport = async_transport(transport)

    @property
    def transport(self) -> AsyncTransport:
        """The transport requests go through."""
        return self._transport

    async def invoke(
        self, action: str, params: Optional[Mapping[str, Any]] = None
    ) -> Dict[str, Any]:
        """Calls ``action`` by name; returns the ``Response`` object (RequestId included)."""
        result: Dict[str, Any] = await self._call(action, params or {})
        return result

    async def call_json(
        self,
        action: str,
        params: Optional[Mapping[str, Any]],
        headers: Optional[Mapping[str, str]] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> Dict[str, Any]:
        """Like :meth:`essbasic.Client.call_json`: returns ``{"Response": {...}}``."""
        return {"Response": await self._call(action, params or {}, headers=headers)}

    async def call(
        self,
        action: str,
        params: Optional[Mapping[str, Any]],
        options: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> bytes:
        """Like :meth:`essbasic.Client.call`: returns the body of a successful answer."""
        body: bytes = await self._call(action, params or {}, headers=headers, raw=True)
        return body

    async def _action(self, action: str, params: Mapping[str, Any]) -> Any:
        return await self._call(action, params)

    async def _action_compat(self, action: str, request: Optional[Any]) -> Any:
        return await self._call(
            action, request_params(action, request), headers=model_headers(request), attrs=True
        )

    async def _send(self, request: HttpRequest) -> HttpResponse:
        """Sends one attempt; the whole attempt must fit in the timeout, whatever the
        transport's own notion of it."""
        timeout = self._settings.timeout
        try:
            return await asyncio.wait_for(
                self._transport.send(request, timeout), timeout + _DEADLINE_GRACE
            )
        except asyncio.TimeoutError:
            raise TimeoutError(round(timeout * 1000)) from None

    async def _read(self, response: HttpResponse, attrs: bool) -> Any:
        if len(response.body) > _OFFLOAD_BYTES:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, self._parse, response, attrs)
        return self._parse(response, attrs)

    async def _call(
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
                response = await self._send(request)
                self._log_done(action, request, response, started)
                result = await self._read(response, attrs)
                return response.body if raw else result
            except TencentCloudSDKException as error:
                delay, resigned = self._next_step(
                    action, error, response, timestamp, attempt, started, resigned
                )
                if delay is None:
                    raise
                if delay:
                    await asyncio.sleep(delay)

    async def aclose(self) -> None:
        """Closes the connections the client opened (a session you passed stays open)."""
        if self._owns_transport:
            await self._transport.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.aclose()
