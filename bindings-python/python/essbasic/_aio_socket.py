"""The connection side of :class:`essbasic.transport.AsyncSocketTransport`: an asyncio
protocol that feeds what the loop reads to the core's HTTP/1.1 reader (``essbasic::http1``)
and settles a future with the outcome. Imported on first use (it needs asyncio)."""

from __future__ import annotations

import asyncio
from typing import Any, Optional, Union

from .errors import EssbasicError


class _Expired(Exception):
    """The attempt's time ran out while waiting for the answer."""


class _Connection(asyncio.BufferedProtocol):
    """One connection: idle in a pool, or reading one answer into ``reader``. The loop reads
    into ``buffer`` and the core's reader copies the bytes out at once, so the connections
    of one transport share it."""

    def __init__(self, buffer: bytearray) -> None:
        self.transport: Optional[asyncio.BaseTransport] = None
        self.buffer = buffer
        # A view, not the bytearray: the TLS transport reads a second time into a slice of
        # what it is given, and a bytearray's slice would be a copy.
        self.view = memoryview(buffer)
        self.reader: Any = None
        self.done: Optional[asyncio.Future[int]] = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def get_buffer(self, sizehint: int) -> memoryview:
        return self.view

    def buffer_updated(self, nbytes: int) -> None:
        reader = self.reader
        if reader is None:
            # Bytes nobody asked for: this connection cannot carry another exchange.
            self.close()
            return
        try:
            state = reader.feed_from(self.buffer, nbytes)
        except EssbasicError as exc:  # a malformed answer
            self._settle(exc)
            return
        if state:
            self._settle(state)

    def eof_received(self) -> bool:
        self.closed = True
        reader = self.reader
        if reader is not None:
            try:
                self._settle(reader.eof())
            except EssbasicError as exc:  # the answer is incomplete
                self._settle(exc)
        return False  # close the transport

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self.closed = True
        if self.reader is not None:
            self._settle(exc or ConnectionResetError("the server closed the connection"))

    def _settle(self, outcome: Union[int, BaseException]) -> None:
        done = self.done
        self.reader = None
        self.done = None
        if done is not None and not done.done():
            if isinstance(outcome, BaseException):
                done.set_exception(outcome)
            else:
                done.set_result(outcome)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


def _expire(done: asyncio.Future[int]) -> None:
    if not done.done():
        done.set_exception(_Expired())
