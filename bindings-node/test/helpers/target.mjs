// Which core adapter the tests run on: ESSBASIC_TARGET=native (default) or wasm. Both go
// through the same façade (lib/facade.mjs, the source of the CommonJS twins) with the Node
// platform.
import { createEssbasic, resolveAdapter } from '../../lib/facade.mjs';
import { nodePlatform, loadNative, loadWasm } from '../../lib/platform-node.mjs';

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

/**
 * The package's exports (`Client`, error classes, ...) bound to `target`'s adapter. The
 * default transport refuses any host but the loopback: tests never leave the machine.
 */
export function essbasicFor(target = TARGET) {
  const platform = nodePlatform(loader(target), () => target);
  const makeTransport = platform.defaultTransport;
  platform.defaultTransport = (...args) => {
    const inner = makeTransport(...args);
    const send = (req) => {
      const host = new URL(req.url).hostname;
      if (host !== '127.0.0.1' && host !== 'localhost') {
        return Promise.reject(new Error(`test guard: refusing to send to ${host}`));
      }
      return inner(req);
    };
    send.close = inner.close;
    for (const key of Object.getOwnPropertySymbols(inner)) send[key] = inner[key];
    return send;
  };
  return createEssbasic(platform);
}
