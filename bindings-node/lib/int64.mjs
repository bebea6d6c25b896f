/**
 * Lossless int64 JSON for JavaScript.
 *
 * Output: core quotes every integer beyond ±(2^53 − 1) as a string that starts with
 * {@link BIGINT_SENTINEL} (`essbasic::bigint::quote_big_integers`); {@link parseResponse}
 * turns exactly those back into `bigint`. Smaller integers stay `number`s.
 *
 * Input: {@link stringify} is `JSON.stringify` that also writes `bigint` values as raw JSON
 * integer digits (which `JSON.stringify` cannot), so values beyond 2^53 reach core intact.
 */

/** The prefix core gives a quoted big integer (`essbasic::bigint::BIGINT_SENTINEL`). */
export const BIGINT_SENTINEL = '\u0000bigint:';

/** `JSON.parse` reviver: sentinel strings become `bigint`. */
export function bigintReviver(_key, value) {
  if (typeof value === 'string' && value.startsWith(BIGINT_SENTINEL)) {
    return BigInt(value.slice(BIGINT_SENTINEL.length));
  }
  return value;
}

/**
 * Parses the `Response` object that the adapter's `classifyResponse` returned: `bigRaw`
 * (with the reviver) when core quoted some integers, else `raw` as it is.
 * @param {{ raw: string, bigRaw?: string | null }} classified
 */
export function parseResponse(classified) {
  const big = classified.bigRaw;
  return big == null ? JSON.parse(classified.raw) : JSON.parse(big, bigintReviver);
}

/**
 * Parses the `Response` object that the adapter's `classifyResponseAt` located in `body`:
 * its `ascii` text when the adapter rewrote it (non-ASCII characters as `\uXXXX` escapes,
 * big integers quoted), else `body[start..end]` (ASCII bytes) made a string by
 * `asciiSlice`; with the reviver when core quoted some integers. `JSON.parse` is what
 * validates the text: it throws on invalid JSON.
 * @param {{ start: number, end: number, bigIntegers: boolean, ascii?: string | null }} span
 * @param {Uint8Array} body
 * @param {(bytes: Uint8Array, start: number, end: number) => string} asciiSlice
 */
export function parseResponseSpan(span, body, asciiSlice) {
  const text = span.ascii ?? asciiSlice(body, span.start, span.end);
  return span.bigIntegers ? JSON.parse(text, bigintReviver) : JSON.parse(text);
}

/**
 * `JSON.stringify(value)` with `bigint` support: a `bigint` is written as its decimal
 * digits. Like `JSON.stringify`, it calls `toJSON`, leaves out `undefined`, functions and
 * symbols in objects (writes `null` for them in arrays) and writes `null` for non-finite
 * numbers. Throws a `TypeError` on a circular structure.
 * @param {unknown} value
 * @returns {string}
 */
export function stringify(value) {
  // The common case, no bigint anywhere: the engine's own writer (it throws a TypeError on
  // a bigint, and on a cycle, which the writer below reports the same way). A `toJSON` a
  // program gave to BigInt.prototype would change what the engine writes: then only ours.
  if (typeof BigInt.prototype.toJSON !== 'function') {
    try {
      return JSON.stringify(value) ?? 'null';
    } catch {
      // A bigint (or a cycle): write it below.
    }
  }
  return writeJson(value);
}

/** The JavaScript writer behind {@link stringify} (for values holding a bigint). */
function writeJson(value) {
  const seen = new Set();
  const write = (v, key) => {
    if (v !== null && typeof v === 'object' && typeof v.toJSON === 'function') v = v.toJSON(key);
    switch (typeof v) {
      case 'bigint':
        return v.toString();
      case 'number':
        return Number.isFinite(v) ? JSON.stringify(v) : 'null';
      case 'string':
      case 'boolean':
        return JSON.stringify(v);
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      default:
        break;
    }
    if (v === null) return 'null';
    if (v instanceof Number || v instanceof String || v instanceof Boolean) {
      return JSON.stringify(v.valueOf());
    }
    if (v instanceof BigInt) return v.valueOf().toString();
    if (seen.has(v)) throw new TypeError('Converting circular structure to JSON');
    seen.add(v);
    let out;
    if (Array.isArray(v)) {
      out = '[' + v.map((item, i) => write(item, String(i)) ?? 'null').join(',') + ']';
    } else {
      const parts = [];
      for (const k of Object.keys(v)) {
        const s = write(v[k], k);
        if (s !== undefined) parts.push(JSON.stringify(k) + ':' + s);
      }
      out = '{' + parts.join(',') + '}';
    }
    seen.delete(v);
    return out;
  };
  return write(value, '') ?? 'null';
}
