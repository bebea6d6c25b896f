// The default transport's sockets and the calls' timeouts, against raw loopback servers:
// one shared timer for every call's timeout (each still fires at its own time, with many
// calls in flight), answers read through `onread` (split reads, a connection closed
// mid-answer, keep-alive reuse), and an idle client never keeps the process alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { essbasicFor, loadAdapter, TARGET } from './helpers/target.mjs';
import { socketTransport } from '../lib/transport-socket.mjs';
import { ON_ABORT, DIRECT } from '../lib/transport-fetch.mjs';

const ess = essbasicFor();
const BODY = '{"Response":{"RequestId":"r-1"}}';
const ANSWER = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`;

/**
 * A raw HTTP/1.1 server: `onRequest(socket, n)` is called for each complete request (the
 * n-th on any connection); it counts connections.
 */
async function rawServer(onRequest) {
  const sockets = new Set();
  let requests = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let seen = '';
    socket.on('data', (chunk) => {
      seen += chunk.toString('latin1');
      for (;;) {
        const end = seen.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: *(\d+)/i.exec(seen.slice(0, end))?.[1] ?? 0);
        if (seen.length < end + 4 + length) return;
        seen = seen.slice(end + 4 + length);
        requests += 1;
        onRequest(socket, requests);
      }
    });
  });
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get connections() {
      return connections;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

function makeClient(url, httpProfile = {}) {
  return new ess.Client({
    credential: { secretId: 'AKIDtest', secretKey: 'key' },
    region: '',
    retry: false,
    profile: { httpProfile: { endpoint: url, ...httpProfile } },
  });
}

const call = (client, options) => client.ChannelCancelFlow({ Agent: { AppId: 'a' }, FlowId: 'f' }, options);

test('many calls in flight, different timeouts on one timer: each fires at its own time', async () => {
  const server = await rawServer(() => {}); // never answers
  const client = makeClient(server.url);
  try {
    const started = performance.now();
    const timeouts = [];
    for (let i = 0; i < 30; i++) timeouts.push([400, 150, 250][i % 3]);
    const outcomes = await Promise.all(
      timeouts.map((timeoutMs) =>
        call(client, { timeoutMs }).then(
          () => assert.fail('answered'),
          (err) => ({ err, at: performance.now() - started, timeoutMs }),
        ),
      ),
    );
    for (const { err, at, timeoutMs } of outcomes) {
      assert.ok(err instanceof ess.TimeoutError, `${err}`);
      assert.equal(err.timeoutMs, timeoutMs);
      assert.ok(at >= timeoutMs - 2, `a ${timeoutMs} ms timeout fired after ${at} ms`);
      assert.ok(at < timeoutMs + 300, `a ${timeoutMs} ms timeout fired after ${at} ms`);
    }
    // A later call's timeout fires at its time too (the timer is re-armed).
    const again = performance.now();
    await assert.rejects(call(client, { timeoutMs: 100 }), ess.TimeoutError);
    assert.ok(performance.now() - again >= 98);
  } finally {
    client.close();
    await server.close();
  }
});

test('an abort among calls in flight ends only that call; the others time out or answer', async () => {
  let answerFrom = Infinity;
  const server = await rawServer((socket, n) => {
    if (n >= answerFrom) socket.write(ANSWER);
  });
  const client = makeClient(server.url);
  try {
    const controller = new AbortController();
    const aborted = call(client, { signal: controller.signal, timeoutMs: 5000 });
    const timed = call(client, { timeoutMs: 200 });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(aborted, { kind: 'transport', message: /aborted/ });
    await assert.rejects(timed, ess.TimeoutError);
    answerFrom = 0;
    assert.equal((await call(client, { timeoutMs: 1000 })).RequestId, 'r-1');
  } finally {
    client.close();
    await server.close();
  }
});

test('answers in many small reads; keep-alive reuse; a connection closed mid-answer', async () => {
  const server = await rawServer((socket, n) => {
    if (n === 4) {
      // Half the answer, then the connection closes.
      socket.end(ANSWER.slice(0, ANSWER.length - 10));
      return;
    }
    // One byte at a time, each its own read.
    let i = 0;
    const next = () => {
      if (i >= ANSWER.length || socket.destroyed) return;
      socket.write(ANSWER[i++]);
      setTimeout(next, 1);
    };
    next();
  });
  const client = makeClient(server.url);
  try {
    for (let i = 0; i < 3; i++) assert.equal((await call(client)).RequestId, 'r-1');
    assert.equal(server.connections, 1, 'one kept-alive connection');
    await assert.rejects(call(client), (err) => {
      assert.equal(err.kind, 'transport');
      assert.equal(err.notSent, false);
      assert.match(err.message, /closed mid-response/);
      return true;
    });
    assert.equal((await call(client)).RequestId, 'r-1');
    assert.equal(server.connections, 2);
  } finally {
    client.close();
    await server.close();
  }
});

test('an idle client (kept-alive connection, timeout timer) does not keep the process alive', async () => {
  const server = await rawServer((socket) => socket.write(ANSWER));
  const index = fileURLToPath(new URL('../lib/index.mjs', import.meta.url));
  const script = `
    const { Client } = await import(${JSON.stringify(index)});
    const client = new Client({ credential: { secretId: 'AKIDtest', secretKey: 'key' }, region: '', retry: false,
      profile: { httpProfile: { endpoint: ${JSON.stringify(server.url)}, reqTimeout: 60 } } });
    const r = await client.ChannelCancelFlow({ Agent: { AppId: 'a' }, FlowId: 'f' });
    console.log(r.RequestId);
  `;
  try {
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.equal(out.trim(), 'r-1');
    // The idle connection is closed after 4 s and the timeout timer is for 60 s: neither waited for.
    assert.ok(performance.now() - started < 3000, `exited after ${performance.now() - started} ms`);
  } finally {
    await server.close();
  }
});

test('a timeout beyond the longest setTimeout delay does not fire early', async () => {
  const server = await rawServer((socket) => setTimeout(() => socket.write(ANSWER), 30));
  const client = makeClient(server.url);
  try {
    assert.equal((await call(client, { timeoutMs: 2 ** 33 })).RequestId, 'r-1');
    // And a short one next to it still fires at its time.
    const server2 = await rawServer(() => {});
    const other = makeClient(server2.url);
    const long = call(client, { timeoutMs: 2 ** 33 });
    await assert.rejects(call(other, { timeoutMs: 100 }), ess.TimeoutError);
    assert.equal((await long).RequestId, 'r-1');
    other.close();
    await server2.close();
  } finally {
    client.close();
    await server.close();
  }
});

test('the socket transport on its own: the promise interface and the direct one (a sink, no promise)', { skip: TARGET !== 'native' && 'frames HTTP with the native addon' }, async () => {
  const server = await rawServer((socket) => socket.write(ANSWER));
  const core = await loadAdapter('native');
  const send = socketTransport(() => core, () => assert.fail('no fallback with the native addon'));
  try {
    assert.equal(send[ON_ABORT], true);
    assert.equal(typeof send[DIRECT], 'function');
    const req = { method: 'POST', url: `${server.url}/`, headers: [['Host', 'x'], ['Content-Type', 'application/json']], body: '{}', maxBodyBytes: 1024 };
    const res = await send(req);
    assert.equal(res.status, 200);
    assert.equal(new TextDecoder().decode(res.body), BODY);
    assert.equal(res.headers.get('X-TC-TraceId'), null);
    // Answers of different sizes one after the other (the read buffer's view is reused per size).
    const sized = await rawServer((socket, n) => {
      const body = `{"Response":{"RequestId":"${'r'.repeat(n % 3)}"}}`;
      socket.write(`HTTP/1.1 200 OK\r\nX-TC-TraceId: t-${n}\r\nDate: Sun, 29 Nov 2026 06:00:00 GMT\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    for (let n = 1; n <= 7; n++) {
      const answer = await send({ ...req, url: `${sized.url}/` });
      assert.equal(new TextDecoder().decode(answer.body), `{"Response":{"RequestId":"${'r'.repeat(n % 3)}"}}`);
      assert.equal(answer.headers.get('x-tc-traceid'), `t-${n}`);
      assert.equal(answer.headers.get('X-TC-TRACEID'), `t-${n}`);
      assert.equal(answer.headers.get('Date'), 'Sun, 29 Nov 2026 06:00:00 GMT');
      assert.equal(answer.headers.get('content-length'), null);
    }
    await sized.close();
    // The direct interface reports to the sink's methods.
    const direct = await new Promise((resolve, reject) =>
      send[DIRECT](req, { transportDone: resolve, transportFailed: reject }),
    );
    assert.equal(direct.status, 200);
    assert.equal(server.connections, 1, 'the connection was reused');
    // A failure before anything is sent goes to transportFailed, synchronously or not.
    const failed = await new Promise((resolve) =>
      send[DIRECT]({ ...req, url: 'ftp://x/' }, { transportDone: () => resolve(null), transportFailed: resolve }),
    );
    assert.match(String(failed), /invalid URL/);
    // An aborted request (through `req[ON_ABORT]`) fails and closes its connection.
    const abort = { aborted: false, hook: null, subscribe(fn) { this.hook = fn; } };
    const hanging = await rawServer(() => {});
    const pending = send({ ...req, url: `${hanging.url}/`, [ON_ABORT]: abort });
    await new Promise((r) => setTimeout(r, 20));
    abort.hook();
    await assert.rejects(pending, /aborted/);
    assert.equal(abort.hook, null, 'unsubscribed');
    await hanging.close();
  } finally {
    send.close();
    await server.close();
  }
});
