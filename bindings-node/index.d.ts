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

  /**
   * `UploadFiles` from files: paths (Node), bytes, `Blob`/`File`, `ReadableStream`s or
   * `{ name, data }`. Core's limits (at most 20 files; images ≤ 8 MiB, other types ≤ 60 MiB;
   * the types a business type takes) are checked before anything is sent, and before a file
   * is read whole when its size is known. Rejects with a `ValidationError`.
   */
  uploadFiles(
    files: UploadInput | readonly UploadInput[],
    params: UploadParams,
    options?: RequestOptions,
  ): Promise<Actions['UploadFiles']['response'] & ResponseMeta>;
  /**
   * Polls a task on core's schedule (1 s, ×1.5, at most 15 s between polls; 10 min
   * deadline) until it finishes: resolves to the polling action's `Response`; rejects with
   * a `TaskError` (failed), a `TimeoutError` (deadline) or a `TransportError` (aborted).
   */
  waitTask(kind: TaskKind | string, taskId: string, options?: WaitOptions): Promise<Record<string, unknown> & ResponseMeta>;
  /** `CreateFileConvertTask`'s task, polled with `DescribeFileConvertTask`. */
  waitFileConvert(taskId: string, options?: WaitOptions): Promise<Actions['DescribeFileConvertTask']['response'] & ResponseMeta>;
  /** `ChannelBatchCancelFlows`'s task, polled with `DescribeCancelFlowsTask`. */
  waitCancelFlows(taskId: string, options?: WaitOptions): Promise<Actions['DescribeCancelFlowsTask']['response'] & ResponseMeta>;
  /** `CreateBatchOrganizationRegistrationTasks`'s task. */
  waitOrganizationRegistration(
    taskId: string,
    options?: WaitOptions,
  ): Promise<Actions['DescribeBatchOrganizationRegistrationTasks']['response'] & ResponseMeta>;
  /** `CreateChannelFlowEvidenceReport`'s report, polled with `DescribeChannelFlowEvidenceReport`. */
  waitEvidenceReport(
    taskId: string,
    options?: WaitOptions,
  ): Promise<Actions['DescribeChannelFlowEvidenceReport']['response'] & ResponseMeta>;
  /** Every item of every page of a paginated action (`Offset`/`Limit` by core). */
  paginate<A extends ActionName>(
    action: A,
    params: Actions[A]['request'],
    options?: RequestOptions,
  ): AsyncIterableIterator<PageItem<Actions[A]['response']>>;
  /** Every page (`Response` object) of a paginated action. */
  pages<A extends ActionName>(
    action: A,
    params: Actions[A]['request'],
    options?: RequestOptions,
  ): AsyncIterableIterator<Actions[A]['response'] & ResponseMeta>;
  /**
   * Calls `action` through `CreateRequestWithEncryption`: validated and sealed by core (fresh
   * IV), the answer's signature verified before it is decrypted. Resolves to `action`'s
   * `Response`.
   */
  callEncrypted<A extends ActionName>(
    action: A,
    params: Actions[A]['request'],
    keys: EncryptionKeys,
    options?: RequestOptions & { applicationId?: string },
  ): Promise<Actions[A]['response']>;
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
export type ErrorKind =
  | 'validation'
  | 'signing'
  | 'api'
  | 'http'
  | 'decode'
  | 'timeout'
  | 'transport'
  | 'callback'
  | 'crypto'
  | 'task';

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

/** A callback body to refuse (bad signature, wrong key, not an envelope); answer an error status. */
export declare class CallbackError extends EssbasicError {
  readonly kind: 'callback';
}
/** Encryption keys, or an envelope that does not verify. */
export declare class CryptoError extends EssbasicError {
  readonly kind: 'crypto';
}
/** A waited task finished in failure (`code` `TaskFailed`). */
export declare class TaskError extends EssbasicError {
  readonly kind: 'task';
}

/** A file for `uploadFiles`: a path (Node only), bytes, a `Blob`/`File`, a stream, or one of them named. */
export type UploadData = string | Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array>;
export type UploadInput = UploadData | { name: string; data: UploadData };
export interface UploadParams extends Partial<Omit<Actions['UploadFiles']['request'], 'FileInfos'>> {
  /** `TEMPLATE`, `DOCUMENT` or `SEAL` (or `BusinessType`). */
  businessType?: string;
  /** The `Agent` (or `Agent`). */
  agent?: Actions['UploadFiles']['request']['Agent'];
}

/** A task kind of core's waiters (aliases and action names are accepted too). */
export type TaskKind =
  | 'file_convert'
  | 'legacy_file_convert'
  | 'cancel_flows'
  | 'organization_registration'
  | 'evidence_report';
/** Core's poll schedule; members left out keep core's defaults. */
export interface WaitPolicy {
  initialDelayMs?: number;
  multiplier?: number;
  maxDelayMs?: number;
  deadlineMs?: number;
}
/** One poll that found the task still running. */
export interface WaitProgress {
  task: TaskKind;
  taskId: string;
  /** 1 for the first poll. */
  attempt: number;
  /** The status as the service reported it (`4`, `PROCESSING`, ...). */
  status: string;
  /** A percentage when the answer allows one, else `null`. */
  percent: number | null;
  /** Since the first poll. */
  elapsedMs: number;
}
export interface WaitOptions extends Omit<RequestOptions, 'signal'> {
  /** The `Agent` of the polling calls. */
  agent?: object;
  /** Give up this long after the first poll (default 600 000: 10 min) with a `TimeoutError`. */
  deadlineMs?: number;
  /** Called after each poll that found the task running. */
  onProgress?: (progress: WaitProgress) => void;
  /** Stops the wait (a `TransportError`), between polls too. */
  signal?: AbortSignalLike;
  /** Overrides of core's schedule. */
  policy?: WaitPolicy;
}

/** The item type of a paginated response: the element type of its list member. */
export type PageItem<R> = {
  [K in keyof R]-?: NonNullable<R[K]> extends readonly (infer I)[] ? I : never;
}[keyof R];

/** The keys of `CreateRequestWithEncryption`: AES-CBC (16/24/32-byte key) or SM4-CBC (16). */
export interface EncryptionKeys {
  cipherKey: string | Uint8Array;
  hmacKey: string | Uint8Array;
  algorithm?: 'AES-CBC' | 'SM4-CBC';
}
/** The sealed form: base64 members, as `CreateRequestWithEncryption` carries them. */
export interface EncryptionEnvelope {
  IV: string;
  EncryptedData: string;
  EncryptionSignature: string;
}
/** Core's `encryption`: the `CreateRequestWithEncryption` envelope. */
export declare const encryption: {
  /** Checks the keys; resolves to the algorithm's name. Rejects with a `CryptoError`. */
  checkKeys(keys: EncryptionKeys): Promise<'AES-CBC' | 'SM4-CBC'>;
  /** Encrypts and signs with a fresh random IV. */
  seal(plain: string | Uint8Array, keys: EncryptionKeys): Promise<EncryptionEnvelope>;
  /** Verifies the HMAC over IV‖ciphertext, then decrypts. Rejects with a `CryptoError`. */
  open(envelope: EncryptionEnvelope, keys: EncryptionKeys): Promise<Uint8Array>;
  /** The parameters of `CreateRequestWithEncryption` carrying `params` for `action` (validated first). */
  buildParams(action: string, params: object, keys: EncryptionKeys, applicationId?: string): Promise<Record<string, string>>;
  /** The business `Response` inside a `CreateRequestWithEncryption` `Response` (its error as `ApiError`). */
  openResponse(response: object, keys: EncryptionKeys): Promise<Record<string, unknown>>;
};

/** One signer in `FlowStatusChange.FlowApproverInfo`. */
export interface CallbackFlowApprover {
  ReceiptId?: string;
  ProxyOrganizationOpenId?: string;
  ProxyOperatorOpenId?: string;
  ProxyOrganizationName?: string;
  /** Masked by the service. */
  Mobile?: string;
  SignOrder?: number;
  ApproveName?: string;
  /** `PENDING`, `ACCEPT`, `REJECT`, `DEADLINE`, `CANCEL`... */
  ApproveStatus?: string;
  ApproveMessage?: string;
  ApproveTime?: number;
  /** `PERSON`, `ORGANIZATION`... */
  ApproveType?: string;
}
/** `MsgData` of each documented `MsgType`. */
export interface CallbackMsgData {
  /** A contract was created, signed, refused, cancelled, expired... */
  FlowStatusChange: {
    ApplicationId?: string;
    ProxyOrganizationOpenId?: string;
    FlowId?: string;
    FlowName?: string;
    FlowType?: string;
    /** `INIT`, `PART`, `REJECT`, `ALL`, `DEADLINE`, `CANCEL`, `RELIEVED`... */
    FlowStatus?: string;
    FlowMessage?: string;
    CreateOn?: number;
    Deadline?: number;
    CustomerData?: string;
    FlowApproverInfo?: CallbackFlowApprover[];
    [member: string]: unknown;
  };
  OperateSeal: {
    ApplicationId?: string;
    ProxyOrganizationOpenId?: string;
    ProxyOperatorOpenId?: string;
    AuthorizedOperatorOpenId?: string;
    SealId?: string;
    SealName?: string;
    /** `Create`, `Delete`, `Disable`, `Enable`, `Valid` or `Invalid`. */
    Operate?: string;
    [member: string]: unknown;
  };
  /** An employee joined a sub-organization. */
  VerifyStaffInfo: {
    ApplicationId?: string;
    ProxyOrganizationOpenId?: string;
    ProxyOperatorOpenId?: string;
    [member: string]: unknown;
  };
  /** A sub-organization authorized. */
  OrgAuth: {
    ApplicationId?: string;
    ProxyOrganizationOpenId?: string;
    ProxyOperatorOpenId?: string;
    AuthSuccess?: boolean;
    [member: string]: unknown;
  };
  /** The authorization letter was reviewed. */
  OrgCertify: {
    ApplicationId?: string;
    ProxyOrganizationOpenId?: string;
    OperateSuccess?: boolean;
    CertifyReason?: string;
    OperateTime?: string;
    [member: string]: unknown;
  };
  /** A sub-organization finished activation. */
  OrgOpenTsignBiz: {
    ApplicationId?: string;
    ProxyOrganizationOpenId?: string;
    ProxyOperatorOpenId?: string;
    ProxyAppId?: string;
    OpenSuccess?: boolean;
    OrganizationName?: string;
    USCC?: string;
    LegalName?: string;
    [member: string]: unknown;
  };
}
/** A documented callback message (`msgData(event, type)` gives its typed `MsgData`). */
export type KnownCallbackEvent = {
  [T in keyof CallbackMsgData]: { MsgId: string; MsgType: T; MsgVersion: string; MsgData: CallbackMsgData[T] };
}[keyof CallbackMsgData];
/** A message of a type this version does not document, passed through. */
export interface OtherCallbackEvent {
  MsgId: string;
  MsgType: string & {};
  MsgVersion: string;
  MsgData: Record<string, unknown>;
}
export type CallbackEvent = KnownCallbackEvent | OtherCallbackEvent;
export interface OpenCallbackOptions {
  /** The 32-character callback key (absent: the body is the plain envelope). */
  key?: string;
  /** The callback token: the `Content-Signature` is then required and verified. */
  token?: string;
  /** The request's `Content-Signature` header. */
  signature?: string | null;
}
/**
 * Authenticates (constant-time `Content-Signature` check over the raw body), decrypts and
 * parses a callback body (core's `callback::open`). Resolves to the event, or `null` for the
 * console's URL check (answer 200). Rejects with a `CallbackError`: refuse the request.
 * Works in browsers and workers too. De-duplicate on `MsgId`: deliveries are retried.
 */
export declare function openCallback(body: Uint8Array | ArrayBuffer | string, options?: OpenCallbackOptions): Promise<CallbackEvent | null>;
/**
 * `event.MsgData` typed for `msgType`; throws a `TypeError` when the event is of another type.
 * (A `switch` on `event.MsgType` cannot narrow `CallbackEvent`, which also holds the types
 * this version does not document.)
 */
export declare function msgData<T extends keyof CallbackMsgData>(event: CallbackEvent, msgType: T): CallbackMsgData[T];
export declare function msgData(event: CallbackEvent, msgType: string): Record<string, unknown>;
/** What the service would send for an envelope (tests, tools): the body and its `Content-Signature`. */
export declare function sealCallback(
  envelope: object | string | Uint8Array,
  options?: { key?: string; token?: string },
): Promise<{ body: string; signature: string | null }>;

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
/**
 * In Node the native addon's (the constructor throws where the addon cannot load); in
 * browsers, workers and edge runtimes the WebAssembly module's. A bare TC3-HMAC-SHA256
 * signer, core's `essbasic::signing::tc3`, for callers that send their own requests. `authorization`
 * returns the `Authorization` value of `POST /` of the essbasic service to `host` with
 * exactly `body` at `timestamp`; the signing key is derived once per UTC day. No validation
 * and no other header. `util.inspect` and `JSON.stringify` show no credential.
 */
export declare class Tc3Signer {
  constructor(secretId: string, secretKey: string);
  /**
   * @param body the bytes sent (a string is signed as its UTF-8)
   * @param host the `Host` header, e.g. `essbasic.tencentcloudapi.com`
   * @param timestamp Unix seconds (`X-TC-Timestamp`)
   * @param contentType the `Content-Type` header (default `application/json`)
   */
  authorization(body: string | Uint8Array, host: string, timestamp: number, contentType?: string): string;
  toJSON(): { algorithm: 'TC3-HMAC-SHA256' };
}
