"""The asyncio client."""

from __future__ import annotations

import asyncio
import inspect
import time
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Dict,
    Mapping,
    Optional,
    Type,
    cast,
    overload,
)

from . import models
from ._actions import AsyncActions
from ._base import BaseClient, Call, Hook, model_headers, request_params
from .errors import EssbasicError, TencentCloudSDKException, TimeoutError
from .transport import AsyncTransport, HttpRequest, HttpResponse, async_transport

if TYPE_CHECKING:
    import sys

    from ._features import FileSource, ProgressCallback, WaitPolicy
    from .encryption import Keys

    if sys.version_info >= (3, 11):
        from typing import Unpack
    else:
        from typing_extensions import Unpack

__all__ = ["AsyncClient"]

#: Answers larger than this are classified and parsed in a worker thread.
_OFFLOAD_BYTES = 1 << 20

#: Seconds given to a transport past the timeout to report its own, more precise, timeout.
_DEADLINE_GRACE = 0.25


async def _maybe_await(value: Any) -> None:
    if inspect.isawaitable(value):
        await value


class AsyncClient(AsyncActions, BaseClient):
    """The asyncio twin of :class:`essbasic.Client`: the same options and methods, as
    coroutines (``await client.channel_cancel_flow(FlowId=..., Agent={...})``). Hooks and
    ``on_progress`` callbacks may be coroutine functions.

    :param transport: ``None`` (:class:`~essbasic.transport.AsyncSocketTransport`; when a
        proxy variable is set, ``httpx.AsyncClient`` when httpx is installed, else an
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
        self,
        action: str,
        params: Optional[Mapping[str, Any]] = None,
        *,
        trace_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Calls ``action`` by name; returns the ``Response`` object (RequestId included)."""
        result: Dict[str, Any] = await self._call(action, params or {}, trace_id=trace_id)
        return result

    async def call_json(
        self,
        action: str,
        params: Optional[Mapping[str, Any]],
        headers: Optional[Mapping[str, str]] = None,
        options: Optional[Mapping[str, Any]] = None,
        *,
        trace_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Like :meth:`essbasic.Client.call_json`: returns ``{"Response": {...}}``."""
        return {
            "Response": await self._call(action, params or {}, headers=headers, trace_id=trace_id)
        }

    async def call(
        self,
        action: str,
        params: Optional[Mapping[str, Any]],
        options: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
        *,
        trace_id: Optional[str] = None,
    ) -> bytes:
        """Like :meth:`essbasic.Client.call`: returns the body of a successful answer."""
        body: bytes = await self._call(
            action, params or {}, headers=headers, trace_id=trace_id, raw=True
        )
        return body

    async def _action(
        self, action: str, params: Mapping[str, Any], trace_id: Optional[str] = None
    ) -> Any:
        return await self._call(action, params, trace_id=trace_id)

    async def _action_compat(self, action: str, request: Optional[Any]) -> Any:
        return await self._call(
            action, request_params(action, request), headers=model_headers(request), attrs=True
        )

    async def _send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends one attempt; the whole attempt must fit in the timeout, whatever the
        transport's own notion of it."""
        try:
            return await asyncio.wait_for(
                self._transport.send(request, timeout), timeout + _DEADLINE_GRACE
            )
        except EssbasicError:
            # The transport's own error (its TimeoutError says whether anything was sent).
            raise
        except asyncio.TimeoutError:
            raise TimeoutError(round(timeout * 1000)) from None

    @staticmethod
    async def _fire(
        hook: Optional[Hook], call: Call, stage: str, delay: Optional[float] = None
    ) -> None:
        if hook is not None:
            await _maybe_await(hook(call.context(stage, delay)))

    async def _finish(self, call: Call) -> Any:
        response = call.response
        if response is not None and len(response.body) > _OFFLOAD_BYTES:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, call.finish)
        return call.finish()

    async def _received(self, call: Call, response: HttpResponse) -> None:
        if len(response.body) > _OFFLOAD_BYTES:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, call.received, response)
        else:
            call.received(response)

    async def _call(
        self,
        action: str,
        params: Any,
        *,
        headers: Optional[Mapping[str, str]] = None,
        trace_id: Optional[str] = None,
        attrs: bool = False,
        raw: bool = False,
        params_json: Optional[str] = None,
    ) -> Any:
        call = self._begin(action, params, headers, trace_id, attrs, raw, params_json)
        hooks = call.hooks
        while True:
            request = call.prepare()
            await self._fire(hooks.before_send, call, "before_send")
            try:
                response = await self._send(request, call.timeout)
            except TencentCloudSDKException as error:
                failure = error
                delay = call.failed(error, sent=False)
            else:
                await self._received(call, response)
                await self._fire(hooks.after_receive, call, "after_receive")
                try:
                    return await self._finish(call)
                except TencentCloudSDKException as error:
                    failure = error
                    delay = call.failed(error)
            if delay is None:
                await self._fire(hooks.on_error, call, "on_error")
                raise failure
            await self._fire(hooks.on_retry, call, "on_retry", delay)
            if delay:
                await asyncio.sleep(delay)

    # -- helpers -----------------------------------------------------------------------------

    @overload
    async def upload_files(
        self,
        *files: FileSource,
        business_type: str,
        agent: models.Agent,
        trace_id: Optional[str] = None,
        **params: Any,
    ) -> models.UploadFilesResponse: ...

    @overload
    async def upload_files(
        self,
        *,
        trace_id: Optional[str] = None,
        **params: Unpack[models.UploadFilesRequest],
    ) -> models.UploadFilesResponse: ...

    async def upload_files(self, *files: Any, **params: Any) -> Any:
        """Uploads files with ``UploadFiles``.

        ``client.upload_files("a.pdf", b"%PDF...", ("b.png", data), business_type="DOCUMENT",
        agent=agent)``: each file is a path, its bytes, or ``(file name, bytes)``. The core's
        limits (at most 20 files; images 8 MiB, other files 60 MiB; the file types each
        ``BusinessType`` takes) are checked before any file is read in full and before
        anything is sent (:class:`~essbasic.errors.ValidationError`). Other keyword
        arguments (``Deadline=...``) are request members.

        Without positional files it is the plain action: ``client.upload_files(Agent=...,
        BusinessType=..., FileInfos=[...])``.
        """
        trace_id = params.pop("trace_id", None)
        if not files and "business_type" not in params:
            return await self._call("UploadFiles", params, trace_id=trace_id)
        business_type = str(params.pop("business_type", "") or "")
        agent = params.pop("agent", None) or params.pop("Agent", None) or {}

        def prepare() -> str:
            from ._features import describe_sources, read_sources, upload_params

            described = describe_sources(files, business_type)
            return upload_params(read_sources(described), business_type, agent, params)

        # The files are read (and encoded) in a worker thread, off the event loop.
        text = await asyncio.get_running_loop().run_in_executor(None, prepare)
        return await self._call("UploadFiles", None, trace_id=trace_id, params_json=text)

    async def wait_task(
        self,
        kind: str,
        task_id: str,
        *,
        agent: Optional[models.Agent] = None,
        params: Optional[Mapping[str, Any]] = None,
        deadline: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        policy: Optional[WaitPolicy] = None,
    ) -> Dict[str, Any]:
        """Polls an asynchronous task until it finishes (its polling action's ``Response``),
        fails (:class:`~essbasic.errors.TaskError`) or ``deadline`` seconds pass
        (:class:`~essbasic.errors.TimeoutError`). The schedule is the core's
        (:class:`~essbasic.WaitPolicy`: 1 s, x1.5, at most 15 s apart, 600 s in all).

        :param kind: ``file_convert``, ``legacy_file_convert``, ``cancel_flows``,
            ``organization_registration``, ``evidence_report`` (or the start or polling
            action's name).
        :param agent: the ``Agent`` of the polls (or pass the start ``params``).
        :param on_progress: called with a :class:`~essbasic.WaitUpdate` after every poll.
        """
        from ._features import Waiting

        waiting = Waiting(kind, task_id, params or {"Agent": agent}, policy, deadline)
        started = time.monotonic()
        while True:
            response = await self._call(waiting.poll_action, None, params_json=waiting.params_json)
            update = waiting.step(response, time.monotonic() - started)
            if on_progress is not None:
                await _maybe_await(on_progress(update))
            if update.done:
                result: Dict[str, Any] = response
                return result
            if update.next_delay is None:
                raise waiting.timed_out(update)
            await asyncio.sleep(update.next_delay)

    async def wait_file_convert(
        self,
        task_id: str,
        *,
        agent: models.Agent,
        deadline: float = 600,
        on_progress: Optional[ProgressCallback] = None,
        policy: Optional[WaitPolicy] = None,
    ) -> models.DescribeFileConvertTaskResponse:
        """Waits for a ``CreateFileConvertTask`` task (see :meth:`wait_task`); returns the
        final ``DescribeFileConvertTask`` answer (``ResourceId`` is the converted PDF)."""
        return cast(
            models.DescribeFileConvertTaskResponse,
            await self.wait_task(
                "file_convert",
                task_id,
                agent=agent,
                deadline=deadline,
                on_progress=on_progress,
                policy=policy,
            ),
        )

    async def wait_cancel_flows(
        self,
        task_id: str,
        *,
        agent: models.Agent,
        deadline: float = 600,
        on_progress: Optional[ProgressCallback] = None,
        policy: Optional[WaitPolicy] = None,
    ) -> models.DescribeCancelFlowsTaskResponse:
        """Waits for a ``ChannelBatchCancelFlows`` task (see :meth:`wait_task`)."""
        return cast(
            models.DescribeCancelFlowsTaskResponse,
            await self.wait_task(
                "cancel_flows",
                task_id,
                agent=agent,
                deadline=deadline,
                on_progress=on_progress,
                policy=policy,
            ),
        )

    async def wait_organization_registration(
        self,
        task_id: str,
        *,
        agent: models.Agent,
        deadline: float = 600,
        on_progress: Optional[ProgressCallback] = None,
        policy: Optional[WaitPolicy] = None,
    ) -> models.DescribeBatchOrganizationRegistrationTasksResponse:
        """Waits for a ``CreateBatchOrganizationRegistrationTasks`` task (see
        :meth:`wait_task`)."""
        return cast(
            models.DescribeBatchOrganizationRegistrationTasksResponse,
            await self.wait_task(
                "organization_registration",
                task_id,
                agent=agent,
                deadline=deadline,
                on_progress=on_progress,
                policy=policy,
            ),
        )

    async def wait_evidence_report(
        self,
        report_id: str,
        *,
        agent: models.Agent,
        report_type: Optional[int] = None,
        deadline: float = 600,
        on_progress: Optional[ProgressCallback] = None,
        policy: Optional[WaitPolicy] = None,
    ) -> models.DescribeChannelFlowEvidenceReportResponse:
        """Waits for a ``CreateChannelFlowEvidenceReport`` report (see :meth:`wait_task`)."""
        base: Dict[str, Any] = {"Agent": agent}
        if report_type is not None:
            base["ReportType"] = report_type
        return cast(
            models.DescribeChannelFlowEvidenceReportResponse,
            await self.wait_task(
                "evidence_report",
                report_id,
                params=base,
                deadline=deadline,
                on_progress=on_progress,
                policy=policy,
            ),
        )

    def paginate(
        self, action: str, params: Optional[Mapping[str, Any]] = None
    ) -> AsyncIterator[Dict[str, Any]]:
        """Every item of a paginated action (``DescribeTemplates``, ``ChannelDescribeRoles``,
        ``ChannelDescribeEmployees``, ...), fetching page after page as the iteration goes.
        ``Offset`` and ``Limit`` (the page size) start from ``params`` or the core's
        defaults; when to stop is the core's decision (a short page or the total reached).
        ``ValidationError`` at once for an action that does not page. Use it with
        ``async for``."""
        from ._features import Pages

        pages = Pages(action, params)

        async def items() -> AsyncIterator[Dict[str, Any]]:
            while pages.next_json is not None:
                page = await self._call(action, None, params_json=pages.next_json)
                for item in pages.advance(page):
                    yield item

        return items()

    def pages(
        self, action: str, params: Optional[Mapping[str, Any]] = None
    ) -> AsyncIterator[Dict[str, Any]]:
        """Like :meth:`paginate`, one ``Response`` object per page."""
        from ._features import Pages

        state = Pages(action, params)

        async def responses() -> AsyncIterator[Dict[str, Any]]:
            while state.next_json is not None:
                page: Dict[str, Any] = await self._call(action, None, params_json=state.next_json)
                state.advance(page)
                yield page

        return responses()

    async def call_encrypted(
        self,
        action: str,
        params: Mapping[str, Any],
        *,
        keys: Keys,
        application_id: Optional[str] = None,
        trace_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Calls ``action`` inside ``CreateRequestWithEncryption``: ``params`` are validated
        against ``action``, encrypted with a fresh random IV and signed; the answer's
        signature is checked before it is decrypted. Returns the business action's
        ``Response`` object (its error as :class:`~essbasic.errors.ApiError`)."""
        from .encryption import ACTION as ENCRYPTED_ACTION
        from .encryption import build_params, open_response

        sealed = build_params(action, params, keys, application_id)
        outer = await self._call(ENCRYPTED_ACTION, sealed, trace_id=trace_id)
        return open_response(outer, keys)

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
