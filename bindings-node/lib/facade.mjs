/**
 * The shared JavaScript façade of the native and the WebAssembly builds: the `Client`
 * class (a drop-in for `tencentcloud.essbasic.v20210526.Client`), bound to a *core
 * adapter* and a platform by {@link createEssbasic}.
 *
 * The adapter does everything protocol-related (validation, signing, request building,
 * response classification, retry decisions, clock-skew offsets, redaction for logs,
 * credentials-file parsing); this file only gathers inputs (time, nonce, trace id,
 * credential, jitter), moves bytes through a transport, waits, and turns results into values
 * or errors, logs and hook calls.
 */

import * as errors from './errors.mjs';
import { stringify, parseResponse, parseResponseSpan, BIGINT_SENTINEL } from './int64.mjs';
import { getHeader, fetchTransport, ON_ABORT, WIRE, DIRECT, RESPONSE_TEXT } from './transport-fetch.mjs';
import { ACTIONS } from './actions.mjs';
import { VERSION } from './version.mjs';

const { EssbasicError, SigningError, ValidationError, TimeoutError, TransportError, DecodeError } = errors;

/** The API version this package speaks. */
export const API_VERSION = '2021-05-26';
/** The largest response body accepted by default (64 MiB, as core). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** The official SDK's default timeout, `httpProfile.reqTimeout` = 60 s. */
const DEFAULT_TIMEOUT_SECONDS = 60;
/** How much of each redacted body a debug log line shows by default (bytes). */
export const DEFAULT_LOG_BODY_BYTES = 2048;
/** Bodies larger than this are logged by their size only (redacting them would cost). */
const LOG_BODY_LIMIT = 1024 * 1024;
const LANGUAGES = ['zh-CN', 'en-US'];
/** The credential chain's environment variables (the official SDKs' names). */
const ENV = {
  secretId: 'TENCENTCLOUD_SECRET_ID',
  secretKey: 'TENCENTCLOUD_SECRET_KEY',
  token: 'TENCENTCLOUD_SESSION_TOKEN',
  profile: 'TENCENTCLOUD_PROFILE',
};
const HOOKS = ['beforeSend', 'afterReceive', 'onRetry', 'onError'];
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const ADAPTER_FUNCTIONS = [
  'buildRequest',
  'classifyResponse',
  'prepareRemote',
  'finishRemote',
  'signRemote',
  'retryDecision',
  'clockOffset',
  'parseProfile',
  'redactBody',
];

/**
 * Turns what an adapter module exports into the adapter: named exports or a `default`
 * object, awaited `ready` promise when the module has one (asynchronous instantiation).
 */
export async function resolveAdapter(mod) {
  let adapter = await mod;
  if (adapter && typeof adapter.buildRequest !== 'function' && adapter.default) {
    adapter = adapter.default;
  }
  if (adapter && adapter.ready) await adapter.ready;
  for (const f of ADAPTER_FUNCTIONS) {
    if (!adapter || typeof adapter[f] !== 'function') {
      throw new TypeError(`essbasic: the core adapter has no ${f}() function`);
    }
  }
  return adapter;
}

/** Drops `undefined` and `null` members (the adapter treats them as absent anyway). */
function compact(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

/**
 * The `retry` option as the adapter's policy object (`null`: no retries). Members left out
 * are core's defaults (`essbasic::retry::RetryPolicy`: 3 attempts, 300 ms base delay, 10 s
 * largest delay, 60 s deadline).
 */
function retryPolicy(value) {
  if (value === undefined || value === true) return {};
  if (value === false) return null;
  if (value === null || typeof value !== 'object') {
    throw new TypeError('essbasic: `retry` must be an object { maxAttempts, baseDelayMs, maxDelayMs, deadlineMs } or false');
  }
  const policy = {};
  for (const [key, min] of [['maxAttempts', 1], ['baseDelayMs', 0], ['maxDelayMs', 0], ['deadlineMs', 0]]) {
    const v = value[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < min) {
      throw new TypeError(`essbasic: \`retry.${key}\` must be a whole number ≥ ${min}`);
    }
    policy[key] = v;
  }
  return policy;
}

/** A console-like `logger` option: the levels it has, as functions (others are skipped). */
function loggerOption(logger) {
  if (logger === undefined || logger === null) return {};
  if (typeof logger !== 'object' && typeof logger !== 'function') {
    throw new TypeError('essbasic: `logger` must be a console-like object { debug, info, warn, error }');
  }
  const out = {};
  for (const level of LOG_LEVELS) {
    if (typeof logger[level] === 'function') out[level] = (line) => logger[level](line);
  }
  return out;
}

/** The `hooks` option: only the known hooks, each a function. */
function hooksOption(hooks) {
  if (hooks === undefined || hooks === null) return {};
  if (typeof hooks !== 'object') throw new TypeError('essbasic: `hooks` must be an object');
  const out = {};
  for (const name of Object.keys(hooks)) {
    if (!HOOKS.includes(name)) throw new TypeError(`essbasic: unknown hook \`${name}\` (${HOOKS.join(', ')})`);
    if (hooks[name] === undefined) continue;
    if (typeof hooks[name] !== 'function') throw new TypeError(`essbasic: the \`${name}\` hook must be a function`);
    out[name] = hooks[name];
  }
  return out;
}

/** A positive whole number option, or its default. */
function sizeOption(name, value, fallback) {
  if (value === undefined || value === null) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`essbasic: \`${name}\` must be a whole number > 0`);
  return value;
}

/** `[name, value]` pairs of a headers record. */
function headerPairs(headers) {
  return Object.entries(headers || {}).map(([k, v]) => [k, String(v)]);
}

/** The `host[:port]` of a URL, for logs and hooks (never its query, which may be signed). */
function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** No headers (the common case: nothing to merge). */
const NO_HEADERS = Object.freeze([]);
/** No per-call options. */
const NO_OPTIONS = Object.freeze({});
/**
 * The descriptor of a result's `traceId` (reused: its `value` is set, the property defined,
 * and the value dropped again, all synchronously).
 */
const TRACE_ID = { value: undefined, configurable: true, writable: true, enumerable: false };

/** `bytes[start..end]` (ASCII) as a string (the platform may give a faster one). */
const decoder = typeof TextDecoder === 'function' ? new TextDecoder() : null;
const asciiSliceDefault = (bytes, start, end) => decoder.decode(bytes.subarray(start, end));
/** The UTF-8 bytes of `text` (a rare path: the envelope around a `Response` text to classify). */
const utf8Bytes = (text) => new TextEncoder().encode(text);

/**
 * One attempt in flight. How it is aborted (its timeout, the caller's signal): it is
 * `req[ON_ABORT]` of the request a transport receives. Its `AbortSignal` is made only when
 * asked for: an `AbortController` per call costs time and its signal survives young-generation
 * collections (V8 then grows the heap), so the package's socket transport (which says so
 * with `send[ON_ABORT] = true`) gets no `signal` and calls `subscribe` instead. For that
 * transport's `send[DIRECT]` it is also the request (`method`, `url`, `headers`, `body`,
 * `maxBodyBytes`, `[WIRE]`) and the sink of its outcome (`transportDone`,
 * `transportFailed`): one object per attempt, no promise or closure between them.
 */
class CallAbort {
  aborted = false;
  controller = null;
  hook = null;
  /** Whether the call's timeout aborted it. */
  timedOut = false;
  /** When the timeout fires (`monotonic()` ms), while registered with `deadlines`. */
  deadline = 0;
  /** Its neighbours in `deadlines`' list, and whether it is in that list. */
  prev = null;
  next = null;
  listed = false;
  // What the client needs to end the attempt (its `[SETTLE]`).
  client = null;
  core = null;
  out = null;
  built = null;
  userSignal = undefined;
  onUserAbort = null;
  timeoutMs = 0;
  timed = false;
  sentAt = 0;
  /** The attempt's promise's resolving functions (direct sends). */
  resolve = null;
  reject = null;
  // The request, for the socket transport's `send[DIRECT]`.
  method = '';
  url = '';
  headers = NO_HEADERS;
  body = '';
  maxBodyBytes = 0;
  /** The request's bytes, framed by core (`[WIRE]`). */
  wire = undefined;
  /** Whether the socket transport may answer a success with its `Response` text. */
  wantText = false;

  abort() {
    if (this.aborted) return;
    this.aborted = true;
    this.controller?.abort();
    this.hook?.();
  }

  /** The `AbortSignal` of the request a transport receives, made on first use. */
  get signal() {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort();
    }
    return this.controller.signal;
  }

  /** `fn` is called once when aborted (at once if it already is); `null` unsubscribes. */
  subscribe(fn) {
    if (fn && this.aborted) {
      fn();
      return;
    }
    this.hook = fn;
  }

  /** A direct send's request, as `req[ON_ABORT]`. */
  get [ON_ABORT]() {
    return this;
  }

  /** A direct send's request, as `req[WIRE]`. */
  get [WIRE]() {
    return this.wire;
  }

  /** A direct send's answer. */
  transportDone(res) {
    this.#finish(res, false, undefined);
  }

  /** A direct send's failure. */
  transportFailed(error) {
    this.#finish(undefined, true, error);
  }

  #finish(res, failed, error) {
    const resolve = this.resolve;
    const reject = this.reject;
    if (resolve === null) return;
    this.resolve = this.reject = null;
    try {
      resolve(this.client[SETTLE](this, res, failed, error));
    } catch (e) {
      reject(e);
    }
  }
}

/** The client's method that ends an attempt (`(abort, res, failed, error)` → `out` or a promise of it). */
const SETTLE = Symbol('essbasic.settle');

/** The attempt whose promise is being made (see `capture`). */
let capturing = null;
/** A promise executor that hands its resolving functions to `capturing` (no closure per call). */
function capture(resolve, reject) {
  capturing.resolve = resolve;
  capturing.reject = reject;
}

/** The longest delay of one `setTimeout` (a longer one would fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The timeouts of the calls in flight, all on one timer (a timer per call is two trips
 * through Node's timer lists a call, whose code then gets optimized: memory). The timer
 * is armed for the earliest deadline and referenced (keeps the process alive, as a timer
 * per call did) only while a call with a timeout is in flight; when the last one ends it
 * is left to fire unreferenced, finds nothing due and is dropped. (Browsers' and workers'
 * timers are numbers, with no `ref`/`unref`: there a timer never keeps anything alive.)
 * The calls are a doubly linked list through the `CallAbort`s themselves: adding and
 * removing one allocates nothing (a `Set` reallocates its table as it grows and shrinks).
 */
class Deadlines {
  /** The first `CallAbort` with a timeout in flight, and how many there are. */
  #head = null;
  #size = 0;
  #timer = null;
  /** When the timer fires (`monotonic()` ms). */
  #at = Infinity;

  /** `abort` is timed out (`timedOut`, then `abort()`) after `ms` unless deleted before. */
  add(abort, ms) {
    abort.deadline = monotonic() + ms;
    abort.prev = null;
    abort.next = this.#head;
    if (this.#head !== null) this.#head.prev = abort;
    this.#head = abort;
    abort.listed = true;
    this.#size += 1;
    if (this.#timer !== null && abort.deadline >= this.#at) {
      if (this.#size === 1) this.#timer.ref?.();
    } else {
      this.#arm(abort.deadline);
    }
  }

  delete(abort) {
    if (!this.#unlink(abort)) return;
    if (this.#size === 0) this.#timer?.unref?.();
  }

  #unlink(abort) {
    if (!abort.listed) return false;
    abort.listed = false;
    if (abort.prev !== null) abort.prev.next = abort.next;
    else this.#head = abort.next;
    if (abort.next !== null) abort.next.prev = abort.prev;
    abort.prev = abort.next = null;
    this.#size -= 1;
    return true;
  }

  #arm(at) {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#at = at;
    // A deadline beyond the longest delay is reached in several hops.
    this.#timer = setTimeout(() => this.#fire(), Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(at - monotonic()))));
    if (this.#size === 0) this.#timer.unref?.();
  }

  #fire() {
    this.#timer = null;
    this.#at = Infinity;
    const now = monotonic();
    let next = Infinity;
    const due = [];
    for (let abort = this.#head; abort !== null; abort = abort.next) {
      if (abort.deadline <= now) due.push(abort);
      else if (abort.deadline < next) next = abort.deadline;
    }
    for (const abort of due) {
      this.#unlink(abort);
      abort.timedOut = true;
      abort.abort();
    }
    if (next !== Infinity) this.#arm(next);
  }
}

const deadlines = new Deadlines();

/**
 * The request a custom transport receives: `headers` (parsed from the builder's JSON text)
 * and `signal` (an `AbortController`'s) made on first read, so that a transport that never
 * looks at them does not pay for them. Own enumerable accessors (`{ ...req }` copies their
 * values), defined with getters and setters shared by every request (an object literal's
 * accessors are new functions each time, and several times slower to make).
 */
class TransportRequest {
  #headers;
  #headersJson;
  #abort;
  #signal = undefined;

  constructor(built, headers, headersJson, abort, maxBodyBytes) {
    this.#headers = headers;
    this.#headersJson = headersJson;
    this.#abort = abort;
    this.method = built.method;
    this.url = built.url;
    Object.defineProperty(this, 'headers', HEADERS_PROPERTY);
    this.body = built.body ?? '';
    Object.defineProperty(this, 'signal', SIGNAL_PROPERTY);
    this.maxBodyBytes = maxBodyBytes;
    this[ON_ABORT] = abort;
  }

  /** The property descriptors of `headers` and `signal` (in the class: they reach its private fields). */
  static accessors() {
    return [
      {
        get() {
          return (this.#headers ??= this.#headersJson === undefined ? NO_HEADERS : JSON.parse(this.#headersJson));
        },
        set(value) {
          this.#headers = value;
        },
        enumerable: true,
        configurable: true,
      },
      {
        get() {
          return (this.#signal ??= this.#abort.signal);
        },
        set(value) {
          this.#signal = value;
        },
        enumerable: true,
        configurable: true,
      },
    ];
  }
}

/** The getters and setters of every {@link TransportRequest}'s `headers` and `signal`. */
const [HEADERS_PROPERTY, SIGNAL_PROPERTY] = TransportRequest.accessors();

/** Whether the runtime has Node's (and Bun's) `process.hrtime.bigint`. */
const hrtime = typeof process === 'object' && typeof process?.hrtime?.bigint === 'function';

/**
 * A clock for durations, in milliseconds (monotonic where the runtime has one). In Node,
 * `process.hrtime.bigint()`: the first use of the `performance` global loads Node's
 * `perf_hooks` modules (~30 KB of heap kept for the process's life).
 */
const monotonic = hrtime
  ? () => Number(process.hrtime.bigint()) / 1e6
  : () => (globalThis.performance?.now ? globalThis.performance.now() : Date.now());

/** Waits `ms`; rejects with `reason()` as soon as `signal` aborts. */
function sleep(ms, signal, reason) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(reason());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(reason());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `event.MsgData`, typed for `msgType` in `index.d.ts`; a `TypeError` when the event is of
 * another type (as the Python binding's `msg_data`).
 */
function msgData(event, msgType) {
  if (event?.MsgType !== msgType) {
    throw new TypeError(`essbasic: the event is a ${JSON.stringify(event?.MsgType)}, not a ${JSON.stringify(msgType)}`);
  }
  return event.MsgData ?? {};
}

/** A successful attempt's value, with the call's trace id (a non-enumerable `traceId`). */
function resultOf(out) {
  const value = out.value;
  if (value !== null && typeof value === 'object') {
    TRACE_ID.value = out.traceId;
    Object.defineProperty(value, 'traceId', TRACE_ID);
    TRACE_ID.value = undefined;
  }
  return value;
}

/** `httpProfile.protocol` + `httpProfile.endpoint`, as the official client joins them. */
function joinEndpoint(protocol, endpoint) {
  if (!endpoint) return undefined;
  if (endpoint.includes('://') || !protocol) return endpoint;
  return protocol.includes('://') ? protocol + endpoint : `${protocol}://${endpoint}`;
}

/**
 * Builds the package's exports for one adapter and platform.
 * @param {object} platform
 * @param {() => unknown} platform.loadAdapter returns the adapter module (or a promise of it)
 * @param {(options: { agent?: unknown, proxy?: string }, getAdapter: () => object | null) => Function}
 *   platform.defaultTransport the default transport; `getAdapter()` is the loaded adapter
 *   (the façade loads it before the first request)
 * @param {() => number} platform.randomU32 a random 32-bit unsigned integer
 * @param {() => string} platform.randomUUID a random UUID (the `X-TC-TraceId`)
 * @param {(adapter: object) => void} [platform.adapterLoaded] told the adapter once it is
 *   loaded (before the first trace id is drawn)
 * @param {string} platform.requestClient the `X-TC-RequestClient` value
 * @param {() => string} platform.backend `native` or `wasm`, once the adapter is loaded
 * @param {(name: string) => string | undefined} [platform.env] reads an environment variable
 * @param {() => Promise<{ path: string, text?: string, reason?: string }>}
 *   [platform.readCredentialsFile] reads `~/.tencentcloud/credentials` (`reason` when it cannot)
 * @param {boolean} [platform.server] also export the server-side `signRemote` (Node)
 */
export function createEssbasic(platform) {
  let adapterPromise = null;
  /** The adapter once loaded (a call then needs no promise to reach it). */
  let loaded = null;
  const asciiSlice = platform.asciiSlice ?? asciiSliceDefault;
  const adapter = () => {
    if (!adapterPromise) {
      adapterPromise = Promise.resolve()
        .then(platform.loadAdapter)
        .then(resolveAdapter)
        .then((a) => {
          platform.adapterLoaded?.(a);
          return (loaded = a);
        });
      // A failed load is reported by each call; the stored promise itself is handled.
      adapterPromise.catch(() => {});
    }
    return adapterPromise;
  };

  /**
   * The essbasic 2021-05-26 client: the official client's constructor options, one method
   * per action, plus `request(action, params)`.
   */
  class Client {
    #credential;
    /** The `credential` option when it is a plain credential (no provider, no chain). */
    #fixedCredential = null;
    /** The adapter's request builder for the last credential: `{ credential, builder }`. */
    #builder = null;
    #credentialProfile;
    /** The credential found by the chain (environment, profile file), once found. */
    #chained = null;
    #config;
    #headers;
    #timeoutMs;
    #maxBodyBytes;
    #transport;
    #retry;
    #signer;
    /** Server − local clock (seconds), learnt from an `AuthFailure.SignatureExpire` answer. */
    #clockOffset = 0;
    #log;
    #logBodyBytes;
    #hooks;
    /** The last request URL and its host (for logs and hooks), parsed once. */
    #lastUrl = null;
    #lastHost = '';

    /**
     * @param {object} config see `index.d.ts` (`ClientConfig`)
     */
    constructor(config = {}) {
      const { credential, region, profile = {} } = config;
      const hp = profile.httpProfile || {};
      if (profile.language && !LANGUAGES.includes(profile.language)) {
        throw new SigningError({
          code: 'SigningError',
          message: `Language invalid, choices: ${LANGUAGES.join('|')}`,
        });
      }
      this.#retry = retryPolicy(config.retry);
      this.#credential =
        credential && typeof credential.getCredential === 'function'
          ? credential
          : { secretId: credential?.secretId, secretKey: credential?.secretKey, token: credential?.token };
      const c = this.#credential;
      if (typeof c.getCredential !== 'function' && (c.secretId || c.secretKey || c.token)) this.#fixedCredential = c;
      if (config.credentialProfile !== undefined && typeof config.credentialProfile !== 'string') {
        throw new TypeError('essbasic: `credentialProfile` must be a profile name');
      }
      this.#credentialProfile = config.credentialProfile || undefined;
      const endpoint = joinEndpoint(hp.protocol, hp.endpoint);
      this.#config = compact({
        region: region || undefined,
        language: profile.language,
        endpoint,
        fileEndpoint: joinEndpoint(hp.protocol, config.fileEndpoint),
        testEnvironment: Boolean(config.testEnvironment),
        signMethod: profile.signMethod,
        httpMethod: hp.reqMethod,
        unsignedPayload: config.unsignedPayload,
        strict: Boolean(config.strict),
        requestClient: platform.requestClient,
      });
      this.#headers = headerPairs(hp.headers);
      this.#timeoutMs = (hp.reqTimeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
      this.#maxBodyBytes = sizeOption('maxBodyBytes', config.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
      this.#logBodyBytes = sizeOption('logBodyBytes', config.logBodyBytes, DEFAULT_LOG_BODY_BYTES);
      this.#log = loggerOption(config.logger);
      this.#hooks = hooksOption(config.hooks);
      if (config.signer !== undefined && typeof config.signer !== 'function') {
        throw new TypeError('essbasic: `signer` must be a function');
      }
      this.#signer = config.signer;
      if (config.transport !== undefined && typeof config.transport !== 'function') {
        throw new TypeError('essbasic: `transport` must be a function');
      }
      this.#transport =
        config.transport ??
        (config.fetch
          ? fetchTransport(config.fetch)
          : platform.defaultTransport({ agent: hp.agent, proxy: hp.proxy }, () => loaded));
      /** The region (`X-TC-Region`), or `null`. */
      this.region = region || null;
      /** `2021-05-26`. */
      this.apiVersion = API_VERSION;
      /** The explicit endpoint, or `null` for the default hosts. */
      this.endpoint = endpoint || null;
      /** This package's `X-TC-RequestClient`. */
      this.sdkVersion = platform.requestClient;
    }

    /**
     * Calls `action` with `params`; resolves to the `Response` object (RequestId included;
     * the call's trace id as the non-enumerable `traceId` property).
     * @param {string} action the PascalCase action name
     * @param {object} [params]
     * @param {{ headers?: Record<string, string>, signal?: AbortSignal, timeoutMs?: number,
     *   traceId?: string } | Function} [options] per-call options, or the callback
     * @param {(err: Error | null, response: object | null) => void} [cb] node-style callback
     */
    request(action, params, options, cb) {
      if (typeof options === 'function') {
        cb = options;
        options = undefined;
      }
      const promise = this.#call(String(action), params, options || NO_OPTIONS);
      if (typeof cb === 'function') {
        // The callback receives the outcome outside the promise chain (an exception it
        // throws is the caller's, not a rejection), and the returned promise, which a
        // callback user ignores, never becomes an unhandled rejection.
        promise.then(
          (res) => queueMicrotask(() => cb(null, res)),
          (err) => queueMicrotask(() => cb(err, null)),
        );
      }
      return promise;
    }

    /** Releases the keep-alive connections of the default transport (optional). */
    close() {
      if (typeof this.#transport.close === 'function') this.#transport.close();
    }

    /**
     * The credential of a call: the `credential` option (a provider is asked every time),
     * else the environment, else the profile file (found once, then kept).
     */
    async #credentialFor(core, traceId) {
      const c = this.#credential;
      if (typeof c.getCredential === 'function') {
        let got;
        try {
          got = await c.getCredential();
        } catch (e) {
          throw new SigningError({
            code: 'SigningError',
            message: `cannot get the credential: ${errors.redact(e?.message ?? e)}`,
            traceId,
            cause: errors.safeCause(e),
          });
        }
        return { secretId: got?.secretId, secretKey: got?.secretKey, token: got?.token };
      }
      // Anything in the option is the credential (an incomplete one is core's error).
      if (c.secretId || c.secretKey || c.token) return c;
      if (this.#chained) return this.#chained;
      const found = await this.#credentialChain(core);
      if (found.error) throw new SigningError({ code: 'SigningError', message: found.error, traceId });
      this.#chained = found.credential;
      return found.credential;
    }

    /** The environment, then the profile file: `{ credential }` or `{ error }`. */
    async #credentialChain(core) {
      const looked = [];
      const env = typeof platform.env === 'function' ? platform.env : null;
      if (env) {
        const secretId = env(ENV.secretId);
        const secretKey = env(ENV.secretKey);
        if (secretId && secretKey) {
          return { credential: { secretId, secretKey, token: env(ENV.token) || undefined } };
        }
        const partly = secretId || secretKey ? `: only ${secretId ? ENV.secretId : ENV.secretKey} is set` : '';
        looked.push(`the environment (${ENV.secretId} and ${ENV.secretKey}${partly})`);
      }
      if (typeof platform.readCredentialsFile === 'function') {
        const name = this.#credentialProfile || env?.(ENV.profile) || 'default';
        const file = await platform.readCredentialsFile();
        if (typeof file.text === 'string') {
          const parsed = core.parseProfile(file.text, name);
          if (parsed?.error) return { error: `${errors.redact(parsed.error.message)} (${file.path})` };
          if (parsed) return { credential: parsed };
          looked.push(`profile [${name}] of ${file.path} (no such profile)`);
        } else {
          looked.push(`profile [${name}] of ${file.path} (${file.reason})`);
        }
      }
      const where = ['the `credential` option', ...looked];
      const list = where.length > 1 ? `${where.slice(0, -1).join(', ')} or ${where.at(-1)}` : where[0];
      return { error: `no credential: none in ${list}` };
    }

    /**
     * The remote-signer path: core prepares the request and its canonical form without the
     * SecretKey, the `signer` option signs it (e.g. on a server), core adds Authorization.
     * Resolves to the request or `{ error }`, as `buildRequest`.
     */
    async #signRemotely(core, action, paramsJson, credential, timestamp, nonce, traceId) {
      const remote = { secretId: credential.secretId, token: credential.token };
      const prepared = core.prepareRemote(action, paramsJson, this.#config, remote, timestamp, nonce, traceId);
      if (prepared.error) return prepared;
      let signature;
      try {
        signature = await this.#signer({
          canonicalRequest: prepared.canonicalRequest,
          stringToSign: prepared.stringToSign,
          timestamp: prepared.timestamp,
          action,
          traceId,
        });
      } catch (e) {
        throw new SigningError({
          code: 'SigningError',
          message: `${action}: the remote signer failed: ${errors.redact(e?.message ?? e)}`,
          traceId,
          cause: errors.safeCause(e),
        });
      }
      return core.finishRemote(prepared, typeof signature === 'string' ? signature : '');
    }

    /** Calls a hook; a hook that throws is reported to `logger.warn` and otherwise ignored. */
    async #hook(name, ctx) {
      const fn = this.#hooks[name];
      if (!fn) return;
      try {
        await fn(ctx);
      } catch (e) {
        this.#log.warn?.(`essbasic: the ${name} hook threw: ${errors.redact(e?.message ?? e)}`);
      }
    }

    /** A body made safe to log by core (`redact::body_for_log`), or its size when too large. */
    #logBody(core, body) {
      const size = body.length;
      if (size === 0) return '(empty)';
      if (size > LOG_BODY_LIMIT) return `(${size} bytes, not logged)`;
      return core.redactBody(body, this.#logBodyBytes);
    }

    /**
     * A call. The common case (the adapter loaded, a fixed credential, the first attempt) is
     * plain functions and one promise chain; the rest is `#callSlow` and `#tryAgain`, async
     * functions. (One async function with all of it is one large graph for V8's optimizing
     * compiler, the largest of the package: its working memory while compiling it, on a
     * worker thread's heap, stays in the process's peak.)
     */
    #call(action, params, options) {
      const credential = this.#fixedCredential;
      if (loaded === null || credential === null) return this.#callSlow(action, params, options);
      const core = loaded;
      let a;
      try {
        a = this.#begin(action, options, monotonic());
      } catch (err) {
        // As an async function would: a rejected promise (before any attempt: no onError).
        return Promise.reject(err);
      }
      let attempt;
      try {
        a.paramsJson = this.#paramsJson(action, params, a.traceId);
        a.credential = credential;
        a.attempt = 1;
        attempt = this.#attempt(core, a);
      } catch (err) {
        return this.#fail(a, err);
      }
      return attempt.then(
        (out) => (out.error ? this.#tryAgain(core, a, out) : resultOf(out)),
        (err) => this.#fail(a, err),
      );
    }

    /** `#call` while the adapter loads, or with a credential to find or ask for. */
    async #callSlow(action, params, options) {
      const started = monotonic();
      // The adapter first: it may be the source of the trace id's random numbers (a failed
      // load is reported below, with the trace id).
      if (loaded === null) await adapter().catch(() => {});
      const a = this.#begin(action, options, started);
      let core;
      let out;
      try {
        core = loaded ?? (await adapter());
        a.paramsJson = this.#paramsJson(action, params, a.traceId);
        a.credential = this.#fixedCredential ?? (await this.#credentialFor(core, a.traceId));
        a.attempt = 1;
        out = await this.#attempt(core, a);
      } catch (err) {
        throw await this.#failed(a, err);
      }
      return out.error ? this.#tryAgain(core, a, out) : resultOf(out);
    }

    /** A call's state: its action, attempts, trace id, extra headers and options. */
    #begin(action, options, started) {
      let headers = NO_HEADERS;
      let traceHeader;
      if (this.#headers.length !== 0 || options.headers) {
        const extra = [...this.#headers, ...headerPairs(options.headers)];
        traceHeader = extra.find(([k]) => k.toLowerCase() === 'x-tc-traceid');
        headers = extra.filter(([k]) => k.toLowerCase() !== 'x-tc-traceid');
      }
      const traceId = String(options.traceId ?? traceHeader?.[1] ?? platform.randomUUID());
      return { action, attempt: 0, traceId, started, paramsJson: '', credential: null, headers, options, resigned: false };
    }

    /**
     * After a failed attempt: tries again (re-signed, or after the retry policy's delay) until
     * an attempt succeeds; rejects with the error the call ends with.
     */
    async #tryAgain(core, a, out) {
      try {
        for (;;) {
          // Throws when the call ends here.
          await this.#beforeRetry(core, a, out);
          a.attempt += 1;
          out = await this.#attempt(core, a);
          if (!out.error) return resultOf(out);
        }
      } catch (err) {
        throw await this.#failed(a, err);
      }
    }

    /** Rejects with `err` once the `onError` hook has seen it. */
    async #fail(a, err) {
      throw await this.#failed(a, err);
    }

    /** The parameters as JSON text (a `ValidationError` when they cannot be written). */
    #paramsJson(action, params, traceId) {
      try {
        return stringify(params ?? {});
      } catch (e) {
        throw new ValidationError({
          code: 'ValidationError',
          message: `${action}: the parameters cannot be written as JSON: ${e.message}`,
          action,
          path: '',
          traceId,
        });
      }
    }

    /**
     * After a failed attempt: resolves when the call is to be tried again (re-signed after
     * a clock skew, or retried after the policy's delay), throws the error otherwise.
     */
    async #beforeRetry(core, a, out) {
      const { action, attempt, traceId, started, options } = a;
      const err = out.error;
      if (options.signal?.aborted) throw err;
      // A wrong local clock: re-sign once with the server's (its Date header), and keep
      // the offset for the next calls.
      if (err.code === 'AuthFailure.SignatureExpire' && !a.resigned && out.date) {
        const offset = core.clockOffset(out.date, out.localNow);
        if (typeof offset === 'number') {
          a.resigned = true;
          this.#clockOffset = offset;
          this.#log.warn?.(`essbasic: ${action}: the local clock is off by ${offset} s from the server's; re-signing`);
          await this.#hook('onRetry', this.#context(out, { error: err, delayMs: 0, reason: 'clock-skew', clockOffset: offset }));
          return;
        }
      }
      const delayMs = this.#retry
        ? core.retryDecision(
            action,
            attempt,
            { kind: err.kind, code: err.code, status: err.httpCode ?? 0, notSent: err.notSent === true },
            Math.max(0, Math.round(monotonic() - started)),
            Math.random(),
            this.#retry,
          )
        : null;
      if (typeof delayMs !== 'number') throw err;
      this.#log.info?.(`essbasic: ${action}: attempt ${attempt} failed (${err.code}); retrying in ${delayMs} ms, traceId ${traceId}`);
      await this.#hook('onRetry', this.#context(out, { error: err, delayMs, reason: 'retry' }));
      await sleep(delayMs, options.signal, () => new TransportError({
        code: 'TransportError',
        message: `${action}: the call was aborted`,
        traceId,
        notSent: false,
      }));
    }

    /** The error a call ends with, once the `onError` hook has seen it. */
    async #failed(a, err) {
      const { action, attempt, traceId, started } = a;
      if (err instanceof EssbasicError) {
        if (!err.traceId) err.traceId = traceId;
        err.attempts = attempt;
      }
      await this.#hook('onError', {
        action,
        attempt,
        traceId,
        elapsedMs: Math.round(monotonic() - started),
        error: err,
      });
      return err;
    }

    /** The context object a hook receives after an attempt. */
    #context(out, extra) {
      return {
        action: out.action,
        attempt: out.attempt,
        traceId: out.traceId,
        host: out.host,
        method: out.method,
        elapsedMs: Math.round(monotonic() - out.started),
        ...extra,
      };
    }

    /**
     * One attempt: build and sign (a fresh timestamp and nonce), send, classify. Resolves to
     * `{ value }` or `{ error }` with what the caller needs to decide (the answer's `Date`).
     * The common path is plain functions and one promise (`#send`); the rare ones (remote
     * signing, extra headers, hooks, logs, errors) are methods of their own. Each stays
     * small for the optimizing compiler (whose graphs of big async functions cost memory).
     */
    #attempt(core, a) {
      const localNow = Math.floor(Date.now() / 1000);
      const out = {
        action: a.action,
        attempt: a.attempt,
        traceId: a.traceId,
        started: a.started,
        host: '',
        method: '',
        localNow,
        date: undefined,
        error: undefined,
        value: undefined,
        requestId: '',
        body: null,
      };
      if (this.#signer || a.headers.length !== 0 || this.#hooks.beforeSend) return this.#attemptWithExtras(core, a, out);
      // Framed by core in the same call when the socket transport sends it as built.
      const wire = this.#transport[ON_ABORT] === true && !this.#log.debug;
      const nonce = platform.randomU32() || 1;
      const built = this.#build(core, a.action, a.paramsJson, a.credential, localNow + this.#clockOffset, nonce, a.traceId, wire);
      if (!this.#built(out, built)) return Promise.resolve(out);
      return this.#send(core, a.options, out, built, built.headers ?? null);
    }

    /** `#attempt` with a remote signer, extra headers or a `beforeSend` hook. */
    async #attemptWithExtras(core, a, out) {
      const { action, traceId, paramsJson, credential } = a;
      const timestamp = out.localNow + this.#clockOffset;
      const nonce = platform.randomU32() || 1;
      const wire =
        this.#transport[ON_ABORT] === true && a.headers.length === 0 && !this.#hooks.beforeSend && !this.#log.debug;
      const built = this.#signer
        ? await this.#signRemotely(core, action, paramsJson, credential, timestamp, nonce, traceId)
        : this.#build(core, action, paramsJson, credential, timestamp, nonce, traceId, wire);
      if (!this.#built(out, built)) return out;
      // The builder's headers come as JSON text, parsed only when something reads them
      // (a custom transport that ignores them never pays for twelve pairs).
      const headers =
        a.headers.length !== 0 || this.#hooks.beforeSend ? await this.#mergeHeaders(out, a.headers, built) : (built.headers ?? null);
      return this.#send(core, a.options, out, built, headers);
    }

    /** Notes a built request's host and method in `out`; `false` (and `out.error`) when building failed. */
    #built(out, built) {
      if (built.error) {
        out.error = errors.fromAdapter(built.error, { traceId: out.traceId });
        return false;
      }
      if (built.url !== this.#lastUrl) {
        this.#lastUrl = built.url;
        this.#lastHost = hostOf(built.url);
      }
      out.host = this.#lastHost;
      out.method = built.method;
      return true;
    }

    /** Sends a built request through the transport; resolves to `out` with the outcome. */
    #send(core, options, out, built, headers) {
      const userSignal = options.signal;
      if (userSignal?.aborted) {
        out.error = new TransportError({
          code: 'TransportError',
          message: `${out.action}: the call was aborted before it was sent`,
          traceId: out.traceId,
          notSent: true,
        });
        return Promise.resolve(out);
      }
      const abort = new CallAbort();
      abort.client = this;
      abort.core = core;
      abort.out = out;
      if (this.#log.debug) abort.built = built;
      const timeoutMs = (abort.timeoutMs = options.timeoutMs ?? this.#timeoutMs);
      abort.timed = Number.isFinite(timeoutMs) && timeoutMs > 0;
      if (abort.timed) deadlines.add(abort, timeoutMs);
      if (userSignal) {
        abort.userSignal = userSignal;
        abort.onUserAbort = () => abort.abort();
        userSignal.addEventListener('abort', abort.onUserAbort, { once: true });
      }
      // Durations are for logs and hooks only.
      if (this.#log.debug || this.#hooks.afterReceive) abort.sentAt = monotonic();
      const transport = this.#transport;
      const direct = transport[ON_ABORT] === true ? transport[DIRECT] : undefined;
      if (typeof direct === 'function') {
        // The package's socket transport: the attempt is the request and the sink.
        abort.method = built.method;
        abort.url = built.url;
        abort.headers = headers ?? (built.headersJson === undefined ? NO_HEADERS : JSON.parse(built.headersJson));
        abort.body = built.body ?? '';
        abort.maxBodyBytes = this.#maxBodyBytes;
        abort.wire = built.wire;
        // The debug log shows the body as received.
        abort.wantText = !this.#log.debug;
        capturing = abort;
        const promise = new Promise(capture);
        capturing = null;
        try {
          direct(abort, abort);
        } catch (e) {
          abort.transportFailed(e);
        }
        // Written (or failed): the bytes are not needed any more.
        abort.wire = undefined;
        return promise;
      }
      let sending;
      try {
        sending = transport(
          transport[ON_ABORT] === true
            ? this.#socketRequest(built, headers, abort)
            : new TransportRequest(built, headers, built.headersJson, abort, this.#maxBodyBytes),
        );
      } catch (e) {
        return Promise.resolve(this[SETTLE](abort, undefined, true, e));
      }
      return Promise.resolve(sending).then(
        (res) => this[SETTLE](abort, res, false, undefined),
        (e) => this[SETTLE](abort, undefined, true, e),
      );
    }

    /** Ends an attempt: `out` with its outcome (or a promise of it, after the `afterReceive` hook). */
    [SETTLE](abort, res, failed, e) {
      if (abort.timed) deadlines.delete(abort);
      const { out, core, userSignal } = abort;
      userSignal?.removeEventListener('abort', abort.onUserAbort);
      const durationMs = this.#log.debug || this.#hooks.afterReceive ? Math.round(monotonic() - abort.sentAt) : 0;
      if (res) this.#read(core, out, res);
      else if (failed) out.error = this.#transportError(out.action, out.traceId, abort.timeoutMs, abort, userSignal, e);
      if (this.#log.debug) this.#logAttempt(core, out, abort.built, res, durationMs);
      if (res && this.#hooks.afterReceive) {
        const ctx = this.#context(out, { status: res.status, requestId: out.requestId, durationMs, error: out.error });
        return this.#hook('afterReceive', ctx).then(() => out);
      }
      return out;
    }

    /** The request the package's socket transport receives (it subscribes through ON_ABORT). */
    #socketRequest(built, headers, abort) {
      const headersJson = built.headersJson;
      return {
        method: built.method,
        url: built.url,
        headers: headers ?? (headersJson === undefined ? NO_HEADERS : JSON.parse(headersJson)),
        body: built.body ?? '',
        signal: undefined,
        maxBodyBytes: this.#maxBodyBytes,
        [ON_ABORT]: abort,
        [WIRE]: built.wire,
      };
    }

    /** Core's headers with the options' and the `beforeSend` hook's (never replacing core's). */
    async #mergeHeaders(out, extra, built) {
      const own = built.headers ?? JSON.parse(built.headersJson);
      const coreNames = new Set(own.map(([n]) => n.toLowerCase()));
      let headers = [...extra.filter(([n]) => !coreNames.has(n.toLowerCase())), ...own];
      if (this.#hooks.beforeSend) {
        const added = [];
        await this.#hook('beforeSend', {
          ...this.#context(out, {}),
          setHeader(name, value) {
            added.push([String(name), String(value)]);
          },
        });
        // A hook's header replaces an option's of the same name, never one of core's.
        for (const [name, value] of added) {
          const lower = name.toLowerCase();
          if (coreNames.has(lower)) continue;
          headers = [...headers.filter(([n]) => n.toLowerCase() !== lower), [name, value]];
        }
      }
      return headers;
    }

    /** The error of a transport that failed (or was aborted, or timed out). */
    #transportError(action, traceId, timeoutMs, abort, userSignal, e) {
      if (abort.timedOut) {
        return new TimeoutError({
          code: 'TimeoutError',
          message: `${action}: no complete answer within ${timeoutMs} ms`,
          traceId,
          timeoutMs,
          cause: errors.safeCause(e),
        });
      }
      const aborted = Boolean(userSignal?.aborted);
      return new TransportError({
        code: 'TransportError',
        message: aborted ? `${action}: the call was aborted` : `${action}: ${errors.redact(e?.message ?? e)}`,
        traceId,
        // The transport says so (a connection that was never established).
        notSent: !aborted && e?.notSent === true,
        cause: errors.safeCause(e),
      });
    }

    /** Reads an answer into `out`: `value` and `requestId`, or `error`. */
    #read(core, out, res) {
      const action = out.action;
      out.traceId = getHeader(res.headers, 'x-tc-traceid') || out.traceId;
      out.date = getHeader(res.headers, 'date');
      out.localNow = Math.floor(Date.now() / 1000);
      let body = res.body instanceof Uint8Array ? res.body : new Uint8Array(res.body ?? 0);
      out.body = body;
      if (res.oversize) {
        // DecodeError.TooLarge: the same answer would come again, so core never retries it.
        out.error = new DecodeError({
          code: 'DecodeError.TooLarge',
          message: `${action}: the response body is larger than maxBodyBytes (${this.#maxBodyBytes} bytes)`,
          traceId: out.traceId,
          httpCode: res.status,
        });
        return;
      }
      const span = typeof core.classifyResponseAt === 'function';
      let classified;
      const located = res[RESPONSE_TEXT];
      if (typeof located === 'string') {
        // The socket transport's success, already located: its `Response` text.
        classified = located;
      } else {
        classified = span
          ? core.classifyResponseAt(res.status, body, this.#maxBodyBytes)
          : core.classifyResponse(res.status, body, this.#maxBodyBytes);
      }
      if (classified.error) {
        out.error = errors.fromAdapter(classified.error, { traceId: out.traceId, httpCode: res.status });
        out.requestId = classified.error.requestId || '';
        return;
      }
      const kind = typeof classified;
      if (kind === 'number' || kind === 'string') {
        // The usual success, as one value: the `Response` text rewritten to ASCII, or where
        // it is in `body` (ASCII) as `start * 2^32 + end`.
        try {
          let text = classified;
          if (kind === 'number') {
            const start = Math.floor(classified / 4294967296);
            text = asciiSlice(body, start, classified - start * 4294967296);
          }
          const value = JSON.parse(text);
          out.value = value;
          const requestId = value?.RequestId;
          out.requestId = typeof requestId === 'string' ? requestId : '';
          return;
        } catch {
          // Invalid JSON: the long way below names the RequestId in the error (from the
          // envelope around the text when the transport gave only the text).
          if (typeof located === 'string') {
            body = utf8Bytes(`{"Response":${located}}`);
            out.body = body;
          }
          classified = core.classifyResponseAt(res.status, body, Number.MAX_SAFE_INTEGER, true);
        }
      }
      out.requestId = classified.requestId || '';
      try {
        out.value = span ? parseResponseSpan(classified, body, asciiSlice) : parseResponse(classified);
      } catch (e) {
        out.error = new DecodeError({
          code: 'DecodeError',
          message: `cannot decode the response: ${e.message}`,
          requestId: out.requestId,
          traceId: out.traceId,
          httpCode: res.status,
        });
      }
    }

    /** The `logger.debug` line of an attempt. */
    #logAttempt(core, out, built, res, durationMs) {
      const error = out.error;
      const status = res ? `HTTP ${res.status}` : `${error.code}${error.notSent ? ' (not sent)' : ''}`;
      const sentBody = built.method === 'GET' ? (built.url.split('?')[1] ?? '') : built.body;
      const answer = !res ? '' : res.oversize ? `; response (over maxBodyBytes, not read)` : `; response ${this.#logBody(core, out.body)}`;
      this.#log.debug(
        `essbasic: ${out.action} attempt ${out.attempt} ${built.method} ${out.host} → ${status} in ${durationMs} ms` +
          `, RequestId ${out.requestId || '-'}, traceId ${out.traceId}` +
          (error && res ? `, error ${error.code}` : '') +
          `; request ${this.#logBody(core, sentBody)}${answer}`,
      );
    }

    /**
     * Builds and signs one request: through the adapter's per-credential builder when it
     * has one (the configuration and credential converted once), else `buildRequest`.
     */
    #build(core, action, paramsJson, credential, timestamp, nonce, traceId, wire) {
      if (typeof core.createBuilder !== 'function') {
        return core.buildRequest(action, paramsJson, this.#config, credential, timestamp, nonce, traceId);
      }
      let b = this.#builder;
      if (
        b === null ||
        (b.credential !== credential &&
          (b.credential.secretId !== credential.secretId ||
            b.credential.secretKey !== credential.secretKey ||
            b.credential.token !== credential.token))
      ) {
        const builder = core.createBuilder(this.#config, credential);
        if (builder.error) return builder;
        b = this.#builder = { credential, builder, url: builder.url ?? null };
      }
      // A string: a POST to the builder's `url` (the usual request, in one value).
      if (wire && typeof b.builder.buildWire === 'function') {
        const framed = b.builder.buildWire(action, paramsJson, timestamp, nonce, traceId);
        return typeof framed === 'string' ? { method: 'POST', url: b.url, wire: framed } : framed;
      }
      const built = b.builder.build(action, paramsJson, timestamp, nonce, traceId);
      if (typeof built === 'string') {
        return { method: 'POST', url: b.url, headersJson: built, body: paramsJson };
      }
      // `null`: the body is the parameters' text as given (no copy came back).
      if (built.body === null) built.body = paramsJson;
      return built;
    }

    /** What `JSON.stringify` shows: configuration only, never the credential. */
    toJSON() {
      return {
        apiVersion: this.apiVersion,
        region: this.region,
        endpoint: this.endpoint,
        sdkVersion: this.sdkVersion,
      };
    }

    [INSPECT](depth, options, inspect) {
      const summary = this.toJSON();
      return typeof inspect === 'function' ? `Client ${inspect(summary, options)}` : summary;
    }
  }

  /**
   * The server side of the remote signer (servers only: it takes the SecretKey): core's
   * `remote::sign_remote` checks the canonical request (its shape, an essbasic host, the
   * action against `allowedActions`, `timestamp` within ±300 s of `now`) and signs it.
   * Resolves to the hex signature; rejects with a `SigningError` when core refuses.
   * @param {{ secretKey: string, canonicalRequest: string, timestamp: number | string,
   *   now?: number, allowedActions?: Iterable<string> }} input
   */
  async function signRemote(input) {
    const { secretKey, canonicalRequest, timestamp, now, allowedActions } = input ?? {};
    const refuse = (message) => new SigningError({ code: 'SigningError', message: `signRemote: ${message}` });
    if (typeof secretKey !== 'string' || secretKey === '') throw refuse('`secretKey` must be a non-empty string');
    if (typeof canonicalRequest !== 'string') throw refuse('`canonicalRequest` must be a string');
    const ts = Number(timestamp);
    if (!Number.isSafeInteger(ts)) throw refuse('`timestamp` must be whole Unix seconds');
    const at = now ?? Math.floor(Date.now() / 1000);
    if (!Number.isSafeInteger(at)) throw refuse('`now` must be whole Unix seconds');
    const allowed = allowedActions == null ? null : Array.from(allowedActions, String);
    const core = await adapter();
    const out = core.signRemote(secretKey, canonicalRequest, ts, at, allowed);
    if (out.error) throw errors.fromAdapter(out.error);
    return out.signature;
  }

  // Issue #8: callbacks, encryption, uploads, waiters, pagination (features.mjs), loaded on
  // first use: most programs never call them, and a module's code and source text stay in
  // memory for the process's life.
  let featuresPromise = null;
  const features = () =>
    (featuresPromise ??= import('./features.mjs').then(({ createFeatures }) =>
      createFeatures(adapter, {
        randomBytes:
          platform.randomBytes ?? ((n) => globalThis.crypto.getRandomValues(new Uint8Array(n))),
        readFileHead: platform.readFileHead,
        readFile: platform.readFile,
      }),
    ));
  const methods = {
    async uploadFiles(files, params, options) {
      return (await features()).methods.uploadFiles.call(this, files, params, options);
    },
    async waitTask(kind, taskId, options) {
      return (await features()).methods.waitTask.call(this, kind, taskId, options);
    },
    /** Waits for a file conversion (`CreateFileConvertTask` → `DescribeFileConvertTask`). */
    waitFileConvert(taskId, options) {
      return this.waitTask('file_convert', taskId, options);
    },
    /** Waits for a batch cancellation started by `ChannelBatchCancelFlows`. */
    waitCancelFlows(taskId, options) {
      return this.waitTask('cancel_flows', taskId, options);
    },
    /** Waits for a batch organization registration. */
    waitOrganizationRegistration(taskId, options) {
      return this.waitTask('organization_registration', taskId, options);
    },
    /** Waits for an evidence report. */
    waitEvidenceReport(taskId, options) {
      return this.waitTask('evidence_report', taskId, options);
    },
    async *pages(action, params, options) {
      yield* (await features()).methods.pages.call(this, action, params, options);
    },
    async *paginate(action, params, options) {
      yield* (await features()).methods.paginate.call(this, action, params, options);
    },
    async callEncrypted(action, params, keys, options) {
      return (await features()).methods.callEncrypted.call(this, action, params, keys, options);
    },
  };
  for (const [name, value] of Object.entries(methods)) {
    Object.defineProperty(Client.prototype, name, { value, writable: true, configurable: true, enumerable: false });
  }
  const encryption = Object.freeze({
    async checkKeys(keys) {
      return (await features()).encryption.checkKeys(keys);
    },
    async seal(plain, keys) {
      return (await features()).encryption.seal(plain, keys);
    },
    async open(envelope, keys) {
      return (await features()).encryption.open(envelope, keys);
    },
    async buildParams(action, params, keys, applicationId) {
      return (await features()).encryption.buildParams(action, params, keys, applicationId);
    },
    async openResponse(response, keys) {
      return (await features()).encryption.openResponse(response, keys);
    },
  });
  async function openCallback(body, options) {
    return (await features()).openCallback(body, options);
  }
  async function sealCallback(envelope, options) {
    return (await features()).sealCallback(envelope, options);
  }

  for (const name of ACTIONS) {
    const method = {
      [name](req, options, cb) {
        return this.request(name, req, options, cb);
      },
    }[name];
    Object.defineProperty(Client.prototype, name, {
      value: method,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  const v20210526 = Object.freeze({ Client });
  const server = platform.server ? { signRemote } : {};
  return {
    Client,
    v20210526,
    /** The official package's layout: `essbasic.v20210526.Client`. */
    essbasic: Object.freeze({ v20210526 }),
    TencentCloudSDKHttpException: errors.TencentCloudSDKHttpException,
    EssbasicError: errors.EssbasicError,
    ValidationError: errors.ValidationError,
    SigningError: errors.SigningError,
    ApiError: errors.ApiError,
    HttpError: errors.HttpError,
    DecodeError: errors.DecodeError,
    TimeoutError: errors.TimeoutError,
    TransportError: errors.TransportError,
    CallbackError: errors.CallbackError,
    CryptoError: errors.CryptoError,
    TaskError: errors.TaskError,
    openCallback,
    sealCallback,
    msgData,
    encryption,
    ACTIONS,
    API_VERSION,
    VERSION,
    BIGINT_SENTINEL,
    /** Resolves to `native` or `wasm`: which core adapter is in use (loads it). */
    backend: () => adapter().then(() => platform.backend()),
    ...server,
  };
}
