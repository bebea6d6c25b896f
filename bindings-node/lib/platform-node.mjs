/**
 * The Node platform of the façade: `node:crypto` for the nonce and the trace id, the
 * `node:http(s)` transport, and the two adapters (the native addon, the WebAssembly build).
 * {@link nodeEssbasic} is what both Node entries (`index.mjs`, `index.cjs`) export.
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { nodeTransport } from './transport-node.mjs';
import { createEssbasic } from './facade.mjs';
import { VERSION } from './version.mjs';

// The package directory (the addon files sit next to package.json).
const pkgDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const requireNative = createRequire(import.meta.url);

/** The addon file names to try for this platform, most specific first. */
export function nativeCandidates() {
  const { platform, arch } = process;
  const names = [];
  if (platform === 'linux') {
    const glibc = process.report?.getReport?.()?.header?.glibcVersionRuntime;
    names.push(...(glibc ? ['gnu', 'musl'] : ['musl', 'gnu']).map((abi) => `${platform}-${arch}-${abi}`));
  } else if (platform === 'win32') {
    names.push(`${platform}-${arch}-msvc`);
  }
  names.push(`${platform}-${arch}`);
  return names.map((n) => path.join(pkgDir, `essbasic.${n}.node`));
}

/** Loads the native addon (synchronously); throws when none loads. */
export function loadNative() {
  const tried = [];
  for (const file of nativeCandidates()) {
    try {
      return requireNative(file);
    } catch (e) {
      tried.push(`${path.basename(file)}: ${e.code || e.message}`);
    }
  }
  throw new Error(`no native addon for ${process.platform}-${process.arch} (${tried.join('; ')})`);
}

/** Loads the WebAssembly adapter, `./core-wasm.mjs` (an ES module: it awaits its instance). */
export function loadWasm() {
  return import('./core-wasm.mjs');
}

/**
 * Reads the credentials profile file, `~/.tencentcloud/credentials` (the home directory of
 * `os.homedir()`: `$HOME` on POSIX): `{ path, text }`, or `{ path, reason }` when it cannot.
 * Core parses the text (`essbasic::profile`).
 */
export async function readCredentialsFile() {
  let home;
  try {
    home = os.homedir();
  } catch {
    return { path: '~/.tencentcloud/credentials', reason: 'no home directory' };
  }
  const file = path.join(home, '.tencentcloud', 'credentials');
  try {
    return { path: file, text: await fs.promises.readFile(file, 'utf8') };
  } catch (e) {
    return { path: file, reason: e.code === 'ENOENT' ? 'not found' : `cannot read it: ${e.code || e.message}` };
  }
}

/** The size of a file and its first `n` bytes (what core checks before the file is read). */
export async function readFileHead(file, n) {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(n, size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { size, head: head.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}

/** A whole file's bytes. */
export function readFile(file) {
  return fs.promises.readFile(file);
}

/** The platform object for `createEssbasic`, with the given adapter loader. */
export function nodePlatform(loadAdapter, backend) {
  return {
    loadAdapter,
    backend,
    defaultTransport: (options) => nodeTransport(options),
    randomU32: () => crypto.randomBytes(4).readUInt32BE(0),
    randomUUID: () => crypto.randomUUID(),
    requestClient: `essbasic-node/${VERSION}`,
    env: (name) => process.env[name],
    readCredentialsFile,
    randomBytes: (n) => new Uint8Array(crypto.randomBytes(n)),
    readFileHead,
    readFile,
    server: true,
  };
}

/**
 * The package's exports for Node: the native addon as the core adapter, falling back to
 * the WebAssembly build when the addon cannot load (another platform, a sandbox).
 */
export function nodeEssbasic() {
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
  return createEssbasic(nodePlatform(loadAdapter, () => backend));
}
