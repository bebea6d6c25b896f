// `essbasic` for Node (ES module): the same single instance as the CommonJS entry.
import essbasic from './index.cjs';

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
  VERSION,
  BIGINT_SENTINEL,
  backend,
} = essbasic;
const { essbasic: namespace } = essbasic;
export { namespace as essbasic };
export default essbasic;
