"""HTTP/1.1 for :class:`essbasic.AsyncClient` over the event loop's own connections (TCP,
TLS), with the request framed and the answer read by the core (``essbasic::http1``) and a
keep-alive pool per host: the asyncio twin of :class:`essbasic.transport.SocketTransport`,
with no third-party package. Exported as :class:`essbasic.transport.AsyncSocketTransport`."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Deque, Dict, Optional, Tuple, Union

from . import _core
from .errors import EssbasicError, TimeoutError, TransportError
from .transport import (
    HttpRequest,
    HttpResponse,
    _describe,
    _ms,
    _new_response,
    _Origin,
    _Origins,
    _raise_from,
    too_large,
)

if TYPE_CHECKING:
    import ssl

#: Bytes the loop reads into a connection's buffer at a time.
_READ_SIZE = 65536


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


class AsyncSocketTransport:
    """HTTP/1.1 over asyncio's connections (``loop.create_connection``, TLS by ``ssl``),
    with the request written and the answer read by the core's framing (``Content-Length``,
    chunked and close-delimited bodies, ``max_body_bytes`` enforced while reading) and a
    keep-alive pool per host. The default of :class:`essbasic.AsyncClient` when no proxy
    variable is set. Use it from one event loop. ``not_sent`` is true only when the
    connection could not be made (or no connection was free in time).

    :param max_connections: calls in flight per host; more wait for a free connection
        (the wait counts toward the call's timeout).
    :param pool_maxsize: idle connections kept per host.
    :param max_idle: seconds an idle connection may wait before it is dropped.
    :param ssl_context: the TLS context (default: the system trust store, verification on).
    """

    def __init__(
        self,
        *,
        max_connections: int = 100,
        pool_maxsize: int = 64,
        max_idle: float = 30.0,
        ssl_context: Optional[ssl.SSLContext] = None,
    ) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        self.max_connections = max_connections
        self.pool_maxsize = pool_maxsize
        self.max_idle = max_idle
        self._ssl_context = ssl_context
        self._pools: Dict[_Origin, Deque[Tuple[_Connection, float]]] = {}
        self._slots: Dict[_Origin, asyncio.Semaphore] = {}
        self._origins = _Origins()
        self._buffer = bytearray(_READ_SIZE)
        #: How many connections were opened, and how many requests reused one.
        self.opened = 0
        self.reused = 0

    def __repr__(self) -> str:
        return (
            f"AsyncSocketTransport(pool_maxsize={self.pool_maxsize}, "
            f"opened={self.opened}, reused={self.reused})"
        )

    def _acquire(self, key: _Origin) -> Optional[_Connection]:
        """An idle pooled connection to ``key`` that the server has not closed, if any."""
        now = time.monotonic()
        pool = self._pools.get(key)
        while pool:
            conn, since = pool.pop()
            if not conn.closed and now - since <= self.max_idle:
                self.reused += 1
                return conn
            conn.close()
        return None

    def _release(self, key: _Origin, conn: _Connection) -> None:
        if not conn.closed:
            pool = self._pools.get(key)
            if pool is None:
                pool = self._pools[key] = deque()
            if len(pool) < self.pool_maxsize:
                pool.append((conn, time.monotonic()))
                return
        conn.close()

    async def _connect(self, key: _Origin, timeout: float, request: HttpRequest) -> _Connection:
        secure, host, port = key
        context: Optional[ssl.SSLContext] = None
        if secure:
            if self._ssl_context is None:
                import ssl

                self._ssl_context = ssl.create_default_context()
            context = self._ssl_context
        loop = asyncio.get_running_loop()
        buffer = self._buffer
        connecting = loop.create_connection(
            lambda: _Connection(buffer),
            host,
            port,
            ssl=context,
            server_hostname=host if secure else None,
        )
        try:
            _, conn = await asyncio.wait_for(connecting, max(timeout, 0.0))
        except asyncio.TimeoutError as exc:
            error: Exception = TimeoutError(
                _ms(timeout), not_sent=True, message=f"connect timed out after {_ms(timeout)} ms"
            )
            _raise_from(error, exc, request)
        except OSError as exc:  # refused, unreachable, no such host, TLS verification
            error = TransportError(f"cannot connect: {_describe(exc)}", not_sent=True)
            _raise_from(error, exc, request)
        self.opened += 1
        return conn

    async def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends ``request`` over a pooled connection; waiting for a free one, connecting,
        sending and reading the whole answer must fit in ``timeout`` seconds. A cancelled
        call closes its connection (its answer would be left unread)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        key = self._origins.of(request.url)
        wire = _core.http1_encode(request.method, request.url, request.headers, request.body)
        slots = self._slots.get(key)
        if slots is None:
            slots = self._slots[key] = asyncio.Semaphore(self.max_connections)
        if slots.locked():
            try:
                await asyncio.wait_for(slots.acquire(), max(deadline - loop.time(), 0.0))
            except asyncio.TimeoutError as exc:
                error = TimeoutError(
                    _ms(timeout),
                    not_sent=True,
                    message=f"no free connection within {_ms(timeout)} ms "
                    f"(max_connections={self.max_connections})",
                )
                _raise_from(error, exc, request)
        else:
            await slots.acquire()
        try:
            return await self._exchange(key, wire, request, timeout, deadline)
        finally:
            slots.release()

    async def _exchange(
        self, key: _Origin, wire: bytes, request: HttpRequest, timeout: float, deadline: float
    ) -> HttpResponse:
        """One request and its answer over a pooled or new connection."""
        loop = asyncio.get_running_loop()
        conn = self._acquire(key)
        reused = conn is not None
        if conn is None:
            conn = await self._connect(key, deadline - loop.time(), request)
        limit = request.max_body_bytes
        reader = _core.ResponseReader(limit)
        done: asyncio.Future[int] = loop.create_future()
        conn.reader = reader
        conn.done = done
        timer = loop.call_at(deadline, _expire, done)
        finished = False
        try:
            transport = conn.transport
            if conn.closed or transport is None:
                raise ConnectionResetError("the connection was closed")
            transport.write(wire)  # type: ignore[attr-defined]
            state = await done
            if state == 2:  # over max_body_bytes: the rest is never read
                assert limit is not None
                declared = reader.content_length
                raise too_large(
                    reader.status, limit, declared if declared and declared > limit else None
                )
            status, headers, body, keep_alive = reader.finish()
            finished = True
        except EssbasicError:
            raise
        except _Expired as exc:
            _raise_from(TimeoutError(_ms(timeout)), exc, request)
        except OSError as exc:
            what = "on a reused connection" if reused else "after connecting"
            error = TransportError(f"request failed {what}: {_describe(exc)}")
            _raise_from(error, exc, request)
        finally:
            timer.cancel()
            if not finished:
                conn.reader = None
                conn.done = None
                conn.close()
        if keep_alive:
            self._release(key, conn)
        else:
            conn.close()
        return _new_response(HttpResponse, (status, headers, body))

    async def aclose(self) -> None:
        """Closes every idle connection; the transport stays usable."""
        pools, self._pools = self._pools, {}
        for pool in pools.values():
            for conn, _ in pool:
                conn.close()
