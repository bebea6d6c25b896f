"""The retry policy: which failures are sent again, how often, how long apart.

Only what is provably safe is retried. A write action (creating or cancelling a contract,
...) is sent again only when the request never left (the connection could not be opened):
the API has no idempotency key, so a timeout or a reset after sending may hide a contract
that was created. Read-only actions (``Describe*``, ``Get*``, ``Verify*``, ...) are also
retried after timeouts, connection failures, HTTP 429/502/503/504 and the API errors
``RequestLimitExceeded*`` and ``InternalError*``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import FrozenSet, Union

from .errors import (
    ApiError,
    HttpError,
    TencentCloudSDKException,
    TimeoutError,
    TransportError,
)

__all__ = ["Retry", "retry_policy"]


@dataclass(frozen=True)
class Retry:
    """How many attempts a call may take and how long to wait between them.

    :param max_attempts: attempts in all, the first included (1 means no retry).
    :param backoff: the base delay in seconds; attempt ``n`` waits a random time up to
        ``min(max_backoff, backoff * 2 ** (n - 1))`` (full jitter).
    :param max_backoff: the longest wait in seconds.
    :param retry_reads: also retry read-only actions after failures that may have reached
        the server (timeouts, resets, 429/5xx, rate limits).
    """

    max_attempts: int = 3
    backoff: float = 0.2
    max_backoff: float = 5.0
    retry_reads: bool = True
    #: HTTP statuses retried for read-only actions.
    statuses: FrozenSet[int] = frozenset({429, 502, 503, 504})

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.backoff < 0 or self.max_backoff < 0:
            raise ValueError("backoff and max_backoff must not be negative")

    def should_retry(self, error: TencentCloudSDKException, attempt: int, read_only: bool) -> bool:
        """Whether the call that failed with ``error`` on attempt ``attempt`` (1-based) may
        be sent again."""
        if attempt >= self.max_attempts:
            return False
        if isinstance(error, (TransportError, TimeoutError)) and error.not_sent:
            return True
        if not (read_only and self.retry_reads):
            return False
        if isinstance(error, (TransportError, TimeoutError)):
            return True
        if isinstance(error, HttpError):
            return error.status in self.statuses
        if isinstance(error, ApiError):
            code = error.code or ""
            return code.startswith(("RequestLimitExceeded", "InternalError"))
        return False

    def delay(self, attempt: int) -> float:
        """The wait in seconds before attempt ``attempt + 1``."""
        cap = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        return random.uniform(0, cap)


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
