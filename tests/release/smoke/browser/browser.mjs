// The browser half of the release test: bundles a small page (index.html + main.js beside
// this file) with Vite from the `essbasic` package that a fresh npm project installed from
// the tarball, serves the bundle on 127.0.0.1, and runs it in Debian's Chromium (headless,
// driven by playwright-core) against the emulator.
//
//   node browser.mjs <npm-project-dir> <emulator-url>
//
// Vite and playwright-core come from tests/release/node_modules (its lockfile). Prints
// `ok - ...` / `not ok - ...` lines and exits non-zero on a failure. Every request stays on
// 127.0.0.1: the page's other requests are aborted.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const [project, emulator] = process.argv.slice(2);
if (!project || !emulator) {
  console.error('usage: node browser.mjs <npm-project-dir> <emulator-url>');
  process.exit(2);
}
const CHROMIUM = process.env.ESSBASIC_CHROMIUM || '/usr/bin/chromium';
const repoRoot = normalize(join(here, '..', '..', '..', '..'));

let failed = 0;
const report = (ok, name, detail = '') => {
  if (!ok) failed += 1;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? (ok ? ` (${detail})` : `: ${detail}`) : ''}`);
};

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log(`# ${CHROMIUM} is missing: installing Debian's chromium`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

/** Every file under `dir`, relative. */
function walk(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

// 1. Bundle: the page's sources go into the fresh project, so that `essbasic` resolves from
//    its node_modules (the tarball's files), as in an application.
async function bundle() {
  const { build } = await import('vite');
  const src = join(project, 'web');
  const out = join(project, 'web-dist');
  mkdirSync(src, { recursive: true });
  for (const f of ['index.html', 'main.js']) cpSync(join(here, f), join(src, f));
  await build({
    root: src,
    configFile: false,
    logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true },
  });
  const files = walk(out);
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  report(wasm.length > 0, 'Vite bundled the page and shipped the .wasm as an asset', files.join(', '));
  const js = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
  report(!js.includes(repoRoot) && !js.includes('bindings-node'), 'the bundle names no path of the source tree');
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

// 2. Serve the bundle and the page's config (the emulator's URL and its default key pair).
async function serve(dir) {
  const config = JSON.stringify({
    emulator,
    secretId: 'AKIDessbasicEmulator',
    secretKey: 'essbasic-emulator-secret-key',
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    if (path === '/config.json') {
      res.writeHead(200, { 'Content-Type': TYPES['.json'] });
      return res.end(config);
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    return res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

// 3. Chromium: headless, a fresh profile, no background networking.
async function runPage(url) {
  ensureChromium();
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'essbasic-release-chromium-'));
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
  try {
    await context.route('**/*', (route) =>
      new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
    );
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`# page console error: ${m.text()}`);
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__essbasic?.done === true, null, { timeout: 60_000 });
    const results = await page.evaluate(() => window.__essbasic.results);
    for (const r of results) report(r.ok, `browser: ${r.name}`, r.detail);
    report(results.length === 4, 'browser: the page ran its 4 cases', `${results.length} ran`);
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

let server;
try {
  const out = await bundle();
  server = await serve(out);
  await runPage(server.url);
} catch (e) {
  report(false, 'browser run', String(e?.stack ?? e).split('\n').slice(0, 4).join(' | '));
} finally {
  server?.close();
}
process.exitCode = failed ? 1 : 0;
