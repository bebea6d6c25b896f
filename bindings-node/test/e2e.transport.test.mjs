// HTTP against the emulator: keep-alive (many calls, one connection) for the default
// transport and for `fetch`, a caller's `agent`, an `http://` proxy, every signature and
// HTTP method, session tokens, dynamic credentials, custom headers and the trace id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { essbasicFor } from './helpers/target.mjs';
import {
  startEmulator,
  countingForwarder,
  connectProxy,
  AGENT,
  SECRET_ID,
  SECRET_KEY,
  TOKEN_ID,
  TOKEN_KEY,
  TOKEN,
} from './helpers/emulator.mjs';

const ess = essbasicFor();
const CALLS = 50;
const TEMPLATES = { Agent: AGENT, Limit: 20, Offset: 0, TemplateIds: ['a b', '中文'] };
let emu;

before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu?.stop();
});

function clientOn(endpoint, extra = {}) {
  const { profile = {}, ...rest } = extra;
  return new ess.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    region: 'ap-guangzhou',
    profile: { ...profile, httpProfile: { endpoint, ...profile.httpProfile } },
    ...rest,
  });
}

test(`keep-alive: ${CALLS} calls over one connection (default transport)`, async () => {
  const fwd = await countingForwarder(emu.port);
  const client = clientOn(`http://127.0.0.1:${fwd.port}`);
  try {
    for (let i = 0; i < CALLS; i++) await client.DescribeTemplates(TEMPLATES);
    assert.equal(fwd.connections(), 1);
  } finally {
    client.close();
    await fwd.close();
  }
});

test(`keep-alive: ${CALLS} calls over one connection (the fetch option)`, async () => {
  const fwd = await countingForwarder(emu.port);
  const calls = [];
  const client = clientOn(`http://127.0.0.1:${fwd.port}`, {
    fetch: (url, init) => {
      calls.push(url);
      return fetch(url, init);
    },
  });
  try {
    for (let i = 0; i < CALLS; i++) await client.DescribeTemplates(TEMPLATES);
    assert.equal(calls.length, CALLS, 'every call went through the given fetch');
    // Node's global fetch (undici) opens a second connection after its very first request,
    // against any server (a plain node:http server too), then reuses it for every call.
    assert.ok(fwd.connections() <= 2, `${fwd.connections()} connections`);
  } finally {
    await fwd.close();
  }
});

test('concurrent calls share a bounded pool', async () => {
  const fwd = await countingForwarder(emu.port);
  const client = clientOn(`http://127.0.0.1:${fwd.port}`);
  try {
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 8 }, () => client.DescribeTemplates(TEMPLATES)));
    }
    assert.ok(fwd.connections() <= 8, `${fwd.connections()} connections for 8-wide rounds`);
  } finally {
    client.close();
    await fwd.close();
  }
});

test("the caller's httpProfile.agent is used", async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let created = 0;
  const original = agent.createConnection.bind(agent);
  agent.createConnection = (...args) => {
    created++;
    return original(...args);
  };
  const client = clientOn(emu.url, { profile: { httpProfile: { agent } } });
  for (let i = 0; i < 5; i++) await client.DescribeTemplates(TEMPLATES);
  assert.equal(created, 1);
  agent.destroy();
});

test('httpProfile.proxy: an http:// proxy through CONNECT, kept alive, with credentials', async () => {
  const proxy = await connectProxy({ auth: 'user:proxy-pass' });
  const client = clientOn(emu.url, { profile: { httpProfile: { proxy: proxy.url } } });
  try {
    for (let i = 0; i < 5; i++) await client.DescribeTemplates(TEMPLATES);
    assert.equal(proxy.tunnels(), 1);
    const wrong = clientOn(emu.url, { profile: { httpProfile: { proxy: proxy.url.replace('proxy-pass', 'nope') } } });
    await assert.rejects(wrong.DescribeTemplates(TEMPLATES), (err) => {
      assert.equal(err.kind, 'transport');
      assert.equal(err.notSent, true);
      assert.ok(!`${err.message} ${err.cause?.message}`.includes('nope'));
      return true;
    });
    wrong.close();
  } finally {
    client.close();
    await proxy.close();
  }
});

for (const [signMethod, reqMethod] of [
  ['TC3-HMAC-SHA256', 'POST'],
  ['TC3-HMAC-SHA256', 'GET'],
  ['HmacSHA256', 'POST'],
  ['HmacSHA256', 'GET'],
  ['HmacSHA1', 'POST'],
  ['HmacSHA1', 'GET'],
]) {
  test(`${signMethod} over ${reqMethod}, with and without a session token`, async () => {
    const plain = clientOn(emu.url, { profile: { signMethod, language: 'en-US', httpProfile: { reqMethod } } });
    const res = await plain.DescribeTemplates(TEMPLATES);
    assert.equal(typeof res.RequestId, 'string');
    const withToken = new ess.Client({
      credential: { secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: TOKEN },
      profile: { signMethod, httpProfile: { endpoint: emu.url, reqMethod } },
    });
    assert.equal(typeof (await withToken.DescribeTemplates(TEMPLATES)).RequestId, 'string');
    const noToken = new ess.Client({
      credential: { secretId: TOKEN_ID, secretKey: TOKEN_KEY },
      profile: { signMethod, httpProfile: { endpoint: emu.url, reqMethod } },
    });
    await assert.rejects(noToken.DescribeTemplates(TEMPLATES), { kind: 'api', code: /^AuthFailure/ });
    for (const c of [plain, withToken, noToken]) c.close();
  });
}

test('a dynamic credential (getCredential) is asked on every call', async () => {
  let asked = 0;
  const client = new ess.Client({
    credential: {
      async getCredential() {
        asked++;
        return { secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: TOKEN };
      },
    },
    profile: { httpProfile: { endpoint: emu.url } },
  });
  await client.DescribeTemplates(TEMPLATES);
  await client.DescribeTemplates(TEMPLATES);
  assert.equal(asked, 2);
  const failing = new ess.Client({
    credential: { getCredential: async () => Promise.reject(new Error('metadata service down')) },
    profile: { httpProfile: { endpoint: emu.url } },
  });
  await assert.rejects(failing.DescribeTemplates(TEMPLATES), { kind: 'signing', message: /metadata service down/ });
  client.close();
});

test('custom headers are sent; X-TC-TraceId from the headers is the trace id', async () => {
  const sent = [];
  const base = clientOn(emu.url);
  const client = clientOn(emu.url, {
    profile: { httpProfile: { headers: { 'X-Custom': 'yes', 'X-TC-TraceId': 'trace-fixed-1' } } },
    transport: async (req) => {
      sent.push(req);
      return { status: 200, headers: {}, body: new TextEncoder().encode('{"Response":{"Error":{"Code":"X","Message":"m"},"RequestId":"r"}}') };
    },
  });
  await assert.rejects(client.DescribeTemplates(TEMPLATES, { headers: { 'X-Per-Call': '1' } }), {
    kind: 'api',
    traceId: 'trace-fixed-1',
  });
  const names = sent[0].headers.map(([k]) => k);
  assert.ok(names.includes('X-Custom') && names.includes('X-Per-Call'));
  assert.deepEqual(
    sent[0].headers.filter(([k]) => k.toLowerCase() === 'x-tc-traceid'),
    [['X-TC-TraceId', 'trace-fixed-1']],
  );
  // Without one, every call gets a fresh UUID.
  const a = await base.DescribeTemplates(TEMPLATES, { headers: { 'X-Emulator-Fault': 'x' } }).catch((e) => e);
  assert.equal(typeof (a.RequestId ?? a.requestId), 'string');
  base.close();
});

test('int64 beyond 2^53 reaches the wire exactly (bigint in, raw digits out)', async () => {
  const bodies = [];
  const client = clientOn(emu.url, {
    transport: async (req) => {
      bodies.push(req.body);
      return {
        status: 200,
        headers: {},
        body: new TextEncoder().encode('{"Response":{"FlowId":"f","Deadline":9223372036854775807,"N":-9007199254740993,"S":9007199254740991,"RequestId":"r"}}'),
      };
    },
  });
  const res = await client.ChannelCreateFlowByFiles({ Agent: AGENT, FlowName: 'n', Deadline: 9007199254740993n });
  assert.match(bodies[0], /"Deadline":9007199254740993[,}]/);
  assert.equal(res.Deadline, 9223372036854775807n);
  assert.equal(res.N, -9007199254740993n);
  assert.equal(res.S, 9007199254740991);
  // And the emulator accepts such a request.
  const real = clientOn(emu.url);
  const created = await real.ChannelCreateFlowByFiles({ Agent: AGENT, FlowName: 'n', Deadline: 9007199254740993n });
  assert.equal(typeof created.RequestId, 'string');
  real.close();
});
