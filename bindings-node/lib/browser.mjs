// `essbasic` for browsers, workers and other non-Node runtimes: the WebAssembly build
// (`./core-wasm.mjs`, the adapter) behind the same façade, over the global `fetch`. Every
// module it reaches is an ES module with no Node builtin: a browser loads it without a
// bundler (an import map or a relative path is enough).
import * as wasmAdapter from './core-wasm.mjs';
import { createEssbasic } from './facade.mjs';
import { fetchTransport } from './transport-fetch.mjs';
import { tc3SignerClass } from './tc3-signer.mjs';
import { VERSION } from './version.mjs';

const essbasic = createEssbasic({
  loadAdapter: () => wasmAdapter,
  backend: () => 'wasm',
  // `agent` and `proxy` are Node options; here the runtime's fetch decides.
  defaultTransport: () => fetchTransport(globalThis.fetch?.bind(globalThis)),
  randomU32: () => globalThis.crypto.getRandomValues(new Uint32Array(1))[0],
  randomUUID: () => globalThis.crypto.randomUUID(),
  requestClient: `essbasic-wasm/${VERSION}`,
});

export const {
  Client,
  v20210526,
  TencentCloudSDKHttpException,
  EssbasicError,
  ValidationError,
  SigningError,
  ApiError,
  HttpError,
  DecodeError,
  TimeoutError,
  TransportError,
  CallbackError,
  CryptoError,
  TaskError,
  openCallback,
  sealCallback,
  msgData,
  encryption,
  ACTIONS,
  API_VERSION,
  BIGINT_SENTINEL,
  backend,
} = essbasic;
const { essbasic: namespace } = essbasic;
export { namespace as essbasic, VERSION };

/** The bare TC3 signer (./tc3-signer.mjs) over the WebAssembly core's. */
export const Tc3Signer = tc3SignerClass((secretId, secretKey) => wasmAdapter.createTc3Signer(secretId, secretKey));
export default essbasic;
