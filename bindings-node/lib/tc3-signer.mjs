// The public `Tc3Signer` class, over whichever core signs: the native addon's class in Node
// (./platform-node.mjs), the WebAssembly module's in browsers, workers and edge runtimes
// (./browser.mjs). The arguments are checked here, once for both.

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The `Tc3Signer` class whose instances sign through `newInner(secretId, secretKey)`, an
 * object with `authorization(body, host, timestamp, contentType)` (the core's signer).
 * @param {(secretId: string, secretKey: string) => { authorization(body: string | Uint8Array, host: string, timestamp: number, contentType: string): string | undefined }} newInner
 */
export function tc3SignerClass(newInner) {
  /**
   * A bare TC3-HMAC-SHA256 signer: the `Authorization` header of a `POST /` request of the
   * essbasic service for a body, a host and a time, computed by core
   * (`essbasic::signing::tc3`) with the signing key derived once per UTC day. No
   * validation, no request building: for callers that send their own requests. The
   * credential stays in the core; `util.inspect` and `JSON.stringify` show neither the
   * SecretId nor the key.
   */
  return class Tc3Signer {
    #inner;

    /**
     * @param {string} secretId
     * @param {string} secretKey
     */
    constructor(secretId, secretKey) {
      if (typeof secretId !== 'string' || secretId === '' || typeof secretKey !== 'string' || secretKey === '') {
        throw new TypeError('essbasic: Tc3Signer needs a non-empty secretId and secretKey (strings)');
      }
      this.#inner = newInner(secretId, secretKey);
    }

    /**
     * The `Authorization` value of `POST /` to `host` with exactly `body`.
     * @param {string | Uint8Array} body the bytes sent (a string is signed as its UTF-8)
     * @param {string} host the `Host` header, e.g. `essbasic.tencentcloudapi.com`
     * @param {number} timestamp Unix seconds (`X-TC-Timestamp`)
     * @param {string} [contentType] the `Content-Type` header, `application/json` by default
     * @returns {string}
     */
    authorization(body, host, timestamp, contentType = 'application/json') {
      if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
        throw new TypeError('essbasic: Tc3Signer.authorization: `body` must be a string or a Uint8Array');
      }
      if (typeof host !== 'string' || host === '') {
        throw new TypeError('essbasic: Tc3Signer.authorization: `host` must be a non-empty string');
      }
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
        throw new TypeError('essbasic: Tc3Signer.authorization: `timestamp` must be whole Unix seconds');
      }
      if (typeof contentType !== 'string') {
        throw new TypeError('essbasic: Tc3Signer.authorization: `contentType` must be a string');
      }
      return this.#inner.authorization(body, host, timestamp, contentType);
    }

    /** What `JSON.stringify` shows: the algorithm only, never the credential. */
    toJSON() {
      return { algorithm: 'TC3-HMAC-SHA256' };
    }

    [INSPECT](depth, options, inspect) {
      const summary = this.toJSON();
      return typeof inspect === 'function' ? `Tc3Signer ${inspect(summary, options)}` : summary;
    }
  };
}
