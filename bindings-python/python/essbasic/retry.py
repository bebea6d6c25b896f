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

Retries are on by default, with the core's default policy (3 attempts, 0.3 s first backoff
doubling up to 10 s, no retry starting after 60 s); ``retry=False`` or
``Retry(max_attempts=1)`` turns them off.

Separately, an ``AuthFailure.SignatureExpire`` answer (a wrong local clock) is re-signed
once with the server's clock, read from its ``Date`` header, whatever the policy.
"""

from __future__ import annotations

from typing import Optional, Union

from . import _core
from ._util import Frozen, jitter
from .errors import TencentCloudSDKException

__all__ = ["Retry", "retry_policy", "NO_RETRY", "DEFAULT_RETRY"]

_ATTEMPTS, _BASE_MS, _MAX_MS, _DEADLINE_MS = _core.RETRY_POLICY_DEFAULT


class Retry(Frozen):
    """How many attempts a call may take and how long to wait between them. The defaults
    are the core's (``essbasic::retry::RetryPolicy::default()``).

    :param max_attempts: attempts in all, the first included (1 means no retry); default 3.
    :param backoff: the first backoff in seconds (default 0.3); it doubles with each attempt
        ("equal jitter": half fixed, half random).
    :param max_backoff: the longest backoff in seconds (default 10).
    :param deadline: no retry starts later than this many seconds after the first attempt
        (default 60).
    """

    __slots__ = ("max_attempts", "backoff", "max_backoff", "deadline")
    _fields = __slots__

    max_attempts: int
    backoff: float
    max_backoff: float
    deadline: float

    def __init__(
        self,
        max_attempts: int = int(_ATTEMPTS),
        backoff: float = _BASE_MS / 1000,
        max_backoff: float = _MAX_MS / 1000,
        deadline: float = _DEADLINE_MS / 1000,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if backoff < 0 or max_backoff < 0 or deadline < 0:
            raise ValueError("backoff, max_backoff and deadline must not be negative")
        _set = object.__setattr__
        _set(self, "max_attempts", max_attempts)
        _set(self, "backoff", backoff)
        _set(self, "max_backoff", max_backoff)
        _set(self, "deadline", deadline)

    def decide(
        self, action: str, error: TencentCloudSDKException, attempt: int, elapsed: float
    ) -> Optional[float]:
        """The wait in seconds before sending ``action`` again after attempt ``attempt``
        (1-based) failed with ``error``, ``elapsed`` seconds after the first attempt
        started; ``None`` to give up."""
        if attempt >= self.max_attempts:
            return None
        status = getattr(error, "status", 0)
        delay_ms = _core.retry_decision(
            (
                self.max_attempts,
                round(self.backoff * 1000),
                round(self.max_backoff * 1000),
                round(self.deadline * 1000),
            ),
            attempt,
            action,
            error.kind,
            error.code or "",
            status if isinstance(status, int) and 0 <= status < 1000 else 0,
            bool(getattr(error, "not_sent", False)),
            max(0, round(elapsed * 1000)),
            jitter(),
        )
        return None if delay_ms is None else delay_ms / 1000


#: No retry at all.
NO_RETRY = Retry(max_attempts=1)

#: The core's default policy (what ``retry=None`` and ``retry=True`` mean).
DEFAULT_RETRY = Retry()


def retry_policy(value: Union[Retry, int, bool, None]) -> Retry:
    """The policy for the ``retry`` option: ``None`` or ``True`` (the core's default
    policy, :data:`DEFAULT_RETRY`), ``False`` (no retry), an attempt count, or a
    :class:`Retry`."""
    if value is None or value is True:
        return DEFAULT_RETRY
    if value is False:
        return NO_RETRY
    if isinstance(value, Retry):
        return value
    if isinstance(value, int):
        return Retry(max_attempts=value)
    raise TypeError(f"retry must be a Retry, an int or a bool, not {type(value).__name__}")
