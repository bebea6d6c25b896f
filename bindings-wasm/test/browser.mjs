// The real-browser test of the WebAssembly build: Debian's Chromium, headless, driven by
// playwright-core, loads a page that imports the npm package `essbasic` (through its
// `exports` map's `browser` condition, as an import map) and calls the emulator over CORS.
//
//   node bindings-wasm/test/browser.mjs      (bindings-wasm/test/run.sh builds first)
//
// Everything stays on 127.0.0.1: the emulator, and a small static server that serves the
// package (bindings-node/: package.json, lib/, wasm/) and the page (test/page/), and signs
// for the page's remote signer (POST /sign: the SecretKey lives here, never in the page).
// Prints `ok - <case>` / `not ok - <case>: <why>` per case, then
// `browser: N passed, M failed`, and exits non-zero on any failure.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const wasmDir = join(here, '..');
const root = join(wasmDir, '..');
const pkgDir = join(root, 'bindings-node');
const pageDir = join(here, 'page');
const CHROMIUM = process.env.ESSBASIC_CHROMIUM || '/usr/bin/chromium';
const CASE_TIMEOUT_MS = 60_000;

// Test-only credentials (never real ones): a key pair, and a temporary one with its token.
const SECRET_ID = 'AKIDbrowserTest';
const SECRET_KEY = 'browser-test-secret-key';
const TOKEN_ID = 'AKIDbrowserToken';
const TOKEN_KEY = 'browser-token-secret-key';
const TOKEN = 'browser-session-token';
// What the signing endpoint agrees to sign (its allow-list).
const SIGNER_ALLOWED = ['DescribeUsage', 'DescribeTemplates'];

const log = (line) => process.stdout.write(`${line}\n`);

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  log(`# ${CHROMIUM} is missing: installing Debian's chromium`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

async function loadPlaywright() {
  if (!existsSync(join(wasmDir, 'node_modules', 'playwright-core'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: wasmDir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return import(join(wasmDir, 'node_modules', 'playwright-core', 'index.mjs'));
}

async function startEmulator() {
  const targetDir = process.env.CARGO_TARGET_DIR || join(root, 'target');
  const bin = process.env.ESSBASIC_EMULATOR_BIN || join(targetDir, 'debug', 'essbasic-emulator');
  if (!process.env.ESSBASIC_EMULATOR_BIN) {
    execFileSync('cargo', ['build', '-q', '-p', 'essbasic-emulator', '--bin', 'essbasic-emulator'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const child = spawn(
    bin,
    [
      '--listen', '127.0.0.1:0',
      '--secret-id', SECRET_ID,
      '--secret-key', SECRET_KEY,
      '--key', `${TOKEN_ID}:${TOKEN_KEY}:${TOKEN}`,
      '--faults',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code}: ${stderr}`));
    });
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** The package's browser entry, resolved from its `exports` map as a browser bundler would. */
function browserEntry() {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const pick = (target) => {
    if (typeof target === 'string') return target;
    if (!target || typeof target !== 'object') return null;
    for (const cond of ['browser', 'import', 'default']) {
      if (cond in target) {
        const got = pick(target[cond]);
        if (got) return got;
      }
    }
    return null;
  };
  const dot = pkg.exports?.['.'] ?? pkg.exports;
  const entry = pick(dot) ?? pkg.browser ?? pkg.module;
  if (!entry) throw new Error('bindings-node/package.json has no browser entry in `exports`');
  return entry.replace(/^\.\//, '');
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** A file under `base` for a URL path, or null (no escaping the folder). */
function fileUnder(base, rel) {
  const path = normalize(join(base, decodeURIComponent(rel)));
  if (path !== base && !path.startsWith(base + sep)) return null;
  return existsSync(path) && statSync(path).isFile() ? path : null;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > 1 << 20) reject(new Error('too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function startServer(config, signer) {
  const entry = browserEntry();
  const page = readFileSync(join(pageDir, 'index.html'), 'utf8').replace(
    '<!--IMPORTMAP-->',
    `<script type="importmap">${JSON.stringify({ imports: { essbasic: `/pkg/${entry}` } })}</script>`,
  );
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/' || url.pathname === '/index.html') return send(200, TYPES['.html'], page);
      if (url.pathname === '/config.json') return send(200, TYPES['.json'], JSON.stringify(config));
      if (url.pathname === '/sign' && req.method === 'POST') {
        // The signing server: checks and signs a canonical request with its SecretKey.
        const { canonicalRequest, timestamp } = JSON.parse(await readBody(req));
        const out = signer(canonicalRequest, timestamp);
        return send(out.error ? 403 : 200, TYPES['.json'], JSON.stringify(out));
      }
      let file = null;
      if (url.pathname === '/pkg/package.json') file = join(pkgDir, 'package.json');
      else if (url.pathname.startsWith('/pkg/lib/')) file = fileUnder(join(pkgDir, 'lib'), url.pathname.slice(9));
      else if (url.pathname.startsWith('/pkg/wasm/')) file = fileUnder(join(pkgDir, 'wasm'), url.pathname.slice(10));
      else if (url.pathname.startsWith('/page/')) file = fileUnder(pageDir, url.pathname.slice(6));
      if (!file) return send(404, 'text/plain', 'not found');
      return send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
    } catch (e) {
      return send(500, 'text/plain', String(e?.message ?? e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, entry, close: () => server.close() };
}

async function main() {
  ensureChromium();
  if (!existsSync(join(pkgDir, 'wasm', 'essbasic_wasm_bg.wasm'))) {
    throw new Error('no bindings-node/wasm/: run bindings-wasm/build.sh first');
  }
  const { chromium } = await loadPlaywright();
  // The server-side helper: core's remote::sign_remote (here through the wasm adapter in Node).
  const core = await import(join(pkgDir, 'lib', 'core-wasm.mjs'));
  const signer = (canonicalRequest, timestamp) => {
    const out = core.signRemote(
      SECRET_KEY,
      String(canonicalRequest),
      Number(timestamp),
      Math.floor(Date.now() / 1000),
      SIGNER_ALLOWED,
    );
    return out.error ? { error: out.error.message } : { signature: out.signature };
  };

  const emulator = await startEmulator();
  const cleanup = [() => emulator.stop()];
  let failed = 0;
  let passed = 0;
  let skipped = 0;
  try {
    const config = {
      emulator: emulator.url,
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      token: { secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: TOKEN },
      signerAllowed: SIGNER_ALLOWED,
    };
    config.entry = browserEntry();
    const server = await startServer(config, signer);
    cleanup.push(() => server.close());
    log(`# emulator ${emulator.url}, page ${server.url}, package entry for browsers: ${server.entry}`);

    const profile = mkdtempSync(join(tmpdir(), 'essbasic-chromium-'));
    cleanup.push(() => rmSync(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-default-apps',
        '--disable-extensions',
      ],
    });
    cleanup.unshift(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    // Nothing but the two local servers: the page must not reach out anywhere else.
    await context.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      return hostname === '127.0.0.1' ? route.continue() : route.abort();
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') log(`# page ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => log(`# page error: ${e.message}`));

    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => window.__essbasic?.done === true, null, { timeout: CASE_TIMEOUT_MS * 3 });
    const results = await page.evaluate(() => window.__essbasic.results);
    for (const r of results) {
      if (r.skipped) {
        skipped += 1;
        log(`ok - ${r.name} # SKIP ${r.detail}`);
      } else if (r.ok) {
        passed += 1;
        log(`ok - ${r.name}${r.detail ? ` (${r.detail})` : ''}`);
      } else {
        failed += 1;
        log(`not ok - ${r.name}: ${r.detail}`);
      }
    }
    if (results.length === 0) {
      failed += 1;
      log('not ok - the page ran no case');
    }
  } catch (e) {
    failed += 1;
    log(`not ok - browser run: ${e?.stack ?? e}`);
  } finally {
    for (const f of cleanup) {
      try {
        await f();
      } catch {
        // best effort
      }
    }
  }
  log(`browser: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
