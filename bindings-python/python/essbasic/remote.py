"""The server half of remote signing, for browsers that must not hold the SecretKey.

A browser (the WebAssembly binding) prepares a request and its canonical form without the
key and sends the canonical request and its timestamp to your server; the server answers
with :func:`sign_remote`, which refuses anything but a well-formed remote canonical request
for an essbasic host, an allowed action and a timestamp within 300 s of its clock.
"""

from __future__ import annotations

import time
from typing import Iterable, Optional

from . import _core

__all__ = ["sign_remote"]


def sign_remote(
    secret_key: str,
    canonical_request: str,
    timestamp: int,
    now: Optional[int] = None,
    allowed_actions: Optional[Iterable[str]] = None,
) -> str:
    """The TC3 signature (64 hex digits) of a remote canonical request.

    :param secret_key: the SecretKey (it never leaves this process).
    :param canonical_request: the canonical request the browser prepared.
    :param timestamp: the request's ``X-TC-Timestamp``.
    :param now: the server's clock (Unix seconds); default ``time.time()``.
    :param allowed_actions: the actions this server agrees to sign (case-insensitive);
        ``None`` allows every action of the spec.
    :raises essbasic.errors.SigningError: when the request is refused.
    """
    allowed = None if allowed_actions is None else [str(a) for a in allowed_actions]
    clock = int(time.time()) if now is None else int(now)
    return _core.sign_remote(secret_key, canonical_request, int(timestamp), clock, allowed)
