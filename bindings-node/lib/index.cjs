'use strict';
/**
 * `essbasic` for Node (CommonJS): the native addon as the core adapter, falling back to
 * the WebAssembly build when the addon cannot load (another platform, a sandbox).
 *
 *     const { Client } = require('essbasic');
 *     // or, as with tencentcloud-sdk-nodejs:
 *     const tencentcloud = require('essbasic');
 *     const client = new tencentcloud.essbasic.v20210526.Client({ credential, region, profile });
 *
 * The code is the ES modules' (lib/*.mjs), through their generated CommonJS twins (lib/*.cjs,
 * scripts/gen-cjs.mjs); `index.mjs` is the ES module entry.
 */

module.exports = require('./platform-node.cjs').nodeEssbasic();
