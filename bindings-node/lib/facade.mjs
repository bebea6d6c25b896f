/**
 * The shared JavaScript façade of the native and the WebAssembly builds: the `Client`
 * class (a drop-in for `tencentcloud.essbasic.v20210526.Client`), bound to a *core
 * adapter* and a platform by {@link createEssbasic}.
 *
 * The adapter does everything protocol-related (validation, signing, request building,
 * response classification); this file only gathers inputs (time, nonce, trace id,
 * credential), moves bytes through a transport and turns results into values or errors.
 */

import * as errors from './errors.mjs';
import { stringify, parseResponse, BIGINT_SENTINEL } from './int64.mjs';
import { getHeader, provablyNotSent, fetchTransport } from './transport-fetch.mjs';
import { ACTIONS } from './actions.mjs';
import { VERSION } from './version.mjs';

const { SigningError, ValidationError, TimeoutError, TransportError, DecodeError } = errors;

/** The API version this package speaks. */
export const API_VERSION = '2021-05-26';
/** The largest response body accepted by default (64 MiB, as core). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** The official SDK's default timeout, `httpProfile.reqTimeout` = 60 s. */
const DEFAULT_TIMEOUT_SECONDS = 60;
const LANGUAGES = ['zh-CN', 'en-US'];
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const ADAPTER_FUNCTIONS = [
  'buildRequest',
  'classifyResponse',
  'prepareRemote',
  'finishRemote',
  'signRemote',
  'retryDecision',
  'clockOffset',
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
 * @param {(options: { agent?: unknown, proxy?: string }) => Function} platform.defaultTransport
 * @param {() => number} platform.randomU32 a random 32-bit unsigned integer
 * @param {() => string} platform.randomUUID a random UUID (the `X-TC-TraceId`)
 * @param {string} platform.requestClient the `X-TC-RequestClient` value
 * @param {() => string} platform.backend `native` or `wasm`, once the adapter is loaded
 * @param {boolean} [platform.server] also export the server-side `signRemote` (Node)
 */
export function createEssbasic(platform) {
  let adapterPromise = null;
  const adapter = () => {
    if (!adapterPromise) {
      adapterPromise = Promise.resolve().then(platform.loadAdapter).then(resolveAdapter);
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
    #config;
    #headers;
    #timeoutMs;
    #maxBodyBytes;
    #transport;
    #retry;
    #signer;

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
      if (config.retry !== undefined && (config.retry === null || typeof config.retry !== 'object')) {
        throw new TypeError('essbasic: `retry` must be an object');
      }
      this.#credential =
        credential && typeof credential.getCredential === 'function'
          ? credential
          : { secretId: credential?.secretId, secretKey: credential?.secretKey, token: credential?.token };
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
      this.#headers = Object.entries(hp.headers || {}).map(([k, v]) => [k, String(v)]);
      this.#timeoutMs = (hp.reqTimeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
      this.#maxBodyBytes = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      this.#retry = config.retry;
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
          : platform.defaultTransport({ agent: hp.agent, proxy: hp.proxy }));
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
     * Calls `action` with `params`; resolves to the `Response` object (RequestId included).
     * @param {string} action the PascalCase action name
     * @param {object} [params]
     * @param {{ headers?: Record<string, string>, signal?: AbortSignal, timeoutMs?: number }
     *   | Function} [options] per-call options, or the callback
     * @param {(err: Error | null, response: object | null) => void} [cb] node-style callback
     */
    request(action, params, options, cb) {
      if (typeof options === 'function') {
        cb = options;
        options = undefined;
      }
      const promise = this.#call(String(action), params, options || {});
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

    async #credentialFor() {
      const c = this.#credential;
      if (typeof c.getCredential !== 'function') return c;
      let got;
      try {
        got = await c.getCredential();
      } catch (e) {
        throw new SigningError({
          code: 'SigningError',
          message: `cannot get the credential: ${errors.redact(e?.message ?? e)}`,
          cause: errors.safeCause(e),
        });
      }
      return { secretId: got?.secretId, secretKey: got?.secretKey, token: got?.token };
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

    async #call(action, params, options) {
      const core = await adapter();
      const credential = await this.#credentialFor();

      const extra = [
        ...this.#headers,
        ...Object.entries(options.headers || {}).map(([k, v]) => [k, String(v)]),
      ];
      const traceEntry = extra.find(([k]) => k.toLowerCase() === 'x-tc-traceid');
      const traceId = traceEntry ? traceEntry[1] : platform.randomUUID();

      let paramsJson;
      try {
        paramsJson = stringify(params ?? {});
      } catch (e) {
        throw new ValidationError({
          code: 'ValidationError',
          message: `${action}: the parameters cannot be written as JSON: ${e.message}`,
          action,
          path: '',
          traceId,
        });
      }
      const timestamp = Math.floor(Date.now() / 1000);
      const nonce = platform.randomU32() || 1;
      const built = this.#signer
        ? await this.#signRemotely(core, action, paramsJson, credential, timestamp, nonce, traceId)
        : core.buildRequest(action, paramsJson, this.#config, credential, timestamp, nonce, traceId);
      if (built.error) throw errors.fromAdapter(built.error, { traceId });

      const coreNames = new Set(built.headers.map(([n]) => n.toLowerCase()));
      const headers = [...extra.filter(([n]) => !coreNames.has(n.toLowerCase())), ...built.headers];

      const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
      const userSignal = options.signal;
      if (userSignal?.aborted) {
        throw new TransportError({
          code: 'TransportError',
          message: `${action}: the call was aborted before it was sent`,
          traceId,
          notSent: true,
        });
      }
      const controller = new AbortController();
      let timedOut = false;
      const timer =
        Number.isFinite(timeoutMs) && timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true;
              controller.abort();
            }, timeoutMs)
          : null;
      const onAbort = () => controller.abort();
      userSignal?.addEventListener('abort', onAbort, { once: true });

      let res;
      try {
        res = await this.#transport({
          method: built.method,
          url: built.url,
          headers,
          body: built.body,
          signal: controller.signal,
          maxBodyBytes: this.#maxBodyBytes,
        });
      } catch (e) {
        if (timedOut) {
          throw new TimeoutError({
            code: 'TimeoutError',
            message: `${action}: no complete answer within ${timeoutMs} ms`,
            traceId,
            timeoutMs,
            cause: errors.safeCause(e),
          });
        }
        const aborted = Boolean(userSignal?.aborted);
        throw new TransportError({
          code: 'TransportError',
          message: aborted
            ? `${action}: the call was aborted`
            : `${action}: ${errors.redact(e?.message ?? e)}`,
          traceId,
          notSent: !aborted && provablyNotSent(e),
          cause: errors.safeCause(e),
        });
      } finally {
        if (timer) clearTimeout(timer);
        userSignal?.removeEventListener('abort', onAbort);
      }

      const answerTrace = getHeader(res.headers, 'x-tc-traceid') || traceId;
      const body = res.body instanceof Uint8Array ? res.body : new Uint8Array(res.body ?? 0);
      const classified = core.classifyResponse(res.status, body, this.#maxBodyBytes);
      if (classified.error) {
        throw errors.fromAdapter(classified.error, { traceId: answerTrace, httpCode: res.status });
      }
      try {
        return parseResponse(classified);
      } catch (e) {
        throw new DecodeError({
          code: 'DecodeError',
          message: `cannot decode the response: ${e.message}`,
          requestId: classified.requestId || '',
          traceId: answerTrace,
          httpCode: res.status,
        });
      }
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
    ACTIONS,
    API_VERSION,
    VERSION,
    BIGINT_SENTINEL,
    /** Resolves to `native` or `wasm`: which core adapter is in use (loads it). */
    backend: () => adapter().then(() => platform.backend()),
    ...server,
  };
}
