// Which core adapter the tests run on: ESSBASIC_TARGET=native (default) or wasm. Both go
// through the same façade (lib/facade.cjs) with the Node platform.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createEssbasic, resolveAdapter } = require('../../lib/facade.cjs');
const { nodePlatform, loadNative, loadWasm } = require('../../lib/platform-node.cjs');

/** `native` or `wasm`. */
export const TARGET = process.env.ESSBASIC_TARGET || 'native';

function loader(target) {
  if (target === 'native') return loadNative;
  if (target === 'wasm') return loadWasm;
  throw new Error(`unknown ESSBASIC_TARGET ${target} (native or wasm)`);
}

/** The adapter object of `target` (for tests that call it directly). */
export async function loadAdapter(target = TARGET) {
  return resolveAdapter(await loader(target)());
}

/** The package's exports (`Client`, error classes, ...) bound to `target`'s adapter. */
export function essbasicFor(target = TARGET) {
  return createEssbasic(nodePlatform(loader(target), () => target));
}
