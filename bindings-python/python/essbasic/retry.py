"""The retry policy: how many attempts, how long apart, within what deadline.

*What* is retried is decided by the Rust core (``essbasic::retry``), the same rule in every
language, so that no contract is ever created twice:

- throttling (``RequestLimitExceeded*``: refused unexecuted) and transport failures where
  the request provably never left (connection refused, DNS, TLS before sending) are retried
  for every action;
- 5xx answers, ``InternalError``, timeouts, resets after sending, truncated or malformed
  answers are retried only for read-only actions (``Describe*``, ``Get*``, ``Verify*``,
  ...), never for an action that creates or changes state;
- nothing else (validation, signing, other API errors, 4xx).

Separately, an ``AuthFailure.SignatureExpire`` answer (a wrong local clock) is re-signed
once with the server's clock, read from its ``Date`` header, whatever the policy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Optional, Union

from . import _core
from .errors import TencentCloudSDKException

__all__ = ["Retry", "retry_policy", "NO_RETRY"]


@dataclass(frozen=True)
class Retry:
    """How many attempts a call may take and how long to wait between them.

    :param max_attempts: attempts in all, the first included (1 means no retry).
    :param backoff: the first backoff in seconds; it doubles with each attempt ("equal
        jitter": half fixed, half random).
    :param max_backoff: the longest backoff in seconds.
    :param deadline: no retry starts later than this many seconds after the first attempt.
    """

    max_attempts: int = 3
    backoff: float = 0.3
    max_backoff: float = 10.0
    deadline: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.backoff < 0 or self.max_backoff < 0 or self.deadline < 0:
            raise ValueError("backoff, max_backoff and deadline must not be negative")

    def decide(
        self, action: str, error: TencentCloudSDKException, attempt: int, elapsed: float
    ) -> Optional[float]:
        """The wait in seconds before sending ``action`` again after attempt ``attempt``
        (1-based) failed with ``error``, ``elapsed`` seconds after the first attempt
        started; ``None`` to give up."""
        if attempt >= self.max_attempts:
            return None
        fields = {
            "kind": error.kind,
            "code": error.code,
            "message": error.message,
            "status": getattr(error, "status", None),
            "not_sent": bool(getattr(error, "not_sent", False)),
            "after_ms": getattr(error, "after_ms", None),
        }
        policy = (
            self.max_attempts,
            round(self.backoff * 1000),
            round(self.max_backoff * 1000),
            round(self.deadline * 1000),
        )
        delay_ms = _core.retry_decision(
            action, attempt, fields, round(elapsed * 1000), random.random(), policy
        )
        return None if delay_ms is None else delay_ms / 1000


#: No retry at all.
NO_RETRY = Retry(max_attempts=1)


def retry_policy(value: Union[Retry, int, bool, None]) -> Retry:
    """The policy for the ``retry`` option: ``None``/``False`` (no retry), ``True`` (the
    default :class:`Retry`), an attempt count, or a :class:`Retry`."""
    if value is None or value is False:
        return NO_RETRY
    if value is True:
        return Retry()
    if isinstance(value, Retry):
        return value
    if isinstance(value, int):
        return Retry(max_attempts=value)
    raise TypeError(f"retry must be a Retry, an int or a bool, not {type(value).__name__}")
