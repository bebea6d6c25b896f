// Error mapping, one test per kind, against the emulator with fault injection
// (`X-Emulator-Fault`), plus callbacks and secret hygiene. One attempt per call
// (`retry: false`): retries have their own tests (e2e.retry.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import util from 'node:util';
import { essbasicFor } from './helpers/target.mjs';
import {
  startEmulator,
  AGENT,
  SECRET_ID,
  SECRET_KEY,
  TOKEN_ID,
  TOKEN_KEY,
  TOKEN,
} from './helpers/emulator.mjs';

const ess = essbasicFor();
let emu;
let client;
const USAGE = { Agent: AGENT, StartDate: '2026-01-01', EndDate: '2026-01-02', Offset: 0, Limit: 10 };
const fault = (spec) => ({ headers: { 'X-Emulator-Fault': spec } });

function makeClient(overrides = {}) {
  const { httpProfile, ...rest } = overrides;
  return new ess.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    region: '',
    profile: { httpProfile: { endpoint: emu.url, reqTimeout: 10, ...httpProfile } },
    retry: false,
    ...rest,
  });
}

/** A loopback port where nothing listens. */
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Asserts the common shape of every error: the official class and our kind. */
function expectKind(ess, err, kind, cls) {
  assert.ok(err instanceof ess.TencentCloudSDKHttpException, `${err}`);
  assert.ok(err instanceof ess.EssbasicError);
  assert.ok(err instanceof cls, `${err.name} is not ${cls.name}`);
  assert.equal(err.kind, kind);
  assert.equal(typeof err.code, 'string');
  assert.equal(typeof err.message, 'string');
  assert.equal(typeof err.requestId, 'string');
  assert.equal(typeof err.traceId, 'string');
  return true;
}

before(async () => {
  emu = await startEmulator(['--faults']);
  client = makeClient();
});
after(async () => {
  client?.close();
  await emu?.stop();
});

test('validation: before any I/O, with the field path', async () => {
  const before = (await emu.stats()).requests;
  await assert.rejects(
    client.UploadFiles({ Agent: AGENT, BusinessType: 'DOCUMENT', FileInfos: [{ FileName: 'a.pdf' }] }),
    (err) => {
      expectKind(ess, err, 'validation', ess.ValidationError);
      assert.equal(err.code, 'ValidationError');
      assert.equal(err.action, 'UploadFiles');
      assert.equal(err.path, 'FileInfos[0].FileBody');
      assert.match(err.message, /FileInfos\[0\]\.FileBody/);
      return true;
    },
  );
  await assert.rejects(client.ChannelCancelFlow({ FlowId: 5 }), { kind: 'validation', path: 'FlowId' });
  await assert.rejects(client.request('ChannelCancelFlows', {}), { kind: 'validation', path: '' });
  const strict = makeClient({ strict: true });
  await assert.rejects(strict.ChannelCancelFlow({ FlowId: 'f', Agent: { AppId: 'a', Extra: 1 } }), {
    kind: 'validation',
    path: 'Agent.Extra',
  });
  assert.equal((await emu.stats()).requests, before, 'nothing reached the emulator');
});

test('signing: bad configuration or credential, before any I/O', async () => {
  const before = (await emu.stats()).requests;
  const md5 = new ess.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    profile: { signMethod: 'MD5', httpProfile: { endpoint: emu.url } },
  });
  await assert.rejects(md5.DescribeUsage(USAGE), (err) => expectKind(ess, err, 'signing', ess.SigningError));
  const keyless = new ess.Client({ credential: { secretId: SECRET_ID }, profile: { httpProfile: { endpoint: emu.url } } });
  await assert.rejects(keyless.DescribeUsage(USAGE), { kind: 'signing', code: 'SigningError' });
  assert.throws(() => new ess.Client({ credential: {}, profile: { language: 'fr-FR' } }), {
    kind: 'signing',
    message: /Language invalid/,
  });
  assert.equal((await emu.stats()).requests, before, 'nothing reached the emulator');
});

test('api: the service code, message and RequestId (authentication failures)', async () => {
  const wrongKey = makeClient({ credential: { secretId: SECRET_ID, secretKey: 'not-the-key' } });
  await assert.rejects(wrongKey.ChannelCancelFlow({ FlowId: 'f' }), (err) => {
    expectKind(ess, err, 'api', ess.ApiError);
    assert.equal(err.code, 'AuthFailure.SignatureFailure');
    assert.match(err.requestId, /\S/);
    assert.equal(err.httpCode, 200);
    return true;
  });
  const unknown = makeClient({ credential: { secretId: 'AKIDnobody', secretKey: 'k' } });
  await assert.rejects(unknown.ChannelCancelFlow({ FlowId: 'f' }), { code: 'AuthFailure.SecretIdNotFound' });
  await assert.rejects(client.DescribeUsage(USAGE, fault('throttle')), {
    kind: 'api',
    code: 'RequestLimitExceeded',
  });
});

test('http: a non-2xx status without an API error', async () => {
  await assert.rejects(client.DescribeUsage(USAGE, fault('html502')), (err) => {
    expectKind(ess, err, 'http', ess.HttpError);
    assert.equal(err.code, 'HttpError');
    assert.equal(err.httpCode, 502);
    return true;
  });
  // A 5xx that carries the API error shape is an API error, with the HTTP status kept.
  await assert.rejects(client.DescribeUsage(USAGE, fault('status=503')), (err) => {
    assert.ok(['api', 'http'].includes(err.kind), err.kind);
    assert.equal(err.httpCode, 503);
    return true;
  });
});

test('decode: a 2xx answer that is not the envelope, or too large', async () => {
  await assert.rejects(client.DescribeUsage(USAGE, fault('malformed')), (err) => {
    expectKind(ess, err, 'decode', ess.DecodeError);
    assert.equal(err.code, 'DecodeError');
    assert.equal(err.httpCode, 200);
    return true;
  });
  const small = makeClient({ maxBodyBytes: 1 << 20 });
  await assert.rejects(small.DescribeUsage(USAGE, fault('oversize_mb=2')), { kind: 'decode' });
  small.close();
  // A large answer within the limit is fine; a deeply nested one is a value or a decode
  // error, never a crash (JSON.parse is not recursive in V8).
  const ok = await client.DescribeUsage(USAGE, fault('oversize_mb=2'));
  assert.equal(typeof ok.RequestId, 'string');
  const deep = await client.DescribeUsage(USAGE, fault('nested=100000')).catch((e) => e);
  assert.ok(typeof deep.RequestId === 'string' || deep.kind === 'decode', `${deep}`);
});

test('timeout: httpProfile.reqTimeout (seconds) and the per-call timeoutMs', async () => {
  const quick = makeClient({ httpProfile: { reqTimeout: 0.4 } });
  const started = Date.now();
  await assert.rejects(quick.DescribeUsage(USAGE, fault('delay_ms=3000')), (err) => {
    expectKind(ess, err, 'timeout', ess.TimeoutError);
    assert.equal(err.code, 'TimeoutError');
    assert.equal(err.timeoutMs, 400);
    return true;
  });
  assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
  // A slow body counts too: the timeout covers the whole answer.
  await assert.rejects(
    client.DescribeUsage(USAGE, { ...fault('slow_body_ms=3000'), timeoutMs: 300 }),
    { kind: 'timeout', timeoutMs: 300 },
  );
  quick.close();
});

test('transport: refused, reset, truncated, aborted', async () => {
  const refused = makeClient({ httpProfile: { endpoint: `http://127.0.0.1:${await closedPort()}` } });
  await assert.rejects(refused.ChannelCancelFlow({ FlowId: 'f' }), (err) => {
    expectKind(ess, err, 'transport', ess.TransportError);
    assert.equal(err.code, 'TransportError');
    assert.equal(err.notSent, true, 'a refused connection provably sent nothing');
    assert.equal(err.cause?.code, 'ECONNREFUSED');
    return true;
  });
  await assert.rejects(client.DescribeUsage(USAGE, fault('reset=before')), { kind: 'transport', notSent: false });
  await assert.rejects(client.DescribeUsage(USAGE, fault('truncate')), { kind: 'transport' });

  const controller = new AbortController();
  const pending = client.DescribeUsage(USAGE, { ...fault('delay_ms=2000'), signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(pending, { kind: 'transport', message: /aborted/ });
  await assert.rejects(client.DescribeUsage(USAGE, { signal: AbortSignal.abort() }), {
    kind: 'transport',
    notSent: true,
  });
  // The client still works after all of that.
  assert.equal(typeof (await client.DescribeUsage(USAGE)).RequestId, 'string');
});

test('callbacks: node-style, and no unhandled rejection when only the callback is used', async () => {
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const ok = await new Promise((resolve) => {
      client.DescribeUsage(USAGE, (err, res) => resolve({ err, res }));
    });
    assert.equal(ok.err, null);
    assert.equal(typeof ok.res.RequestId, 'string');
    const bad = await new Promise((resolve) => {
      client.ChannelCancelFlow({}, (err, res) => resolve({ err, res })); // promise ignored
    });
    assert.equal(bad.res, null);
    assert.equal(bad.err.kind, 'validation');
    const viaRequest = await new Promise((resolve) => {
      client.request('ChannelCancelFlow', { FlowId: 'f' }, fault('html502'), (err) => resolve(err));
    });
    assert.equal(viaRequest.kind, 'http');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('secrets never appear in errors, the client, or their printed forms', async () => {
  const seen = [];
  const clients = [
    makeClient({ credential: { secretId: SECRET_ID, secretKey: 'not-the-key' } }),
    makeClient({ credential: { secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: 'wrong-session-token' } }),
    // Legacy v1 GET: the token and the signature travel in the URL.
    makeClient({
      credential: { secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: TOKEN },
      profile: { signMethod: 'HmacSHA1', httpProfile: { reqMethod: 'GET', endpoint: `http://127.0.0.1:${await closedPort()}` } },
    }),
  ];
  for (const c of clients) {
    const err = await c.ChannelCancelFlow({ FlowId: 'f' }).then(
      () => assert.fail('expected an error'),
      (e) => e,
    );
    seen.push(err, c);
  }
  const printed = seen
    .flatMap((x) => [util.inspect(x, { depth: 10, showHidden: true }), String(x), JSON.stringify(x), x.stack ?? ''])
    .concat(seen.filter((x) => x instanceof Error).map((e) => util.inspect(e.cause, { depth: 10 })))
    .join('\n');
  for (const secret of ['not-the-key', 'wrong-session-token', TOKEN_KEY, TOKEN, SECRET_KEY]) {
    assert.ok(!printed.includes(secret), `${secret} leaked`);
  }
  assert.ok(!/Signature=[^*&\s]/.test(printed), 'a v1 signature leaked');
});
