'use strict';
/**
 * The Node platform of the façade: `node:crypto` for the nonce and the trace id, the
 * `node:http(s)` transport, and the two adapters (the native addon, the WebAssembly build).
 */

const crypto = require('node:crypto');
const path = require('node:path');
const { nodeTransport } = require('./transport-node.cjs');
const VERSION = require('./version.cjs');

/** The addon file names to try for this platform, most specific first. */
function nativeCandidates() {
  const { platform, arch } = process;
  const names = [];
  if (platform === 'linux') {
    const glibc = process.report?.getReport?.()?.header?.glibcVersionRuntime;
    names.push(...(glibc ? ['gnu', 'musl'] : ['musl', 'gnu']).map((abi) => `${platform}-${arch}-${abi}`));
  } else if (platform === 'win32') {
    names.push(`${platform}-${arch}-msvc`);
  }
  names.push(`${platform}-${arch}`);
  return names.map((n) => path.join(__dirname, '..', `essbasic.${n}.node`));
}

/** Loads the native addon (synchronously); throws when none loads. */
function loadNative() {
  const tried = [];
  for (const file of nativeCandidates()) {
    try {
      return require(file);
    } catch (e) {
      tried.push(`${path.basename(file)}: ${e.code || e.message}`);
    }
  }
  throw new Error(`no native addon for ${process.platform}-${process.arch} (${tried.join('; ')})`);
}

/** Loads the WebAssembly adapter, `./core-wasm.js` (CommonJS or ES module). */
async function loadWasm() {
  try {
    return require('./core-wasm.js');
  } catch (e) {
    if (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE') {
      return import('./core-wasm.js');
    }
    throw e;
  }
}

/** The platform object for `createEssbasic`, with the given adapter loader. */
function nodePlatform(loadAdapter, backend) {
  return {
    loadAdapter,
    backend,
    defaultTransport: (options) => nodeTransport(options),
    randomU32: () => crypto.randomBytes(4).readUInt32BE(0),
    randomUUID: () => crypto.randomUUID(),
    requestClient: `essbasic-node/${VERSION}`,
  };
}

module.exports = { nodePlatform, loadNative, loadWasm, nativeCandidates };
