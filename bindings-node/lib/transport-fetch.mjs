/**
 * The `fetch` transport (any WHATWG `fetch`: Node's global one, a browser's, or the one
 * given as the `fetch` option) and the helpers every transport shares.
 *
 * A transport is `(request) => Promise<response>`:
 * - request: `{ method, url, headers: [name, value][], body: string, signal: AbortSignal,
 *   maxBodyBytes: number }`; `body` is the exact signed text (empty for GET).
 * - response: `{ status: number, headers: Headers | Record<string, string>, body: Uint8Array }`.
 *   A body longer than `maxBodyBytes` may be cut after `maxBodyBytes + 1` bytes.
 * It rejects when no complete answer arrives; the client turns a rejection into a
 * `TimeoutError` when its timeout fired, into a `TransportError` otherwise.
 */

/** Error codes that prove the request never left (nothing to undo, safe to retry). */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_PROXY_CONNECT',
]);

/** Whether an error (or its cause chain) proves that nothing was sent. */
export function provablyNotSent(err) {
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (typeof e === 'object' && NOT_SENT_CODES.has(e.code)) return true;
  }
  return false;
}

/** Reads a header from a `Headers` object or a plain (lower-case keyed) object. */
export function getHeader(headers, name) {
  if (!headers) return null;
  if (typeof headers.get === 'function') return headers.get(name);
  const want = name.toLowerCase();
  for (const k of Object.keys(headers)) {
    if (k.toLowerCase() === want) {
      const v = headers[k];
      return Array.isArray(v) ? v.join(', ') : v == null ? null : String(v);
    }
  }
  return null;
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

/** Reads a fetch `Response` body, stopping after `max + 1` bytes. */
async function readBody(res, max) {
  const stream = res.body;
  if (!stream || typeof stream.getReader !== 'function') {
    return new Uint8Array(await res.arrayBuffer());
  }
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > max) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return concat(chunks, total);
}

/**
 * A transport over a WHATWG `fetch`. Redirects are not followed (the API never redirects;
 * a 3xx is an HTTP error). `Host` is left to `fetch`: it is the URL's authority.
 * @param {typeof fetch} fetchImpl
 */
export function fetchTransport(fetchImpl) {
  if (typeof fetchImpl !== 'function') {
    throw new TypeError('essbasic: no fetch implementation is available; pass the `fetch` option');
  }
  return async function send(req) {
    const headers = req.headers.filter(([name]) => name.toLowerCase() !== 'host');
    const res = await fetchImpl(req.url, {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : req.body,
      signal: req.signal,
      redirect: 'manual',
    });
    const body = await readBody(res, req.maxBodyBytes);
    return { status: res.status, headers: res.headers, body };
  };
}
