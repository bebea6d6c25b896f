// `essbasic` for Node (ES module): the native addon as the core adapter, falling back to the
// WebAssembly build; the same façade as `index.cjs` (which runs its generated CommonJS twin).
import { nodeEssbasic } from './platform-node.mjs';

const essbasic = nodeEssbasic();
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
  VERSION,
  BIGINT_SENTINEL,
  backend,
  signRemote,
  Tc3Signer,
} = essbasic;
const { essbasic: namespace } = essbasic;
export { namespace as essbasic };
export default essbasic;
