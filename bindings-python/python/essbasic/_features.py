"""The sans-I/O halves of the helpers both clients offer: files for ``UploadFiles``, task
waiters and pagination. The rules are the core's (``essbasic::upload``, ``essbasic::waiter``,
``essbasic::paginate``); this module gathers inputs and shapes outputs."""

from __future__ import annotations

import dataclasses
import json
import os
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from ._base import dump_params
from .errors import ValidationError

__all__ = [
    "FileSource",
    "UploadFile",
    "WaitPolicy",
    "WaitUpdate",
    "check_upload_count",
    "describe_sources",
    "read_sources",
    "upload_params",
]

#: A file to upload: a path (``str`` or ``os.PathLike``), its bytes (no file name is
#: sent), or ``(file name, bytes)``.
FileSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Tuple[str, bytes]]

_HEAD_BYTES = 512


@dataclasses.dataclass
class UploadFile:
    """One file to upload: its name, its first bytes and size (known before it is read), and
    where its bytes come from."""

    name: str
    head: bytes
    size: int
    path: Optional[str] = None
    data: Optional[bytes] = None


def check_upload_count(count: int, business_type: str) -> None:
    """The count and business type checks of the core, before any file is opened."""
    if count == 0 or count > _core.UPLOAD_MAX_FILES or not business_type:
        _core.upload_precheck([("", b"", 0)] * count, business_type)


def describe_sources(sources: Sequence[FileSource], business_type: str) -> List[UploadFile]:
    """Stats the files (and reads their first bytes, to tell their type) and has the core
    check count, types and sizes before any file is read in full."""
    check_upload_count(len(sources), business_type)
    files: List[UploadFile] = []
    for source in sources:
        if isinstance(source, tuple):
            name, data = source
            blob = bytes(data)
            files.append(UploadFile(str(name), blob[:_HEAD_BYTES], len(blob), data=blob))
        elif isinstance(source, (bytes, bytearray, memoryview)):
            blob = bytes(source)
            files.append(UploadFile("", blob[:_HEAD_BYTES], len(blob), data=blob))
        elif isinstance(source, (str, os.PathLike)):
            path = os.fspath(source)
            try:
                size = os.stat(path).st_size
                with open(path, "rb") as f:
                    head = f.read(_HEAD_BYTES)
            except OSError as exc:
                detail = f"cannot read {path!r}: {exc.strerror or type(exc).__name__}"
                raise ValidationError(
                    f"UploadFiles: {detail}", action="UploadFiles", path="FileInfos", detail=detail
                ) from None
            files.append(UploadFile(_core.upload_file_name(path), head, size, path=path))
        else:
            detail = f"a file is a path, bytes or (name, bytes), not {type(source).__name__}"
            raise ValidationError(
                f"UploadFiles: {detail}", action="UploadFiles", path="FileInfos", detail=detail
            )
    _core.upload_precheck([(f.name, f.head, f.size) for f in files], business_type)
    return files


def read_sources(files: Sequence[UploadFile]) -> List[Tuple[str, bytes]]:
    """The files' bytes; a file is never read past the core's largest size limit (it may
    have grown since it was checked)."""
    limit = int(_core.UPLOAD_MAX_OTHER_BYTES) + 1
    out: List[Tuple[str, bytes]] = []
    for f in files:
        if f.data is not None:
            out.append((f.name, f.data))
            continue
        assert f.path is not None
        try:
            with open(f.path, "rb") as handle:
                out.append((f.name, handle.read(limit)))
        except OSError as exc:
            detail = f"cannot read {f.path!r}: {exc.strerror or type(exc).__name__}"
            raise ValidationError(
                f"UploadFiles: {detail}", action="UploadFiles", path="FileInfos", detail=detail
            ) from None
    return out


def upload_params(
    files: Sequence[Tuple[str, bytes]],
    business_type: str,
    agent: Mapping[str, Any],
    extra: Mapping[str, Any],
) -> str:
    """The JSON text of the ``UploadFiles`` parameters: the core's ``BusinessType`` and
    ``FileInfos`` (every limit checked again on the bytes), ``Agent`` and any other member."""
    prepared = json.loads(_core.upload_prepare(list(files), business_type))
    params: Dict[str, Any] = {"Agent": agent, **extra, **prepared}
    return dump_params("UploadFiles", params)


_INITIAL_MS, _MULTIPLIER, _MAX_MS, _DEADLINE_MS = _core.WAIT_POLICY_DEFAULT


@dataclasses.dataclass(frozen=True)
class WaitPolicy:
    """How a waiter polls (the defaults are the core's ``WaitPolicy::default()``: 1 s, then
    x1.5 per poll, at most 15 s apart, giving up after 600 s).

    :param initial_delay: seconds before the second poll.
    :param multiplier: the growth of each next wait.
    :param max_delay: the longest wait between polls, in seconds.
    :param deadline: seconds after the first poll when the waiter gives up (``TimeoutError``).
    """

    initial_delay: float = _INITIAL_MS / 1000
    multiplier: float = float(_MULTIPLIER)
    max_delay: float = _MAX_MS / 1000
    deadline: float = _DEADLINE_MS / 1000

    def core(self) -> Tuple[int, float, int, int]:
        return (
            max(0, round(self.initial_delay * 1000)),
            float(self.multiplier),
            max(0, round(self.max_delay * 1000)),
            max(0, round(self.deadline * 1000)),
        )


@dataclasses.dataclass(frozen=True)
class WaitUpdate:
    """One progress report of a waiter, after each poll."""

    #: ``file_convert``, ``legacy_file_convert``, ``cancel_flows``,
    #: ``organization_registration`` or ``evidence_report``.
    kind: str
    task_id: str
    #: The poll number, from 1.
    attempt: int
    #: Seconds since the first poll.
    elapsed: float
    #: The status as the service reported it (``Done`` once finished).
    status: str
    #: A percentage, when the answer allows one.
    percent: Optional[int]
    #: Whether the task finished.
    done: bool
    #: Seconds until the next poll (``None`` when finished or giving up).
    next_delay: Optional[float]
    #: The polling action's ``Response`` object.
    response: Mapping[str, Any]


ProgressCallback = Callable[[WaitUpdate], Any]


class Waiting:
    """The state of a waiter between polls."""

    def __init__(
        self,
        kind: str,
        task_id: str,
        base: Mapping[str, Any],
        policy: Optional[WaitPolicy],
        deadline: Optional[float],
    ) -> None:
        self.kind, _start, self.poll_action = _core.wait_task(kind)
        if not task_id:
            raise ValueError("task_id is empty")
        self.task_id = str(task_id)
        self.params_json = _core.wait_poll_params(
            self.kind, dump_params(self.poll_action, dict(base)), self.task_id
        )
        policy = policy or WaitPolicy()
        if deadline is not None:
            policy = dataclasses.replace(policy, deadline=float(deadline))
        self.policy = policy
        self.attempt = 0

    def step(self, response: Mapping[str, Any], elapsed: float) -> WaitUpdate:
        """Reads one poll's answer (``TaskError`` when the task failed) and decides the next
        wait."""
        self.attempt += 1
        state, status, percent = _core.wait_classify(
            self.kind, json.dumps(dict(response), ensure_ascii=False), self.task_id
        )
        done = state == "done"
        delay_ms = (
            None
            if done
            else _core.wait_decide(self.policy.core(), self.attempt, max(0, round(elapsed * 1000)))
        )
        return WaitUpdate(
            kind=self.kind,
            task_id=self.task_id,
            attempt=self.attempt,
            elapsed=elapsed,
            status=status,
            percent=percent,
            done=done,
            next_delay=None if delay_ms is None else delay_ms / 1000,
            response=response,
        )

    def timed_out(self, update: WaitUpdate) -> Exception:
        from .errors import TimeoutError

        deadline_ms = self.policy.core()[3]
        return TimeoutError(
            deadline_ms,
            message=(
                f"the {self.kind} task {self.task_id} did not finish within "
                f"{self.policy.deadline:g} s (last status: {update.status or 'unknown'})"
            ),
        )


class Pages:
    """The state of a pagination: the parameters of the next page, as JSON text."""

    def __init__(self, action: str, params: Optional[Mapping[str, Any]]) -> None:
        self.action = action
        self.items_member, _total, _default, _max = _core.page_info(action)
        self.next_json: Optional[str] = _core.page_first(
            action, dump_params(action, dict(params or {}))
        )

    def advance(self, page: Mapping[str, Any]) -> List[Any]:
        """The items of ``page`` (the one fetched with the current parameters); moves to the
        next page, or to the end."""
        assert self.next_json is not None
        self.next_json = _core.page_next(
            self.action, self.next_json, json.dumps(dict(page), ensure_ascii=False)
        )
        items = page.get(self.items_member)
        return list(items) if isinstance(items, list) else []
