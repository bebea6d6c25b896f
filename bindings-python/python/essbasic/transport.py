"""HTTP transports: how a signed request goes out and the answer comes back.

The client only needs ``send(request, timeout) -> HttpResponse``. This module has:

- :class:`SocketTransport`, the default: the standard library's ``socket`` and ``ssl``
  modules, HTTP/1.1 framed by the Rust core (``essbasic::http1``), a small thread-safe
  keep-alive pool per host, no third-party dependency.
- :class:`StdlibTransport`: ``http.client`` with a keep-alive pool per host (the default
  when a proxy variable such as ``HTTPS_PROXY`` is set, as before).
- :class:`RequestsTransport` and :class:`HttpxTransport`, over a ``requests.Session`` or an
  ``httpx.Client`` you pass to ``Client(transport=...)`` (proxies, mTLS, mounts, event hooks
  stay yours).
- For :class:`essbasic.AsyncClient`: :class:`AsyncSocketTransport`, the default (the event
  loop's own connections, HTTP/1.1 framed by the core, a keep-alive pool per host, no
  third-party dependency); :class:`HttpxAsyncTransport` (``httpx.AsyncClient``, the default
  when a proxy variable is set and httpx is installed), :class:`AiohttpTransport`
  (``aiohttp.ClientSession``) and :class:`ThreadedTransport` (any sync transport in a thread
  pool).

Every transport raises :class:`essbasic.errors.TimeoutError` or
:class:`essbasic.errors.TransportError`, with ``not_sent=True`` only when the request provably
never reached the server. Messages are redacted: no signature or token appears in them.

Every transport here also enforces ``request.max_body_bytes`` while it reads: a declared
``Content-Length`` over the limit is refused before any of the body is read, and a body that
grows past it is abandoned there (the connection is closed), with
:class:`essbasic.errors.DecodeError` (:class:`essbasic.errors.HttpError` for a non-2xx
status). Nothing is buffered beyond the limit.
"""

from __future__ import annotations

import builtins
import socket
import threading
import time
from collections import deque
from typing import (
    TYPE_CHECKING,
    Any,
    Deque,
    Dict,
    List,
    NamedTuple,
    NoReturn,
    Optional,
    Protocol,
    Tuple,
    runtime_checkable,
)

from . import _core
from .errors import (
    REDACTED,
    DecodeError,
    EssbasicError,
    HttpError,
    TimeoutError,
    TransportError,
    redact,
)

if TYPE_CHECKING:
    import asyncio
    import http.client
    import ssl
    from concurrent.futures import Executor

    from ._aio_socket import _Connection

__all__ = [
    "HttpRequest",
    "HttpResponse",
    "Transport",
    "AsyncTransport",
    "SocketTransport",
    "AsyncSocketTransport",
    "StdlibTransport",
    "RequestsTransport",
    "HttpxTransport",
    "HttpxAsyncTransport",
    "AiohttpTransport",
    "ThreadedTransport",
    "sync_transport",
    "async_transport",
]

_SECRET_HEADERS = frozenset({"authorization", "x-tc-token"})


class HttpRequest(NamedTuple):
    """A signed request, as the core built it, and the largest answer the caller accepts
    (``max_body_bytes``, ``None`` for no limit): a transport stops reading past it."""

    method: str
    url: str
    headers: List[Tuple[str, str]]
    body: bytes
    max_body_bytes: Optional[int] = None

    def __repr__(self) -> str:
        headers = [(k, REDACTED if k.lower() in _SECRET_HEADERS else v) for k, v in self.headers]
        return (
            f"HttpRequest(method={self.method!r}, url={redact(self.url)!r}, "
            f"headers={headers!r}, body=<{len(self.body)} bytes>)"
        )


def _declared_length(value: Optional[str]) -> Optional[int]:
    if value is None:
        return None
    try:
        n = int(value.strip())
    except ValueError:
        return None
    return n if n >= 0 else None


def too_large(status: int, limit: int, declared: Optional[int] = None) -> EssbasicError:
    """The error for an answer over ``max_body_bytes``: :class:`DecodeError` for a 2xx
    status, else :class:`HttpError` (as the core classifies an oversized body)."""
    if declared is not None:
        message = (
            f"the body has {declared} bytes (Content-Length), more than the limit of {limit} "
            "(max_body_bytes); it was not read"
        )
    else:
        message = (
            f"the body is larger than the limit of {limit} bytes (max_body_bytes); "
            "reading stopped there"
        )
    if 200 <= status < 300:
        return DecodeError(message, "DecodeError.TooLarge")
    return HttpError(status, message)


class _Limited:
    """Collects body chunks up to a limit."""

    __slots__ = ("chunks", "limit", "size", "status")

    def __init__(self, status: int, limit: Optional[int], declared: Optional[int]) -> None:
        if limit is not None and declared is not None and declared > limit:
            raise too_large(status, limit, declared)
        self.status = status
        self.limit = limit
        self.size = 0
        self.chunks: List[bytes] = []

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.limit is not None and self.size > self.limit:
            raise too_large(self.status, self.limit)
        self.chunks.append(chunk)

    def body(self) -> bytes:
        return b"".join(self.chunks)


class HttpResponse(NamedTuple):
    """What the server sent back."""

    status: int
    headers: List[Tuple[str, str]]
    body: bytes


@runtime_checkable
class Transport(Protocol):
    """A synchronous transport."""

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends ``request`` and reads the whole answer within ``timeout`` seconds."""
        ...

    def close(self) -> None:
        """Releases the connections."""
        ...


@runtime_checkable
class AsyncTransport(Protocol):
    """An asyncio transport."""

    async def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends ``request`` and reads the whole answer within ``timeout`` seconds."""
        ...

    async def aclose(self) -> None:
        """Releases the connections."""
        ...


def _ms(timeout: float) -> int:
    return round(timeout * 1000)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    name = type(exc).__name__
    return redact(f"{name}: {text}" if text else name)


def _names(exc: BaseException) -> List[str]:
    return [cls.__name__ for cls in type(exc).__mro__]


def _raise_from(error: Exception, cause: BaseException, request: HttpRequest) -> NoReturn:
    # A GET or v1 URL carries the signature: keep the original exception (whose message may
    # show the URL) out of the traceback then.
    if "?" in request.url:
        raise error from None
    raise error from cause


# --- the standard library -------------------------------------------------------------


_PoolKey = Tuple[str, str, int]


class StdlibTransport:
    """``http.client`` with a keep-alive pool per host; thread-safe.

    :param pool_maxsize: idle connections kept per host (more may be open at once).
    :param max_idle: seconds an idle connection may wait before it is dropped.
    :param ssl_context: the TLS context (default: the system trust store, verification on).
    """

    def __init__(
        self,
        *,
        pool_maxsize: int = 10,
        max_idle: float = 30.0,
        ssl_context: Optional[ssl.SSLContext] = None,
    ) -> None:
        self.pool_maxsize = pool_maxsize
        self.max_idle = max_idle
        self._ssl_context = ssl_context
        self._pools: Dict[_PoolKey, Deque[Tuple[http.client.HTTPConnection, float]]] = {}
        self._lock = threading.Lock()
        self._closed = False
        #: How many connections were opened, and how many requests reused one.
        self.opened = 0
        self.reused = 0

    def __repr__(self) -> str:
        return (
            f"StdlibTransport(pool_maxsize={self.pool_maxsize}, "
            f"opened={self.opened}, reused={self.reused})"
        )

    def _context(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            import ssl

            self._ssl_context = ssl.create_default_context()
        return self._ssl_context

    def _acquire(self, key: _PoolKey, timeout: float) -> Tuple[http.client.HTTPConnection, bool]:
        now = time.monotonic()
        with self._lock:
            pool = self._pools.get(key)
            while pool:
                conn, since = pool.pop()
                if now - since <= self.max_idle and not _dropped(conn):
                    self.reused += 1
                    return conn, True
                conn.close()
            self.opened += 1
        import http.client

        scheme, host, port = key
        if scheme == "https":
            return http.client.HTTPSConnection(
                host, port, timeout=timeout, context=self._context()
            ), False
        return http.client.HTTPConnection(host, port, timeout=timeout), False

    def _release(self, key: _PoolKey, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if self._closed:
                conn.close()
                return
            pool = self._pools.setdefault(key, deque())
            if len(pool) >= self.pool_maxsize:
                conn.close()
                return
            pool.append((conn, time.monotonic()))

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends ``request`` over a pooled connection; connecting, sending and reading the
        whole answer must fit in ``timeout`` seconds."""
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(request.url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise TransportError(f"unsupported URL scheme {scheme!r}", not_sent=True)
        port = parts.port or (443 if scheme == "https" else 80)
        key = (scheme, parts.hostname, port)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        deadline = time.monotonic() + timeout
        conn, reused = self._acquire(key, timeout)
        if conn.sock is None:
            try:
                conn.connect()
            except (socket.timeout, builtins.TimeoutError) as exc:
                conn.close()
                error: Exception = TimeoutError(
                    _ms(timeout),
                    not_sent=True,
                    message=f"connect timed out after {_ms(timeout)} ms",
                )
                _raise_from(error, exc, request)
            except OSError as exc:
                conn.close()
                error = TransportError(f"cannot connect: {_describe(exc)}", not_sent=True)
                _raise_from(error, exc, request)
        # The socket, kept: after an answer with "Connection: close", http.client drops its
        # reference while the body is still to be read.
        sock = conn.sock
        resp: Optional[http.client.HTTPResponse] = None

        def drop() -> None:
            if resp is not None:
                resp.close()  # the response's file holds the socket open otherwise
            conn.close()

        try:
            _remaining(sock, deadline)
            conn.request(
                request.method, target, body=request.body or None, headers=dict(request.headers)
            )
            _remaining(sock, deadline)
            resp = conn.getresponse()
            collected = _Limited(resp.status, request.max_body_bytes, resp.length)
            while resp.length != 0:
                _remaining(sock, deadline)
                chunk = resp.read1(65536)
                if not chunk:
                    break
                collected.add(chunk)
            collected.add(resp.read())  # b"" by now; marks the response done
            body = collected.body()
            if resp.length:  # a declared length that never came: the body was cut short
                raise http.client.IncompleteRead(body, resp.length)
        except EssbasicError:
            drop()  # an answer over the limit: its rest is never read
            raise
        except (socket.timeout, builtins.TimeoutError) as exc:
            drop()
            _raise_from(TimeoutError(_ms(timeout)), exc, request)
        except (OSError, http.client.HTTPException) as exc:
            drop()
            what = "on a reused connection" if reused else "after connecting"
            error = TransportError(f"request failed {what}: {_describe(exc)}")
            _raise_from(error, exc, request)
        if resp.will_close:
            conn.close()
        else:
            self._release(key, conn)
        return HttpResponse(resp.status, resp.getheaders(), body)

    def close(self) -> None:
        """Closes every idle connection; the transport stays usable."""
        with self._lock:
            pools, self._pools = self._pools, {}
        for pool in pools.values():
            for conn, _ in pool:
                conn.close()


# --- sockets, framed by the core ------------------------------------------------------------

_Origin = Tuple[bool, str, int]


class _Origins(Dict[str, _Origin]):
    """Where each URL connects (``(secure, host, port)``), remembered for up to 64 URLs."""

    def of(self, url: str) -> _Origin:
        origin = self.get(url)
        if origin is None:
            origin = _core.http1_origin(url)
            if len(self) < 64:
                self[url] = origin
        return origin


#: The size of a receive buffer (one read's most).
_RECV_SIZE = 262144
_new_response = tuple.__new__


class SocketTransport:
    """HTTP/1.1 over the standard library's ``socket`` (``TCP_NODELAY``) and ``ssl``
    modules, with the request written and the answer read by the core's framing
    (``essbasic::http1``: ``Content-Length``, chunked and close-delimited bodies, the
    ``max_body_bytes`` limit enforced while reading) and a keep-alive pool per host;
    thread-safe. ``not_sent`` is true only when the connection could not be made.

    :param pool_maxsize: idle connections kept per host (more may be open at once).
    :param max_idle: seconds an idle connection may wait before it is dropped.
    :param ssl_context: the TLS context (default: the system trust store, verification on).
    """

    def __init__(
        self,
        *,
        pool_maxsize: int = 10,
        max_idle: float = 30.0,
        ssl_context: Optional[ssl.SSLContext] = None,
    ) -> None:
        self.pool_maxsize = pool_maxsize
        self.max_idle = max_idle
        self._ssl_context = ssl_context
        self._pools: Dict[_Origin, Deque[Tuple[socket.socket, float]]] = {}
        self._origins = _Origins()
        self._lock = threading.Lock()
        self._closed = False
        # Receive buffers, reused (``recv_into``): no new memory per read. A list's pop and
        # append are atomic, so each send takes its own.
        self._buffers: List[bytearray] = []
        #: How many connections were opened, and how many requests reused one.
        self.opened = 0
        self.reused = 0

    def __repr__(self) -> str:
        return (
            f"SocketTransport(pool_maxsize={self.pool_maxsize}, "
            f"opened={self.opened}, reused={self.reused})"
        )

    def _acquire(self, key: _Origin) -> Optional[socket.socket]:
        """An idle pooled connection to ``key`` that the server has not closed, if any."""
        now = time.monotonic()
        with self._lock:
            pool = self._pools.get(key)
            while pool:
                sock, since = pool.pop()
                if now - since <= self.max_idle and not _sock_dropped(sock):
                    self.reused += 1
                    return sock
                sock.close()
            self.opened += 1
        return None

    def _release(self, key: _Origin, sock: socket.socket) -> None:
        with self._lock:
            if not self._closed:
                pool = self._pools.get(key)
                if pool is None:
                    pool = self._pools[key] = deque()
                if len(pool) < self.pool_maxsize:
                    pool.append((sock, time.monotonic()))
                    return
        sock.close()

    def _connect(self, key: _Origin, timeout: float, request: HttpRequest) -> socket.socket:
        secure, host, port = key
        sock: Optional[socket.socket] = None
        try:
            # An ASCII host as bytes (getaddrinfo takes both): the same lookup, without
            # loading the idna codec for it.
            address: Any = host.encode("ascii") if host.isascii() else host
            sock = socket.create_connection((address, port), timeout=timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if secure:
                if self._ssl_context is None:
                    import ssl

                    self._ssl_context = ssl.create_default_context()
                sock = self._ssl_context.wrap_socket(sock, server_hostname=host)
            return sock
        except (socket.timeout, builtins.TimeoutError) as exc:
            if sock is not None:
                sock.close()
            error: Exception = TimeoutError(
                _ms(timeout), not_sent=True, message=f"connect timed out after {_ms(timeout)} ms"
            )
            _raise_from(error, exc, request)
        except OSError as exc:
            if sock is not None:
                sock.close()
            error = TransportError(f"cannot connect: {_describe(exc)}", not_sent=True)
            _raise_from(error, exc, request)

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends ``request`` over a pooled connection; connecting, sending and reading the
        whole answer must fit in ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        key = self._origins.of(request.url)
        wire = _core.http1_encode(request.method, request.url, request.headers, request.body)
        sock = self._acquire(key)
        reused = sock is not None
        if sock is None:
            sock = self._connect(key, timeout, request)
        limit = request.max_body_bytes
        reader = _core.ResponseReader(limit)
        buffers = self._buffers
        buf = buffers.pop() if buffers else bytearray(_RECV_SIZE)
        try:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("the attempt's time is up")
            sock.settimeout(left)
            sock.sendall(wire)
            recv_into = sock.recv_into
            feed = reader.feed_from
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise socket.timeout("the attempt's time is up")
                sock.settimeout(left)
                n = recv_into(buf)
                state = feed(buf, n) if n else reader.eof()
                if state:
                    break
            if state == 2:  # over max_body_bytes: the rest is never read
                assert limit is not None
                declared = reader.content_length
                raise too_large(
                    reader.status, limit, declared if declared and declared > limit else None
                )
            status, headers, body, keep_alive = reader.finish()
        except EssbasicError:
            sock.close()
            raise
        except (socket.timeout, builtins.TimeoutError) as exc:
            sock.close()
            _raise_from(TimeoutError(_ms(timeout)), exc, request)
        except OSError as exc:
            sock.close()
            what = "on a reused connection" if reused else "after connecting"
            error = TransportError(f"request failed {what}: {_describe(exc)}")
            _raise_from(error, exc, request)
        finally:
            if len(buffers) < 4:
                buffers.append(buf)
        if keep_alive:
            self._release(key, sock)
        else:
            sock.close()
        return _new_response(HttpResponse, (status, headers, body))

    def close(self) -> None:
        """Closes every idle connection; the transport stays usable."""
        with self._lock:
            pools, self._pools = self._pools, {}
        for pool in pools.values():
            for sock, _ in pool:
                sock.close()


def _sock_dropped(sock: socket.socket) -> bool:
    """Whether an idle pooled connection was closed by the server (readable while idle)."""
    import select

    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    if not readable:
        return False
    if type(sock) is not socket.socket:  # TLS: a session ticket makes it readable too
        import ssl

        sock.setblocking(False)
        try:
            sock.recv(1)
        except ssl.SSLWantReadError:
            return False
        except OSError:
            return True
    return True


def _remaining(sock: Optional[socket.socket], deadline: float) -> None:
    """Gives the next socket operation what is left of the attempt's time."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise socket.timeout("the attempt's time is up")
    if sock is not None:
        sock.settimeout(left)


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """Whether an idle pooled connection was closed by the server (readable while idle)."""
    import select
    import ssl

    sock = conn.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    if not readable:
        return False
    if isinstance(sock, ssl.SSLSocket):
        # TLS 1.3 session tickets make an idle socket readable: look at what is there.
        sock.setblocking(False)
        try:
            sock.recv(1)
        except ssl.SSLWantReadError:
            return False
        except OSError:
            return True
    return True


# --- requests and httpx sessions ----------------------------------------------------------


class RequestsTransport:
    """Sends over a ``requests.Session`` (its adapters, proxies and certificates apply)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends ``request`` with ``session.request``."""
        resp: Any = None
        try:
            resp = self.session.request(
                request.method,
                request.url,
                data=request.body or None,
                headers=dict(request.headers),
                timeout=timeout,
                allow_redirects=False,
                stream=True,
            )
            collected = _Limited(
                int(resp.status_code),
                request.max_body_bytes,
                _declared_length(resp.headers.get("Content-Length")),
            )
            for chunk in resp.iter_content(65536):
                collected.add(chunk)
            body = collected.body()
        except EssbasicError:
            if resp is not None:
                resp.close()
            raise
        except Exception as exc:
            names = _names(exc)
            if "ConnectTimeout" in names:
                _raise_from(TimeoutError(_ms(timeout), not_sent=True), exc, request)
            if "Timeout" in names:
                _raise_from(TimeoutError(_ms(timeout)), exc, request)
            if "RequestException" not in names:
                raise
            text = repr(exc.args)
            not_sent = "NewConnectionError" in text or "NameResolutionError" in text
            _raise_from(TransportError(_describe(exc), not_sent=not_sent), exc, request)
        return HttpResponse(int(resp.status_code), list(resp.headers.items()), bytes(body))

    def close(self) -> None:
        """Leaves the session open: it is yours."""


def _httpx_error(exc: Exception, timeout: float, request: HttpRequest) -> None:
    names = _names(exc)
    if "PoolTimeout" in names or "ConnectTimeout" in names:
        _raise_from(TimeoutError(_ms(timeout), not_sent=True), exc, request)
    if "TimeoutException" in names:
        _raise_from(TimeoutError(_ms(timeout)), exc, request)
    if "ConnectError" in names:
        _raise_from(TransportError(_describe(exc), not_sent=True), exc, request)
    if "TransportError" in names or "HTTPError" in names:
        _raise_from(TransportError(_describe(exc)), exc, request)


class HttpxTransport:
    """Sends over an ``httpx.Client`` (created with defaults when none is given)."""

    def __init__(self, client: Any = None) -> None:
        if client is None:
            import httpx

            client = httpx.Client()
            self._owned = True
        else:
            self._owned = False
        self.client = client

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends ``request`` with ``client.stream``."""
        try:
            with self.client.stream(
                request.method,
                request.url,
                content=request.body or None,
                headers=request.headers,
                timeout=timeout,
            ) as resp:
                collected = _Limited(
                    int(resp.status_code),
                    request.max_body_bytes,
                    _declared_length(resp.headers.get("Content-Length")),
                )
                for chunk in resp.iter_bytes():
                    collected.add(chunk)
        except EssbasicError:
            raise
        except Exception as exc:
            _httpx_error(exc, timeout, request)
            raise
        return HttpResponse(int(resp.status_code), list(resp.headers.items()), collected.body())

    def close(self) -> None:
        """Closes the client if this transport created it."""
        if self._owned:
            self.client.close()


# --- asyncio ------------------------------------------------------------------------------


#: Bytes the event loop reads at a time for :class:`AsyncSocketTransport`.
_AIO_READ_SIZE = 65536


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
        # The loop reads into it and the core's reader copies the bytes out at once: one
        # buffer serves every connection.
        self._buffer = bytearray(_AIO_READ_SIZE)
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
        import asyncio

        from ._aio_socket import _Connection

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
        import asyncio

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
        import asyncio

        from ._aio_socket import _expire, _Expired

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


class HttpxAsyncTransport:
    """Sends over an ``httpx.AsyncClient`` (created with defaults when none is given)."""

    def __init__(self, client: Any = None) -> None:
        if client is None:
            import httpx

            client = httpx.AsyncClient()
            self._owned = True
        else:
            self._owned = False
        self.client = client

    async def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends ``request`` with ``client.stream``."""
        try:
            async with self.client.stream(
                request.method,
                request.url,
                content=request.body or None,
                headers=request.headers,
                timeout=timeout,
            ) as resp:
                collected = _Limited(
                    int(resp.status_code),
                    request.max_body_bytes,
                    _declared_length(resp.headers.get("Content-Length")),
                )
                async for chunk in resp.aiter_bytes():
                    collected.add(chunk)
        except EssbasicError:
            raise
        except Exception as exc:
            _httpx_error(exc, timeout, request)
            raise
        return HttpResponse(int(resp.status_code), list(resp.headers.items()), collected.body())

    async def aclose(self) -> None:
        """Closes the client if this transport created it."""
        if self._owned:
            await self.client.aclose()


class AiohttpTransport:
    """Sends over an ``aiohttp.ClientSession`` (one is created in the running loop on first
    use when none is given, and closed by :meth:`aclose`)."""

    def __init__(self, session: Any = None) -> None:
        self.session = session
        self._owned = session is None

    async def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends ``request`` with ``session.request``."""
        import asyncio

        import aiohttp

        if self.session is None:
            self.session = aiohttp.ClientSession()
        try:
            async with self.session.request(
                request.method,
                request.url,
                data=request.body or None,
                headers=request.headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
                allow_redirects=False,
            ) as resp:
                try:
                    collected = _Limited(
                        int(resp.status), request.max_body_bytes, resp.content_length
                    )
                    async for chunk in resp.content.iter_chunked(65536):
                        collected.add(chunk)
                except EssbasicError:
                    resp.close()  # the rest of the body is never read: drop the connection
                    raise
                return HttpResponse(int(resp.status), list(resp.headers.items()), collected.body())
        except EssbasicError:
            raise
        except asyncio.TimeoutError as exc:
            _raise_from(TimeoutError(_ms(timeout)), exc, request)
        except aiohttp.ClientConnectorError as exc:
            _raise_from(TransportError(_describe(exc), not_sent=True), exc, request)
        except aiohttp.ClientError as exc:
            _raise_from(TransportError(_describe(exc)), exc, request)

    async def aclose(self) -> None:
        """Closes the session if this transport created it."""
        if self._owned and self.session is not None:
            await self.session.close()
            self.session = None


class ThreadedTransport:
    """Runs a synchronous transport (by default the sync client's default) in a thread pool
    (the loop's default executor unless one is given), for asyncio without httpx or
    aiohttp."""

    def __init__(
        self, transport: Optional[Transport] = None, executor: Optional[Executor] = None
    ) -> None:
        self.transport: Transport = transport if transport is not None else sync_transport(None)
        self.executor = executor

    async def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        """Sends ``request`` in a worker thread."""
        import asyncio

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.transport.send, request, timeout)

    async def aclose(self) -> None:
        """Closes the wrapped transport."""
        self.transport.close()


# --- choosing a transport ----------------------------------------------------------------


def _package(obj: Any) -> str:
    return type(obj).__module__.split(".")[0]


_PROXY_VARIABLES = ("https_proxy", "http_proxy", "all_proxy")


def _proxy_configured() -> bool:
    """Whether a proxy variable (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, any case) is
    set."""
    import os

    return any(os.environ.get(v) or os.environ.get(v.upper()) for v in _PROXY_VARIABLES)


def sync_transport(obj: Any) -> Transport:
    """The transport for ``Client(transport=obj)``: ``None`` (the standard library:
    :class:`SocketTransport`, or :class:`StdlibTransport` when a proxy variable is set), a
    ``requests.Session``, an ``httpx.Client``, or any object with ``send`` and ``close``."""
    if obj is None:
        if _proxy_configured():
            return StdlibTransport()
        return SocketTransport()
    package = _package(obj)
    if package == "requests":
        return RequestsTransport(obj)
    if package == "httpx":
        return HttpxTransport(obj)
    if isinstance(obj, Transport):
        return obj
    raise TypeError(
        f"not a transport: {type(obj).__name__} "
        "(expected requests.Session, httpx.Client or a Transport)"
    )


def async_transport(obj: Any) -> AsyncTransport:
    """The transport for ``AsyncClient(transport=obj)``: ``None`` (:class:`AsyncSocketTransport`;
    when a proxy variable is set, httpx when installed, else aiohttp, else the standard
    library in a thread pool), an ``httpx.AsyncClient``, an ``aiohttp.ClientSession``, a sync
    transport (run in a thread pool) or an :class:`AsyncTransport`."""
    if obj is None:
        if not _proxy_configured():
            return AsyncSocketTransport()
        try:
            import httpx  # noqa: F401
        except ImportError:
            pass
        else:
            return HttpxAsyncTransport()
        try:
            import aiohttp  # noqa: F401
        except ImportError:
            return ThreadedTransport()
        return AiohttpTransport()
    package = _package(obj)
    if package == "httpx":
        return HttpxAsyncTransport(obj)
    if package == "aiohttp":
        return AiohttpTransport(obj)
    if package == "requests":
        return ThreadedTransport(RequestsTransport(obj))
    import inspect

    if isinstance(obj, AsyncTransport) and inspect.iscoroutinefunction(getattr(obj, "send", None)):
        return obj
    if isinstance(obj, Transport):
        return ThreadedTransport(obj)
    raise TypeError(f"not an async transport: {type(obj).__name__}")
