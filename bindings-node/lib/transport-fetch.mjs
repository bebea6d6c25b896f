/**
 * The `fetch` transport (any WHATWG `fetch`: Node's global one, a browser's, or the one
 * given as the `fetch` option) and the helpers every transport shares.
 *
 * A transport is `(request) => Promise<response>`:
 * - request: `{ method, url, headers: [name, value][], body: string, signal: AbortSignal,
 *   maxBodyBytes: number }`; `body` is the exact signed text (empty for GET).
 * - response: `{ status: number, headers: Headers | Record<string, string>, body: Uint8Array,
 *   oversize?: boolean }`. A transport reads at most `maxBodyBytes` of a body: when the
 *   declared length or the bytes streamed in go beyond it, it stops reading at once and
 *   answers `oversize: true` (the client's `DecodeError`). A transport that does not may
 *   return the whole body; core then refuses it the same way.
 * It rejects when no complete answer arrives; the client turns a rejection into a
 * `TimeoutError` when its timeout fired, into a `TransportError` otherwise. A rejection whose
 * error has `notSent: true` says the request provably never left (the connection was never
 * established): core's retry policy may then retry any action.
 */

/**
 * The client's requests carry their abort state under this key: `req[ON_ABORT].subscribe(fn)`
 * calls `fn` once when the attempt is aborted (`null` unsubscribes), `req[ON_ABORT].signal`
 * is an `AbortSignal` made on demand. A transport function with `send[ON_ABORT] === true`
 * uses it and gets no `req.signal`; any other transport gets `req.signal` as documented.
 */
export const ON_ABORT = Symbol.for('essbasic.transport.onAbort');

/**
 * The client's requests to such a transport may carry the request's HTTP/1.1 bytes, framed
 * by core with the signing (`req[WIRE]`, a `Uint8Array` or a one-byte string of the bytes, to
 * write with the `latin1` encoding; `headers` and `body` are then left empty): when no header is added to core's, no hook and no debug log needs them.
 */
export const WIRE = Symbol.for('essbasic.transport.wire');

/**
 * The package's socket transport also has `send[DIRECT](req, sink)`: it sends `req` as `send`
 * does and reports the outcome to `sink.transportDone(res)` or `sink.transportFailed(error)`
 * instead of through a promise (the client's attempt object is both, so that a call makes no
 * promise and no closure between the client and the socket).
 */
export const DIRECT = Symbol.for('essbasic.transport.direct');

/**
 * The package's socket transport answers a success of the client's own request (`wantText`)
 * with its `Response` text already located (`res[RESPONSE_TEXT]`, ASCII JSON with no big
 * integer) instead of the body: no body bytes cross from the addon.
 */
export const RESPONSE_TEXT = Symbol.for('essbasic.transport.responseText');

/** Error codes of a connection that was never established (nothing was sent). */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_PROXY_CONNECT',
]);

/** Whether an error (or its cause chain) is a connect failure: nothing was sent. */
export function isConnectFailure(err) {
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (typeof e === 'object' && CONNECT_FAILURES.has(e.code)) return true;
  }
  return false;
}

/** Tags `err` as "the request never left" (`notSent: true`), for the client's retry decision. */
export function markNotSent(err) {
  if (err !== null && typeof err === 'object') {
    try {
      Object.defineProperty(err, 'notSent', { value: true, configurable: true, writable: true });
      return err;
    } catch {
      // A frozen error: wrap it.
    }
  }
  const wrapped = new Error(String(err?.message ?? err), { cause: err });
  wrapped.notSent = true;
  return wrapped;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Reads a header from a `Headers` object or a plain (lower-case keyed) object. */
export function getHeader(headers, name) {
  if (!headers) return null;
  if (typeof headers.get === 'function') return headers.get(name);
  const want = name.toLowerCase();
  // `for in` with an own-property check: the same keys as `Object.keys`, without an array.
  for (const k in headers) {
    if (hasOwn.call(headers, k) && (k === want || k.toLowerCase() === want)) {
      const v = headers[k];
      return Array.isArray(v) ? v.join(', ') : v == null ? null : String(v);
    }
  }
  return null;
}

/** Whether a declared `Content-Length` is beyond `max`. */
export function declaredOver(contentLength, max) {
  if (contentLength == null || contentLength === '') return false;
  const n = Number(contentLength);
  return Number.isFinite(n) && n > max;
}

/** Concatenates byte chunks. */
export function concat(chunks, total) {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const EMPTY = new Uint8Array(0);

/**
 * Reads a fetch `Response` body, at most `max` bytes: `{ body }`, or `{ body: empty,
 * oversize: true }` as soon as the declared length or the bytes read go beyond `max`.
 */
export async function readBody(res, max) {
  const stream = res.body;
  if (declaredOver(res.headers?.get?.('content-length'), max)) {
    await stream?.cancel?.().catch(() => {});
    return { body: EMPTY, oversize: true };
  }
  if (!stream || typeof stream.getReader !== 'function') {
    // A fetch without body streams: the whole body, then the check.
    const body = new Uint8Array(await res.arrayBuffer());
    return body.length > max ? { body: EMPTY, oversize: true } : { body };
  }
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel().catch(() => {});
      return { body: EMPTY, oversize: true };
    }
    chunks.push(value);
  }
  return { body: concat(chunks, total) };
}

/**
 * A transport over a WHATWG `fetch`. Redirects are not followed (the API never redirects;
 * a 3xx is an HTTP error). `Host` is left to `fetch`: it is the URL's authority.
 *
 * `notSent`: fetch says little about its failures. Only a `TypeError` before any response
 * whose cause is a connect failure (Node's fetch: `cause.code` `ECONNREFUSED`, `ENOTFOUND`,
 * ...) is tagged as never sent; a browser's bare "Failed to fetch" is not (it may have
 * failed after sending).
 * @param {typeof fetch} fetchImpl
 */
export function fetchTransport(fetchImpl) {
  if (typeof fetchImpl !== 'function') {
    throw new TypeError('essbasic: no fetch implementation is available; pass the `fetch` option');
  }
  return async function send(req) {
    const headers = req.headers.filter(([name]) => name.toLowerCase() !== 'host');
    let res;
    try {
      res = await fetchImpl(req.url, {
        method: req.method,
        headers,
        body: req.method === 'GET' ? undefined : req.body,
        signal: req.signal,
        redirect: 'manual',
      });
    } catch (e) {
      throw e?.name === 'TypeError' && isConnectFailure(e.cause) ? markNotSent(e) : e;
    }
    const { body, oversize } = await readBody(res, req.maxBodyBytes);
    return oversize ? { status: res.status, headers: res.headers, body, oversize } : { status: res.status, headers: res.headers, body };
  };
}
