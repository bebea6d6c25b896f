// Issue #8 against the emulator: callbacks it POSTs (opened, a bad signature refused), upload
// limits refused before anything is sent, a conversion waited to completion with progress,
// pagination, and the CreateRequestWithEncryption envelope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { essbasicFor } from './helpers/target.mjs';
import { startEmulator, AGENT, PDF, SECRET_ID, SECRET_KEY } from './helpers/emulator.mjs';

const ess = essbasicFor();
const KEY = '0123456789ABCDEFfedcba9876543210';
const TOKEN = 'cb-token-T';
const POLLS = 3;
const FAST = { initialDelayMs: 10, maxDelayMs: 50 };
const pdf = Buffer.from(PDF, 'base64');

let emu;
let client;
let receiver;
const received = [];
let onReceived = () => {};

before(async () => {
  receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks), signature: req.headers['content-signature'] ?? null });
      res.end('ok');
      onReceived();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const port = receiver.address().port;
  emu = await startEmulator([
    '--task-polls', String(POLLS),
    '--callback-url', `http://127.0.0.1:${port}/cb`,
    '--callback-key', KEY,
    '--callback-token', TOKEN,
  ]);
  client = new ess.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    profile: { httpProfile: { endpoint: emu.url } },
  });
});
after(async () => {
  client?.close();
  await emu?.stop();
  await new Promise((r) => receiver.close(r));
});

function nextCallback(count) {
  return new Promise((resolve) => {
    const check = () => {
      if (received.length >= count) {
        onReceived = () => {};
        resolve(received[count - 1]);
      }
    };
    onReceived = check;
    check();
  });
}

test('a callback the emulator POSTs is opened; a bad signature or key is refused', async () => {
  const up = await client.uploadFiles([{ name: 'lease.pdf', data: pdf }], { businessType: 'DOCUMENT', agent: AGENT });
  const created = await client.ChannelCreateFlowByFiles({
    Agent: AGENT,
    FlowName: 'Callback test',
    FileIds: up.FileIds,
    FlowApprovers: [{ ApproverType: 'PERSON', Name: '张三', Mobile: '13800000000' }],
  });
  const before = received.length;
  await fetch(`${emu.url}/__emulator/flows/${created.FlowId}/status`, {
    method: 'POST',
    body: JSON.stringify({ FlowStatus: 'ALL' }),
  });
  // Creation and the status change each send one, in order.
  let got;
  for (let n = before + 1; ; n++) {
    got = await nextCallback(n);
    const ev = await ess.openCallback(got.body, { key: KEY, token: TOKEN, signature: got.signature });
    assert.equal(ev.MsgType, 'FlowStatusChange');
    assert.equal(ev.MsgData.FlowId, created.FlowId);
    if (ev.MsgData.FlowStatus === 'ALL') break;
  }
  assert.match(got.signature, /^sha256=[0-9a-f]{64}$/);

  const bad = await ess.openCallback(got.body, { key: KEY, token: TOKEN, signature: `sha256=${'0'.repeat(64)}` }).catch((e) => e);
  assert.ok(bad instanceof ess.CallbackError, String(bad));
  assert.equal(bad.kind, 'callback');
  assert.ok(!bad.message.includes(KEY) && !bad.message.includes(TOKEN));
  await assert.rejects(ess.openCallback(got.body, { key: KEY, token: TOKEN }), { kind: 'callback' });
  await assert.rejects(ess.openCallback(got.body, { key: 'x'.repeat(32), token: TOKEN, signature: got.signature }), {
    kind: 'callback',
  });
  // The console's URL check.
  assert.equal(await ess.openCallback('{}', { key: KEY }), null);
  // Strings and bytes alike; sealCallback gives what the service sends.
  const sealed = await ess.sealCallback({ MsgId: 'm1', MsgType: 'OrgAuth', MsgVersion: 'v', MsgData: { AuthSuccess: true } }, { key: KEY, token: TOKEN });
  const ev = await ess.openCallback(new TextEncoder().encode(sealed.body), { key: KEY, token: TOKEN, signature: sealed.signature });
  assert.deepEqual(ev.MsgData, { AuthSuccess: true });
  assert.equal(ess.msgData(ev, 'OrgAuth').AuthSuccess, true);
  assert.throws(() => ess.msgData(ev, 'FlowStatusChange'), TypeError);
});

test('upload limits are refused before anything is sent (or read)', async () => {
  const { requests } = await emu.stats();
  const refuse = (files, params = { businessType: 'DOCUMENT', agent: AGENT }) =>
    assert.rejects(client.uploadFiles(files, params), (e) => e instanceof ess.ValidationError && e.kind === 'validation');
  await refuse(Array.from({ length: 21 }, () => pdf));
  await refuse([]);
  await refuse([pdf], { agent: AGENT });
  // A 9 MiB PNG (over the 8 MiB image limit), as a Blob: only its head is looked at.
  const png = new Uint8Array(9 << 20);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let readWhole = false;
  const blob = new Blob([png]);
  const spy = Object.assign(blob, { arrayBuffer: () => ((readWhole = true), Blob.prototype.arrayBuffer.call(blob)) });
  await refuse([spy]);
  assert.equal(readWhole, false);
  // A stream over 60 MiB stops being read once past it.
  let pulled = 0;
  const stream = new ReadableStream({
    pull(c) {
      pulled += 1 << 20;
      c.enqueue(new Uint8Array(1 << 20).fill(0x25));
    },
  });
  await refuse([stream]);
  assert.ok(pulled <= 62 << 20, `pulled ${pulled}`);
  await refuse([new Uint8Array(0)]);
  assert.equal((await emu.stats()).requests, requests, 'no request reached the emulator');
});

test('uploadFiles: bytes, Blob/File, stream and a path', async () => {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'essbasic-up-'));
  const path = join(dir, 'contract.pdf');
  writeFileSync(path, pdf);
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(pdf.subarray(0, 10));
      c.enqueue(pdf.subarray(10));
      c.close();
    },
  });
  const res = await client.uploadFiles([pdf, new File([pdf], 'b.pdf'), stream, path], {
    businessType: 'DOCUMENT',
    agent: AGENT,
  });
  assert.equal(res.FileIds.length, 4);
});

test('waitFileConvert polls on core schedule until done, reporting progress', async () => {
  const up = await client.uploadFiles([{ name: 'a.docx', data: new TextEncoder().encode('PK\x03\x04 docx') }], {
    businessType: 'DOCUMENT',
    agent: AGENT,
  });
  const task = await client.CreateFileConvertTask({
    Agent: AGENT,
    ResourceType: 'docx',
    ResourceName: 'a.docx',
    ResourceId: up.FileIds[0],
  });
  const progress = [];
  const done = await client.waitFileConvert(task.TaskId, { agent: AGENT, policy: FAST, onProgress: (p) => progress.push(p) });
  assert.equal(done.TaskStatus, 8);
  assert.ok(done.ResourceId);
  assert.equal(progress.length, POLLS);
  assert.deepEqual(progress.map((p) => p.attempt), [1, 2, 3]);
  assert.equal(progress[0].task, 'file_convert');
  assert.match(String(progress[0].status), /^4/);

  // An abort stops the wait; a deadline gives a TimeoutError.
  const task2 = await client.CreateFileConvertTask({ Agent: AGENT, ResourceType: 'docx', ResourceName: 'a.docx', ResourceId: up.FileIds[0] });
  const ac = new AbortController();
  const waiting = client.waitFileConvert(task2.TaskId, { agent: AGENT, signal: ac.signal, onProgress: () => ac.abort() });
  await assert.rejects(waiting, { kind: 'transport' });
  const task3 = await client.CreateFileConvertTask({ Agent: AGENT, ResourceType: 'docx', ResourceName: 'a.docx', ResourceId: up.FileIds[0] });
  await assert.rejects(client.waitFileConvert(task3.TaskId, { agent: AGENT, deadlineMs: 0, policy: FAST }), { kind: 'timeout' });
});

test('waitCancelFlows waits for a batch cancellation', async () => {
  const up = await client.uploadFiles([pdf], { businessType: 'DOCUMENT', agent: AGENT });
  const flow = await client.ChannelCreateFlowByFiles({
    Agent: AGENT,
    FlowName: 'to cancel',
    FileIds: up.FileIds,
    FlowApprovers: [{ ApproverType: 'PERSON', Name: '张三', Mobile: '13800000000' }],
  });
  const started = await client.ChannelBatchCancelFlows({ Agent: AGENT, FlowIds: [flow.FlowId] });
  const done = await client.waitCancelFlows(started.TaskId, { agent: AGENT, policy: FAST });
  assert.ok(done.RequestId);
});

test('paginate and pages follow core (small pages through a transport; the emulator)', async () => {
  const asked = [];
  const paged = new ess.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    transport: async (req) => {
      const p = JSON.parse(req.body);
      asked.push([p.Offset, p.Limit]);
      const all = Array.from({ length: 45 }, (_, i) => ({ TemplateId: `t${i}` }));
      const Templates = all.slice(p.Offset, p.Offset + p.Limit);
      const body = JSON.stringify({ Response: { Templates, TotalCount: 45, RequestId: 'r' } });
      return { status: 200, headers: {}, body: new TextEncoder().encode(body) };
    },
  });
  const ids = [];
  for await (const t of paged.paginate('DescribeTemplates', { Agent: AGENT, Limit: 15 })) ids.push(t.TemplateId);
  assert.deepEqual(ids, Array.from({ length: 45 }, (_, i) => `t${i}`));
  assert.deepEqual(asked, [[0, 15], [15, 15], [30, 15]]);
  await assert.rejects(async () => {
    for await (const _ of paged.paginate('ChannelCancelFlow', { Agent: AGENT })) void _;
  }, { kind: 'validation' });

  let pages = 0;
  for await (const page of client.pages('DescribeTemplates', { Agent: AGENT, Limit: 1 })) {
    assert.ok(page.RequestId);
    pages++;
    if (pages > 50) break;
  }
  assert.ok(pages >= 1);
});

test('encryption: seal/open round trip, tampering refused, callEncrypted', async () => {
  const keys = { cipherKey: '0123456789abcdef0123456789abcdef', hmacKey: 'hmac-key' };
  const env = await ess.encryption.seal('{"a":1}', keys);
  assert.equal(new TextDecoder().decode(await ess.encryption.open(env, keys)), '{"a":1}');
  const env2 = await ess.encryption.seal('{"a":1}', keys);
  assert.notEqual(env.IV, env2.IV, 'a fresh IV per seal');
  const tampered = { ...env, EncryptedData: env2.EncryptedData };
  const err = await ess.encryption.open(tampered, keys).catch((e) => e);
  assert.ok(err instanceof ess.CryptoError);
  assert.ok(!err.message.includes(keys.cipherKey) && !err.message.includes(keys.hmacKey));
  await assert.rejects(ess.encryption.seal('x', { cipherKey: 'short', hmacKey: 'k' }), { kind: 'crypto' });
  assert.equal(await ess.encryption.checkKeys({ ...keys, algorithm: 'SM4-CBC', cipherKey: '0123456789abcdef' }), 'SM4-CBC');
  const params = await ess.encryption.buildParams('DescribeTemplates', { Agent: AGENT }, keys);
  assert.equal(params.RequestAction, 'DescribeTemplates');
  assert.equal(params.ApplicationId, AGENT.AppId);
});

test('callEncrypted: sealed by core, opened by core (bigint kept), errors as ApiError', async () => {
  const keys = { cipherKey: '0123456789abcdef0123456789abcdef', hmacKey: 'hmac-key' };
  const seen = [];
  let answer = { Templates: [{ TemplateId: 't1' }], TotalCount: 9007199254740993n, RequestId: 'inner' };
  const enc = new ess.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    transport: async (req) => {
      const p = JSON.parse(req.body);
      seen.push(p);
      const plain = new TextDecoder().decode(
        await ess.encryption.open({ IV: p.IV, EncryptedData: p.EncryptedData, EncryptionSignature: p.EncryptionSignature }, keys),
      );
      seen.push(JSON.parse(plain));
      const text = JSON.stringify(answer, (_, v) => (typeof v === 'bigint' ? `@@${v}@@` : v)).replace(/"@@(\d+)@@"/g, '$1');
      const sealed = await ess.encryption.seal(text, keys);
      const body = JSON.stringify({ Response: { ...sealed, RequestId: 'outer' } });
      return { status: 200, headers: {}, body: new TextEncoder().encode(body) };
    },
  });
  const res = await enc.callEncrypted('DescribeTemplates', { Agent: AGENT, Limit: 5 }, keys);
  assert.equal(seen[0].RequestAction, 'DescribeTemplates');
  assert.equal(seen[0].ApplicationId, AGENT.AppId);
  assert.deepEqual(seen[1], { Agent: AGENT, Limit: 5 });
  assert.equal(res.Templates[0].TemplateId, 't1');
  assert.equal(res.TotalCount, 9007199254740993n);
  answer = { Error: { Code: 'OperationDenied', Message: 'no' }, RequestId: 'inner' };
  await assert.rejects(enc.callEncrypted('DescribeTemplates', { Agent: AGENT }, keys), { kind: 'api', code: 'OperationDenied' });
  // Wrong parameters are refused before anything is sealed or sent.
  const before = seen.length;
  await assert.rejects(enc.callEncrypted('DescribeTemplates', { Agent: AGENT, Limit: 'x' }, keys), { kind: 'validation' });
  assert.equal(seen.length, before);
});
