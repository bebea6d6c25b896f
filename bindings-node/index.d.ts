/**
 * essbasic: the Tencent E-Sign partner API (essbasic 2021-05-26), a drop-in for
 * `tencentcloud.essbasic.v20210526.Client` of tencentcloud-sdk-nodejs on a Rust core.
 *
 * int64: request members accept `number` or `bigint` (a `bigint` is sent as its exact
 * digits); in responses, integers within ±(2^53 − 1) are `number`s and larger ones are
 * `bigint`s, so no digit is ever lost.
 */
import type { Actions, ActionName } from './types/models';

export * from './types/models';

/**
 * A SecretId / SecretKey pair, with a session token for temporary credentials. With a
 * `signer`, only `secretId` (and `token`) are needed. An empty credential (or none) means the
 * chain: the environment (`TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`,
 * `TENCENTCLOUD_SESSION_TOKEN`), then `~/.tencentcloud/credentials` (Node).
 */
export interface Credential {
  secretId?: string;
  secretKey?: string;
  token?: string;
}

/** A credential provider, asked before every call (e.g. for rotating temporary keys). */
export interface DynamicCredential {
  getCredential(): Promise<Credential>;
}

/** HTTP options, as in tencentcloud-sdk-nodejs. */
export interface HttpProfile {
  /** `POST` (default) or `GET`. */
  reqMethod?: 'POST' | 'GET';
  /** An explicit endpoint: `host`, `host:port` or an `http(s)://` URL. */
  endpoint?: string;
  /** Prefixed to an endpoint without a scheme, e.g. `https://` (the default) or `http://`. */
  protocol?: string;
  /** The timeout of a call in seconds (default 60), connection to last byte. */
  reqTimeout?: number;
  /** Extra headers for every call; an `X-TC-TraceId` here becomes the trace id. */
  headers?: Record<string, string>;
  /** A Node `http.Agent` / `https.Agent` for the connections (Node only). */
  agent?: object;
  /** An `http://[user:password@]host:port` proxy, tunnelled with CONNECT (Node only). */
  proxy?: string;
}

/** Client options, as in tencentcloud-sdk-nodejs. */
export interface ClientProfile {
  /** `TC3-HMAC-SHA256` (default), or the legacy `HmacSHA256` / `HmacSHA1`. */
  signMethod?: 'TC3-HMAC-SHA256' | 'HmacSHA256' | 'HmacSHA1';
  httpProfile?: HttpProfile;
  /** `X-TC-Language`. */
  language?: 'zh-CN' | 'en-US';
}

/** A request as a transport receives it. */
export interface TransportRequest {
  method: 'POST' | 'GET';
  url: string;
  headers: [string, string][];
  /** The exact signed body (empty for GET). */
  body: string;
  /** Aborted on timeout or when the caller's signal aborts. */
  signal: AbortSignalLike;
  /** Bodies longer than this may be cut after `maxBodyBytes + 1` bytes. */
  maxBodyBytes: number;
}

/** What a transport resolves to. */
export interface TransportResponse {
  status: number;
  headers?: Record<string, string | string[] | undefined> | { get(name: string): string | null };
  /** At most `maxBodyBytes` bytes. */
  body: Uint8Array;
  /** The body is larger than `maxBodyBytes` (declared or streamed): reading stopped. */
  oversize?: boolean;
}

/**
 * Sends one request; rejects when no complete answer arrives. A rejection whose error has
 * `notSent: true` says the request provably never left (the connection was never
 * established), which lets the retry policy retry any action.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** A WHATWG `fetch`-compatible function. */
export type FetchLike = (url: string, init: {
  method: string;
  headers: [string, string][];
  body?: string;
  signal: AbortSignalLike;
  redirect: 'manual';
}) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  body?: unknown;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/**
 * Core's retry policy (`essbasic::retry`); a member left out is core's default. Retried:
 * throttling and requests that provably never left, for every action; 5xx, timeouts,
 * resets, truncated or malformed answers only for read-only actions. Never a validation,
 * signing or other API error.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 3; 1 disables retries). */
  maxAttempts?: number;
  /** The first backoff in ms (default 300); doubled each time, half of it random. */
  baseDelayMs?: number;
  /** The largest backoff in ms (default 10 000). */
  maxDelayMs?: number;
  /** No retry starts after this many ms since the call began (default 60 000). */
  deadlineMs?: number;
}

/** What a remote signer receives: sign `stringToSign` (TC3) with the SecretKey. */
export interface RemoteSignRequest {
  /** The TC3 canonical request, with `x-tc-action` among the signed headers. */
  canonicalRequest: string;
  /** The TC3 string to sign (derived from the canonical request). */
  stringToSign: string;
  /** `X-TC-Timestamp`, Unix seconds. */
  timestamp: number;
  /** The action being signed. */
  action: string;
  /** The call's `X-TC-TraceId`. */
  traceId: string;
}

/** Returns the TC3 signature (64 hex digits), e.g. from a server running `signRemote`. */
export type RemoteSigner = (request: RemoteSignRequest) => Promise<string> | string;

/** The input of the server-side `signRemote`. */
export interface SignRemoteInput {
  secretKey: string;
  canonicalRequest: string;
  /** The timestamp the client sent along (Unix seconds). */
  timestamp: number | string;
  /** The server's time, Unix seconds (default: now). Refused beyond ±300 s. */
  now?: number;
  /** The actions this server signs (case-insensitive); absent: every action. */
  allowedActions?: Iterable<string>;
}

/** A console-like logger; the levels it lacks are skipped. */
export interface Logger {
  /** One line per attempt: action, host, attempt, status, duration, RequestId, traceId, bodies (redacted by core). */
  debug?(line: string): void;
  /** A retry and its delay. */
  info?(line: string): void;
  /** Clock skew found; a hook that threw. */
  warn?(line: string): void;
  error?(line: string): void;
}

/** What every hook receives. */
export interface HookContext {
  action: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The call's `X-TC-TraceId` (the answer's, when it sends one). */
  traceId: string;
  /** `host[:port]` of the request ('' when it was never built). */
  host: string;
  /** `POST` or `GET` ('' when the request was never built). */
  method: string;
  /** Milliseconds since the call began. */
  elapsedMs: number;
}

/** `beforeSend`: the request is signed, about to go. */
export interface BeforeSendContext extends HookContext {
  /** Adds a header to this attempt (never one core sets: those are signed or computed). */
  setHeader(name: string, value: string): void;
}

/** `afterReceive`: an answer arrived (any status). */
export interface AfterReceiveContext extends HookContext {
  status: number;
  /** `Response.RequestId`, or `''`. */
  requestId: string;
  /** Send to last byte, ms. */
  durationMs: number;
  /** The answer is this error (it may still be retried). */
  error?: EssbasicError;
}

/** `onRetry`: the attempt failed; another follows after `delayMs`. */
export interface RetryContext extends HookContext {
  error: EssbasicError;
  delayMs: number;
  /** `retry` (core's policy) or `clock-skew` (re-signed with the server's clock). */
  reason: 'retry' | 'clock-skew';
  /** `clock-skew`: the server's clock minus the local one, seconds. */
  clockOffset?: number;
}

/** `onError`: the call fails with `error` (after `attempt` attempts). */
export interface ErrorContext {
  action: string;
  attempt: number;
  traceId: string;
  elapsedMs: number;
  error: unknown;
}

/** Called in this order per attempt; may be async (awaited). A hook that throws is logged to `logger.warn` and ignored. */
export interface Hooks {
  beforeSend?(ctx: BeforeSendContext): void | Promise<void>;
  afterReceive?(ctx: AfterReceiveContext): void | Promise<void>;
  onRetry?(ctx: RetryContext): void | Promise<void>;
  onError?(ctx: ErrorContext): void | Promise<void>;
}

/** The constructor options: the official ones plus this package's extras. */
export interface ClientConfig {
  /** Explicit, a provider, or left out / empty for the chain (environment, profile file). */
  credential?: Credential | DynamicCredential;
  /** `X-TC-Region`; essbasic needs none. */
  region?: string;
  profile?: ClientProfile;
  /** Use the joint-debug test environment hosts (`essbasic.test.ess.tencent.cn`). */
  testEnvironment?: boolean;
  /** An explicit endpoint for `UploadFiles` (default: the file host matching the API host). */
  fileEndpoint?: string;
  /** Reject members the spec does not know, before sending. */
  strict?: boolean;
  /** Core's retry policy (default: 3 attempts); `false` disables retries. */
  retry?: RetryPolicy | boolean;
  /** Sign remotely: the client never holds the SecretKey (TC3 only). */
  signer?: RemoteSigner;
  /** The profile of `~/.tencentcloud/credentials` (default `TENCENTCLOUD_PROFILE`, else `default`). */
  credentialProfile?: string;
  /** Logs each attempt (debug), retries (info), clock skew (warn); bodies redacted by core. */
  logger?: Logger;
  /** How much of each redacted body a log line shows (default 2048 bytes). */
  logBodyBytes?: number;
  /** Called around each attempt. */
  hooks?: Hooks;
  /** Send with this `fetch` instead of Node's `http` stack. */
  fetch?: FetchLike;
  /** Send with this function (takes precedence over `fetch`). */
  transport?: Transport;
  /** The largest response body read (default 64 MiB); larger stops reading: a `DecodeError`. */
  maxBodyBytes?: number;
  /** TC3 only: sign `UNSIGNED-PAYLOAD` instead of the body hash. */
  unsignedPayload?: boolean;
}

/** The part of `AbortSignal` the client uses (no DOM or Node types needed). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Per-call options. */
export interface RequestOptions {
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** Aborts the call (a `TransportError`). */
  signal?: AbortSignalLike;
  /** Each attempt's timeout in milliseconds (default: `reqTimeout`). */
  timeoutMs?: number;
  /** This call's `X-TC-TraceId` (default: a random UUID). */
  traceId?: string;
}

/** What results carry besides the `Response` members (non-enumerable: not in JSON). */
export interface ResponseMeta {
  /** The call's `X-TC-TraceId`. */
  readonly traceId: string;
}

/** A node-style callback: `(null, response)` or `(error, null)`. */
export type ResponseCallback<T> = (error: EssbasicError | null, response: T | null) => void;

/** One method per action: `client.ChannelCancelFlow(req, cb?)`. */
export type ActionMethods = {
  [A in keyof Actions]: {
    (req: Actions[A]['request'], cb?: ResponseCallback<Actions[A]['response']>): Promise<Actions[A]['response'] & ResponseMeta>;
    (
      req: Actions[A]['request'],
      options?: RequestOptions,
      cb?: ResponseCallback<Actions[A]['response']>,
    ): Promise<Actions[A]['response'] & ResponseMeta>;
  };
};

export interface Client extends ActionMethods {}

/** The essbasic 2021-05-26 client. */
export declare class Client {
  constructor(config: ClientConfig);
  /** The region, or `null`. */
  readonly region: string | null;
  /** `2021-05-26`. */
  readonly apiVersion: '2021-05-26';
  /** The explicit endpoint, or `null`. */
  readonly endpoint: string | null;
  /** This package's `X-TC-RequestClient`. */
  readonly sdkVersion: string;
  /** Calls any action by name; resolves to its `Response` object (RequestId included). */
  request<A extends ActionName>(
    action: A,
    params: Actions[A]['request'],
    options?: RequestOptions | ResponseCallback<Actions[A]['response']>,
    cb?: ResponseCallback<Actions[A]['response']>,
  ): Promise<Actions[A]['response'] & ResponseMeta>;
  request(
    action: string,
    params?: object,
    options?: RequestOptions | ResponseCallback<Record<string, unknown>>,
    cb?: ResponseCallback<Record<string, unknown>>,
  ): Promise<Record<string, unknown> & ResponseMeta>;
  /** Releases the default transport's keep-alive connections. */
  close(): void;
}

/** The official SDK's error class (`err.code`, `err.requestId`, `err.httpCode`, ...). */
export declare class TencentCloudSDKHttpException extends Error {
  requestId: string;
  traceId: string;
  httpCode?: number;
  code?: string;
  constructor(error: string, requestId?: string, traceId?: string);
  getMessage(): string;
  getRequestId(): string;
  getTraceId(): string;
  toString(): string;
  toLocaleString(): string;
}

/** Where a call failed. */
export type ErrorKind = 'validation' | 'signing' | 'api' | 'http' | 'decode' | 'timeout' | 'transport';

/** Every error the client throws. */
export declare class EssbasicError extends TencentCloudSDKHttpException {
  readonly kind: ErrorKind;
  /** The API error code (`OperationDenied`, ...) or `ValidationError`, `HttpError`, .... */
  code: string;
  /** The HTTP status, when an answer arrived. */
  httpCode?: number;
  /** `validation`: the action. */
  action?: string;
  /** `validation`: where in the parameters (`FlowApprovers[0].ApproverType`, `''` for all). */
  path?: string;
  /** `transport`: the request provably never left. */
  notSent?: boolean;
  /** `timeout`: the timeout that elapsed. */
  timeoutMs?: number;
  /** How many attempts the call made (set on errors a call throws). */
  attempts?: number;
  toJSON(): Record<string, unknown>;
}
/** The parameters do not fit the spec; nothing was sent. */
export declare class ValidationError extends EssbasicError {
  readonly kind: 'validation';
  action: string;
  path: string;
}
/** Bad configuration or credential; nothing was sent. */
export declare class SigningError extends EssbasicError {
  readonly kind: 'signing';
}
/** The service answered `Response.Error`. */
export declare class ApiError extends EssbasicError {
  readonly kind: 'api';
}
/** A non-2xx status without an API error. */
export declare class HttpError extends EssbasicError {
  readonly kind: 'http';
  httpCode: number;
}
/** A 2xx answer that is not the `Response` envelope (or too large). */
export declare class DecodeError extends EssbasicError {
  readonly kind: 'decode';
}
/** No complete answer within the timeout. */
export declare class TimeoutError extends EssbasicError {
  readonly kind: 'timeout';
  timeoutMs: number;
}
/** Connect, TLS, reset, proxy or abort failures; `notSent` when the connection was never established. */
export declare class TransportError extends EssbasicError {
  readonly kind: 'transport';
  notSent: boolean;
}

/** `essbasic.v20210526.Client`, as in tencentcloud-sdk-nodejs. */
export declare const v20210526: { readonly Client: typeof Client };
/** `tencentcloud.essbasic.v20210526.Client`, as in tencentcloud-sdk-nodejs. */
export declare const essbasic: { readonly v20210526: typeof v20210526 };
/** The 101 action names, sorted. */
export declare const ACTIONS: readonly ActionName[];
/** `2021-05-26`. */
export declare const API_VERSION: '2021-05-26';
/** This package's version. */
export declare const VERSION: string;
/** The prefix core gives integers beyond 2^53 before the reviver turns them into `bigint`. */
export declare const BIGINT_SENTINEL: string;
/** Resolves to the core adapter in use: `native` (the addon) or `wasm`. */
export declare function backend(): Promise<'native' | 'wasm'>;
/**
 * Node only (servers: it takes the SecretKey; the browser entry does not export it): core's
 * `remote::sign_remote` checks a client's canonical request (its shape, an essbasic host,
 * the action against `allowedActions`, the timestamp within ±300 s) and signs it. Resolves to
 * the hex signature; rejects with a `SigningError`.
 */
export declare function signRemote(input: SignRemoteInput): Promise<string>;
