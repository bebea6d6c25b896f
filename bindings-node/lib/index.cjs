'use strict';
/**
 * `essbasic` for Node (CommonJS): the native addon as the core adapter, falling back to
 * the WebAssembly build when the addon cannot load (another platform, a sandbox).
 *
 *     const { Client } = require('essbasic');
 *     // or, as with tencentcloud-sdk-nodejs:
 *     const tencentcloud = require('essbasic');
 *     const client = new tencentcloud.essbasic.v20210526.Client({ credential, region, profile });
 */

const { createEssbasic } = require('./facade.cjs');
const { nodePlatform, loadNative, loadWasm } = require('./platform-node.cjs');

let backend = 'native';
function loadAdapter() {
  let nativeError;
  try {
    return loadNative();
  } catch (e) {
    nativeError = e;
  }
  backend = 'wasm';
  return loadWasm().catch((wasmError) => {
    throw new Error(
      `essbasic: cannot load the native addon (${nativeError.message}) ` +
        `nor the WebAssembly build (${wasmError.code || wasmError.message})`,
    );
  });
}

module.exports = createEssbasic(nodePlatform(loadAdapter, () => backend));
