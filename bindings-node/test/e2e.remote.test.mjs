// The remote signer: `new Client({ credential: { secretId, token? }, signer })` builds the
// request and its canonical form without the SecretKey (core's remote::prepare), the signer
// returns the signature (here through the package's server-side `signRemote`, core's
// remote::sign_remote), and core adds the Authorization header; against the emulator, which
// accepts `SignedHeaders=content-type;host;x-tc-action`. Plus the adapter functions behind it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import { essbasicFor, loadAdapter } from './helpers/target.mjs';
import { startEmulator, AGENT, SECRET_ID, SECRET_KEY, TOKEN_ID, TOKEN_KEY, TOKEN } from './helpers/emulator.mjs';

const ess = essbasicFor();
const USAGE = { Agent: AGENT, StartDate: '2026-01-01', EndDate: '2026-01-02', Offset: 0, Limit: 10 };
const ALLOWED = ['DescribeUsage', 'ChannelCreateFlowByFiles'];
let emu;

before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu?.stop();
});

/** A client whose signer is the server-side helper with `secretKey` (as a signing server would). */
function remoteClient({ secretId = SECRET_ID, secretKey = SECRET_KEY, token, seen = [], ...rest } = {}) {
  return new ess.Client({
    credential: { secretId, token },
    region: '',
    profile: { httpProfile: { endpoint: emu.url, reqTimeout: 10 } },
    signer: async (request) => {
      seen.push(request);
      return ess.signRemote({
        secretKey,
        canonicalRequest: request.canonicalRequest,
        timestamp: request.timestamp,
        allowedActions: ALLOWED,
      });
    },
    ...rest,
  });
}

test('signer: the client never holds the SecretKey; the emulator accepts the signature', async () => {
  const seen = [];
  const client = remoteClient({ seen });
  const res = await client.DescribeUsage(USAGE);
  assert.equal(typeof res.RequestId, 'string');
  assert.equal(seen.length, 1);
  const [req] = seen;
  assert.deepEqual(Object.keys(req).sort(), ['action', 'canonicalRequest', 'stringToSign', 'timestamp', 'traceId']);
  assert.equal(req.action, 'DescribeUsage');
  assert.match(req.canonicalRequest, /\nx-tc-action:describeusage\n\ncontent-type;host;x-tc-action\n[0-9a-f]{64}$/);
  assert.match(req.stringToSign, /^TC3-HMAC-SHA256\n\d+\n\d{4}-\d\d-\d\d\/essbasic\/tc3_request\n[0-9a-f]{64}$/);
  assert.ok(Math.abs(req.timestamp - Date.now() / 1000) < 60);
  assert.match(req.traceId, /^[0-9a-f-]{36}$/);
  assert.ok(!util.inspect(client, { showHidden: true, depth: 5 }).includes(SECRET_KEY));
  // A state-changing action too, and temporary credentials (X-TC-Token) with their key.
  const created = await remoteClient().request('ChannelCreateFlowByFiles', {
    Agent: AGENT,
    FlowName: 'remote',
    FileIds: [(await remoteUpload()).FileIds[0]],
    FlowApprovers: [{ ApproverType: 'PERSON', Name: '张三', Mobile: '13800000000' }],
  });
  assert.equal(typeof created.FlowId, 'string');
  const temp = remoteClient({ secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: TOKEN });
  assert.equal(typeof (await temp.DescribeUsage(USAGE)).RequestId, 'string');
});

/** Uploads a file with a local-key client (UploadFiles is not on the signer's allow-list). */
async function remoteUpload() {
  const { PDF } = await import('./helpers/emulator.mjs');
  const local = new ess.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    profile: { httpProfile: { endpoint: emu.url } },
  });
  try {
    return await local.UploadFiles({ Agent: AGENT, BusinessType: 'DOCUMENT', FileInfos: [{ FileName: 'a.pdf', FileBody: PDF }] });
  } finally {
    local.close();
  }
}

test('signer: refusals and bad signatures are SigningErrors before anything is sent', async () => {
  const before = (await emu.stats()).requests;
  // Outside the signing server's allow-list.
  await assert.rejects(remoteClient().ChannelCancelFlow({ Agent: AGENT, FlowId: 'f' }), (err) => {
    assert.ok(err instanceof ess.SigningError, `${err}`);
    assert.match(err.message, /ChannelCancelFlow: the remote signer failed: .*not allowed/);
    assert.match(err.traceId, /\S/);
    return true;
  });
  // A signer that answers garbage, or throws.
  const garbage = new ess.Client({
    credential: { secretId: SECRET_ID },
    profile: { httpProfile: { endpoint: emu.url } },
    signer: async () => 'not-a-signature',
  });
  await assert.rejects(garbage.DescribeUsage(USAGE), { kind: 'signing', message: /64 hexadecimal digits/ });
  const throwing = new ess.Client({
    credential: { secretId: SECRET_ID },
    profile: { httpProfile: { endpoint: emu.url } },
    signer: async () => {
      throw new Error('signing server down');
    },
  });
  await assert.rejects(throwing.DescribeUsage(USAGE), (err) => {
    assert.ok(err instanceof ess.SigningError);
    assert.match(err.message, /signing server down/);
    assert.equal(err.cause?.message, 'signing server down');
    return true;
  });
  // Remote signing is TC3 only; a secretId is needed.
  const v1 = remoteClient({ profile: { signMethod: 'HmacSHA1', httpProfile: { endpoint: emu.url } } });
  await assert.rejects(v1.DescribeUsage(USAGE), { kind: 'signing', message: /TC3-HMAC-SHA256 only/ });
  const noId = remoteClient({ secretId: '' });
  await assert.rejects(noId.DescribeUsage(USAGE), { kind: 'signing', message: /no credential/ });
  const tokenOnly = remoteClient({ secretId: '', token: TOKEN });
  await assert.rejects(tokenOnly.DescribeUsage(USAGE), { kind: 'signing', message: /needs a secretId/ });
  // Validation still comes first.
  await assert.rejects(remoteClient().ChannelCancelFlow({ FlowId: 5 }), { kind: 'validation', path: 'FlowId' });
  assert.throws(() => remoteClient({ signer: 'x' }), TypeError);
  assert.equal((await emu.stats()).requests, before, 'nothing reached the emulator');
});

test('signer: a wrong key on the server is the service\'s AuthFailure.SignatureFailure', async () => {
  await assert.rejects(remoteClient({ secretKey: 'not-the-key' }).DescribeUsage(USAGE), {
    kind: 'api',
    code: 'AuthFailure.SignatureFailure',
  });
});

test('signRemote (server side): checks, refusals, no secret in errors', async () => {
  const core = await loadAdapter();
  const now = Math.floor(Date.now() / 1000);
  const prepared = core.prepareRemote(
    'DescribeUsage',
    JSON.stringify(USAGE),
    { endpoint: emu.url },
    { secretId: SECRET_ID },
    now,
    7,
    't',
  );
  assert.ok(!prepared.error, JSON.stringify(prepared.error));
  const sign = (over = {}) =>
    ess.signRemote({ secretKey: SECRET_KEY, canonicalRequest: prepared.canonicalRequest, timestamp: now, ...over });
  const signature = await sign();
  assert.match(signature, /^[0-9a-f]{64}$/);
  assert.equal(await sign({ timestamp: String(now), now, allowedActions: new Set(['describeusage']) }), signature);
  const refusals = [
    [{ now: now + 301 }, /300 s/],
    [{ allowedActions: ['DescribeTemplates'] }, /not allowed/],
    [{ canonicalRequest: prepared.canonicalRequest.replace('127.0.0.1', 'evil.example') }, /not an essbasic host/],
    [{ canonicalRequest: 'POST\n/\n\n' }, /not a remote canonical request/],
    [{ secretKey: '' }, /secretKey/],
    [{ timestamp: 'soon' }, /timestamp/],
  ];
  for (const [over, message] of refusals) {
    await assert.rejects(sign(over), (err) => {
      assert.ok(err instanceof ess.SigningError, `${err}`);
      assert.match(err.message, message);
      const printed = [String(err), JSON.stringify(err), util.inspect(err, { showHidden: true })].join('\n');
      assert.ok(!printed.includes(SECRET_KEY), 'the key leaked');
      return true;
    });
  }
  await assert.rejects(ess.signRemote(), { kind: 'signing' });
});

test('adapter: prepareRemote / finishRemote / retryDecision / clockOffset shapes', async () => {
  const core = await loadAdapter();
  const prepared = core.prepareRemote(
    'ChannelCancelFlow',
    '{"FlowId":"f"}',
    { endpoint: 'http://127.0.0.1:9000', requestClient: 'x' },
    { secretId: 'AKIDx', token: 'tok' },
    1_700_000_000,
    1,
    'trace',
  );
  assert.deepEqual(Object.keys(prepared).sort(), ['canonicalRequest', 'request', 'secretId', 'stringToSign', 'timestamp']);
  assert.equal(prepared.timestamp, 1_700_000_000);
  assert.equal(prepared.secretId, 'AKIDx');
  assert.ok(!prepared.request.headers.some(([k]) => k.toLowerCase() === 'authorization'));
  assert.ok(prepared.request.headers.some(([k, v]) => k === 'X-TC-Token' && v === 'tok'));
  const signature = core.signRemote('key', prepared.canonicalRequest, 1_700_000_000, 1_700_000_000, null).signature;
  const finished = core.finishRemote(prepared, signature.toUpperCase());
  assert.deepEqual(Object.keys(finished).sort(), ['body', 'headers', 'method', 'url']);
  assert.deepEqual(finished.headers[0], [
    'Authorization',
    `TC3-HMAC-SHA256 Credential=AKIDx/2023-11-14/essbasic/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=${signature}`,
  ]);
  assert.equal(finished.body, '{"FlowId":"f"}');
  assert.equal(core.finishRemote(prepared, 'xyz').error.kind, 'signing');
  assert.equal(core.finishRemote({ nonsense: true }, signature).error.kind, 'signing');
  assert.equal(core.prepareRemote('NoSuchAction', '{}', {}, { secretId: 'a' }, 1, 1, null).error.kind, 'validation');
  assert.equal(core.prepareRemote('ChannelCancelFlow', '{}', {}, {}, 1, 1, null).error.kind, 'signing');

  const decide = (action, error, attempt = 1, policy = undefined, elapsed = 0, jitter = 0) =>
    core.retryDecision(action, attempt, error, elapsed, jitter, policy);
  assert.equal(decide('DescribeTemplates', { kind: 'http', code: 'HttpError', status: 503 }), 150);
  assert.equal(decide('DescribeTemplates', { kind: 'http', code: 'HttpError', status: 503 }, 1, null, 0, 1), 300);
  assert.equal(decide('ChannelCreateFlowByFiles', { kind: 'http', code: 'HttpError', status: 503 }), null);
  assert.equal(decide('ChannelCreateFlowByFiles', { kind: 'transport', code: 'TransportError', notSent: true }), 150);
  assert.equal(decide('ChannelCreateFlowByFiles', { kind: 'transport', code: 'TransportError', notSent: false }), null);
  assert.equal(decide('ChannelCreateFlowByFiles', { kind: 'api', code: 'RequestLimitExceeded' }), 150);
  assert.equal(decide('DescribeTemplates', { kind: 'api', code: 'RequestLimitExceeded' }, 3), null);
  assert.equal(decide('DescribeTemplates', { kind: 'api', code: 'RequestLimitExceeded' }, 3, { maxAttempts: 5, baseDelayMs: 10 }), 20);
  assert.equal(decide('DescribeTemplates', { kind: 'api', code: 'RequestLimitExceeded' }, 1, { deadlineMs: 100 }, 90), null);
  assert.equal(decide('DescribeTemplates', { kind: 'validation', code: 'ValidationError' }), null);
  assert.equal(decide('NoSuchAction', { kind: 'api', code: 'RequestLimitExceeded' }), null);
  assert.equal(decide('DescribeTemplates', { kind: 'api', code: 'RequestLimitExceeded' }, 1, { maxAttempts: -1 }), null);
  assert.equal(core.clockOffset('Thu, 01 Jan 1970 01:00:00 GMT', 0), 3600);
  assert.equal(core.clockOffset('Sun, 06 Nov 1994 08:49:37 GMT', 784111777 + 600), -600);
  assert.equal(core.clockOffset('yesterday', 0), null);
});
