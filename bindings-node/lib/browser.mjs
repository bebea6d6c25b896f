// `essbasic` for browsers, workers and other non-Node runtimes: the WebAssembly build
// (`./core-wasm.js`, the adapter) behind the same façade, over the global `fetch`.
import * as wasmAdapter from './core-wasm.js';
import facade from './facade.cjs';
import transport from './transport-fetch.cjs';
import VERSION from './version.cjs';

const essbasic = facade.createEssbasic({
  loadAdapter: () => wasmAdapter,
  backend: () => 'wasm',
  // `agent` and `proxy` are Node options; here the runtime's fetch decides.
  defaultTransport: () => transport.fetchTransport(globalThis.fetch?.bind(globalThis)),
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
  ACTIONS,
  API_VERSION,
  BIGINT_SENTINEL,
  backend,
} = essbasic;
const { essbasic: namespace } = essbasic;
export { namespace as essbasic, VERSION };
export default essbasic;
