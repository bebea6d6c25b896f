// Starts the essbasic emulator (tests/emulator) on 127.0.0.1 for a test file, and helpers
// shared by the end-to-end tests. The binary is $ESSBASIC_EMULATOR_BIN, or built here with
// `cargo build -p essbasic-emulator` (test/run.sh builds it once beforehand).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import net from 'node:net';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Test-only credentials (never real ones). */
export const SECRET_ID = 'AKIDnodeBindingTest';
export const SECRET_KEY = 'node-binding-test-secret-key';
export const TOKEN_ID = 'AKIDnodeBindingToken';
export const TOKEN_KEY = 'node-binding-token-secret';
export const TOKEN = 'node-binding-session-token';

/** The Agent every call needs (public test values). */
export const AGENT = {
  AppId: 'yDwhxUUckp3gl8j5UuFX33LSNozpRsbi',
  ProxyOrganizationOpenId: 'org_node_binding',
  ProxyOperator: { OpenId: 'n9527' },
};

/** A one-page PDF, base64. */
export const PDF =
  'JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZy9QYWdlcyAyIDAgUj4+ZW5kb2JqCjIgMCBvYmo8PC9UeXBlL1BhZ2VzL0tpZHNbMyAwIFJdL0NvdW50IDE+PmVuZG9iagozIDAgb2JqPDwvVHlwZS9QYWdlL01lZGlhQm94WzAgMCA1OTUgODQyXS9QYXJlbnQgMiAwIFI+PmVuZG9iagp0cmFpbGVyPDwvUm9vdCAxIDAgUj4+CiUlRU9G';

let built = false;
function emulatorBin() {
  if (process.env.ESSBASIC_EMULATOR_BIN) return process.env.ESSBASIC_EMULATOR_BIN;
  const targetDir = process.env.CARGO_TARGET_DIR || join(root, 'target');
  const bin = join(targetDir, 'debug', 'essbasic-emulator');
  if (!built) {
    execFileSync('cargo', ['build', '-q', '-p', 'essbasic-emulator', '--bin', 'essbasic-emulator'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    built = true;
  }
  if (!existsSync(bin)) throw new Error(`no emulator binary at ${bin}`);
  return bin;
}

/**
 * Starts an emulator; resolves to `{ url, host, port, stop(), stats(), admin() }`.
 * @param {string[]} [args] extra arguments (`--faults`, `--stateless`, ...)
 */
export async function startEmulator(args = []) {
  const child = spawn(
    emulatorBin(),
    [
      '--listen', '127.0.0.1:0',
      '--secret-id', SECRET_ID,
      '--secret-key', SECRET_KEY,
      '--key', `${TOKEN_ID}:${TOKEN_KEY}:${TOKEN}`,
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_BACKTRACE: '0' } },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${stderr}`)), 30000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code}: ${stderr}`));
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  process.once('exit', () => child.kill('SIGKILL'));
  const u = new URL(url);
  const admin = async (method, path, body) => {
    const res = await fetch(`${url}/__emulator/${path}`, { method, body });
    return res.json();
  };
  return {
    url,
    host: u.hostname,
    port: Number(u.port),
    stop,
    admin,
    stats: () => admin('GET', 'stats'),
  };
}

/**
 * A TCP forwarder on 127.0.0.1 in front of `port` that counts the connections it accepts.
 * Resolves to `{ port, connections(), close() }`.
 */
export async function countingForwarder(port) {
  let count = 0;
  const sockets = new Set();
  const server = net.createServer((client) => {
    count++;
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    connections: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A minimal HTTP CONNECT proxy on 127.0.0.1 that only tunnels to 127.0.0.1 and counts
 * tunnels. Optional `auth` ("user:password") is required as Proxy-Authorization.
 */
export async function connectProxy({ auth } = {}) {
  const { createServer } = await import('node:http');
  let tunnels = 0;
  const sockets = new Set();
  const server = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  server.on('connect', (req, socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const want = auth ? `Basic ${Buffer.from(auth).toString('base64')}` : null;
    if (want && req.headers['proxy-authorization'] !== want) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [host, port] = req.url.split(':');
    if (host !== '127.0.0.1' && host !== 'localhost') {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    tunnels++;
    const upstream = net.connect(Number(port), '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://${auth ? auth + '@' : ''}127.0.0.1:${server.address().port}`,
    tunnels: () => tunnels,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The spec (core/spec/api.json). */
export function loadSpec() {
  return JSON.parse(readFileSync(join(root, 'core', 'spec', 'api.json'), 'utf8'));
}

/** Whether an `example` of the spec parses as a JSON value. */
function exampleValue(example) {
  if (typeof example !== 'string') return undefined;
  try {
    return JSON.parse(example);
  } catch {
    return example;
  }
}

/**
 * Schema-valid parameters for `objectName`: every required member, by its type; strings
 * from the spec's `example` where present.
 */
export function synthesize(spec, objectName, depth = 0) {
  const out = {};
  for (const m of spec.objects[objectName].members) {
    if (!m.required) continue;
    const ex = exampleValue(m.example);
    const one = (() => {
      const first = Array.isArray(ex) ? ex[0] : ex;
      switch (m.member) {
        case 'string':
        case 'date':
          return typeof first === 'string' && first ? first : typeof ex === 'string' && ex ? ex : 'x';
        case 'int64':
        case 'uint64':
          return Number.isSafeInteger(first) && (m.member === 'int64' || first >= 0) ? first : 1;
        case 'float':
          return typeof first === 'number' ? first : 1.5;
        case 'bool':
          return typeof first === 'boolean' ? first : true;
        default:
          return depth < 8 ? synthesize(spec, m.member, depth + 1) : {};
      }
    })();
    out[m.name] = m.type === 'list' ? [one] : one;
  }
  return out;
}
