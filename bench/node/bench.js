'use strict';
/**
 * The Node measurements of bench/run.sh: one scenario of one implementation per process,
 * printing one JSON object. bench/driver.py runs them interleaved and aggregates the rounds.
 *
 *   node bench/node/bench.js <scenario> <impl> [arg]
 *     scenario: sign | seq | conc | rss
 *     impl:     ours      essbasic on the native addon (the package as `npm pack` ships it)
 *               floor     seq only: pre-signed requests replayed over bare node:http
 *               wasm      essbasic on the WebAssembly core (the same façade)
 *               official  tencentcloud-sdk-nodejs (its essbasic v20210526 client)
 *
 * Environment: ESSBASIC_NODE (the staged essbasic package directory), BENCH_FIXTURES,
 * EMU_STATELESS / EMU_STATEFUL (emulator base URLs), BENCH_FLOWS (flow ids for the ~1 MB
 * answer), BENCH_SECS (seconds per measurement), EMU_SECRET_ID / EMU_SECRET_KEY.
 *
 * Both clients run with their defaults and an endpoint on the emulator; the official one is
 * given an explicit keep-alive `http.Agent` (what Node 20's global agent, its default, does
 * too), so that both reuse connections whatever the Node version. Neither logs anything.
 */

const fs = require('node:fs');
const path = require('node:path');

/**
 * `node:http`, loaded only by the implementations that use it (the official SDK's agent, the
 * HTTP floor): a process measures what its client loads, not what the harness does.
 */
const nodeHttp = () => require('node:http');

const SECS = Number(process.env.BENCH_SECS || 1);
const fixtures = JSON.parse(fs.readFileSync(process.env.BENCH_FIXTURES, 'utf8'));
const SECRET_ID = process.env.EMU_SECRET_ID || 'AKIDessbasicEmulator';
const SECRET_KEY = process.env.EMU_SECRET_KEY || 'essbasic-emulator-secret-key';
const HOST = 'essbasic.tencentcloudapi.com';
const OURS = process.env.ESSBASIC_NODE;
const OFFICIAL = 'tencentcloud-sdk-nodejs/tencentcloud';
/** A canned answer for the no-network paths (as small as the service's smallest). */
const CANNED = '{"Response":{"RequestId":"00000000-0000-4000-8000-000000000000"}}';

const now = () => performance.now();

// ---------------------------------------------------------------------------------------
// Measurement helpers

/** Calls `fn` for 0.2 s to warm up, then for SECS seconds; returns calls per second. */
function rateSync(fn) {
  const warm = now();
  while (now() - warm < 200) fn();
  let n = 0;
  const start = now();
  for (;;) {
    for (let i = 0; i < 64; i++) fn();
    n += 64;
    const e = (now() - start) / 1000;
    if (e >= SECS) return n / e;
  }
}

/** `rateSync` for a function returning a promise (awaited one at a time). */
async function rateAsync(fn) {
  const warm = now();
  while (now() - warm < 200) await fn();
  let n = 0;
  const start = now();
  for (;;) {
    for (let i = 0; i < 64; i++) await fn();
    n += 64;
    const e = (now() - start) / 1000;
    if (e >= SECS) return n / e;
  }
}

/** `{ calls, calls_per_s, p50_us, p99_us }` of sequential calls for SECS seconds. */
async function sequential(fn) {
  const warm = now();
  for (let w = 0; w < 5 || now() - warm < 300; w++) await fn();
  const lat = [];
  const start = now();
  while (lat.length < 20 || now() - start < SECS * 1000) {
    const t = now();
    await fn();
    lat.push((now() - t) * 1000);
  }
  const total = (now() - start) / 1000;
  lat.sort((a, b) => a - b);
  const pick = (q) => lat[Math.round((lat.length - 1) * q)];
  return { calls: lat.length, calls_per_s: lat.length / total, p50_us: pick(0.5), p99_us: pick(0.99) };
}

/** Calls per second with 64 calls in flight at all times, for SECS seconds. */
async function concurrent(fn) {
  const run = async (ms) => {
    const deadline = now() + ms;
    let n = 0;
    const worker = async () => {
      while (now() < deadline) {
        await fn();
        n += 1;
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
    return n;
  };
  await run(300);
  const start = now();
  const n = await run(SECS * 1000);
  return { calls: n, calls_per_s: n / ((now() - start) / 1000) };
}

/** VmHWM (peak resident set) of this process, KiB. */
function vmHwmKb() {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : 0;
}

// ---------------------------------------------------------------------------------------
// The implementations

/** The essbasic package (native addon, or the WebAssembly core through the same façade). */
function loadOurs(impl) {
  if (impl === 'ours') return require(path.join(OURS, 'lib/index.cjs'));
  const { createEssbasic } = require(path.join(OURS, 'lib/facade.cjs'));
  const { nodePlatform, loadWasm } = require(path.join(OURS, 'lib/platform-node.cjs'));
  return createEssbasic(nodePlatform(loadWasm, () => 'wasm'));
}

/** A client of `impl` aimed at `url`, with the same keep-alive for both SDKs. */
function makeClient(impl, url, extra = {}) {
  const u = new URL(url);
  if (impl === 'official') {
    const { essbasic } = require(`${OFFICIAL}/services/essbasic`);
    return new essbasic.v20210526.Client({
      credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      region: '',
      profile: {
        httpProfile: { endpoint: u.host, protocol: 'http://', agent: new (nodeHttp().Agent)({ keepAlive: true }) },
      },
    });
  }
  const { essbasic } = loadOurs(impl);
  return new essbasic.v20210526.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    region: '',
    profile: { httpProfile: { endpoint: u.host, protocol: 'http://' } },
    ...extra,
  });
}

/**
 * The HTTP floor of a sequential call in Node: the same signed request (built once by the
 * core adapter, then replayed; the emulator accepts it within its 300 s window) sent with
 * `node:http` on a keep-alive agent, its answer read whole. No signing, no parsing: what
 * any Node client pays per call on this machine.
 */
function floorClient(url) {
  const http = nodeHttp();
  const agent = new http.Agent({ keepAlive: true });
  const core = require(path.join(OURS, 'essbasic.linux-x64-gnu.node'));
  const u = new URL(url);
  const built = new Map();
  const send = (action, params) => {
    if (!built.has(action)) {
      const r = core.buildRequest(action, JSON.stringify(params), { endpoint: url }, { secretId: SECRET_ID, secretKey: SECRET_KEY },
        Math.floor(Date.now() / 1000), 1, '00000000-0000-4000-8000-000000000000');
      if (r.error) throw new Error(JSON.stringify(r.error));
      built.set(action, { headers: Object.fromEntries(r.headers), body: Buffer.from(r.body) });
    }
    const { headers, body } = built.get(action);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, path: '/', method: 'POST', agent, headers: { ...headers, 'Content-Length': body.length } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ FlowInfo: [Buffer.concat(chunks).length] }));
      });
      req.on('error', reject);
      req.end(body);
    });
  };
  return new Proxy({}, { get: (_, action) => (params) => send(action, params) });
}

// ---------------------------------------------------------------------------------------
// Scenarios

/**
 * 1. Signing only: the 2 KB ChannelCreateFlowByFiles body, already serialized, to its
 *    Authorization. Official: `Sign.sign3` (its TC3 signer, given the body bytes). Ours: the
 *    package's `Tc3Signer` given the same bytes: the native addon's, and for the wasm row the
 *    browser entry's (the WebAssembly module's).
 *    Serialize + sign: each client's own `ChannelCreateFlowByFiles(params)` from the params
 *    object to the signed request, with the network replaced by a canned 64-byte answer
 *    (ours: the public `transport` option; official: its `common/http/fetch` module).
 */
async function sign(impl) {
  const params = fixtures.create;
  const body = JSON.stringify(params);
  const timestamp = fixtures.timestamp;
  const out = { body_bytes: Buffer.byteLength(body) };
  if (impl === 'official') {
    const Sign = require(`${OFFICIAL}/common/sign`).default;
    const payload = Buffer.from(body);
    const headers = { 'Content-Type': 'application/json' };
    const args = {
      method: 'POST', url: `https://${HOST}/`, payload, timestamp, service: 'essbasic',
      secretId: SECRET_ID, secretKey: SECRET_KEY, headers,
    };
    out.sign_ops = rateSync(() => Sign.sign3(args));
    // The official client up to the wire: its fetch module answers at once.
    const fetchModule = require(`${OFFICIAL}/common/http/fetch`);
    fetchModule.default = async () => ({
      status: 200,
      headers: { get: () => null },
      json: async () => JSON.parse(CANNED),
    });
    const client = makeClient('official', `https://${HOST}`);
    out.serialize_sign_ops = await rateAsync(() => client.ChannelCreateFlowByFiles(params));
  } else {
    // The package's bare TC3 signer (the native addon's, or the WebAssembly module's).
    const { Tc3Signer } = impl === 'ours' ? loadOurs(impl) : await import(path.join(OURS, 'lib/browser.mjs'));
    const signer = new Tc3Signer(SECRET_ID, SECRET_KEY);
    const payload = Buffer.from(body);
    out.sign_ops = rateSync(() => signer.authorization(payload, HOST, timestamp));
    const canned = Buffer.from(CANNED);
    const client = makeClient(impl, `https://${HOST}`, {
      transport: async () => ({ status: 200, headers: [], body: canned }),
    });
    out.serialize_sign_ops = await rateAsync(() => client.ChannelCreateFlowByFiles(params));
  }
  return out;
}

function flowIds() {
  return JSON.parse(fs.readFileSync(process.env.BENCH_FLOWS, 'utf8')).flow_ids;
}

/** 2. Sequential calls with one reused client per emulator. */
async function seq(impl) {
  const make = impl === 'floor' ? floorClient : (url) => makeClient(impl, url);
  const stateless = make(process.env.EMU_STATELESS);
  const stateful = make(process.env.EMU_STATEFUL);
  const describe = { Agent: fixtures.agent, FlowIds: flowIds() };
  const cancel = await sequential(() => stateless.ChannelCancelFlow(fixtures.cancel));
  const create = await sequential(() => stateless.ChannelCreateFlowByFiles(fixtures.create));
  const big = await sequential(async () => {
    const r = await stateful.DescribeFlowDetailInfo(describe);
    if (!r.FlowInfo.length) throw new Error('empty answer');
  });
  return { cancel, create, describe: big };
}

/** 3. 64 concurrent ChannelCancelFlow calls on one client. */
async function conc(impl) {
  const client = makeClient(impl, process.env.EMU_STATELESS);
  return concurrent(() => client.ChannelCancelFlow(fixtures.cancel));
}

/** 5. `n` sequential calls; the peak RSS after 1,000, after n / 2 and at the end. */
async function rss(impl, n) {
  const client = makeClient(impl, process.env.EMU_STATELESS);
  const marks = {};
  for (let i = 1; i <= n; i++) {
    await client.ChannelCancelFlow(fixtures.cancel);
    if (i === 1000 || i === n / 2) marks[i] = vmHwmKb();
  }
  marks.end = vmHwmKb();
  return { hwm_kb: marks };
}

async function main() {
  const [scenario, impl, arg] = process.argv.slice(2);
  if (!['ours', 'wasm', 'official', 'floor'].includes(impl)) throw new Error(`unknown implementation ${impl}`);
  const run = { sign, seq, conc, rss: (i) => rss(i, Number(arg || 10000)) }[scenario];
  if (!run) throw new Error(`unknown scenario ${scenario}`);
  const result = await run(impl);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
