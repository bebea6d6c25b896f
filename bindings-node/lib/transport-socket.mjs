/**
 * The default Node transport with the native addon: HTTP/1.1 straight over `node:net`
 * (`node:tls` for https) sockets, with the framing done by core (`essbasic::http1`, through
 * the addon's `encodeRequest` and `HttpResponseReader`): no HTTP code here, only sockets.
 *
 * - A keep-alive pool per origin: an idle connection is reused (last in, first out), a new
 *   one opened when none is idle, so concurrent calls get a connection each; idle ones are
 *   closed after a few seconds, and never keep the process alive.
 * - `TCP_NODELAY`, one write per request; answers are read into one reused buffer per
 *   transport (`onread`), each read handed to core's reader at once.
 * - A connection that fails before it is established (refused, DNS, TLS handshake) rejects
 *   with `notSent: true`. Any other failure after the request was written — a pooled
 *   connection the server closed before answering included — rejects without it and is
 *   never sent again here: the client's retry policy (core's) decides, so a
 *   non-idempotent call is never duplicated behind its back.
 * - `maxBodyBytes`: core's reader stops at a declared or streamed size beyond it; the
 *   connection is closed and the answer is `oversize: true`.
 * - The request's `signal` aborts it (the connection is closed).
 *
 * The adapter (`getCore()`) must have `encodeRequest` and `HttpResponseReader` (the native
 * addon); otherwise, e.g. on the WebAssembly fallback, every request goes to `fallback()`
 * (the `node:http` transport). See `transport-fetch.mjs` for the transport contract.
 */

import net from 'node:net';
import { createRequire } from 'node:module';
import { isConnectFailure, markNotSent, ON_ABORT, WIRE, DIRECT, RESPONSE_TEXT } from './transport-fetch.mjs';
import { redact } from './errors.mjs';

const requireBuiltin = createRequire(import.meta.url);
let tlsModule = null;
const tls = () => (tlsModule ??= requireBuiltin('node:tls'));

/** `HttpResponseReader.feed` / `eof` results. */
/** The body of an answer that came as its `Response` text. */
const NO_BODY = new Uint8Array(0);
const DONE = 1;
const TOO_LARGE = 2;
/** An idle connection is closed after this long (below common servers' keep-alive timeouts). */
const IDLE_MS = 4000;
/** The most idle connections kept per origin. */
const MAX_IDLE = 256;

/**
 * A monotonic clock in milliseconds: `process.hrtime.bigint()` (the first use of the `performance`
 * global loads Node's `perf_hooks` modules, ~30 KB of heap kept for the process's life).
 */
function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function abortError() {
  const e = new Error('the request was aborted');
  e.name = 'AbortError';
  e.code = 'ABORT_ERR';
  return e;
}

function closedError(received) {
  const e = new Error(received ? 'the connection closed mid-response' : 'the connection closed before any answer');
  e.code = 'ECONNRESET';
  return e;
}

/** The `Connection` of a socket (for the shared `onread` callback). */
const CONNECTION = Symbol('essbasic.connection');
/** The size of the buffer answers are read into (what Node reads at a time by default). */
const READ_BUFFER_BYTES = 64 * 1024;

/**
 * One connection and the call it carries (at most one at a time): its request and the sink
 * of its outcome (`transportDone(res)`, `transportFailed(error)`).
 */
class Connection {
  constructor(transport, origin, Reader) {
    this.transport = transport;
    this.origin = origin;
    this.reader = new Reader(0);
    /** The call in flight (`req`, `sink`), or null when idle. */
    this.req = null;
    this.sink = null;
    /** The `AbortSignal` listened to, for a request without `req[ON_ABORT]`. */
    this.signal = null;
    /** The call's body limit, and whether it takes a success as its `Response` text. */
    this.maxBodyBytes = 0;
    this.wantText = false;
    /** Fails the call in flight: the abort listener (one per connection, not per call). */
    this.onAbort = () => this.fail(abortError());
    this.established = false;
    this.idleSince = 0;
    // Answers are read into the transport's one buffer (`onread`): no Buffer per read and
    // none of the Readable stream's machinery on the way.
    const options = { host: origin.host, port: origin.port, onread: transport.onread };
    let socket;
    if (origin.secure) {
      socket = tls().connect({
        ...options,
        servername: net.isIP(origin.host) ? undefined : origin.host,
        ALPNProtocols: ['http/1.1'],
      });
      socket.once('secureConnect', () => (this.established = true));
    } else {
      socket = net.connect(options);
      socket.once('connect', () => (this.established = true));
    }
    socket.setNoDelay(true);
    // Only where `onread` would be ignored: every read goes to `onread.callback` otherwise.
    socket.on('data', (chunk) => this.onData(chunk));
    socket[CONNECTION] = this;
    socket.on('end', () => this.onEnd());
    socket.on('error', (e) => this.fail(!this.established || isConnectFailure(e) ? markNotSent(e) : e));
    socket.on('close', () => this.onClose());
    this.socket = socket;
    transport.all.add(this);
  }

  /** Sends `wire` for `req` on this connection; the outcome goes to `sink`. */
  start(req, sink, wire, maxBodyBytes) {
    this.req = req;
    this.sink = sink;
    this.maxBodyBytes = maxBodyBytes;
    // The client's own requests may take a success as its `Response` text (RESPONSE_TEXT).
    this.wantText = req.wantText === true;
    this.reader.reset(maxBodyBytes);
    const abort = req[ON_ABORT];
    if (abort) {
      abort.subscribe(this.onAbort);
    } else if (req.signal) {
      this.signal = req.signal;
      if (this.signal.aborted) this.onAbort();
      else this.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    // Aborted already: failed and closed above.
    if (this.sink !== sink || this.req !== req) return;
    this.socket.ref();
    // A Buffer from encodeRequest, or buildWire's one-byte string (one character a byte).
    this.socket.write(wire, 'latin1');
  }

  onData(chunk) {
    if (this.sink === null) {
      // Bytes nobody asked for: the connection cannot be trusted any more.
      this.socket.destroy();
      return;
    }
    let progress;
    try {
      progress = this.reader.feed(chunk);
    } catch (e) {
      this.fail(Object.assign(new Error(e.message), { code: 'HPE_INVALID' }));
      return;
    }
    if (progress === DONE) this.finish(false);
    else if (progress === TOO_LARGE) this.finish(true);
  }

  onEnd() {
    if (this.sink === null) {
      this.socket.destroy();
      return;
    }
    let progress;
    try {
      progress = this.reader.eof();
    } catch {
      this.fail(closedError(this.reader.receivedAny));
      return;
    }
    if (progress === DONE) this.finish(false);
    else if (progress === TOO_LARGE) this.finish(true);
  }

  onClose() {
    this.transport.all.delete(this);
    this.transport.forget(this);
    if (this.sink !== null) {
      const e = closedError(this.reader.receivedAny);
      this.fail(this.established ? e : markNotSent(e));
    }
  }

  /**
   * Ends the call with the answer; the connection goes back to the pool or is closed. A
   * success the client would parse at once comes as its `Response` text (`RESPONSE_TEXT`),
   * with no body `Buffer` made.
   */
  finish(oversize) {
    const sink = this.detach();
    const r = this.reader;
    // The headers the client reads (not every header: one object less per call).
    const headers = new AnswerHeaders(r.header('x-tc-traceid'), r.header('date'));
    // The status, plus 65,536 when the connection may be used again.
    const outcome = r.outcome();
    const status = outcome & 0xffff;
    let res;
    if (oversize) {
      res = { status, headers, body: new Uint8Array(0), oversize: true };
    } else {
      const text = this.wantText ? r.responseText(this.maxBodyBytes) : null;
      res = text === null ? { status, headers, body: r.takeBody() } : { status, headers, body: NO_BODY, [RESPONSE_TEXT]: text };
    }
    if (!oversize && outcome >= 65536) this.transport.release(this);
    else this.socket.destroy();
    sink.transportDone(res);
  }

  /** Ends the call with `err` (if one is in flight) and closes the connection. */
  fail(err) {
    const sink = this.detach();
    this.socket.destroy();
    if (sink !== null) sink.transportFailed(err);
  }

  /** Ends the call in flight here (its sink, or null when there is none). */
  detach() {
    const sink = this.sink;
    if (sink !== null) {
      const req = this.req;
      this.sink = null;
      this.req = null;
      if (this.signal !== null) {
        this.signal.removeEventListener('abort', this.onAbort);
        this.signal = null;
      } else {
        req[ON_ABORT]?.subscribe(null);
      }
    }
    return sink;
  }
}

/**
 * The headers of an answer that the client reads, `X-TC-TraceId` and `Date`, with the `get`
 * of a `Headers` object (case-insensitive; `null` for any other name).
 */
class AnswerHeaders {
  constructor(traceId, date) {
    this.traceId = traceId ?? null;
    this.date = date ?? null;
  }

  get(name) {
    const lower = name === 'x-tc-traceid' || name === 'date' ? name : String(name).toLowerCase();
    return lower === 'x-tc-traceid' ? this.traceId : lower === 'date' ? this.date : null;
  }
}

/** The sink of a `send` through the promise interface. */
class PromiseSink {
  constructor(resolve, reject) {
    this.transportDone = resolve;
    this.transportFailed = reject;
  }
}

/**
 * The socket transport.
 * @param {() => object | null | undefined} getCore the loaded core adapter
 * @param {() => Function} fallback the transport to use when the adapter cannot frame HTTP
 * @returns {((req: object) => Promise<object>) & { close(): void }}
 */
export function socketTransport(getCore, fallback) {
  let fallbackSend = null;
  /** origin key (`scheme://authority`) → `{ secure, host, port, idle: Connection[] }` */
  const origins = new Map();
  let sweeper = null;

  const readBuffer = new Uint8Array(READ_BUFFER_BYTES);
  let view = readBuffer.subarray(0, 0);
  let viewLength = 0;
  const transport = {
    /** Every open connection (for `close`). */
    all: new Set(),
    /**
     * Every connection reads into `readBuffer`, handed to its reader at once (one read at
     * a time: the buffer is free again when the callback returns).
     */
    onread: {
      buffer: readBuffer,
      callback(n) {
        // The view of the last length read, kept (answers of a kind are often of one size).
        if (n !== viewLength) {
          view = readBuffer.subarray(0, n);
          viewLength = n;
        }
        this[CONNECTION]?.onData(view);
      },
    },
    release(conn) {
      const idle = conn.origin.idle;
      if (idle.length >= MAX_IDLE) {
        conn.socket.destroy();
        return;
      }
      conn.idleSince = nowMs();
      conn.socket.unref();
      idle.push(conn);
      if (sweeper === null) {
        sweeper = setInterval(sweep, IDLE_MS / 2);
        sweeper.unref();
      }
    },
    forget(conn) {
      const idle = conn.origin.idle;
      const at = idle.indexOf(conn);
      if (at >= 0) idle.splice(at, 1);
    },
  };

  function sweep() {
    const limit = nowMs() - IDLE_MS;
    let left = 0;
    for (const origin of origins.values()) {
      // Oldest first: the pool is used last in, first out.
      while (origin.idle.length && origin.idle[0].idleSince < limit) origin.idle.shift().socket.destroy();
      left += origin.idle.length;
    }
    if (left === 0) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }

  function originOf(url) {
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    const key = slash < 0 ? url : url.slice(0, slash);
    let origin = origins.get(key);
    if (origin === undefined) {
      const u = new URL(key);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError('not an http(s) URL');
      const secure = u.protocol === 'https:';
      const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
      origin = { secure, host, port: Number(u.port) || (secure ? 443 : 80), idle: [] };
      origins.set(key, origin);
    }
    return origin;
  }

  function acquire(origin, Reader) {
    const idle = origin.idle;
    while (idle.length) {
      const conn = idle.pop();
      const s = conn.socket;
      if (!s.destroyed && s.readable && s.writable) return conn;
      s.destroy();
    }
    return new Connection(transport, origin, Reader);
  }

  /** Sends `req`; the outcome goes to `sink` (see `DIRECT`). */
  function dispatch(req, sink) {
    const core = getCore?.();
    if (!core || typeof core.encodeRequest !== 'function' || typeof core.HttpResponseReader !== 'function') {
      fallbackSend ??= fallback();
      // That transport reads `req.signal`, which the client leaves out for this one.
      fallbackSend(req.signal || !req[ON_ABORT] ? req : { ...req, signal: req[ON_ABORT].signal }).then(
        (res) => sink.transportDone(res),
        (e) => sink.transportFailed(e),
      );
      return;
    }
    let origin;
    try {
      origin = originOf(req.url);
    } catch {
      sink.transportFailed(new TypeError(`invalid URL ${redact(req.url)}`));
      return;
    }
    const wire = req[WIRE] ?? core.encodeRequest(req.method, req.url, req.headers, req.method === 'GET' ? '' : req.body);
    if (wire.error) {
      sink.transportFailed(markNotSent(new Error(wire.error.message)));
      return;
    }
    acquire(origin, core.HttpResponseReader).start(req, sink, wire, req.maxBodyBytes);
  }

  function send(req) {
    return new Promise((resolve, reject) => dispatch(req, new PromiseSink(resolve, reject)));
  }

  /** This transport takes the client's abort state (`req[ON_ABORT]`), not `req.signal`. */
  send[ON_ABORT] = true;
  send[DIRECT] = dispatch;
  send.close = () => {
    for (const conn of transport.all) conn.fail(closedError(false));
    for (const origin of origins.values()) origin.idle.length = 0;
    if (sweeper !== null) {
      clearInterval(sweeper);
      sweeper = null;
    }
    fallbackSend?.close?.();
  };
  return send;
}
