/**
 * The Node platform of the façade: random nonces and trace ids (from the native addon's
 * `randomBytes`, else `node:crypto`, loaded only then), the socket and `node:http(s)`
 * transports, and the two adapters (the native addon, the WebAssembly build).
 * {@link nodeEssbasic} is what both Node entries (`index.mjs`, `index.cjs`) export.
 */

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { socketTransport } from './transport-socket.mjs';
import { createEssbasic } from './facade.mjs';
import { tc3SignerClass } from './tc3-signer.mjs';
import { VERSION } from './version.mjs';

// The package directory (the addon files sit next to package.json).
const pkgDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const requireNative = createRequire(import.meta.url);
/** Builtins that only some calls need, loaded on first use. */
let osModule = null;
const os = () => (osModule ??= requireNative('node:os'));
let cryptoModule = null;
const crypto = () => (cryptoModule ??= requireNative('node:crypto'));

/**
 * Whether this Linux runs on musl: `ldd` says so (a small file read), else the process
 * report (slower: it collects a whole diagnostic report).
 */
function isMusl() {
  try {
    return fs.readFileSync('/usr/bin/ldd', 'latin1').includes('musl');
  } catch {
    return !process.report?.getReport?.()?.header?.glibcVersionRuntime;
  }
}

/** The addon file names to try for this platform, most specific first. */
export function nativeCandidates() {
  const { platform, arch } = process;
  const names = [];
  if (platform === 'linux') {
    const abis = isMusl() ? ['musl', 'gnu'] : ['gnu', 'musl'];
    names.push(...abis.map((abi) => `${platform}-${arch}-${abi}`));
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

/** The native `Tc3Signer` class, once the addon is loaded. */
let NativeTc3Signer = null;

/**
 * A bare TC3-HMAC-SHA256 signer over the native addon (./tc3-signer.mjs has the checks and
 * the documentation); the constructor throws where the addon cannot load.
 */
export const Tc3Signer = tc3SignerClass((secretId, secretKey) => {
  if (NativeTc3Signer === null) {
    let addon;
    try {
      addon = loadNative();
    } catch (e) {
      throw new Error(`essbasic: Tc3Signer needs the native addon, which cannot load here (${e.message})`);
    }
    NativeTc3Signer = addon.Tc3Signer;
  }
  return new NativeTc3Signer(secretId, secretKey);
});

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
    home = os().homedir();
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

/**
 * Where random bytes come from: the native addon's `randomBytes` (the operating system's
 * generator) once that adapter is loaded, else `node:crypto` (the WebAssembly build).
 */
let nativeRandom = null;
function randomBytes(n) {
  return nativeRandom !== null ? nativeRandom(n) : crypto().randomBytes(n);
}

/** Random bytes drawn from one pooled buffer, refilled every 4 KiB. */
let pool = Buffer.alloc(0);
let poolAt = 0;
function take(n) {
  if (poolAt + n > pool.length) {
    const bytes = randomBytes(4096);
    pool = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    poolAt = 0;
  }
  poolAt += n;
  return poolAt - n;
}

/** A random 32-bit unsigned integer (the nonce). */
function randomU32() {
  return pool.readUInt32LE(take(4));
}

/** The ASCII codes of the hexadecimal digits. */
const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Where a UUID's text is written (its dashes stay in place). */
const uuidText = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');

/**
 * A random (version 4) UUID, as `crypto.randomUUID()` writes it (the trace id): its text
 * written into one buffer and read out as one string (slicing and joining a hex string
 * makes six strings more).
 */
function randomUUID() {
  const at = take(16);
  pool[at + 6] = (pool[at + 6] & 0x0f) | 0x40;
  pool[at + 8] = (pool[at + 8] & 0x3f) | 0x80;
  let o = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) o += 1;
    const b = pool[at + i];
    uuidText[o] = HEX[b >> 4];
    uuidText[o + 1] = HEX[b & 15];
    o += 2;
  }
  return uuidText.latin1Slice(0, 36);
}

/**
 * `bytes[start..end]`, ASCII, as a one-byte string (a copy of the bytes, no decoding),
 * without copying the bytes first.
 */
function asciiSlice(bytes, start, end) {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buf.latin1Slice(start, end);
}

/**
 * The `node:http(s)` transport (`transport-node.mjs`), loaded when its first request is sent:
 * it serves a caller's agent, a proxy and the WebAssembly fallback, and most programs use
 * none of them.
 */
function lazyNodeTransport(options) {
  let send = null;
  const transport = (req) =>
    send !== null
      ? send(req)
      : import('./transport-node.mjs').then(({ nodeTransport }) => (send ??= nodeTransport(options))(req));
  transport.close = () => send?.close();
  return transport;
}

/** The platform object for `createEssbasic`, with the given adapter loader. */
export function nodePlatform(loadAdapter, backend) {
  return {
    loadAdapter,
    backend,
    // HTTP/1.1 over bare sockets with core's framing (native addon); node:http for a
    // caller's agent or a proxy, and when the adapter has no framing (WebAssembly).
    defaultTransport: (options, getAdapter) =>
      options.agent || options.proxy
        ? lazyNodeTransport(options)
        : socketTransport(getAdapter, () => lazyNodeTransport(options)),
    randomU32,
    asciiSlice,
    randomUUID,
    // The native addon brings the operating system's random numbers: no node:crypto.
    adapterLoaded: (adapter) => {
      if (typeof adapter.randomBytes === 'function') nativeRandom = adapter.randomBytes;
    },
    requestClient: `essbasic-node/${VERSION}`,
    env: (name) => process.env[name],
    readCredentialsFile,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
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
  return { ...createEssbasic(nodePlatform(loadAdapter, () => backend)), Tc3Signer };
}
