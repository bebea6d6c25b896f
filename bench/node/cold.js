'use strict';
/**
 * Cold start (bench/run.sh): a new process that loads a client and makes one call.
 *   node bench/node/cold.js ours|wasm|official|official-essbasic
 * `official` loads the whole `tencentcloud-sdk-nodejs` package, as its README shows;
 * `official-essbasic` only its essbasic subpath. Environment: ESSBASIC_NODE, EMU_STATELESS.
 */
const path = require('node:path');

const impl = process.argv[2];
const url = new URL(process.env.EMU_STATELESS);
let sdk;
if (impl === 'ours') {
  sdk = require(path.join(process.env.ESSBASIC_NODE, 'lib/index.cjs'));
} else if (impl === 'wasm') {
  const { createEssbasic } = require(path.join(process.env.ESSBASIC_NODE, 'lib/facade.cjs'));
  const { nodePlatform, loadWasm } = require(path.join(process.env.ESSBASIC_NODE, 'lib/platform-node.cjs'));
  sdk = createEssbasic(nodePlatform(loadWasm, () => 'wasm'));
} else if (impl === 'official') {
  sdk = require('tencentcloud-sdk-nodejs');
} else if (impl === 'official-essbasic') {
  sdk = require('tencentcloud-sdk-nodejs/tencentcloud/services/essbasic');
} else {
  throw new Error(`unknown implementation ${impl}`);
}
const client = new sdk.essbasic.v20210526.Client({
  credential: {
    secretId: process.env.EMU_SECRET_ID || 'AKIDessbasicEmulator',
    secretKey: process.env.EMU_SECRET_KEY || 'essbasic-emulator-secret-key',
  },
  region: '',
  profile: { httpProfile: { endpoint: url.host, protocol: 'http://' } },
});
client
  .ChannelCancelFlow({ Agent: { AppId: 'yDwhxUUckp3gl8j5UuFX33LSNozpRsbi' }, FlowId: 'yDwFmUUckpstqfvzUE1h3jo1f3cqjkGm' })
  .then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
