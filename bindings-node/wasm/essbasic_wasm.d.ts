/* tslint:disable */
/* eslint-disable */

/**
 * Validates, builds and signs a request: `{ method, url, headers: [name, value][], body }`
 * or `{ error }`.
 */
export function buildRequest(action: string, params_json: string, config: any, credential: any, timestamp: number, nonce: number, trace_id?: string | null): any;

/**
 * Classifies a response: `{ raw, requestId, bigRaw }` (`bigRaw`: `raw` with every integer
 * beyond 2^53 quoted, or `null` when there is none) or `{ error }`.
 */
export function classifyResponse(status: number, body: Uint8Array | number[], max_body_bytes: number): any;

/**
 * Completes a prepared request with the signer's hex signature: the request, or `{ error }`.
 */
export function finishRemote(prepared: any, signature_hex: string): any;

/**
 * Builds a TC3 request for a remote signer (no SecretKey here): `{ request (without
 * Authorization), canonicalRequest, stringToSign, timestamp, secretId }` or `{ error }`.
 */
export function prepareRemote(action: string, params_json: string, config: any, credential: any, timestamp: number, nonce: number, trace_id?: string | null): any;

/**
 * One `kind: "signing"` conformance case (JSON text) → the computed values (JSON text);
 * see [`vector`] for the format.
 */
export function signVector(case_json: string): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly buildRequest: (a: number, b: number, c: number, d: number, e: any, f: any, g: number, h: number, i: number, j: number) => any;
    readonly classifyResponse: (a: number, b: number, c: number, d: number) => any;
    readonly finishRemote: (a: any, b: number, c: number) => any;
    readonly prepareRemote: (a: number, b: number, c: number, d: number, e: any, f: any, g: number, h: number, i: number, j: number) => any;
    readonly signVector: (a: number, b: number, c: number) => void;
    readonly __wbindgen_export: (a: number, b: number) => number;
    readonly __wbindgen_export2: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_export3: (a: number, b: number, c: number) => void;
    readonly __wbindgen_export4: (a: number) => void;
    readonly __wbindgen_export5: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_add_to_stack_pointer: (a: number) => number;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
