// Retries, clock skew and the body limit against the emulator's faults (`--faults`,
// `X-Emulator-Fault`): every case ends in success or the right typed error within its
// deadline, and `GET /__emulator/stats` shows no duplicate flow after any fault on
// ChannelCreateFlowByFiles (side_effects.flows_created). The decisions are core's
// (`retryDecision`, `clockOffset` through the adapter); runs on both targets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { essbasicFor } from './helpers/target.mjs';
import { startEmulator, AGENT, PDF, SECRET_ID, SECRET_KEY } from './helpers/emulator.mjs';

const ess = essbasicFor();
const USAGE = { Agent: AGENT, StartDate: '2026-01-01', EndDate: '2026-01-02', Offset: 0, Limit: 10 };
/** Every case must end within this (the slowest: three attempts and two backoffs). */
const DEADLINE_MS = 8000;
let emu;
let skewed;
let fileId;
let seq = 0;

before(async () => {
  [emu, skewed] = await Promise.all([startEmulator(['--faults']), startEmulator(['--clock-skew-s', '600'])]);
  const c = makeClient();
  fileId = (await c.UploadFiles({ Agent: AGENT, BusinessType: 'DOCUMENT', FileInfos: [{ FileName: 'a.pdf', FileBody: PDF }] })).FileIds[0];
  c.close();
});
after(async () => {
  await Promise.all([emu?.stop(), skewed?.stop()]);
});

function makeClient({ endpoint, httpProfile, ...rest } = {}) {
  return new ess.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    region: '',
    profile: { httpProfile: { endpoint: endpoint ?? emu.url, reqTimeout: 10, ...httpProfile } },
    ...rest,
  });
}

/** A fault header; `key=` keeps each case's `times` counter its own. */
const fault = (spec) => ({ headers: { 'X-Emulator-Fault': `${spec},key=case${++seq}` } });

const createParams = () => ({
  Agent: AGENT,
  FlowName: `retry ${seq}`,
  FileIds: [fileId],
  FlowApprovers: [{ ApproverType: 'PERSON', Name: '张三', Mobile: '13800000000' }],
});

/** Runs `fn`, returning `{ value | error, ms, requests, flows }` (emulator deltas). */
async function measure(fn, server = emu) {
  const before = await server.stats();
  const started = Date.now();
  let value;
  let error;
  try {
    value = await fn();
  } catch (e) {
    error = e;
  }
  const ms = Date.now() - started;
  const after = await server.stats();
  return {
    value,
    error,
    ms,
    requests: after.requests - before.requests,
    flows: after.side_effects.flows_created - before.side_effects.flows_created,
    after,
  };
}

/** A loopback port where nothing listens (yet). */
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// [fault, expected: 'ok' or the error kind, flows created (0 or 1: never a duplicate),
//  requests the emulator saw]
const CREATE_CASES = [
  ['status=503,times=1', 'api', 0, 1], // may have run: a creation is not retried
  ['throttle,times=2', 'ok', 1, 3], // refused unexecuted: retried for every action
  ['reset=before', 'transport', 0, 1],
  ['reset=after', 'transport', 1, 1], // processed, then reset: never sent again
  ['truncate', 'transport', 1, 1],
  ['malformed', 'decode', 1, 1],
  ['html502', 'http', 0, 1],
  ['slow_body_ms=300', 'ok', 1, 1],
  ['content_type=text/plain', 'ok', 1, 1],
  ['oversize_mb=70', 'decode', 1, 1], // beyond maxBodyBytes (64 MiB): stops reading at once
  ['nested=100000', 'ok|decode', 1, 1],
  ['date_skew_s=600', 'ok', 1, 1], // a skewed Date alone changes nothing
  ['date_skew_s=-600', 'ok', 1, 1],
  ['delay_ms=200', 'ok', 1, 1],
];

for (const [spec, expected, flows, requests] of CREATE_CASES) {
  test(`ChannelCreateFlowByFiles under ${spec}: ${expected}, ${flows} flow(s), no duplicate`, async () => {
    const client = makeClient();
    try {
      const r = await measure(() => client.ChannelCreateFlowByFiles(createParams(), fault(spec)));
      const outcome = r.error ? r.error.kind : 'ok';
      assert.ok(expected.split('|').includes(outcome), `${outcome}: ${r.error?.message}`);
      if (r.error) {
        assert.ok(r.error instanceof ess.EssbasicError);
        assert.equal(r.error.attempts, requests, 'attempts');
        if (spec === 'reset=before') assert.equal(r.error.notSent, false, 'a reset after sending is not "not sent"');
      } else {
        // (`nested` answers a synthetic envelope: only its RequestId is certain.)
        assert.match(r.value.RequestId, /\S/);
        if (!spec.startsWith('nested')) assert.match(r.value.FlowId, /\S/);
      }
      assert.equal(r.flows, flows, 'flows created');
      assert.equal(r.requests, requests, 'requests');
      assert.ok(r.ms < DEADLINE_MS, `took ${r.ms} ms`);
    } finally {
      client.close();
    }
  });
}

test('ChannelCreateFlowByFiles: a timeout after processing is not retried (one flow)', async () => {
  const client = makeClient();
  const r = await measure(() => client.ChannelCreateFlowByFiles(createParams(), { ...fault('delay_ms=3000'), timeoutMs: 400 }));
  assert.ok(r.error instanceof ess.TimeoutError, `${r.error}`);
  assert.equal(r.error.attempts, 1);
  assert.ok(r.ms < 2000, `took ${r.ms} ms`);
  assert.equal(r.requests, 1);
  assert.equal(r.flows, 1);
  client.close();
});

test('ChannelCreateFlowByFiles: a refused connection (never sent) is retried, one flow', async () => {
  // Nothing listens on `port` at first; a forwarder to the emulator opens there 50 ms later,
  // before the first backoff (at least 150 ms) ends.
  const port = await closedPort();
  let forwarder;
  const opened = new Promise((resolve) => {
    setTimeout(() => {
      forwarder = net.createServer((socket) => {
        const upstream = net.connect(emu.port, '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        for (const s of [socket, upstream]) s.on('error', () => {});
      });
      forwarder.listen(port, '127.0.0.1', resolve);
    }, 50);
  });
  const client = makeClient({ endpoint: `http://127.0.0.1:${port}` });
  try {
    const r = await measure(() => client.ChannelCreateFlowByFiles(createParams()));
    assert.equal(r.error, undefined, `${r.error}`);
    assert.match(r.value.FlowId, /\S/);
    assert.equal(r.flows, 1);
    assert.equal(r.requests, 1, 'the first attempt never reached the emulator');
  } finally {
    client.close();
    await opened;
    await new Promise((resolve) => forwarder.close(resolve));
  }
  // With nowhere to go at all: TransportError, notSent, after every attempt.
  const nowhere = makeClient({ endpoint: `http://127.0.0.1:${await closedPort()}`, retry: { baseDelayMs: 10 } });
  await assert.rejects(nowhere.ChannelCreateFlowByFiles(createParams()), (err) => {
    assert.ok(err instanceof ess.TransportError);
    assert.equal(err.notSent, true);
    assert.equal(err.attempts, 3);
    return true;
  });
});

// Read-only actions may be retried after anything that may have run.
const READ_CASES = [
  ['status=503,times=1', 2],
  ['throttle,times=2', 3],
  ['reset=before,times=1', 2],
  ['reset=after,times=1', 2],
  ['truncate,times=1', 2],
  ['malformed,times=1', 2],
  ['html502,times=1', 2],
];

// An answer over maxBodyBytes is DecodeError.TooLarge, which core never retries (it would
// come back just as large).
test('DescribeUsage (read-only) under oversize_mb=70,times=1: DecodeError.TooLarge, not retried', async () => {
  const client = makeClient();
  try {
    const r = await measure(() => client.DescribeUsage(USAGE, fault('oversize_mb=70,times=1')));
    assert.equal(r.error?.kind, 'decode', `${r.error}`);
    assert.equal(r.error.code, 'DecodeError.TooLarge');
    assert.equal(r.requests, 1);
  } finally {
    client.close();
  }
});

for (const [spec, requests] of READ_CASES) {
  test(`DescribeUsage (read-only) under ${spec}: retried to success`, async () => {
    const client = makeClient();
    try {
      const r = await measure(() => client.DescribeUsage(USAGE, fault(spec)));
      assert.equal(r.error, undefined, `${r.error}`);
      assert.equal(typeof r.value.RequestId, 'string');
      assert.equal(r.requests, requests);
      assert.ok(r.ms < DEADLINE_MS, `took ${r.ms} ms`);
    } finally {
      client.close();
    }
  });
}

test('DescribeUsage: a timeout is retried for a read-only action', async () => {
  const client = makeClient();
  const r = await measure(() => client.DescribeUsage(USAGE, { ...fault('delay_ms=3000,times=1'), timeoutMs: 400 }));
  assert.equal(r.error, undefined, `${r.error}`);
  assert.equal(r.requests, 2);
  assert.ok(r.ms < 3000, `took ${r.ms} ms`);
  client.close();
});

test('retry policy: attempts, retry: false, the deadline', async () => {
  // Throttled every time: three attempts (core's default), then the API error.
  const client = makeClient();
  const r = await measure(() => client.DescribeUsage(USAGE, fault('throttle')));
  assert.ok(r.error instanceof ess.ApiError);
  assert.equal(r.error.code, 'RequestLimitExceeded');
  assert.equal(r.error.attempts, 3);
  assert.equal(r.requests, 3);
  // Disabled.
  const once = makeClient({ retry: false });
  const one = await measure(() => once.DescribeUsage(USAGE, fault('status=503,times=1')));
  assert.equal(one.error?.kind, 'api');
  assert.equal(one.error.attempts, 1);
  assert.equal(one.requests, 1);
  // More attempts, small delays, a short deadline: no retry starts after it.
  const quick = makeClient({ retry: { maxAttempts: 50, baseDelayMs: 20, maxDelayMs: 40, deadlineMs: 300 } });
  const d = await measure(() => quick.DescribeUsage(USAGE, fault('throttle')));
  assert.equal(d.error?.code, 'RequestLimitExceeded');
  assert.ok(d.error.attempts > 3 && d.error.attempts < 50, `${d.error.attempts} attempts`);
  assert.ok(d.ms < 1500, `took ${d.ms} ms`);
  // maxAttempts: 1 is retry: false.
  const single = makeClient({ retry: { maxAttempts: 1 } });
  assert.equal((await measure(() => single.DescribeUsage(USAGE, fault('throttle')))).requests, 1);
  // Validation and signing errors are never retried.
  const v = await measure(() => client.ChannelCancelFlow({ FlowId: 5 }));
  assert.equal(v.error.kind, 'validation');
  assert.equal(v.requests, 0);
  for (const bad of [3, null, 'x', { maxAttempts: 0 }, { baseDelayMs: -1 }, { deadlineMs: 1.5 }]) {
    assert.throws(() => makeClient({ retry: bad }), TypeError, JSON.stringify(bad));
  }
  for (const c of [client, once, quick, single]) c.close();
});

test('a user abort during the backoff ends the call at once', async () => {
  const client = makeClient({ retry: { baseDelayMs: 5000, maxDelayMs: 5000 } });
  const controller = new AbortController();
  const started = Date.now();
  const pending = client.DescribeUsage(USAGE, { ...fault('throttle'), signal: controller.signal });
  setTimeout(() => controller.abort(), 200);
  await assert.rejects(pending, { kind: 'transport', message: /aborted/ });
  assert.ok(Date.now() - started < 2000);
  client.close();
});

test('clock skew: AuthFailure.SignatureExpire → the Date header\'s offset, re-signed once, kept', async () => {
  // The emulator's clock is 600 s ahead: a request stamped with the local clock expires.
  const uploader = makeClient({ endpoint: skewed.url });
  const up = await uploader.UploadFiles({ Agent: AGENT, BusinessType: 'DOCUMENT', FileInfos: [{ FileName: 'a.pdf', FileBody: PDF }] });
  uploader.close();
  const expired = async () => (await skewed.stats()).errors['AuthFailure.SignatureExpire'] ?? 0;
  const client = makeClient({ endpoint: skewed.url });
  try {
    const before = await expired();
    const first = await measure(() => client.ChannelCreateFlowByFiles({ ...createParams(), FileIds: up.FileIds }), skewed);
    assert.equal(first.error, undefined, `${first.error}`);
    assert.equal(first.requests, 2, 'one refused, one re-signed');
    assert.equal(first.flows, 1);
    assert.equal((await expired()) - before, 1);
    // The offset is kept: the next call is right the first time.
    const second = await measure(() => client.DescribeUsage(USAGE), skewed);
    assert.equal(second.error, undefined);
    assert.equal(second.requests, 1);
    // Re-signing is not a retry: it happens with retry: false too.
    const plain = makeClient({ endpoint: skewed.url, retry: false });
    const again = await measure(() => plain.DescribeUsage(USAGE), skewed);
    assert.equal(again.error, undefined, `${again.error}`);
    assert.equal(again.requests, 2);
    plain.close();
  } finally {
    client.close();
  }
});

test('clock skew: a transport that gives no Date header leaves the error as it is', async () => {
  const client = makeClient({
    endpoint: skewed.url,
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      const headers = new Headers(res.headers);
      headers.delete('date');
      return new Response(await res.arrayBuffer(), { status: res.status, headers });
    },
  });
  await assert.rejects(client.DescribeUsage(USAGE), { kind: 'api', code: 'AuthFailure.SignatureExpire', attempts: 1 });
});

test('maxBodyBytes: enforced while reading (default transport and fetch), a DecodeError', async () => {
  for (const extra of [{}, { fetch: globalThis.fetch }]) {
    const client = makeClient({ maxBodyBytes: 1 << 20, retry: false, ...extra });
    const r = await measure(() => client.DescribeUsage(USAGE, fault('oversize_mb=70')));
    assert.ok(r.error instanceof ess.DecodeError, `${r.error}`);
    assert.match(r.error.message, /larger than maxBodyBytes \(1048576 bytes\)/);
    assert.equal(r.error.httpCode, 200);
    assert.ok(r.ms < 2000, `took ${r.ms} ms`);
    // Within the limit: fine.
    assert.equal(typeof (await client.DescribeUsage(USAGE, fault('oversize_mb=0'))).RequestId, 'string');
    client.close();
  }
  assert.throws(() => makeClient({ maxBodyBytes: 0 }), TypeError);
});

test('fetch transport: the same faults, the same outcomes', async () => {
  const client = makeClient({ fetch: globalThis.fetch });
  const ok = await measure(() => client.DescribeUsage(USAGE, fault('reset=after,times=1')));
  assert.equal(ok.error, undefined, `${ok.error}`);
  assert.equal(ok.requests, 2);
  const create = await measure(() => client.ChannelCreateFlowByFiles(createParams(), fault('reset=after')));
  assert.equal(create.error?.kind, 'transport');
  assert.equal(create.error.notSent, false);
  assert.equal(create.flows, 1);
  assert.equal(create.requests, 1);
  const refused = makeClient({ fetch: globalThis.fetch, endpoint: `http://127.0.0.1:${await closedPort()}`, retry: { baseDelayMs: 10 } });
  await assert.rejects(refused.ChannelCreateFlowByFiles(createParams()), { kind: 'transport', notSent: true, attempts: 3 });
});
