"""Small helpers that keep ``import essbasic`` light: immutable slotted records (instead of
``dataclasses``, which imports ``inspect``), one random generator for trace ids, nonces and
jitter (instead of ``uuid``, ``secrets`` and ``random``), and the ``essbasic`` logger, looked
up only once the application has imported :mod:`logging`."""

from __future__ import annotations

import os
import sys
from _random import Random
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple, Type, TypeVar

from . import _core

if TYPE_CHECKING:
    import logging

__all__ = ["Frozen", "FrozenInstanceError", "new_trace_id", "new_nonce", "jitter", "logger"]

_F = TypeVar("_F", bound="Frozen")


class FrozenInstanceError(AttributeError):
    """Raised when a field of an immutable record is assigned (as ``dataclasses`` does)."""


class Frozen:
    """An immutable record with ``__slots__``: equality, hash, ``repr`` and pickling by its
    fields (``_fields``, in order)."""

    __slots__ = ()
    _fields: Tuple[str, ...] = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _values(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            assert isinstance(other, Frozen)
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self)._restore, (self._as_dict(),))

    def _as_dict(self) -> Dict[str, Any]:
        return {f: getattr(self, f) for f in self._fields}

    @classmethod
    def _restore(cls: Type[_F], fields: Dict[str, Any]) -> _F:
        return cls(**fields)

    def _replace(self: _F, **changes: Any) -> _F:
        """A copy with some fields changed (``dataclasses.replace``)."""
        fields = self._as_dict()
        fields.update(changes)
        return type(self)(**fields)


# --- randomness -------------------------------------------------------------------------------

#: Trace ids and nonces (the core's fast generator, seeded from ``os.urandom``); retry jitter.
_entropy = _core.Entropy(int.from_bytes(os.urandom(8), "big"))
_rng = Random()


def _reseed() -> None:
    _entropy.reseed(int.from_bytes(os.urandom(8), "big"))
    _rng.seed(int.from_bytes(os.urandom(32), "big"))


_reseed()
if hasattr(os, "register_at_fork"):
    # A forked worker must not repeat its parent's trace ids.
    os.register_at_fork(after_in_child=_reseed)

#: A random UUID (version 4) in its text form.
new_trace_id = _entropy.trace_id
#: A random nonce in ``[1, 2**32 - 1]`` (v1 ``Nonce``).
new_nonce = _entropy.nonce


def jitter() -> float:
    """A random number in ``[0, 1)`` (retry backoff jitter)."""
    return _rng.random()


# --- logging ---------------------------------------------------------------------------------

_logger: Optional[logging.Logger] = None


def logger() -> Optional[logging.Logger]:
    """The ``essbasic`` logger, or ``None`` while :mod:`logging` was never imported (then no
    handler can be configured, and nothing is logged)."""
    global _logger
    if _logger is None:
        logging_module = sys.modules.get("logging")
        if logging_module is None:
            return None
        _logger = logging_module.getLogger("essbasic")
    return _logger


def logging_seen() -> bool:
    """Whether :mod:`logging` was imported (else no DEBUG record can be wanted)."""
    return _logger is not None or "logging" in sys.modules


def debug_logger() -> Optional[logging.Logger]:
    """The ``essbasic`` logger when it is enabled for DEBUG, else ``None``."""
    log = _logger if _logger is not None else logger()
    if log is not None and log.isEnabledFor(10):
        return log
    return None


def info(message: str, *args: Any) -> None:
    """Logs at INFO on the ``essbasic`` logger (importing :mod:`logging` if needed)."""
    log = logger()
    if log is None:
        import logging as logging_module

        log = logging_module.getLogger("essbasic")
    log.info(message, *args)
