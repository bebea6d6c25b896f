/**
 * Error classes. Every error the client throws is a {@link TencentCloudSDKHttpException}
 * (the official SDK's class shape: `message`, `code`, `requestId`, `traceId`, `httpCode`),
 * more precisely an {@link EssbasicError} whose `kind` tells where it failed:
 *
 * | kind         | class             | when                                                  |
 * | ------------ | ----------------- | ----------------------------------------------------- |
 * | `validation` | `ValidationError` | parameters do not fit the spec; nothing was sent      |
 * | `signing`    | `SigningError`    | bad configuration or credential; nothing was sent     |
 * | `api`        | `ApiError`        | the service answered `Response.Error` (`code` is its) |
 * | `http`       | `HttpError`       | a non-2xx status without an API error                 |
 * | `decode`     | `DecodeError`     | a 2xx answer that is not the `Response` envelope      |
 * | `timeout`    | `TimeoutError`    | no complete answer within the timeout                 |
 * | `transport`  | `TransportError`  | connect, TLS, reset, abort, proxy, ...                |
 *
 * No error ever holds a credential, a signature or a session token.
 */

/** Masks secrets that a URL or a message may carry (v1 query signature and token, userinfo). */
export function redact(text) {
  return String(text)
    .replace(/([?&](?:Signature|Token|SecretKey)=)[^&\s"']*/g, '$1** REDACTED **')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s"']*@/gi, '$1** REDACTED **@');
}

/** Marks this package's errors, across copies of the package (see `Symbol.hasInstance`). */
const BRAND = Symbol.for('essbasic.error');
/** The `kind` a subclass stands for (a static member). */
const KIND = Symbol('essbasic.kind');

/** The official SDK's error class, by shape and name. */
export class TencentCloudSDKHttpException extends Error {
  /**
   * `instanceof` also recognises the errors of the other copy of this package: the
   * CommonJS entry (`require`) and the ES module entry (`import`) each load their own, so an
   * error thrown through one is still `instanceof` the classes of the other (by kind).
   */
  static [Symbol.hasInstance](value) {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (value === null || typeof value !== 'object' || value[BRAND] !== true) return false;
    const kind = this[KIND];
    return kind === undefined || value.kind === kind;
  }

  /**
   * @param {string} message
   * @param {string} [requestId]
   * @param {string} [traceId]
   */
  constructor(message, requestId = '', traceId = '') {
    super(message);
    /** `Response.RequestId`, or `''`. */
    this.requestId = requestId || '';
    /** The `X-TC-TraceId` of the request, or `''`. */
    this.traceId = traceId || '';
  }
  getMessage() {
    return this.message;
  }
  getRequestId() {
    return this.requestId;
  }
  getTraceId() {
    return this.traceId;
  }
  toString() {
    return (
      '[TencentCloudSDKException]message:' +
      this.getMessage() +
      '  requestId:' +
      this.getRequestId() +
      '  traceId:' +
      this.getTraceId()
    );
  }
  toLocaleString() {
    return this.toString();
  }
}
Object.defineProperty(TencentCloudSDKHttpException.prototype, 'name', {
  value: 'TencentCloudSDKHttpException',
  writable: true,
  configurable: true,
});

/** The base class of every error this package throws; `kind` says which one it is. */
export class EssbasicError extends TencentCloudSDKHttpException {
  /**
   * @param {{ kind: string, code: string, message: string, requestId?: string | null,
   *   traceId?: string | null, httpCode?: number, action?: string, path?: string,
   *   cause?: unknown, notSent?: boolean, timeoutMs?: number, attempts?: number }} fields
   */
  constructor(fields) {
    super(fields.message, fields.requestId || '', fields.traceId || '');
    /** `validation`, `signing`, `api`, `http`, `decode`, `timeout` or `transport`. */
    this.kind = fields.kind;
    /** The API error code (`OperationDenied`, ...), or `ValidationError`, `HttpError`, .... */
    this.code = fields.code;
    if (fields.httpCode !== undefined) this.httpCode = fields.httpCode;
    if (fields.action !== undefined) this.action = fields.action;
    if (fields.path !== undefined) this.path = fields.path;
    if (fields.notSent !== undefined) this.notSent = fields.notSent;
    if (fields.timeoutMs !== undefined) this.timeoutMs = fields.timeoutMs;
    if (fields.attempts !== undefined) this.attempts = fields.attempts;
    if (fields.cause !== undefined) {
      Object.defineProperty(this, 'cause', {
        value: fields.cause,
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }
  toJSON() {
    const out = { name: this.name, kind: this.kind, code: this.code, message: this.message };
    for (const k of ['requestId', 'traceId', 'httpCode', 'action', 'path', 'notSent', 'timeoutMs', 'attempts']) {
      if (this[k] !== undefined && this[k] !== '') out[k] = this[k];
    }
    return out;
  }
}

Object.defineProperty(EssbasicError.prototype, BRAND, { value: true });

const named = (name, kind) => {
  const cls = {
    [name]: class extends EssbasicError {
      static [KIND] = kind;
      constructor(fields) {
        super({ ...fields, kind });
      }
    },
  }[name];
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  return cls;
};

/** The parameters do not fit the spec (or the action is unknown); `path` says where. */
export const ValidationError = named('ValidationError', 'validation');
/** The request could not be signed: bad configuration or credential. */
export const SigningError = named('SigningError', 'signing');
/** The service answered with `Response.Error`; `code` is its code. */
export const ApiError = named('ApiError', 'api');
/** A non-2xx HTTP status without a readable API error; `httpCode` is the status. */
export const HttpError = named('HttpError', 'http');
/** A 2xx answer that is not the `{"Response": {...}}` envelope. */
export const DecodeError = named('DecodeError', 'decode');
/** The call did not complete within its timeout (`timeoutMs`). */
export const TimeoutError = named('TimeoutError', 'timeout');
/** The HTTP stack failed (connect, TLS, reset, abort, proxy); `notSent` when provable. */
export const TransportError = named('TransportError', 'transport');

/** A callback body to refuse: bad signature, undecryptable, not an envelope (never the key). */
export const CallbackError = named('CallbackError', 'callback');
/** Encryption keys or an envelope that does not verify (`CreateRequestWithEncryption`). */
export const CryptoError = named('CryptoError', 'crypto');
/** A waited task finished in failure (`task`, `taskId`, `status` in the message). */
export const TaskError = named('TaskError', 'task');

const BY_KIND = {
  validation: ValidationError,
  signing: SigningError,
  api: ApiError,
  http: HttpError,
  decode: DecodeError,
  timeout: TimeoutError,
  transport: TransportError,
  callback: CallbackError,
  crypto: CryptoError,
  task: TaskError,
};

/**
 * The error to throw for an adapter's `{ error }` result.
 * @param {{ kind: string, code: string, message: string, action?: string | null,
 *   path?: string | null, requestId?: string | null, status?: number | null }} e
 * @param {{ traceId?: string, httpCode?: number }} [context]
 */
export function fromAdapter(e, context = {}) {
  const cls = BY_KIND[e.kind] || EssbasicError;
  const fields = {
    kind: e.kind,
    code: e.code,
    message: redact(e.message),
    requestId: e.requestId || '',
    traceId: context.traceId || '',
  };
  const httpCode = e.status ?? context.httpCode;
  if (httpCode != null) fields.httpCode = httpCode;
  if (e.action != null) fields.action = e.action;
  if (e.path != null) fields.path = e.path;
  return new cls(fields);
}

/** A copy of an underlying error that is safe to keep as `cause` (no URL secrets). */
export function safeCause(err) {
  if (err === null || typeof err !== 'object') return undefined;
  const out = new Error(redact(err.message));
  out.name = err.name;
  if (err.code !== undefined) out.code = err.code;
  if (err.cause && err.cause !== err) {
    const inner = safeCause(err.cause);
    if (inner) out.cause = inner;
  }
  return out;
}
