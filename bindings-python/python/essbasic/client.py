"""The synchronous client."""

from __future__ import annotations

import time
from time import monotonic
from time import time as _now
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterator,
    Mapping,
    Optional,
    Type,
    cast,
    overload,
)

from . import models
from ._actions import SyncActions
from ._base import (
    _DEPRECATED,
    AttrDict,
    AttrResult,
    BaseClient,
    Call,
    Hook,
    Result,
    _logging_seen,
    _parse_response,
    _set_attr_meta,
    model_headers,
    request_params,
)
from ._util import debug_logger, new_nonce, new_trace_id
from .errors import TencentCloudSDKException
from .transport import HttpRequest, HttpResponse, Transport, sync_transport

if TYPE_CHECKING:
    import sys

    from ._features import FileSource, ProgressCallback, WaitPolicy
    from .encryption import Keys

    if sys.version_info >= (3, 11):
        from typing import Unpack
    else:
        from typing_extensions import Unpack

__all__ = ["Client"]


class Client(SyncActions, BaseClient):
    """A client of the essbasic API (Tencent E-Sign for partner apps, version 2021-05-26).

    Every action is a method, twice: ``client.channel_cancel_flow(FlowId=..., Agent={...})``
    returns the ``Response`` object as a dict (RequestId included), and
    ``client.ChannelCancelFlow(request)`` takes a dict or an official SDK model object.
    Parameters are validated against the spec before anything is sent
    (:class:`~essbasic.errors.ValidationError` names the field); answers are classified by
    their body, whatever their Content-Type.

    :param secret_id: the SecretId. With ``secret_key``; when both are omitted, the chain
        reads ``TENCENTCLOUD_SECRET_ID`` / ``TENCENTCLOUD_SECRET_KEY`` (and
        ``TENCENTCLOUD_SESSION_TOKEN``), then the profile file ``~/.tencentcloud/credentials``.
    :param secret_key: the SecretKey. It is never printed, logged or put in an exception.
    :param token: the temporary-credential token (``X-TC-Token``), if any.
    :param region: ``X-TC-Region`` (essbasic needs none); default ``TENCENTCLOUD_REGION``.
    :param credential: instead of the three above, an object with ``get_credential_info()``
        (an official ``Credential``, STS or role provider), asked before each request.
    :param profile: the section of ``~/.tencentcloud/credentials`` to use (default
        ``TENCENTCLOUD_PROFILE``, else ``default``); passing it skips the environment.
    :param endpoint: an explicit endpoint: a host, ``host:port`` or an ``http(s)://`` URL.
    :param file_endpoint: an explicit endpoint for ``UploadFiles`` only.
    :param test_environment: use the joint-debug test environment hosts.
    :param language: ``zh-CN`` or ``en-US`` (``X-TC-Language``).
    :param timeout: seconds allowed to each attempt, connect to last byte (default 60).
    :param retry: the retry policy: ``None``/``True`` (default: the core's, 3 attempts),
        ``False`` (none), an attempt count or a :class:`~essbasic.retry.Retry`. Only safe
        retries are made: a write action is sent again only when it provably never ran.
    :param strict: reject members the spec does not know (by default they are sent).
    :param sign_method: ``TC3-HMAC-SHA256`` (default), ``HmacSHA256`` or ``HmacSHA1``.
    :param http_method: ``POST`` (default) or ``GET``.
    :param unsigned_payload: TC3 only: do not sign the body.
    :param request_client: the ``X-TC-RequestClient`` value (default ``essbasic-python/<v>``).
    :param max_body_bytes: the largest answer accepted (default 64 MiB), enforced while the
        answer is read.
    :param headers: extra headers sent with every request.
    :param hooks: ``{"before_send": f, "after_receive": f, "on_retry": f, "on_error": f}``,
        each called with a :class:`~essbasic.HookContext`.
    :param log_body_bytes: how much of each (redacted) body a DEBUG log record shows.
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

    def invoke(
        self,
        action: str,
        params: Optional[Mapping[str, Any]] = None,
        *,
        trace_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Calls ``action`` by name; returns the ``Response`` object (RequestId included)."""
        result: Dict[str, Any] = self._call(action, params or {}, trace_id=trace_id)
        return result

    def call_json(
        self,
        action: str,
        params: Optional[Mapping[str, Any]],
        headers: Optional[Mapping[str, str]] = None,
        options: Optional[Mapping[str, Any]] = None,
        *,
        trace_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """The official SDK's ``call_json``: returns the whole envelope,
        ``{"Response": {...}}``. ``headers`` are sent too (``X-TC-TraceId`` sets the trace
        id); ``options`` is accepted for compatibility and ignored."""
        return {"Response": self._call(action, params or {}, headers=headers, trace_id=trace_id)}

    def call(
        self,
        action: str,
        params: Optional[Mapping[str, Any]],
        options: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
        *,
        trace_id: Optional[str] = None,
    ) -> bytes:
        """The official SDK's ``call``: returns the body of a successful answer as bytes
        (errors are raised as with every other method)."""
        body: bytes = self._call(action, params or {}, headers=headers, trace_id=trace_id, raw=True)
        return body

    def _action(
        self, action: str, params: Mapping[str, Any], trace_id: Optional[str] = None
    ) -> Any:
        return self._call(action, params, trace_id=trace_id)

    def _action_compat(self, action: str, request: Optional[Any]) -> Any:
        return self._call(
            action, request_params(action, request), headers=model_headers(request), attrs=True
        )

    @staticmethod
    def _fire(hook: Optional[Hook], call: Call, stage: str, delay: Optional[float] = None) -> None:
        if hook is not None:
            hook(call.context(stage, delay))

    def _call(
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
        if (
            self._plain
            and params.__class__ is dict
            and not headers
            and not raw
            and params_json is None
            and action not in _DEPRECATED
        ):
            # The common call (a dict, no hooks, no extra headers, static credentials): its
            # first attempt made here, as `Call.prepare`, `received` and `finish` would make
            # it, without their object; anything else (an error, an answer to retry, a
            # DEBUG log record) goes on through a `Call` in the same state.
            started = monotonic()
            trace = str(trace_id) if trace_id else new_trace_id()
            timestamp = int(_now()) + self._clock_offset
            request: Optional[HttpRequest]
            try:
                request = self._builder.build_request(action, params, timestamp, new_nonce(), trace)
            except TencentCloudSDKException:
                request = None  # `Call.prepare` raises it (tagged)
            if request is not None:
                settings = self._settings
                limit = settings.max_body_bytes
                attempt_started = attempt_ended = monotonic()
                failure: Optional[TencentCloudSDKException] = None
                response: Optional[HttpResponse] = None
                try:
                    response = self._transport.send(request, settings.timeout)
                except TencentCloudSDKException as error:
                    failure = error
                else:
                    attempt_ended = monotonic()
                    try:
                        parsed, request_id = _parse_response(
                            response.status, response.body, limit, AttrDict if attrs else None
                        )
                    except TencentCloudSDKException as error:
                        failure = error
                    else:
                        if parsed.__class__ is not str and not (
                            _logging_seen() and debug_logger() is not None
                        ):
                            # The ResponseMeta is made when it is read (most callers never do).
                            meta = (
                                action,
                                request_id,
                                trace,
                                1,
                                response.status,
                                monotonic() - started,
                                response.headers,
                            )
                            if attrs:
                                attr_result = AttrResult(parsed)
                                _set_attr_meta(attr_result, meta)
                                return attr_result
                            result = Result(parsed)
                            result._meta = meta
                            return result
                # An error, an answer left to json.loads or a DEBUG record to write: the
                # `Call` this attempt would have been goes on.
                call = Call.sent(
                    self, action, params, trace, attrs, started, request, timestamp, attempt_started
                )
                if response is None:
                    assert failure is not None
                    return self._run(call, failure, call.failed(failure, sent=False))
                call.attempt_ended = attempt_ended
                call.response = response
                if failure is not None:
                    call.error = failure
                    return self._run(call, failure, call.failed(failure))
                call.classified = (parsed, request_id)
                try:
                    return call.finish()
                except TencentCloudSDKException as error:
                    return self._run(call, error, call.failed(error))
        return self._run(self._begin(action, params, headers, trace_id, attrs, raw, params_json))

    def _run(
        self,
        call: Call,
        failure: Optional[TencentCloudSDKException] = None,
        delay: Optional[float] = None,
    ) -> Any:
        """Makes the attempts of ``call``; with ``failure``, its last attempt failed so and
        ``delay`` is what `Call.failed` decided."""
        settings = call.settings
        hooks = settings.hooks
        before_send = hooks.before_send
        after_receive = hooks.after_receive
        send = self._transport.send
        timeout = settings.timeout
        while True:
            if failure is None:
                request = call.prepare()
                if before_send is not None:
                    before_send(call.context("before_send"))
                try:
                    response = send(request, timeout)
                except TencentCloudSDKException as error:
                    failure = error
                    delay = call.failed(error, sent=False)
                else:
                    call.received(response)
                    if after_receive is not None:
                        after_receive(call.context("after_receive"))
                    try:
                        return call.finish()
                    except TencentCloudSDKException as error:
                        failure = error
                        delay = call.failed(error)
            if delay is None:
                self._fire(hooks.on_error, call, "on_error")
                raise failure
            self._fire(hooks.on_retry, call, "on_retry", delay)
            if delay:
                time.sleep(delay)
            failure = None

    # -- helpers -----------------------------------------------------------------------------

    @overload
    def upload_files(
        self,
        *files: FileSource,
        business_type: str,
        agent: models.Agent,
        trace_id: Optional[str] = None,
        **params: Any,
    ) -> models.UploadFilesResponse: ...

    @overload
    def upload_files(
        self,
        *,
        trace_id: Optional[str] = None,
        **params: Unpack[models.UploadFilesRequest],
    ) -> models.UploadFilesResponse: ...

    def upload_files(self, *files: Any, **params: Any) -> Any:
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
            return self._call("UploadFiles", params, trace_id=trace_id)
        business_type = str(params.pop("business_type", "") or "")
        agent = params.pop("agent", None) or params.pop("Agent", None) or {}
        from ._features import describe_sources, read_sources, upload_params

        described = describe_sources(files, business_type)
        text = upload_params(read_sources(described), business_type, agent, params)
        return self._call("UploadFiles", None, trace_id=trace_id, params_json=text)

    def wait_task(
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
            response = self._call(waiting.poll_action, None, params_json=waiting.params_json)
            update = waiting.step(response, time.monotonic() - started)
            if on_progress is not None:
                on_progress(update)
            if update.done:
                result: Dict[str, Any] = response
                return result
            if update.next_delay is None:
                raise waiting.timed_out(update)
            time.sleep(update.next_delay)

    def wait_file_convert(
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
            self.wait_task(
                "file_convert",
                task_id,
                agent=agent,
                deadline=deadline,
                on_progress=on_progress,
                policy=policy,
            ),
        )

    def wait_cancel_flows(
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
            self.wait_task(
                "cancel_flows",
                task_id,
                agent=agent,
                deadline=deadline,
                on_progress=on_progress,
                policy=policy,
            ),
        )

    def wait_organization_registration(
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
            self.wait_task(
                "organization_registration",
                task_id,
                agent=agent,
                deadline=deadline,
                on_progress=on_progress,
                policy=policy,
            ),
        )

    def wait_evidence_report(
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
            self.wait_task(
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
    ) -> Iterator[Dict[str, Any]]:
        """Every item of a paginated action (``DescribeTemplates``, ``ChannelDescribeRoles``,
        ``ChannelDescribeEmployees``, ...), fetching page after page as the iteration goes.
        ``Offset`` and ``Limit`` (the page size) start from ``params`` or the core's
        defaults; when to stop is the core's decision (a short page or the total reached).
        ``ValidationError`` at once for an action that does not page."""
        from ._features import Pages

        pages = Pages(action, params)

        def items() -> Iterator[Dict[str, Any]]:
            while pages.next_json is not None:
                page = self._call(action, None, params_json=pages.next_json)
                yield from pages.advance(page)

        return items()

    def pages(
        self, action: str, params: Optional[Mapping[str, Any]] = None
    ) -> Iterator[Dict[str, Any]]:
        """Like :meth:`paginate`, one ``Response`` object per page."""
        from ._features import Pages

        state = Pages(action, params)

        def responses() -> Iterator[Dict[str, Any]]:
            while state.next_json is not None:
                page: Dict[str, Any] = self._call(action, None, params_json=state.next_json)
                state.advance(page)
                yield page

        return responses()

    def call_encrypted(
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
        outer = self._call(ENCRYPTED_ACTION, sealed, trace_id=trace_id)
        return open_response(outer, keys)

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
