/**
 * The helpers beyond one request (issue #8), bound to the core adapter by the façade, which
 * loads this module on first use (its methods and functions delegate here):
 * callbacks (`openCallback`), the `CreateRequestWithEncryption` envelope (`encryption`,
 * `client.callEncrypted`), `client.uploadFiles`, the task waiters (`client.waitFileConvert`,
 * ...) and pagination (`client.paginate`, `client.pages`).
 *
 * Core decides everything protocol-related (decryption, signatures, limits, file types, the
 * poll schedule, task states, page parameters) through the adapter's `callback*`,
 * `encryption*`, `upload*`, `wait*` and `page*` functions, which answer JSON text
 * `{ ok }` or `{ error }`; this file gathers bytes, waits with `setTimeout`, and turns
 * answers into values or errors. No key, token or plaintext ever goes into an error.
 */

import * as errors from './errors.mjs';
import { stringify, parseResponse } from './int64.mjs';

const { TimeoutError, TransportError } = errors;

/** The adapter functions this module needs (an older adapter lacks them). */
export const FEATURE_FUNCTIONS = [
  'callbackOpen',
  'callbackSeal',
  'encryptionCheckKeys',
  'encryptionSeal',
  'encryptionOpen',
  'encryptionBuildParams',
  'encryptionOpenResponse',
  'uploadPrecheck',
  'uploadLimits',
  'uploadPrepare',
  'uploadFileName',
  'waitTask',
  'waitPollParams',
  'waitClassify',
  'waitPolicy',
  'waitDecide',
  'pageInfo',
  'pageFirst',
  'pageNext',
];

/** An adapter answer (`{ ok }` or `{ error }` as JSON text) → the value, or the error thrown. */
function unwrap(text) {
  const answer = JSON.parse(text);
  if (answer.error) throw errors.fromAdapter(answer.error);
  return answer.ok;
}

const encoder = new TextEncoder();

/** Text or bytes as a `Uint8Array` (what both adapters take). */
export function toBytes(value, what) {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`essbasic: ${what} must be a string, a Uint8Array or an ArrayBuffer`);
}

function optText(value, what) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new TypeError(`essbasic: \`${what}\` must be a string`);
  return value;
}

function fromBase64(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Waits `ms`, or rejects at once when `signal` aborts. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function aborted(signal) {
  return new TransportError({
    code: 'TransportError',
    message: `aborted: ${errors.redact(signal?.reason?.message ?? signal?.reason ?? 'the signal was aborted')}`,
    notSent: true,
  });
}

/**
 * The module-level helpers and the client methods for one adapter.
 * @param {() => Promise<object>} adapter resolves to the core adapter
 * @param {object} platform the façade's platform (`randomBytes`, `readFileHead`, `readFile`)
 */
export function createFeatures(adapter, platform) {
  const core = async () => {
    const a = await adapter();
    for (const f of FEATURE_FUNCTIONS) {
      if (typeof a[f] !== 'function') throw new TypeError(`essbasic: the core adapter has no ${f}() function`);
    }
    return a;
  };

  // --- callbacks ----------------------------------------------------------------------------

  /**
   * Authenticates, decrypts and parses a callback body (core's `callback::open`): the
   * `Content-Signature` first (constant time, over the raw bytes: pass the body exactly as
   * received), then the decryption, then the envelope. Resolves to the event
   * `{ MsgId, MsgType, MsgVersion, MsgData }`, or `null` for the console's URL check (answer
   * 200). Rejects with a `CallbackError` when the request must be refused.
   * @param {Uint8Array | ArrayBuffer | string} body
   * @param {{ key?: string, token?: string, signature?: string | null }} [options]
   */
  async function openCallback(body, options = {}) {
    const c = await core();
    const { key, token, signature } = options ?? {};
    return unwrap(
      c.callbackOpen(
        toBytes(body, 'the callback body'),
        optText(key, 'key'),
        optText(token, 'token'),
        optText(signature, 'signature'),
      ),
    );
  }

  /**
   * What the service would send for an envelope (core's `callback::seal`; tests and tools):
   * `{ body, signature }` (`signature`: the `Content-Signature` value, or `null`).
   */
  async function sealCallback(envelope, options = {}) {
    const c = await core();
    const bytes = typeof envelope === 'object' && !ArrayBuffer.isView(envelope) && !(envelope instanceof ArrayBuffer)
      ? encoder.encode(stringify(envelope))
      : toBytes(envelope, 'the envelope');
    return unwrap(c.callbackSeal(bytes, optText(options?.key, 'key'), optText(options?.token, 'token')));
  }

  // --- CreateRequestWithEncryption ----------------------------------------------------------

  function keyArgs(keys) {
    if (!keys || typeof keys !== 'object') throw new TypeError('essbasic: `keys` must be { cipherKey, hmacKey, algorithm? }');
    return [
      String(keys.algorithm ?? 'AES-CBC'),
      toBytes(keys.cipherKey ?? '', 'keys.cipherKey'),
      toBytes(keys.hmacKey ?? '', 'keys.hmacKey'),
    ];
  }

  function freshIv() {
    return platform.randomBytes(16);
  }

  const encryption = Object.freeze({
    /** Checks the keys; resolves to the algorithm's name (`AES-CBC` or `SM4-CBC`). */
    async checkKeys(keys) {
      const c = await core();
      return unwrap(c.encryptionCheckKeys(...keyArgs(keys)));
    },
    /** Encrypts and signs `plain` with a fresh IV: `{ IV, EncryptedData, EncryptionSignature }`. */
    async seal(plain, keys) {
      const c = await core();
      const [alg, ck, hk] = keyArgs(keys);
      return unwrap(c.encryptionSeal(toBytes(plain, 'plain'), alg, ck, hk, freshIv()));
    },
    /** Verifies the signature, then decrypts: the plaintext bytes. */
    async open(envelope, keys) {
      const c = await core();
      return fromBase64(unwrap(c.encryptionOpen(JSON.stringify(envelope ?? {}), ...keyArgs(keys))));
    },
    /** The `CreateRequestWithEncryption` parameters carrying `params` for `action`. */
    async buildParams(action, params, keys, applicationId) {
      const c = await core();
      const appId = applicationId ?? params?.Agent?.AppId ?? '';
      return unwrap(
        c.encryptionBuildParams(String(action), String(appId), stringify(params ?? {}), ...keyArgs(keys), freshIv()),
      );
    },
    /** Opens the `Response` of `CreateRequestWithEncryption`: the business `Response`. */
    async openResponse(response, keys) {
      const c = await core();
      const inner = unwrap(c.encryptionOpenResponse(stringify(response ?? {}), ...keyArgs(keys)));
      // Core's response reading marks integers beyond 2^53 (they become bigint, as in calls).
      const classified = c.classifyResponse(200, encoder.encode(`{"Response":${inner}}`), Number.MAX_SAFE_INTEGER);
      if (classified.error) throw errors.fromAdapter(classified.error);
      return parseResponse(classified);
    },
  });

  // --- UploadFiles ----------------------------------------------------------------------------

  const isBlob = (f) => typeof Blob !== 'undefined' && f instanceof Blob;
  const isStream = (f) => f && typeof f.getReader === 'function';
  const isBytes = (f) => f instanceof Uint8Array || f instanceof ArrayBuffer || ArrayBuffer.isView(f);

  /** One file as `{ name, size, head, read() }`, reading no more than its head. */
  async function describe(c, file, headBytes, index) {
    let name;
    let data = file;
    if (file && typeof file === 'object' && !isBytes(file) && !isBlob(file) && !isStream(file) && 'data' in file) {
      name = file.name;
      data = file.data;
    }
    if (typeof data === 'string') {
      if (typeof platform.readFileHead !== 'function') {
        throw new TypeError(`essbasic: file #${index + 1}: paths are for Node; pass the bytes, a Blob or a stream`);
      }
      const { size, head } = await platform.readFileHead(data, headBytes);
      return { name: name ?? c.uploadFileName(data), size, head, read: () => platform.readFile(data) };
    }
    if (isBytes(data)) {
      const bytes = toBytes(data);
      return { name: name ?? '', size: bytes.length, head: bytes.subarray(0, headBytes), read: async () => bytes };
    }
    if (isBlob(data)) {
      const head = new Uint8Array(await data.slice(0, headBytes).arrayBuffer());
      return {
        name: name ?? (typeof data.name === 'string' ? data.name : ''),
        size: data.size,
        head,
        read: async () => new Uint8Array(await data.arrayBuffer()),
      };
    }
    if (isStream(data)) {
      return { name: name ?? '', size: null, head: new Uint8Array(0), stream: data };
    }
    throw new TypeError(
      `essbasic: file #${index + 1} must be a path, a Uint8Array, a Blob or a ReadableStream (or { name, data })`,
    );
  }

  function precheck(c, described, businessType) {
    const list = described.map((d) => ({ name: d.name, size: d.size, headLen: d.head.length }));
    const heads = new Uint8Array(described.reduce((n, d) => n + d.head.length, 0));
    let at = 0;
    for (const d of described) {
      heads.set(d.head, at);
      at += d.head.length;
    }
    unwrap(c.uploadPrecheck(JSON.stringify(list), heads, businessType));
  }

  /** Reads a stream, stopping (and letting core refuse it) once past the largest limit. */
  async function readStream(c, d, index, all, businessType, limits) {
    const reader = d.stream.getReader();
    const chunks = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const chunk = toBytes(value, `file #${index + 1}'s stream chunk`);
        chunks.push(chunk);
        size += chunk.length;
        if (size > limits.maxOtherBytes) break;
      }
    } finally {
      reader.releaseLock?.();
      if (size > limits.maxOtherBytes) await d.stream.cancel?.().catch(() => {});
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const ch of chunks) {
      bytes.set(ch, at);
      at += ch.length;
    }
    // Core's checks on what is known now (type from the first bytes, the size).
    const now = all.map((x, i) => (i === index ? { ...x, size, head: bytes.subarray(0, limits.headBytes) } : x));
    precheck(c, now, businessType);
    return bytes;
  }

  // --- the client methods -------------------------------------------------------------------

  const methods = {
    /**
     * Uploads files with `UploadFiles`: paths (Node), bytes, Blobs/Files, ReadableStreams or
     * `{ name, data }`. Core's limits (count, type, size) are checked before anything is
     * sent, and before a file is read whole when its size is known.
     */
    async uploadFiles(files, params = {}, options) {
      const c = await core();
      const { businessType, agent, BusinessType, Agent, ...rest } = params ?? {};
      const type = String(businessType ?? BusinessType ?? '');
      const list = files == null ? [] : Array.isArray(files) ? files : [files];
      const limits = unwrap(c.uploadLimits());
      // The count and the business type, before any I/O.
      unwrap(
        c.uploadPrecheck(
          JSON.stringify(list.map(() => ({ name: '', size: null, headLen: 0 }))),
          new Uint8Array(0),
          type,
        ),
      );
      const described = [];
      for (let i = 0; i < list.length; i++) described.push(await describe(c, list[i], limits.headBytes, i));
      precheck(c, described, type);
      const datas = [];
      for (let i = 0; i < described.length; i++) {
        const d = described[i];
        datas.push(d.stream ? await readStream(c, d, i, described, type, limits) : toBytes(await d.read()));
      }
      const total = datas.reduce((n, b) => n + b.length, 0);
      const data = new Uint8Array(total);
      let at = 0;
      for (const b of datas) {
        data.set(b, at);
        at += b.length;
      }
      const prepared = unwrap(
        c.uploadPrepare(
          JSON.stringify(described.map((d) => d.name)),
          JSON.stringify(datas.map((b) => b.length)),
          data,
          type,
        ),
      );
      const body = { ...rest, ...prepared };
      if (agent ?? Agent) body.Agent = agent ?? Agent;
      return this.request('UploadFiles', body, options);
    },

    /**
     * Polls a task on core's schedule until it finishes: resolves to the polling action's
     * `Response`; rejects with a `TaskError` when the task failed, a `TimeoutError` past
     * the deadline, a `TransportError` when `signal` aborts.
     * @param {string} kind `file_convert`, `legacy_file_convert`, `cancel_flows`,
     *   `organization_registration`, `evidence_report` (or an alias or action name)
     */
    async waitTask(kind, taskId, options = {}) {
      const c = await core();
      const { agent, deadlineMs, onProgress, signal, policy, ...callOptions } = options ?? {};
      const task = unwrap(c.waitTask(String(kind)));
      const id = String(taskId ?? '');
      const pollParams = unwrap(c.waitPollParams(task.name, stringify(agent ? { Agent: agent } : {}), id));
      const policyJson = JSON.stringify({ ...(policy ?? {}), ...(deadlineMs != null ? { deadlineMs } : {}) });
      const started = Date.now();
      let last = null;
      for (let attempt = 1; ; attempt++) {
        if (signal?.aborted) throw aborted(signal);
        const res = await this.request(task.pollAction, pollParams, { ...callOptions, signal });
        const state = unwrap(c.waitClassify(task.name, stringify(res), id));
        if (state.state === 'done') return res;
        last = state.status;
        const elapsedMs = Date.now() - started;
        if (typeof onProgress === 'function') {
          onProgress({ task: task.name, taskId: id, attempt, status: state.status, percent: state.percent ?? null, elapsedMs });
        }
        const delay = unwrap(c.waitDecide(policyJson, attempt, elapsedMs));
        if (delay === null) {
          throw new TimeoutError({
            code: 'TimeoutError',
            message: `the ${task.name} task ${id} did not finish within ${elapsedMs} ms (last status: ${last ?? 'unknown'})`,
            timeoutMs: elapsedMs,
          });
        }
        await sleep(delay, signal);
      }
    },

    /**
     * The pages of a paginated action (core's `paginate`: `Offset`/`Limit` filled in, the
     * next page from each answer), as an async iterator of `Response` objects.
     */
    async *pages(action, params = {}, options) {
      const c = await core();
      const name = String(action);
      unwrap(c.pageInfo(name));
      let page = unwrap(c.pageFirst(name, stringify(params ?? {})));
      while (page) {
        const res = await this.request(name, page, options);
        yield res;
        page = unwrap(c.pageNext(name, stringify(page), stringify(res)));
      }
    },
    /** The items of every page of a paginated action, as an async iterator. */
    async *paginate(action, params = {}, options) {
      const c = await core();
      const info = unwrap(c.pageInfo(String(action)));
      for await (const res of this.pages(action, params, options)) {
        const items = res?.[info.itemsMember];
        if (Array.isArray(items)) yield* items;
      }
    },

    /**
     * Calls `action` through `CreateRequestWithEncryption`: core validates and seals the
     * parameters (fresh IV), and opens the answer (signature verified before decrypting).
     * Resolves to the business action's `Response`.
     */
    async callEncrypted(action, params, keys, options = {}) {
      const { applicationId, ...callOptions } = options ?? {};
      const built = await encryption.buildParams(action, params, keys, applicationId);
      const res = await this.request('CreateRequestWithEncryption', built, callOptions);
      return encryption.openResponse(res, keys);
    },
  };

  return { openCallback, sealCallback, encryption, methods };
}
