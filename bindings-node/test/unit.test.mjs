// Unit tests without the emulator: int64 JSON, the error classes, the package's entry
// points, the client's printed forms, transports' helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import util from 'node:util';
import { essbasicFor, TARGET } from './helpers/target.mjs';

const require = createRequire(import.meta.url);
const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
import { stringify, parseResponse, BIGINT_SENTINEL } from '../lib/int64.mjs';
import * as errors from '../lib/errors.mjs';
import { fetchTransport, getHeader } from '../lib/transport-fetch.mjs';

const ess = essbasicFor();
const enc = (s) => new TextEncoder().encode(s);

test('int64: bigint is written as raw digits; the rest as JSON.stringify does', () => {
  const value = {
    big: 18446744073709551615n,
    neg: -9223372036854775808n,
    boxed: Object(5n),
    n: 1.5,
    s: 'a"\u0000中',
    skip: undefined,
    f: () => 1,
    list: [undefined, () => 1, NaN, Infinity, null, 2n],
    date: new Date(0),
    nested: { toJSON: () => ({ x: 1n }) },
  };
  assert.equal(
    stringify(value),
    '{"big":18446744073709551615,"neg":-9223372036854775808,"boxed":5,"n":1.5,"s":"a\\"\\u0000中",' +
      '"list":[null,null,null,null,null,2],"date":"1970-01-01T00:00:00.000Z","nested":{"x":1}}',
  );
  for (const v of [{ a: [1, 'x', true, null] }, [], {}, 'x', 0, -0.5, null]) {
    assert.equal(stringify(v), JSON.stringify(v));
  }
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  assert.throws(() => stringify(cyclic), TypeError);
  const shared = { x: 1 };
  assert.equal(stringify([shared, shared]), '[{"x":1},{"x":1}]');
});

test('int64: only sentinel strings become bigint; the rest parses as JSON.parse does', () => {
  assert.equal(BIGINT_SENTINEL, '\u0000bigint:');
  const raw = '{"A":1,"B":"\\u0000bigint:x"}';
  assert.deepEqual(parseResponse({ raw, bigRaw: null }), { A: 1, B: '\u0000bigint:x' });
  const out = parseResponse({
    raw: 'ignored',
    bigRaw: '{"A":"\\u0000bigint:9007199254740993","B":[-1,"\\u0000bigint:-18446744073709551615"],"C":"s"}',
  });
  assert.deepEqual(out, { A: 9007199254740993n, B: [-1, -18446744073709551615n], C: 's' });
});

test('int64: numbers within 2^53 stay numbers, beyond are bigint, both ways', async () => {
  const bodies = [];
  const client = new ess.Client({
    credential: { secretId: 'AKID', secretKey: 'k' },
    profile: { httpProfile: { endpoint: 'http://127.0.0.1:9' } },
    transport: async (req) => {
      bodies.push(req.body);
      return {
        status: 200,
        body: enc('{"Response":{"Safe":9007199254740991,"Unsafe":9007199254740992,"F":1.25e300,"RequestId":"r"}}'),
      };
    },
  });
  const res = await client.DescribeTemplates({ Agent: { AppId: 'a' }, Limit: 18446744073709551615n, Offset: 0 });
  assert.equal(bodies[0], '{"Agent":{"AppId":"a"},"Limit":18446744073709551615,"Offset":0}');
  assert.deepEqual(res, { Safe: 9007199254740991, Unsafe: 9007199254740992n, F: 1.25e300, RequestId: 'r' });
  // Out of range for the spec type: a validation error, not a silent wrap.
  await assert.rejects(client.DescribeTemplates({ Agent: { AppId: 'a' }, Limit: 18446744073709551616n }), {
    kind: 'validation',
    path: 'Limit',
  });
});

test('errors: the official class shape, kinds, printed forms', () => {
  const e = new errors.ApiError({ code: 'OperationDenied', message: 'no', requestId: 'r1', traceId: 't1', httpCode: 200 });
  assert.ok(e instanceof errors.TencentCloudSDKHttpException && e instanceof errors.EssbasicError && e instanceof Error);
  assert.equal(e.name, 'ApiError');
  assert.equal(e.kind, 'api');
  assert.equal(e.getMessage(), 'no');
  assert.equal(e.getRequestId(), 'r1');
  assert.equal(e.getTraceId(), 't1');
  assert.equal(String(e), '[TencentCloudSDKException]message:no  requestId:r1  traceId:t1');
  assert.equal(e.toLocaleString(), String(e));
  assert.deepEqual(JSON.parse(JSON.stringify(e)), {
    name: 'ApiError',
    kind: 'api',
    code: 'OperationDenied',
    message: 'no',
    requestId: 'r1',
    traceId: 't1',
    httpCode: 200,
  });
  const base = new errors.TencentCloudSDKHttpException('m');
  assert.equal(base.name, 'TencentCloudSDKHttpException');
  assert.equal(base.requestId, '');
  assert.equal(String(base), '[TencentCloudSDKException]message:m  requestId:  traceId:');
  for (const [cls, kind] of [
    [errors.ValidationError, 'validation'],
    [errors.SigningError, 'signing'],
    [errors.HttpError, 'http'],
    [errors.DecodeError, 'decode'],
    [errors.TimeoutError, 'timeout'],
    [errors.TransportError, 'transport'],
  ]) {
    const x = errors.fromAdapter({ kind, code: 'C', message: 'm' });
    assert.ok(x instanceof cls, kind);
    assert.equal(x.kind, kind);
  }
  assert.equal(
    errors.redact('GET http://u:pw@h/?A=1&Signature=abc%2B&Token=tok&B=2'),
    'GET http://** REDACTED **@h/?A=1&Signature=** REDACTED **&Token=** REDACTED **&B=2',
  );
});

test('the client prints no credential (inspect, JSON, String)', () => {
  const client = new ess.Client({
    credential: { secretId: 'AKIDpublic', secretKey: 'very-secret-key', token: 'session-secret' },
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: 'http://127.0.0.1:9', proxy: 'http://u:proxy-secret@127.0.0.1:1' } },
  });
  const printed = [
    util.inspect(client, { showHidden: true, depth: 10 }),
    JSON.stringify(client),
    String(client),
    Object.keys(client).join(),
  ].join('\n');
  for (const secret of ['very-secret-key', 'session-secret', 'proxy-secret']) {
    assert.ok(!printed.includes(secret), secret);
  }
  assert.match(util.inspect(client), /^Client \{/);
  assert.equal(client.region, 'ap-guangzhou');
  assert.equal(client.apiVersion, '2021-05-26');
  assert.equal(client.sdkVersion, `essbasic-node/${pkg.version}`);
});

test('constructor options: language, retry, transport are checked', () => {
  assert.throws(() => new ess.Client({ credential: {}, profile: { language: 'fr' } }), /Language invalid/);
  assert.throws(() => new ess.Client({ credential: {}, retry: 3 }), TypeError);
  assert.throws(() => new ess.Client({ credential: {}, transport: 'x' }), TypeError);
  assert.throws(() => new ess.Client({ credential: {}, fetch: 'x' }), TypeError);
  new ess.Client({ credential: {}, retry: { maxAttempts: 3 } });
});

test('endpoint, protocol, region, language, test environment reach core', async () => {
  const sent = [];
  const capture = async (req) => {
    sent.push(req);
    return { status: 200, body: enc('{"Response":{"RequestId":"r"}}') };
  };
  const header = (req, name) => req.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const make = (config) => new ess.Client({ credential: { secretId: 'AKID', secretKey: 'k' }, transport: capture, ...config });
  await make({ profile: { httpProfile: { endpoint: '127.0.0.1:8080', protocol: 'http://' } } }).DescribeUsage({
    Agent: { AppId: 'a' },
    StartDate: '2026-01-01',
    EndDate: '2026-01-02',
  });
  assert.equal(sent[0].url, 'http://127.0.0.1:8080/');
  await make({ testEnvironment: true, region: 'ap-beijing', profile: { language: 'en-US' } }).UploadFiles({
    Agent: { AppId: 'a' },
    BusinessType: 'DOCUMENT',
  });
  assert.equal(sent[1].url, 'https://file.test.ess.tencent.cn/');
  assert.equal(header(sent[1], 'X-TC-Region'), 'ap-beijing');
  assert.equal(header(sent[1], 'X-TC-Language'), 'en-US');
  assert.equal(header(sent[1], 'X-TC-RequestClient'), `essbasic-node/${pkg.version}`);
  await make({ profile: { signMethod: 'HmacSHA256', httpProfile: { reqMethod: 'GET', endpoint: 'h.example' } } }).request(
    'ChannelCancelFlow',
    { FlowId: 'f' },
  );
  assert.match(sent[2].url, /^https:\/\/h\.example\/\?.*SignatureMethod=HmacSHA256/);
  assert.equal(sent[2].method, 'GET');
  assert.equal(sent[2].body, '');
  const ts = Number(header(sent[0], 'X-TC-Timestamp'));
  assert.ok(Math.abs(ts - Date.now() / 1000) < 60, 'the timestamp is the current time');
  assert.match(header(sent[0], 'X-TC-TraceId'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(header(sent[0], 'X-TC-TraceId'), header(sent[1], 'X-TC-TraceId'));
});

test('fetch transport: body limit (declared or streamed), headers, GET without body, notSent', async () => {
  const calls = [];
  const big = new Uint8Array(1000).fill(120);
  let pulled = 0;
  const streamed = () =>
    new ReadableStream({
      pull(controller) {
        pulled += 1;
        if (pulled > 100) controller.close();
        else controller.enqueue(new Uint8Array(64).fill(120));
      },
    });
  const answers = [
    () => new Response(big, { status: 200, headers: { 'X-TC-TraceId': 'srv' } }),
    () => new Response(streamed(), { status: 200 }),
    () => new Response(big.slice(0, 100), { status: 200 }),
  ];
  const send = fetchTransport(async (url, init) => {
    calls.push({ url, init });
    return answers[calls.length - 1]();
  });
  const req = {
    method: 'GET',
    url: 'http://127.0.0.1:9/?a=1',
    headers: [['Host', '127.0.0.1:9'], ['X-A', '1']],
    body: '',
    signal: new AbortController().signal,
    maxBodyBytes: 100,
  };
  // Declared longer than the limit: nothing read.
  const declared = await send(req);
  assert.equal(declared.oversize, true);
  assert.equal(declared.body.length, 0);
  assert.equal(getHeader(declared.headers, 'x-tc-traceid'), 'srv');
  // Streamed past the limit: reading stops at once (64 + 64 > 100: the second chunk).
  const stream = await send(req);
  assert.equal(stream.oversize, true);
  assert.ok(pulled <= 4, `read ${pulled} chunks`);
  // Within the limit.
  const ok = await send(req);
  assert.equal(ok.oversize, undefined);
  assert.equal(ok.body.length, 100);
  assert.equal(calls[0].init.body, undefined);
  assert.deepEqual(calls[0].init.headers, [['X-A', '1']]);
  assert.equal(calls[0].init.redirect, 'manual');
  assert.equal(getHeader({ 'X-Tc-TraceId': ['a', 'b'] }, 'x-tc-traceid'), 'a, b');
  assert.equal(getHeader(undefined, 'x'), null);
  // Own keys only, any case, the first match; a Headers object through its get().
  assert.equal(getHeader(Object.create({ date: 'inherited' }), 'date'), null);
  assert.equal(getHeader({ 'X-TC-TraceId': 't', 'x-tc-traceid': 'u' }, 'x-tc-traceid'), 't');
  assert.equal(getHeader({ date: null, Date: 'd' }, 'Date'), null);
  assert.equal(getHeader({ 'content-length': 5 }, 'Content-Length'), '5');
  assert.equal(getHeader(new Headers({ Date: 'd' }), 'date'), 'd');
  assert.equal(getHeader([], 'date'), null);
  // notSent: only a TypeError whose cause is a connect failure.
  const failing = (error) => fetchTransport(async () => {
    throw error;
  });
  const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
  await assert.rejects(failing(refused)(req), (e) => e === refused && e.notSent === true);
  const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
  await assert.rejects(failing(reset)(req), (e) => e === reset && e.notSent === undefined);
  await assert.rejects(failing(new TypeError('Failed to fetch'))(req), (e) => e.notSent === undefined);
});

test('the package: entry points, exports map, the same API for require and import', async () => {
  const cjs = require('essbasic');
  const esm = await import('essbasic');
  // The ES module entry runs lib/*.mjs, the CommonJS one their generated twins: two copies,
  // with the same exports, whose errors are `instanceof` each other's classes.
  const names = (o) => Object.keys(o).sort();
  assert.deepEqual(names(esm).filter((n) => n !== 'default'), names(cjs));
  assert.deepEqual(names(esm.default), names(cjs));
  assert.equal(esm.default.Client, esm.Client);
  assert.equal(cjs.essbasic.v20210526.Client, cjs.Client);
  assert.equal(cjs.v20210526.Client, cjs.Client);
  assert.equal(esm.essbasic.v20210526.Client, esm.Client);
  for (const [a, b] of [[cjs, esm], [esm, cjs]]) {
    const err = new a.ApiError({ code: 'OperationDenied', message: 'm' });
    assert.ok(err instanceof b.ApiError && err instanceof b.EssbasicError && err instanceof b.TencentCloudSDKHttpException);
    assert.ok(!(err instanceof b.ValidationError) && !(err instanceof b.TimeoutError));
    assert.ok(!({ kind: 'api' } instanceof b.ApiError) && !(new Error('x') instanceof b.EssbasicError));
  }
  assert.equal(cjs.VERSION, pkg.version);
  assert.equal(esm.VERSION, pkg.version);
  assert.equal(cjs.API_VERSION, '2021-05-26');
  assert.equal(cjs.ACTIONS.length, 101);
  // The addon when it is built for this platform (test/run.sh builds it), else the wasm build.
  const addon = existsSync(new URL('../essbasic.linux-x64-gnu.node', import.meta.url));
  if (addon) {
    assert.equal(await cjs.backend(), 'native');
    assert.equal(await esm.backend(), 'native');
  }
  const entry = pkg.exports['.'];
  for (const file of [entry.types, entry.node.import, entry.node.require, entry.browser, entry.worker, entry.default, pkg.main]) {
    assert.ok(existsSync(new URL(`../${file}`, import.meta.url)), file);
  }
  assert.equal(pkg.engines.node, '>=18');
  for (const name of ['Client', 'ValidationError', 'ApiError', 'TimeoutError', 'TransportError', 'HttpError', 'DecodeError', 'SigningError']) {
    assert.equal(typeof esm[name], 'function', name);
  }
});

test('generated files: lib/actions.mjs matches the spec, every lib/*.cjs twin its .mjs source', () => {
  execFileSync(process.execPath, ['scripts/gen-actions.mjs', '--check'], { cwd: pkgDir, stdio: 'pipe' });
  execFileSync(process.execPath, ['scripts/gen-cjs.mjs', '--check'], { cwd: pkgDir, stdio: 'pipe' });
});

test('the browser entry reaches only ES modules, and no Node builtin', () => {
  // What a browser without a bundler loads: every static import of lib/browser.mjs, and every
  // dynamic `import('./x.mjs')` of the modules it loads (helpers loaded on first use), transitively.
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(new URL(`../lib/${file}`, import.meta.url), 'utf8');
    assert.doesNotMatch(text, /\brequire\(|module\.exports/, `${file} is CommonJS`);
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      assert.ok(spec.startsWith('./') || spec.startsWith('../wasm/'), `${file} imports ${spec}`);
      assert.ok(!spec.endsWith('.cjs'), `${file} imports ${spec}`);
      if (spec.startsWith('./')) visit(spec.slice(2));
    }
    for (const m of text.matchAll(/\bimport\(\s*'(\.\/[^']+)'\s*\)/g)) {
      assert.ok(m[1].endsWith('.mjs'), `${file} imports ${m[1]}`);
      visit(m[1].slice(2));
    }
  };
  visit('browser.mjs');
  assert.deepEqual([...seen].sort(), ['actions.mjs', 'browser.mjs', 'core-wasm.mjs', 'errors.mjs', 'facade.mjs', 'features.mjs', 'int64.mjs', 'tc3-signer.mjs', 'transport-fetch.mjs', 'version.mjs']);
});

test(`backend() reports the adapter under test (${TARGET})`, async () => {
  assert.equal(await ess.backend(), TARGET);
});

const wasmBuilt =
  existsSync(new URL('../lib/core-wasm.mjs', import.meta.url)) &&
  existsSync(new URL('../wasm/essbasic_wasm_bg.wasm', import.meta.url));
test('the browser entry (wasm adapter, fetch transport) works in Node too', {
  skip: !wasmBuilt && 'the WebAssembly build is not there (bindings-wasm/build.sh)',
}, async () => {
  const browser = await import('../lib/browser.mjs');
  assert.equal(await browser.backend(), 'wasm');
  const client = new browser.Client({
    credential: { secretId: 'AKID', secretKey: 'k' },
    profile: { httpProfile: { endpoint: 'http://127.0.0.1:9' } },
    fetch: async () => new Response('{"Response":{"Big":9007199254740993,"RequestId":"r"}}'),
  });
  assert.deepEqual(await client.ChannelCancelFlow({ FlowId: 'f' }), { Big: 9007199254740993n, RequestId: 'r' });
  await assert.rejects(client.ChannelCancelFlow({}), browser.ValidationError);
  assert.equal(client.sdkVersion, `essbasic-wasm/${pkg.version}`);
});

const bothBuilt = wasmBuilt && existsSync(new URL('../essbasic.linux-x64-gnu.node', import.meta.url));
test('the two adapters agree: same inputs, same outputs (native and wasm)', {
  skip: !bothBuilt && 'needs both the addon and the WebAssembly build',
}, async () => {
  const { loadAdapter } = await import('./helpers/target.mjs');
  const [native, wasm] = await Promise.all([loadAdapter('native'), loadAdapter('wasm')]);
  const config = { endpoint: 'http://127.0.0.1:9000', requestClient: 'parity', region: 'ap-guangzhou' };
  const calls = [
    ['buildRequest', 'ChannelCancelFlow', '{"FlowId":"f"}', config, { secretId: 'AKID', secretKey: 'k', token: 't' }, 1_700_000_000, 5, 'tr'],
    ['buildRequest', 'ChannelCancelFlow', '{"FlowId":5}', config, { secretId: 'AKID', secretKey: 'k' }, 1, 5, null],
    ['buildRequest', 'ChannelCancelFlow', '{}', { signMethod: 'MD5' }, { secretId: 'AKID', secretKey: 'k' }, 1, 5, null],
    ['prepareRemote', 'DescribeUsage', '{"Agent":{"AppId":"a"},"StartDate":"2026-01-01","EndDate":"2026-01-02"}', config, { secretId: 'AKID' }, 1_700_000_000, 5, 'tr'],
    ['signRemote', 'k', 'POST\n/\n\n', 1, 1, null],
    ['retryDecision', 'DescribeTemplates', 2, { kind: 'timeout', code: 'TimeoutError' }, 10, 0.5, { baseDelayMs: 100 }],
    ['retryDecision', 'ChannelCreateFlowByFiles', 1, { kind: 'decode', code: 'DecodeError' }, 0, 0.5, null],
    ['clockOffset', 'Sat, 28 Nov 2026 21:33:29 GMT', 1_795_901_000],
    ['clockOffset', 'garbage', 0],
    ['parseProfile', '[default]\nsecret_id=a\nsecret_key=b\n[t]\nsecret_id=c\nsecret_key=d\ntoken=e\n', 't'],
    ['parseProfile', '[default]\nsecret_id=a\n', 'default'],
    ['parseProfile', '', 'default'],
    ['redactBody', '{"Mobile":"13800001234","Name":"张三","Token":"t","FlowName":"x"}', 4096],
    ['redactBody', enc('Action=X&Signature=abc&Token=t'), 4096],
    ['redactBody', '{"A":"' + 'x'.repeat(100) + '"}', 20],
    ['redactBody', '{"A":1}', undefined],
  ];
  for (const [fn, ...args] of calls) {
    assert.deepEqual(native[fn](...args), wasm[fn](...args), `${fn}(${JSON.stringify(args)})`);
  }
  const prepared = native.prepareRemote(...calls[3].slice(1));
  const sig = native.signRemote('k', prepared.canonicalRequest, 1_700_000_000, 1_700_000_000, ['DescribeUsage']);
  assert.deepEqual(sig, wasm.signRemote('k', prepared.canonicalRequest, 1_700_000_000, 1_700_000_000, ['DescribeUsage']));
  assert.deepEqual(native.finishRemote(prepared, sig.signature), wasm.finishRemote(prepared, sig.signature));
  const body = enc('{"Response":{"N":9007199254740993,"RequestId":"r"}}');
  assert.deepEqual(native.classifyResponse(200, body, 1 << 20), wasm.classifyResponse(200, body, 1 << 20));

  // Issue #8: callbacks, encryption, uploads, waiters, pagination (JSON text both sides).
  const KEY = '0123456789ABCDEFfedcba9876543210';
  const envelope = enc('{"MsgId":"m","MsgType":"FlowStatusChange","MsgVersion":"v","MsgData":{"FlowId":"f"}}');
  const sealed = JSON.parse(native.callbackSeal(envelope, KEY, 'T')).ok;
  const keys = ['AES-CBC', enc('0123456789abcdef0123456789abcdef'), enc('hmac')];
  const iv = new Uint8Array(16).fill(7);
  const env = native.encryptionSeal(enc('{"a":1}'), ...keys, iv);
  const features = [
    ['callbackSeal', envelope, KEY, 'T'],
    ['callbackSeal', envelope, null, null],
    ['callbackOpen', enc(sealed.body), KEY, 'T', sealed.signature],
    ['callbackOpen', enc(sealed.body), KEY, 'T', 'sha256=00'],
    ['callbackOpen', enc('{}'), KEY, null, null],
    ['callbackOpen', enc('not json'), null, null, null],
    ['encryptionCheckKeys', 'SM4-CBC', enc('0123456789abcdef'), enc('h')],
    ['encryptionCheckKeys', 'DES', enc('k'), enc('h')],
    ['encryptionSeal', enc('{"a":1}'), ...keys, iv],
    ['encryptionSeal', enc('x'), ...keys, new Uint8Array(3)],
    ['encryptionOpen', JSON.stringify(JSON.parse(env).ok), ...keys],
    ['encryptionOpen', '{"IV":"AAAAAAAAAAAAAAAAAAAAAA==","EncryptedData":"AA==","EncryptionSignature":"AA=="}', ...keys],
    ['encryptionBuildParams', 'DescribeTemplates', 'app', '{"Agent":{"AppId":"app"}}', ...keys, iv],
    ['encryptionOpenResponse', '{"RequestId":"r"}', ...keys],
    ['uploadPrecheck', '[{"name":"a.pdf","size":5,"headLen":5}]', enc('%PDF-'), 'DOCUMENT'],
    ['uploadPrecheck', `[{"name":"a.png","size":${9 << 20},"headLen":8}]`, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), 'DOCUMENT'],
    ['uploadPrecheck', '[]', new Uint8Array(0), 'DOCUMENT'],
    ['uploadLimits'],
    ['uploadPrepare', '["a.pdf",""]', '[5,5]', enc('%PDF-%PDF-'), 'DOCUMENT'],
    ['uploadPrepare', '["a.pdf"]', '[9]', enc('%PDF-'), 'DOCUMENT'],
    ['uploadFileName', '/a/b\\c.pdf'],
    ['waitTask', 'convert'],
    ['waitTask', 'nope'],
    ['waitPollParams', 'file_convert', '{"Agent":{"AppId":"a"}}', 't1'],
    ['waitClassify', 'file_convert', '{"TaskStatus":4}', 't1'],
    ['waitClassify', 'file_convert', '{"TaskStatus":8,"ResourceId":"r"}', 't1'],
    ['waitClassify', 'file_convert', '{"TaskStatus":-6,"TaskMessage":"bad"}', 't1'],
    ['waitPolicy'],
    ['waitDecide', '{}', 1, 0],
    ['waitDecide', '{"initialDelayMs":10,"maxDelayMs":50}', 9, 100],
    ['waitDecide', '{"deadlineMs":0}', 1, 0],
    ['pageInfo', 'DescribeTemplates'],
    ['pageInfo', 'ChannelCancelFlow'],
    ['pageFirst', 'DescribeTemplates', '{"Agent":{"AppId":"a"},"Limit":15}'],
    ['pageNext', 'DescribeTemplates', '{"Offset":0,"Limit":15}', '{"Templates":[{}],"TotalCount":45}'],
    ['pageNext', 'DescribeTemplates', '{"Offset":30,"Limit":15}', '{"Templates":[{}],"TotalCount":45}'],
  ];
  for (const [fn, ...args] of features) {
    const a = native[fn](...args);
    assert.equal(typeof a, 'string', fn);
    const b = wasm[fn](...args);
    const parsed = (t) => (fn === 'uploadFileName' ? t : JSON.parse(t));
    assert.deepEqual(parsed(a), parsed(b), `${fn}(${args.map(String).join(', ')})`);
  }
});

test('trace ids and nonces: version-4 UUIDs, distinct; with the native addon node:crypto is never loaded', async () => {
  const seen = new Set();
  const nonces = new Set();
  const client = new ess.Client({
    credential: { secretId: 'AKIDtest', secretKey: 'key' },
    region: '',
    profile: { signMethod: 'HmacSHA256' },
    transport: async (req) => {
      seen.add(req.headers.find(([n]) => n === 'X-TC-TraceId')?.[1]);
      nonces.add(new URLSearchParams(req.body).get('Nonce'));
      return { status: 200, headers: {}, body: enc('{"Response":{"RequestId":"r"}}') };
    },
  });
  for (let i = 0; i < 600; i++) await client.DescribeUsage({ Agent: { AppId: 'a' }, StartDate: '2024-01-01', EndDate: '2024-01-02' });
  assert.equal(seen.size, 600);
  for (const id of seen) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(nonces.size > 590, `${nonces.size} distinct nonces`);
  for (const n of nonces) assert.ok(Number(n) >= 1 && Number(n) <= 0xffffffff, n);
  if (TARGET !== 'native') return;
  const script = `
    import { Client } from ${JSON.stringify(new URL('../lib/index.mjs', import.meta.url).href)};
    const c = new Client({ credential: { secretId: 'a', secretKey: 'b' }, region: '',
      transport: async () => ({ status: 200, headers: {}, body: new TextEncoder().encode('{"Response":{}}') }) });
    await c.DescribeUsage({ Agent: { AppId: 'a' }, StartDate: '2024-01-01', EndDate: '2024-01-02' });
    console.log(process.moduleLoadList.includes('NativeModule crypto'));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(out.trim(), 'false');
});

test('gen-cjs: the twins have no comments and are pure ASCII, with the same code on the same lines', async () => {
  const { stripComments, toCommonJs, SOURCES } = await import('../scripts/gen-cjs.mjs');
  const source = [
    "/** A doc comment ≥ 1 line, with 'quotes' and `backticks",
    ' *  and a second line. */',
    "const url = 'http://example/*not a comment*/'; // a trailing comment",
    '  const t = `a ${ {x: "}"}.x } // not a comment ${`nested ${1 + 2}`} → done',
    '    continued`;',
    "const re = /[/*]+\\/\\/x/g, q = a / b / c; /* inline */ const s = \"≥ '\";",
    '\t  if (x) return /re//* a comment */.test(y);',
    "const lazy = () => import('./features.mjs'), wasm = () => import('./core-wasm.mjs');",
    '',
  ].join('\n');
  const stripped = stripComments('sample.mjs', source);
  assert.equal(stripped.split('\n').length, source.split('\n').length);
  assert.deepEqual(stripped.split('\n'), [
    '',
    '',
    "const url = 'http://example/*not a comment*/';",
    'const t = `a ${ {x: "}"}.x } // not a comment ${`nested ${1 + 2}`} \\u2192 done',
    '    continued`;',
    "const re = /[/*]+\\/\\/x/g, q = a / b / c;   const s = \"\\u2265 '\";",
    'if (x) return /re/ .test(y);',
    "const lazy = () => import('./features.mjs'), wasm = () => import('./core-wasm.mjs');",
    '',
  ]);
  // What the escapes mean is what the characters meant.
  assert.equal(eval(stripped.split('\n')[5].split('const s = ')[1].replace(/;$/, '')), "≥ '");
  const twin = toCommonJs('sample.mjs', source);
  assert.match(twin, /const lazy = \(\) => Promise\.resolve\(\)\.then\(\(\) => require\('\.\/features\.cjs'\)\)/);
  assert.match(twin, /wasm = \(\) => import\('\.\/core-wasm\.mjs'\)/);
  assert.throws(() => stripComments('bad.mjs', "const a = 'unterminated;\n"), /bad\.mjs:1: unterminated string/);
  assert.throws(() => stripComments('bad.mjs', 'const a = 1; /* open\n'), /bad\.mjs:1: unterminated comment/);
  // The committed twins: ASCII (V8 keeps a module's source as one-byte text then), and only
  // the header's comment; each code line is its source's line, one line down.
  for (const name of SOURCES) {
    const text = readFileSync(new URL(`../lib/${name.replace(/\.mjs$/, '.cjs')}`, import.meta.url), 'utf8');
    assert.match(text, /^[\x00-\x7f]*$/, `${name}: not ASCII`);
    const lines = text.split('\n');
    assert.match(lines[0], /^'use strict'; \/\/ @generated by scripts\/gen-cjs\.mjs/);
    const src = readFileSync(new URL(`../lib/${name}`, import.meta.url), 'utf8').split('\n');
    const unescape = (l) => l.replace(/\\u([0-9a-f]{4})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    lines.slice(1).forEach((line, k) => {
      if (line === '' || /\b(require|module\.exports)\b/.test(line)) return;
      const want = src[k].trimStart().replace(/^export /, '');
      assert.ok(want.startsWith(line) || want.startsWith(unescape(line)), `${name}:${k + 1}: ${line}`);
    });
  }
});

/** Runs `code` (CommonJS) in a fresh Node process; resolves to what it prints. */
function inChild(code) {
  return execFileSync(process.execPath, ['-e', code], { cwd: pkgDir, encoding: 'utf8', env: { ...process.env, HOME: '/nonexistent' } });
}

test('lazy loading: the issue #8 helpers load on first use; a call loads neither them nor perf_hooks', () => {
  const out = inChild(`
    const ess = require('./lib/index.cjs');
    const loaded = () => Object.keys(require.cache).filter((f) => f.endsWith('features.cjs')).length;
    // Node loads a few perf modules at startup; the \`performance\` global loads the others.
    const perf = () => process.moduleLoadList.includes('NativeModule perf_hooks');
    const client = new ess.Client({
      credential: { secretId: 'AKIDx', secretKey: 'k' },
      transport: async () => ({ status: 200, headers: {}, body: Buffer.from('{"Response":{"RequestId":"r"}}') }),
    });
    (async () => {
      const before = loaded();
      const res = await client.ChannelCancelFlow({ Agent: { AppId: 'a' }, FlowId: 'f' });
      const afterCall = loaded();
      const perfAfterCall = perf();
      const event = await ess.openCallback('{}');
      console.log(JSON.stringify({ before, afterCall, perfAfterCall, event, requestId: res.RequestId, after: loaded(),
        methods: ['uploadFiles', 'waitTask', 'waitFileConvert', 'pages', 'paginate', 'callEncrypted'].map((m) => typeof client[m]),
        msg: ess.msgData({ MsgType: 'OrgAuth', MsgData: { A: 1 } }, 'OrgAuth') }));
    })();
  `);
  assert.deepEqual(JSON.parse(out), {
    before: 0,
    afterCall: 0,
    perfAfterCall: false,
    event: null,
    requestId: 'r',
    after: 1,
    methods: ['function', 'function', 'function', 'function', 'function', 'function'],
    msg: { A: 1 },
  });
});
