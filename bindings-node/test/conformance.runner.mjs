// The Node conformance runner: every `*.json` under tests/vectors/ (or
// $ESSBASIC_VECTORS_DIR), recursively, every case by its kind, through the JavaScript
// façade on the native or the wasm adapter.
//
//   node bindings-node/test/conformance.runner.mjs <native|wasm>
//
// Prints `FAIL <case id>: <why>` for each failure, then exactly `node: N passed, M failed`
// (`wasm: ...` for the wasm target), and exits non-zero on any failure.
//
// - signing: the adapter's signVector(case) against `expected` (TC3: canonical request,
//   string to sign, signature, headers, and the remote-signer path; v1: string to sign,
//   signature, body/query, headers, common parameters, sign_params).
// - request: Client.request with a capturing transport: host, URL, body JSON (numbers by
//   exact value), compact body without nulls; or the validation error (kind, path, message).
// - response: Client.request with a transport that answers the vector's status and body:
//   the Response object (numbers by exact value, beyond 2^53 too) or the error's kind, code,
//   message, RequestId and HTTP status.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { essbasicFor, loadAdapter } from './helpers/target.mjs';
import { parseLossless, jsonEqual, hasNullMember, show } from './helpers/json.mjs';
import { stringify } from '../lib/int64.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const CONFORMANCE_ID = 'AKIDconformance';
const CONFORMANCE_KEY = 'conformance-secret';

/** The vectors directory. */
export function vectorsDir() {
  return process.env.ESSBASIC_VECTORS_DIR || join(here, '..', '..', 'tests', 'vectors');
}

function jsonFiles(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) jsonFiles(p, out);
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Every case of every vector file: `{ id, file, case }`; a file without cases is a failure. */
export function collectCases(dir = vectorsDir()) {
  const out = [];
  for (const file of jsonFiles(dir)) {
    const rel = relative(dir, file);
    let doc;
    try {
      doc = parseLossless(readFileSync(file, 'utf8'));
    } catch (e) {
      out.push({ id: rel, file: rel, broken: `not JSON: ${e.message}` });
      continue;
    }
    if (!Array.isArray(doc?.cases)) {
      out.push({ id: rel, file: rel, broken: 'no `cases` array' });
      continue;
    }
    for (const c of doc.cases) out.push({ id: c.id ?? '<no id>', file: rel, case: c });
  }
  return out;
}

class Mismatch {
  constructor() {
    this.errors = [];
  }
  eq(what, got, want) {
    if (!jsonEqual(got, want)) this.errors.push(`${what}: got ${show(got)}, want ${show(want)}`);
  }
  add(message) {
    this.errors.push(message);
  }
  done() {
    if (this.errors.length) throw new Error(this.errors.join('; '));
  }
}

/** `expected.headers`: names case-insensitive, values exact, `null` = must be absent. */
function checkHeaders(m, got, expected) {
  if (!expected || typeof expected !== 'object') return;
  for (const [name, want] of Object.entries(expected)) {
    const found = got.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
    if (want === null) {
      if (found.length) m.add(`header ${name} must be absent, got ${show(found)}`);
    } else if (found.length !== 1) {
      m.add(`header ${name}: expected once, got ${show(found)}`);
    } else {
      m.eq(`header ${name}`, found[0], want);
    }
  }
}

function checkSigning(adapter, c) {
  if (typeof adapter.signVector !== 'function') throw new Error('the adapter has no signVector()');
  const out = JSON.parse(adapter.signVector(stringify(c)));
  if (out.error) throw new Error(`signVector: ${out.error}`);
  const exp = c.expected ?? {};
  const m = new Mismatch();
  for (const k of ['canonical_request', 'string_to_sign', 'signature', 'body', 'query']) {
    if (typeof exp[k] === 'string') m.eq(k, out[k], exp[k]);
  }
  checkHeaders(m, out.headers, exp.headers);
  // Both adapters report the self-checks as booleans; the native one also gives details.
  if (out.remote_ok === false) m.add('the remote-signer path (presign + sign_string) differs from local signing');
  if (out.sign_params_ok === false) m.add('sign_params does not reproduce the wire form');
  if (out.remote) {
    for (const k of ['canonical_request', 'string_to_sign', 'signature', 'authorization']) {
      m.eq(`remote signer ${k}`, out.remote[k], out[k]);
    }
  }
  if (out.common_params) {
    // v1: core's own common parameters match the vector's; sign_params reproduces the wire.
    const commonKeys = new Set(out.common_params.map(([k]) => k));
    const vectorCommon = c.request.params.filter(([k]) => commonKeys.has(k)).sort();
    m.eq('common_params', [...out.common_params].sort(), vectorCommon);
    const wire = c.request.method.toUpperCase() === 'GET' ? out.query : out.body;
    m.eq('sign_params (SDK order)', out.sign_params_sdk_order, wire);
    m.eq('sign_params', out.sign_params_business.split('&').sort(), wire.split('&').sort());
  }
  m.done();
}

function clientFor(ess, options, transport) {
  return new ess.Client({
    credential: { secretId: CONFORMANCE_ID, secretKey: CONFORMANCE_KEY },
    region: options?.region ?? undefined,
    profile: { httpProfile: { endpoint: options?.endpoint ?? undefined } },
    testEnvironment: Boolean(options?.test_environment),
    transport,
  });
}

async function checkRequest(ess, c) {
  const sent = [];
  const client = clientFor(ess, c.options, async (req) => {
    sent.push(req);
    return { status: 200, headers: {}, body: new TextEncoder().encode('{"Response":{"RequestId":"r"}}') };
  });
  const exp = c.expected ?? {};
  const m = new Mismatch();
  let err = null;
  try {
    await client.request(c.action, c.params);
  } catch (e) {
    err = e;
  }
  if (exp.error) {
    if (!err) throw new Error('expected an error, the request was built');
    if (sent.length) m.add('a request was sent despite the error');
    if (!(err instanceof ess.TencentCloudSDKHttpException)) m.add(`not a TencentCloudSDKHttpException: ${err}`);
    m.eq('error kind', err.kind, exp.error.kind);
    if (exp.error.path !== undefined) m.eq('path', err.path, exp.error.path);
    if (exp.error.message_contains && !String(err.message).includes(exp.error.message_contains)) {
      m.add(`message ${show(err.message)} lacks ${show(exp.error.message_contains)}`);
    }
    return m.done();
  }
  if (err) throw new Error(`unexpected error: ${err.kind} ${err.message}`);
  const req = sent[0];
  const host = req.headers.find(([k]) => k.toLowerCase() === 'host')?.[1];
  if (exp.host !== undefined) {
    m.eq('host', host, exp.host);
    if (!req.url.startsWith(`https://${exp.host}/`)) m.add(`url ${req.url} is not on ${exp.host}`);
  }
  if (exp.body_json !== undefined) {
    const body = parseLossless(req.body);
    m.eq('body', body, exp.body_json);
    if (hasNullMember(body) || stringify(body) !== req.body) m.add('body is not compact JSON without nulls');
  }
  m.done();
}

function bodyBytes(c) {
  if (typeof c.body_base64 === 'string') return new Uint8Array(Buffer.from(c.body_base64, 'base64'));
  return new TextEncoder().encode(c.body ?? '');
}

async function checkResponse(ess, c) {
  const client = clientFor(ess, {}, async () => ({
    status: Number(c.status),
    headers: c.headers ?? {},
    body: bodyBytes(c),
  }));
  const exp = c.expected ?? {};
  const m = new Mismatch();
  let got;
  let err = null;
  try {
    // Classification does not depend on the action: use one that needs no parameter.
    got = await client.request('ChannelCreateFlowByFiles', {});
  } catch (e) {
    err = e;
  }
  if (exp.ok !== undefined) {
    if (err) throw new Error(`unexpected error: ${err.kind} ${err.message}`);
    m.eq('Response', got, exp.ok);
    return m.done();
  }
  if (!exp.error) throw new Error('case has neither ok nor error');
  if (!err) throw new Error(`expected an error, got ${show(got)}`);
  if (err.kind === 'validation') throw new Error(`the request did not validate: ${err.message}`);
  m.eq('error kind', err.kind, exp.error.kind);
  if (exp.error.code !== undefined) m.eq('code', err.code, exp.error.code);
  if (exp.error.message !== undefined) m.eq('message', err.message, exp.error.message);
  if (exp.error.request_id !== undefined) m.eq('requestId', err.requestId, exp.error.request_id);
  if (exp.error.status !== undefined) m.eq('httpCode', err.httpCode, exp.error.status);
  m.done();
}

/**
 * Checks one collected case; throws with the reason on failure.
 * @param {{ adapter: object, ess: object }} ctx
 */
export async function checkCase(ctx, item) {
  if (item.broken) throw new Error(item.broken);
  const c = item.case;
  switch (c.kind) {
    case 'signing':
      return checkSigning(ctx.adapter, c);
    case 'request':
      return checkRequest(ctx.ess, c);
    case 'response':
      return checkResponse(ctx.ess, c);
    default:
      throw new Error(`unknown case kind ${show(c.kind)}`);
  }
}

/** Loads `target`'s adapter and façade for {@link checkCase}. */
export async function context(target) {
  return { adapter: await loadAdapter(target), ess: essbasicFor(target) };
}

/** Runs every case; returns `{ passed, failed }` and prints failures and the summary. */
export async function run(target, log = console.log) {
  const label = target === 'wasm' ? 'wasm' : 'node';
  let passed = 0;
  let failed = 0;
  let ctx;
  try {
    ctx = await context(target);
  } catch (e) {
    log(`FAIL <adapter>: cannot load the ${target} adapter: ${e.message}`);
    log(`${label}: 0 passed, 1 failed`);
    return { passed: 0, failed: 1 };
  }
  const cases = collectCases();
  if (!cases.length) {
    log(`FAIL <vectors>: no vector file under ${vectorsDir()}`);
    failed++;
  }
  for (const item of cases) {
    try {
      await checkCase(ctx, item);
      passed++;
    } catch (e) {
      failed++;
      log(`FAIL ${item.id}: ${e.message}`);
    }
  }
  log(`${label}: ${passed} passed, ${failed} failed`);
  return { passed, failed };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = process.argv[2] || process.env.ESSBASIC_TARGET || 'native';
  const { failed } = await run(target);
  process.exitCode = failed ? 1 : 0;
}
