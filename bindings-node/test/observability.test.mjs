// Observability: the X-TC-TraceId of every request (generated, or the caller's `traceId`),
// exposed on errors (`err.traceId`) and results (a non-enumerable `traceId`); the `logger`
// option (one debug line per attempt, bodies redacted by core's redact::body_for_log through
// the adapter's redactBody); the hooks (beforeSend, afterReceive, onRetry, onError), in
// order, under an emulator fault that causes a retry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { essbasicFor, loadAdapter } from './helpers/target.mjs';
import { startEmulator, AGENT, PDF, SECRET_ID, SECRET_KEY, TOKEN_ID, TOKEN_KEY, TOKEN } from './helpers/emulator.mjs';

const ess = essbasicFor();
const USAGE = { Agent: AGENT, StartDate: '2026-01-01', EndDate: '2026-01-02', Offset: 0, Limit: 10 };
const MOBILE = '13912345678';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let emu;
let seq = 0;

before(async () => {
  emu = await startEmulator(['--faults']);
});
after(async () => {
  await emu?.stop();
});

/** A `fetch` that records the headers of every request it sends. */
function recordingFetch(sent) {
  return async (url, init) => {
    sent.push(Object.fromEntries(init.headers.map(([k, v]) => [k.toLowerCase(), v])));
    return fetch(url, init);
  };
}

/** A console-like logger that keeps its lines. */
function memoryLogger() {
  const lines = { debug: [], info: [], warn: [], error: [] };
  const logger = Object.fromEntries(Object.keys(lines).map((level) => [level, (line) => lines[level].push(line)]));
  return { logger, lines, all: () => Object.values(lines).flat().join('\n') };
}

function makeClient(extra = {}) {
  const { httpProfile, ...rest } = extra;
  return new ess.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    region: '',
    profile: { httpProfile: { endpoint: emu.url, reqTimeout: 10, ...httpProfile } },
    ...rest,
  });
}

const fault = (spec) => ({ 'X-Emulator-Fault': `${spec},key=obs${++seq}` });

test('trace ids: one per call (the same on every attempt), sent, on results and errors', async () => {
  const sent = [];
  const client = makeClient({ fetch: recordingFetch(sent) });
  const res = await client.DescribeUsage(USAGE);
  assert.match(sent[0]['x-tc-traceid'], UUID);
  assert.equal(res.traceId, sent[0]['x-tc-traceid']);
  assert.ok(!Object.keys(res).includes('traceId'), 'not enumerable');
  assert.ok(!JSON.stringify(res).includes(res.traceId));
  // Retried: the same trace id on both attempts, and on the result.
  const retried = await client.DescribeUsage(USAGE, { headers: fault('status=503,times=1') });
  assert.equal(sent.length, 3);
  assert.equal(sent[1]['x-tc-traceid'], sent[2]['x-tc-traceid']);
  assert.notEqual(sent[1]['x-tc-traceid'], sent[0]['x-tc-traceid']);
  assert.equal(retried.traceId, sent[2]['x-tc-traceid']);
  // The caller's traceId (per call), or an X-TC-TraceId header.
  await client.DescribeUsage(USAGE, { traceId: 'caller-trace-1' });
  assert.equal(sent.at(-1)['x-tc-traceid'], 'caller-trace-1');
  await client.DescribeUsage(USAGE, { headers: { 'X-TC-TraceId': 'caller-trace-2' } });
  assert.equal(sent.at(-1)['x-tc-traceid'], 'caller-trace-2');
  // Errors of every stage carry it: API, HTTP, validation (nothing sent), transport.
  const failures = [
    [() => client.ChannelCancelFlow({ Agent: AGENT, FlowId: 'nope' }, { traceId: 't-api' }), 't-api', 'api'],
    [() => client.DescribeUsage(USAGE, { traceId: 't-http', headers: fault('html502') }), 't-http', 'http'],
    [() => client.ChannelCancelFlow({ FlowId: 5 }, { traceId: 't-validation' }), 't-validation', 'validation'],
    [
      () => makeClient({ httpProfile: { endpoint: 'http://127.0.0.1:1' }, retry: false }).DescribeUsage(USAGE, { traceId: 't-transport' }),
      't-transport',
      'transport',
    ],
  ];
  for (const [call, traceId, kind] of failures) {
    await assert.rejects(call(), (err) => {
      assert.equal(err.kind, kind);
      assert.equal(err.traceId, traceId);
      assert.equal(err.getTraceId(), traceId);
      assert.ok(String(err).endsWith(`traceId:${traceId}`));
      assert.equal(err.toJSON().traceId, traceId);
      return true;
    });
  }
  const generated = await client.ChannelCancelFlow({ Agent: AGENT, FlowId: 'nope' }).catch((e) => e);
  assert.match(generated.traceId, UUID);
  assert.equal(generated.traceId, sent.at(-1)['x-tc-traceid']);
});

test('logger: one debug line per attempt; no secret key, token or unmasked mobile number', async () => {
  const { logger, lines, all } = memoryLogger();
  const client = makeClient({
    credential: { secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: TOKEN },
    logger,
  });
  const up = await client.UploadFiles({ Agent: AGENT, BusinessType: 'DOCUMENT', FileInfos: [{ FileName: 'a.pdf', FileBody: PDF }] });
  const created = await client.ChannelCreateFlowByFiles(
    {
      Agent: AGENT,
      FlowName: 'logged',
      FileIds: up.FileIds,
      FlowApprovers: [{ ApproverType: 'PERSON', Name: '王小明', Mobile: MOBILE }],
    },
    { traceId: 'trace-logged' },
  );
  assert.equal(lines.debug.length, 2, lines.debug.join('\n'));
  const line = lines.debug[1];
  const host = new URL(emu.url).host;
  assert.ok(line.startsWith(`essbasic: ChannelCreateFlowByFiles attempt 1 POST ${host} → HTTP 200 in `), line);
  assert.match(line, / in \d+ ms, /);
  assert.ok(line.includes(`RequestId ${created.RequestId}`), line);
  assert.ok(line.includes('traceId trace-logged'), line);
  assert.ok(line.includes('139****5678'), `the mobile number is masked: ${line}`);
  assert.ok(line.includes('王**'), `the name is masked: ${line}`);
  assert.ok(line.includes(`"FlowId":"${created.FlowId}"`), `the response body: ${line}`);
  assert.ok(lines.debug[0].includes('"FileBody":"<'), `file contents are replaced by their length: ${lines.debug[0]}`);
  // A retry: a line per attempt, and an info line about the retry.
  await client.DescribeUsage(USAGE, { headers: fault('throttle,times=1') });
  assert.match(lines.debug[2], /DescribeUsage attempt 1 .* HTTP 200 .*error RequestLimitExceeded/);
  assert.match(lines.debug[3], /DescribeUsage attempt 2 .* HTTP 200/);
  assert.match(lines.info[0], /DescribeUsage: attempt 1 failed \(RequestLimitExceeded\); retrying in \d+ ms/);
  // A failure with no answer.
  const refused = makeClient({ logger, retry: false, httpProfile: { endpoint: 'http://127.0.0.1:1' } });
  await refused.DescribeUsage(USAGE).catch(() => {});
  assert.match(lines.debug.at(-1), /DescribeUsage attempt 1 POST 127\.0\.0\.1:1 → TransportError \(not sent\)/);
  // Legacy v1 over GET: the signature and the token travel in the query, which is logged masked.
  const v1 = makeClient({
    credential: { secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: TOKEN },
    profile: { signMethod: 'HmacSHA1', httpProfile: { endpoint: emu.url, reqMethod: 'GET' } },
    logger,
  });
  await v1.DescribeUsage(USAGE);
  assert.match(lines.debug.at(-1), /Signature=\*\* REDACTED \*\*/);
  const text = all();
  for (const secret of [TOKEN_KEY, TOKEN, SECRET_KEY, MOBILE, PDF, '王小明']) {
    assert.ok(!text.includes(secret), `${secret} is in the log`);
  }
  assert.ok(!/Signature=[^*&\s]/.test(text), 'a v1 signature is in the log');
  assert.ok(!/TC3-HMAC-SHA256 Credential/.test(text), 'an Authorization header is in the log');
  for (const c of [client, refused, v1]) c.close();
});

test('logger: bodies cut to logBodyBytes; missing levels are fine; a bad logger is a TypeError', async () => {
  const debug = [];
  const client = makeClient({ logger: { debug: (l) => debug.push(l) }, logBodyBytes: 40 });
  await client.DescribeUsage(USAGE, { headers: fault('throttle,times=1') });
  assert.equal(debug.length, 2);
  assert.match(debug[0], /bytes in all\)/);
  assert.throws(() => makeClient({ logger: 'console' }), TypeError);
  assert.throws(() => makeClient({ logBodyBytes: -1 }), TypeError);
  client.close();
});

test('hooks: in order, with attempt counts, under a fault that causes a retry', async () => {
  const events = [];
  const sent = [];
  const record = (name) => (ctx) => {
    events.push({ name, ...ctx });
  };
  const client = makeClient({
    fetch: recordingFetch(sent),
    hooks: {
      beforeSend: (ctx) => {
        events.push({ name: 'beforeSend', ...ctx });
        ctx.setHeader('X-Hook', `attempt-${ctx.attempt}`);
        // A hook may not replace core's headers.
        ctx.setHeader('X-TC-Action', 'Nothing');
      },
      afterReceive: record('afterReceive'),
      onRetry: record('onRetry'),
      onError: record('onError'),
    },
  });
  const res = await client.DescribeUsage(USAGE, { traceId: 'hooked', headers: fault('status=503,times=1') });
  assert.deepEqual(
    events.map((e) => `${e.name}:${e.attempt}`),
    ['beforeSend:1', 'afterReceive:1', 'onRetry:1', 'beforeSend:2', 'afterReceive:2'],
  );
  for (const e of events) {
    assert.equal(e.action, 'DescribeUsage');
    assert.equal(e.traceId, 'hooked');
    assert.equal(e.host, new URL(emu.url).host);
    assert.equal(e.method, 'POST');
    assert.ok(Number.isInteger(e.elapsedMs) && e.elapsedMs >= 0);
  }
  const [, first, retry, , second] = events;
  assert.equal(first.status, 503);
  assert.equal(first.error?.code, 'InternalError');
  assert.match(first.requestId, /\S/);
  assert.ok(Number.isInteger(first.durationMs));
  assert.equal(retry.reason, 'retry');
  assert.ok(retry.delayMs >= 150 && retry.delayMs <= 300, `delay ${retry.delayMs}`);
  assert.equal(retry.error.code, 'InternalError');
  assert.equal(second.status, 200);
  assert.equal(second.error, undefined);
  assert.equal(second.requestId, res.RequestId);
  assert.deepEqual(sent.map((h) => h['x-hook']), ['attempt-1', 'attempt-2']);
  assert.ok(sent.every((h) => h['x-tc-action'] === 'DescribeUsage'));

  // A call that fails for good: onError last, with the attempt count.
  events.length = 0;
  const limited = makeClient({ hooks: { beforeSend: record('beforeSend'), afterReceive: record('afterReceive'), onRetry: record('onRetry'), onError: record('onError') }, retry: { maxAttempts: 2 } });
  const err = await limited.DescribeUsage(USAGE, { headers: fault('throttle') }).catch((e) => e);
  assert.equal(err.code, 'RequestLimitExceeded');
  assert.deepEqual(
    events.map((e) => `${e.name}:${e.attempt}`),
    ['beforeSend:1', 'afterReceive:1', 'onRetry:1', 'beforeSend:2', 'afterReceive:2', 'onError:2'],
  );
  assert.equal(events.at(-1).error, err);
  assert.equal(err.attempts, 2);

  // No answer at all (reset before any byte): no afterReceive for that attempt.
  events.length = 0;
  await limited.DescribeUsage(USAGE, { headers: fault('reset=before,times=1') });
  assert.deepEqual(events.map((e) => `${e.name}:${e.attempt}`), ['beforeSend:1', 'onRetry:1', 'beforeSend:2', 'afterReceive:2']);
  assert.equal(events[1].error.kind, 'transport');

  // Validation: only onError (attempt 1, nothing sent).
  events.length = 0;
  await limited.ChannelCancelFlow({ FlowId: 5 }).catch(() => {});
  assert.deepEqual(events.map((e) => `${e.name}:${e.attempt}`), ['onError:1']);
  for (const c of [client, limited]) c.close();
});

test('hooks: one that throws is logged and ignored; async hooks are awaited; bad hooks are TypeErrors', async () => {
  const { logger, lines } = memoryLogger();
  const order = [];
  const client = makeClient({
    logger,
    hooks: {
      beforeSend: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('beforeSend');
      },
      afterReceive: () => {
        order.push('afterReceive');
        throw new Error('telemetry is down');
      },
    },
  });
  const res = await client.DescribeUsage(USAGE);
  assert.equal(typeof res.RequestId, 'string');
  assert.deepEqual(order, ['beforeSend', 'afterReceive']);
  assert.match(lines.warn[0], /the afterReceive hook threw: telemetry is down/);
  assert.throws(() => makeClient({ hooks: { beforeSend: 1 } }), TypeError);
  assert.throws(() => makeClient({ hooks: { before: () => {} } }), TypeError);
  assert.throws(() => makeClient({ hooks: 'x' }), TypeError);
  client.close();
});

test('adapter: redactBody is core\'s redaction', async () => {
  const core = await loadAdapter();
  const body = JSON.stringify({ FlowApprovers: [{ Mobile: MOBILE, Name: '张三丰' }], Token: 'tok', Note: `call ${MOBILE}` });
  for (const input of [body, new TextEncoder().encode(body)]) {
    const out = core.redactBody(input, 4096);
    assert.ok(!out.includes(MOBILE) && !out.includes('"tok"') && !out.includes('张三丰'), out);
    assert.ok(out.includes('139****5678') && out.includes('call 139****5678'), out);
  }
  assert.match(core.redactBody(body, 10), /… \(\d+ bytes in all\)$/);
  assert.equal(core.redactBody('Action=X&Signature=abc', 100), 'Action=X&Signature=** REDACTED **');
});
