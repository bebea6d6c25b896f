// The answer path (core's `classify_response_js` on the native addon, `classifyResponse` on
// WebAssembly, then JSON.parse): exact big integers in non-ASCII and large answers, typed API
// errors, invalid JSON as a DecodeError, and the socket transport reading an answer that
// arrives in pieces (split inside the head, inside a UTF-8 character, chunked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { essbasicFor, TARGET } from './helpers/target.mjs';
import { AGENT } from './helpers/emulator.mjs';

const ess = essbasicFor();
const PARAMS = { Agent: AGENT, FlowIds: ['f'] };

/** A client whose custom transport answers `body` (a string or bytes) with `status`. */
function answering(body, status = 200) {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return new ess.Client({
    credential: { secretId: 'AKIDtest', secretKey: 'key' },
    region: '',
    retry: false,
    transport: async () => ({ status, headers: {}, body: bytes }),
  });
}

const call = (client) => client.DescribeFlowDetailInfo(PARAMS);

test('big integers stay exact next to non-ASCII text, in small and ~1 MB answers', async () => {
  const small =
    '{"Response":{"Name":"采购合同 😀 é","Id":9007199254740993,"Ids":[-18446744073709551615,1,9007199254740991],' +
    '"F":9007199254740993.5,"E":1e300,"S":"9007199254740993","Nested":{"Deep":[{"N":123456789012345678901234567890}]},"RequestId":"r-1"}}';
  const res = await call(answering(small));
  assert.equal(res.Name, '采购合同 😀 é');
  assert.equal(res.Id, 9007199254740993n);
  assert.deepEqual(res.Ids, [-18446744073709551615n, 1, 9007199254740991]);
  assert.equal(res.F, 9007199254740993.5);
  assert.equal(res.E, 1e300);
  assert.equal(res.S, '9007199254740993');
  assert.equal(res.Nested.Deep[0].N, 123456789012345678901234567890n);
  assert.equal(res.RequestId, 'r-1');

  // ~1 MB, mostly non-ASCII, one big integer at the very end, one escaped key.
  const item = (i) => `{"FlowName":"采购合同 bench #${i}","Approver":"张三\\"李四\\u0041","CreateOn":1795923145}`;
  const items = Array.from({ length: 12000 }, (_, i) => item(i)).join(',');
  const big = `{"Response":{"FlowInfo":[${items}],"Total":-9223372036854775808,"RequestId":"r-2"}}`;
  const bigRes = await call(answering(big));
  assert.equal(bigRes.FlowInfo.length, 12000);
  assert.equal(bigRes.FlowInfo[11999].FlowName, '采购合同 bench #11999');
  assert.equal(bigRes.FlowInfo[5].Approver, '张三"李四A');
  assert.equal(bigRes.Total, -9223372036854775808n);
  assert.equal(bigRes.RequestId, 'r-2');

  // The RequestId hooks see: the answer's string (escapes decoded), or none.
  for (const [rid, want] of [['"r\\u0041"', 'rA'], ['null', ''], ['"plain"', 'plain']]) {
    const seen = [];
    const client = new ess.Client({
      credential: { secretId: 'AKIDtest', secretKey: 'key' },
      region: '',
      retry: false,
      hooks: { afterReceive: (ctx) => seen.push(ctx.requestId) },
      transport: async () => ({ status: 200, headers: {}, body: new TextEncoder().encode(`{"Response":{"A":1,"RequestId":${rid}}}`) }),
    });
    const res = await call(client);
    assert.equal(res.A, 1);
    assert.deepEqual(seen, [want], rid);
  }
  // ASCII only, no big integer: the same values.
  const ascii = await call(answering('{"Response":{"A":[1,2,{"B":"x\\u00e9"}],"N":9007199254740991,"RequestId":"r-3"}}'));
  assert.deepEqual({ ...ascii }, { A: [1, 2, { B: 'xé' }], N: 9007199254740991, RequestId: 'r-3' });
});

test('an API error envelope is a typed ApiError, whatever the status and the text', async () => {
  const body = '{"Response":{"Error":{"Code":"InvalidParameter.FlowId","Message":"流程不存在 9007199254740993"},"RequestId":"r-e"}}';
  for (const status of [200, 400, 500]) {
    await assert.rejects(call(answering(body, status)), (err) => {
      assert.ok(err instanceof ess.ApiError, `${status}: ${err}`);
      assert.equal(err.code, 'InvalidParameter.FlowId');
      assert.equal(err.message, '流程不存在 9007199254740993');
      assert.equal(err.requestId, 'r-e');
      return true;
    });
  }
});

test('invalid JSON in a 2xx answer is a DecodeError, wherever it is', async () => {
  const bad = [
    '{"Response":{"A":[1,],"RequestId":"r"}}',
    '{"Response":{"A":tru,"RequestId":"r"}}',
    '{"Response":{"A":01}}',
    '{"Response":{"A":"x\ny"}}',
    '{"Response":{"A":{"B":1,}}}',
    '{"Response":{"A":[1}}}',
    '{"Response":{"A":1 2}}',
    '{"Response":{"A":"\\x"}}',
    '{"Response":{}} trailing',
    '{"Other":tru,"Response":{}}',
    '{"Response":{"RequestId":"r"}',
    'not JSON at all',
    '',
  ];
  for (const body of bad) {
    await assert.rejects(call(answering(body)), (err) => {
      assert.ok(err instanceof ess.DecodeError, `${JSON.stringify(body)}: ${err}`);
      assert.equal(err.kind, 'decode');
      return true;
    }, body);
  }
  // Where core's scan of the envelope read the RequestId, the error names it (the native
  // addon: its usual answer is one number, and JSON.parse is what refuses the text).
  if (TARGET === 'native') {
    for (const body of ['{"Response":{"A":tru,"RequestId":"r"}}', '{"Response":{"RequestId":"r","A":01}}', '{"Response":{"RequestId":"r","N":"é","A":01}}']) {
      await assert.rejects(call(answering(body)), (err) => err instanceof ess.DecodeError && err.requestId === 'r', body);
    }
  }
  // Bytes that are not UTF-8.
  const bytes = new TextEncoder().encode('{"Response":{"A":"??"}}');
  bytes[18] = 0xe9;
  bytes[19] = 0x41;
  await assert.rejects(call(answering(bytes)), (err) => err instanceof ess.DecodeError);
});

/**
 * A raw HTTP/1.1 server on the loopback that answers every request with `pieces` (strings
 * or bytes), written one at a time with a pause between, on a kept-alive connection.
 */
async function pieceServer(pieces) {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let seen = '';
    socket.on('data', async (chunk) => {
      seen += chunk.toString('latin1');
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: *(\d+)/i.exec(seen.slice(0, end))?.[1] ?? 0);
      if (seen.length < end + 4 + length) return;
      seen = seen.slice(end + 4 + length);
      for (const piece of pieces) {
        socket.write(piece);
        await new Promise((r) => setTimeout(r, 2));
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

test('the default transport: successes parsed from their Response text, invalid ones a DecodeError with the RequestId', async () => {
  const answers = [
    ['{"Response":{"Name":"采购合同","N":1.5,"RequestId":"r-1"}}', (res) => assert.deepEqual({ ...res }, { Name: '采购合同', N: 1.5, RequestId: 'r-1' })],
    ['{"Response":{"A":[1,{"B":"x"}],"RequestId":"r-2"}}', (res) => assert.deepEqual({ ...res }, { A: [1, { B: 'x' }], RequestId: 'r-2' })],
    ['{"Response":{"A":tru,"RequestId":"r-3"}}', null],
    ['{"Response":{"RequestId":"r-4","T":"中","A":01}}', null],
  ];
  for (const [json, check] of answers) {
    const body = Buffer.from(json);
    const wire = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
    const server = await pieceServer([wire]);
    const seen = [];
    const client = new ess.Client({
      credential: { secretId: 'AKIDtest', secretKey: 'key' },
      region: '',
      retry: false,
      profile: { httpProfile: { endpoint: server.url } },
      hooks: { afterReceive: (ctx) => seen.push(ctx.requestId) },
    });
    try {
      const requestId = /"RequestId":"([^"]*)"/.exec(json)[1];
      if (check) {
        check(await call(client));
      } else {
        await assert.rejects(call(client), (err) => {
          assert.ok(err instanceof ess.DecodeError, `${json}: ${err}`);
          // The native addon's envelope scan reads it (WebAssembly's strict parse does not).
          if (TARGET === 'native') assert.equal(err.requestId, requestId, json);
          return true;
        });
      }
      if (check || TARGET === 'native') assert.deepEqual(seen, [requestId], json);
    } finally {
      client.close();
      await server.close();
    }
  }
});

/** `bytes` cut into pieces of `size` bytes (a UTF-8 character gets split too). */
function cut(bytes, size) {
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

test('the default transport reads answers split anywhere, with Content-Length or chunked', async () => {
  const json = '{"Response":{"Name":"采购合同😀","Id":9007199254740993,"RequestId":"r-s"}}';
  const body = Buffer.from(json);
  const withLength = Buffer.concat([
    Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`),
    body,
  ]);
  const half = Math.floor(body.length / 2);
  const chunked = Buffer.concat([
    Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n'),
    Buffer.from(`${half.toString(16)}\r\n`),
    body.subarray(0, half),
    Buffer.from(`\r\n${(body.length - half).toString(16)}\r\n`),
    body.subarray(half),
    Buffer.from('\r\n0\r\n\r\n'),
  ]);
  for (const [name, wire, size] of [
    ['Content-Length, 1-byte pieces', withLength, 1],
    ['Content-Length, 7-byte pieces', withLength, 7],
    ['chunked, 3-byte pieces', chunked, 3],
    ['chunked, one piece', chunked, chunked.length],
  ]) {
    const server = await pieceServer(cut(wire, size));
    const client = new ess.Client({
      credential: { secretId: 'AKIDtest', secretKey: 'key' },
      region: '',
      retry: false,
      profile: { httpProfile: { endpoint: server.url } },
    });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await call(client);
        assert.equal(res.Name, '采购合同😀', name);
        assert.equal(res.Id, 9007199254740993n, name);
        assert.equal(res.RequestId, 'r-s', name);
      }
    } finally {
      client.close();
      await server.close();
    }
  }
});

test('a custom transport: headers, body and signal as documented, also when spread; abort and timeout reach it', async () => {
  const seen = [];
  const client = new ess.Client({
    credential: { secretId: 'AKIDtest', secretKey: 'key' },
    region: 'ap-guangzhou',
    retry: false,
    transport: async (req) => {
      const copy = { ...req };
      seen.push(copy);
      assert.ok(Array.isArray(req.headers));
      assert.ok(req.signal instanceof AbortSignal);
      assert.equal(req.signal.aborted, false);
      return { status: 200, headers: {}, body: new TextEncoder().encode('{"Response":{"RequestId":"r"}}') };
    },
  });
  await call(client);
  const [req] = seen;
  assert.equal(req.method, 'POST');
  assert.equal(req.body, JSON.stringify(PARAMS));
  const names = req.headers.map(([n]) => n.toLowerCase());
  for (const name of ['authorization', 'x-tc-action', 'x-tc-timestamp', 'x-tc-traceid', 'x-tc-region', 'content-type']) {
    assert.ok(names.includes(name), `${name} in ${names}`);
  }
  assert.ok(req.headers.every((p) => p.length === 2 && p.every((v) => typeof v === 'string')));
  assert.ok(req.signal instanceof AbortSignal);

  // A transport that waits for the signal: the caller's abort and the timeout reach it.
  const waiting = (req) =>
    new Promise((_, reject) => {
      req.signal.addEventListener('abort', () => reject(new Error('aborted by the signal')), { once: true });
    });
  const slow = new ess.Client({ credential: { secretId: 'AKIDtest', secretKey: 'key' }, region: '', retry: false, transport: waiting });
  const controller = new AbortController();
  const pending = slow.DescribeFlowDetailInfo(PARAMS, { signal: controller.signal });
  setTimeout(() => controller.abort(), 10);
  await assert.rejects(pending, (err) => err instanceof ess.TransportError && /aborted/.test(err.message));
  await assert.rejects(slow.DescribeFlowDetailInfo(PARAMS, { timeoutMs: 20 }), (err) => err instanceof ess.TimeoutError);
  // One that reads the signal only after the abort sees it aborted.
  const late = new ess.Client({
    credential: { secretId: 'AKIDtest', secretKey: 'key' },
    region: '',
    retry: false,
    transport: (req) =>
      new Promise((_, reject) => setTimeout(() => (req.signal.aborted ? reject(new Error('late abort')) : reject(new Error('not aborted'))), 60)),
  });
  await assert.rejects(late.DescribeFlowDetailInfo(PARAMS, { timeoutMs: 20 }), (err) => err instanceof ess.TimeoutError && /late abort/.test(String(err.cause?.message ?? err.message)));
});

test('a custom transport request: its own enumerable keys in order, headers and signal settable, one per attempt', async () => {
  const seen = [];
  const client = new ess.Client({
    credential: { secretId: 'AKIDtest', secretKey: 'key' },
    region: '',
    retry: false,
    transport: async (req) => {
      seen.push(req);
      assert.deepEqual(Object.keys(req), ['method', 'url', 'headers', 'body', 'signal', 'maxBodyBytes']);
      const parsed = req.headers;
      assert.equal(req.headers, parsed, 'parsed once');
      req.headers = [['x', 'y']];
      assert.deepEqual(req.headers, [['x', 'y']]);
      const signal = req.signal;
      assert.equal(req.signal, signal);
      const own = new AbortController().signal;
      req.signal = own;
      assert.equal(req.signal, own);
      return { status: 200, headers: { 'X-TC-TraceId': 'answer-trace' }, body: new TextEncoder().encode('{"Response":{"RequestId":"r"}}') };
    },
  });
  const res = await call(client);
  assert.equal(res.traceId, 'answer-trace');
  await call(client);
  assert.equal(seen.length, 2);
  assert.notEqual(seen[0], seen[1]);
});

test('timeouts of calls in flight together: each at its own deadline, the others unaffected', async () => {
  // A transport that answers only the calls whose body says so, and otherwise waits for the abort.
  const client = new ess.Client({
    credential: { secretId: 'AKIDtest', secretKey: 'key' },
    region: '',
    retry: false,
    transport: (req) =>
      new Promise((resolve, reject) => {
        if (req.body.includes('"quick"')) {
          setTimeout(() => resolve({ status: 200, headers: {}, body: new TextEncoder().encode('{"Response":{"RequestId":"q"}}') }), 5);
          return;
        }
        req.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      }),
  });
  const started = Date.now();
  const ends = [];
  const timed = (ms) =>
    client.DescribeFlowDetailInfo(PARAMS, { timeoutMs: ms }).then(
      () => assert.fail('answered'),
      (err) => {
        assert.ok(err instanceof ess.TimeoutError, String(err));
        ends.push([ms, Date.now() - started]);
      },
    );
  const quick = client.DescribeFlowDetailInfo({ ...PARAMS, FlowIds: ['quick'] }, { timeoutMs: 10_000 });
  await Promise.all([timed(120), timed(40), timed(80), quick.then((r) => assert.equal(r.RequestId, 'q'))]);
  assert.deepEqual(ends.map(([ms]) => ms), [40, 80, 120]);
  for (const [ms, elapsed] of ends) assert.ok(elapsed >= ms - 2, `${ms} ms timeout after ${elapsed} ms`);
  // Nothing left in flight: a later call still gets its timeout.
  await timed(30);
});

test('every way a call ends goes through the onError hook once, with the error the call rejects with', async () => {
  const seen = [];
  const make = (transport, extra = {}) =>
    new ess.Client({
      credential: { secretId: 'AKIDtest', secretKey: 'key' },
      region: '',
      transport,
      hooks: { onError: (ctx) => seen.push([ctx.action, ctx.attempt, ctx.error]) },
      ...extra,
    });
  const ok = async () => ({ status: 200, headers: {}, body: new TextEncoder().encode('{"Response":{"RequestId":"r"}}') });
  const expectEnd = async (start, check, attempts) => {
    seen.length = 0;
    let thrown;
    await assert.rejects(start(), (err) => {
      thrown = err;
      return check(err);
    });
    assert.equal(seen.length, 1, 'onError once');
    assert.equal(seen[0][2], thrown);
    assert.equal(seen[0][1], attempts);
    assert.equal(thrown.attempts, attempts);
  };
  // Parameters that cannot be written: before any attempt.
  const circular = { Agent: AGENT };
  circular.self = circular;
  await expectEnd(() => make(ok).DescribeFlowDetailInfo(circular), (e) => e instanceof ess.ValidationError, 0);
  // Refused by core's validation: the first attempt, nothing sent.
  await expectEnd(() => make(ok).DescribeFlowDetailInfo({ Agent: AGENT, FlowIds: 'not a list' }), (e) => e instanceof ess.ValidationError, 1);
  // A transport that throws synchronously, and one that rejects: a read-only action is retried.
  const throwing = () => {
    throw new Error('boom');
  };
  await expectEnd(() => make(throwing, { retry: { maxAttempts: 2, baseDelayMs: 1 } }).DescribeFlowDetailInfo(PARAMS), (e) => e instanceof ess.TransportError && /boom/.test(e.message), 2);
  await expectEnd(() => make(async () => Promise.reject(new Error('nope')), { retry: false }).DescribeFlowDetailInfo(PARAMS), (e) => e instanceof ess.TransportError, 1);
  // An API error.
  const apiError = async () => ({ status: 200, headers: {}, body: new TextEncoder().encode('{"Response":{"Error":{"Code":"OperationDenied","Message":"m"},"RequestId":"r"}}') });
  await expectEnd(() => make(apiError).ChannelCancelFlow({ Agent: AGENT, FlowId: 'f' }), (e) => e instanceof ess.ApiError && e.code === 'OperationDenied', 1);
  // A success after a retried failure: no onError, the value with its trace id.
  let n = 0;
  const flaky = async (req) => (++n === 1 ? { status: 503, headers: {}, body: new Uint8Array(0) } : ok(req));
  seen.length = 0;
  const res = await make(flaky, { retry: { maxAttempts: 3, baseDelayMs: 1 } }).DescribeFlowDetailInfo(PARAMS);
  assert.equal(res.RequestId, 'r');
  assert.equal(typeof res.traceId, 'string');
  assert.equal(seen.length, 0);
  assert.equal(n, 2);
  // The node-style callback gets the same outcomes.
  const viaCallback = await new Promise((resolve) => make(apiError).ChannelCancelFlow({ Agent: AGENT, FlowId: 'f' }, (err, value) => resolve([err?.code, value])));
  assert.deepEqual(viaCallback, ['OperationDenied', null]);
});

test('bad per-call options reject the call (no synchronous throw), as before the fast path', async () => {
  const client = answering('{"Response":{"RequestId":"r"}}');
  await call(client); // the adapter is loaded: the fast path
  let promise;
  assert.doesNotThrow(() => {
    promise = client.DescribeFlowDetailInfo(PARAMS, {
      traceId: {
        toString() {
          throw new TypeError('not a trace id');
        },
      },
    });
  });
  await assert.rejects(promise, /not a trace id/);
  const res = await client.DescribeFlowDetailInfo(PARAMS, { traceId: 'mine' });
  assert.equal(res.traceId, 'mine');
});
