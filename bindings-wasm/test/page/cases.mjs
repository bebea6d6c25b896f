// The cases the browser runs: `import 'essbasic'` (the import map points at the package's
// browser entry), then calls to the emulator over CORS. Results go to
// `window.__essbasic.results` ({ name, ok, skipped?, detail }) for test/browser.mjs.

const results = [];
window.__essbasic = { done: false, results };

function record(name, ok, detail = '', skipped = false) {
  results.push({ name, ok, skipped, detail: String(detail ?? '') });
  const li = document.createElement('li');
  li.textContent = `${skipped ? 'skip' : ok ? 'ok' : 'not ok'} - ${name}${detail ? `: ${detail}` : ''}`;
  document.getElementById('results')?.append(li);
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

async function run(name, fn) {
  try {
    const detail = await fn();
    record(name, true, detail ?? '');
  } catch (e) {
    record(name, false, e?.stack ?? e);
  }
}

/** The error a promise rejects with; fails when it resolves. */
async function rejection(promise) {
  let value;
  try {
    value = await promise;
  } catch (e) {
    return e;
  }
  throw new Error(`expected an error, got ${JSON.stringify(value)}`);
}

function describe(err) {
  return `${err?.name}: kind=${err?.kind} code=${err?.code} ${err?.message}`;
}

const cfg = await (await fetch('/config.json')).json();
const AGENT = {
  AppId: 'yDwhxUUckp3gl8j5UuFX33LSNozpRsbi',
  ProxyOrganizationOpenId: 'org_browser_test',
  ProxyOperator: { OpenId: 'n9527' },
};
const USAGE = { Agent: AGENT, StartDate: '2026-01-01', EndDate: '2026-01-02', Offset: 0, Limit: 10 };
const fault = (spec) => ({ headers: { 'X-Emulator-Fault': spec } });

async function main() {
  let ess;
  try {
    ess = await import('essbasic');
  } catch (e) {
    record('import "essbasic" (the browser entry of the exports map)', false, e?.stack ?? e);
    return;
  }
  const backend = typeof ess.backend === 'function' ? await ess.backend() : ess.backend;
  record('import "essbasic" (the browser entry of the exports map)', backend === 'wasm', `backend ${backend}`);

  const client = (credential = { secretId: cfg.secretId, secretKey: cfg.secretKey }, httpProfile = {}, extra = {}) =>
    new ess.Client({
      credential,
      region: '',
      profile: { httpProfile: { endpoint: cfg.emulator, reqTimeout: 20, ...httpProfile } },
      ...extra,
    });

  await run('a successful action (DescribeUsage)', async () => {
    const res = await client().DescribeUsage(USAGE);
    check(typeof res.RequestId === 'string' && res.RequestId.length > 0, `no RequestId: ${JSON.stringify(res)}`);
    return `RequestId ${res.RequestId}`;
  });

  await run('temporary credentials (X-TC-Token)', async () => {
    const res = await client(cfg.token).DescribeUsage(USAGE);
    check(typeof res.RequestId === 'string', `no RequestId: ${JSON.stringify(res)}`);
  });

  await run('an API error: class, code and RequestId', async () => {
    const wrong = client({ secretId: cfg.secretId, secretKey: 'not-the-key' });
    const err = await rejection(wrong.ChannelCancelFlow({ Agent: AGENT, FlowId: 'f' }));
    check(err instanceof ess.ApiError, `not an ApiError: ${describe(err)}`);
    check(err instanceof ess.TencentCloudSDKHttpException, 'not a TencentCloudSDKHttpException');
    check(err.kind === 'api', `kind ${err.kind}`);
    check(err.code === 'AuthFailure.SignatureFailure', `code ${err.code}`);
    check(typeof err.requestId === 'string' && err.requestId.length > 0, 'no requestId');
    return err.code;
  });

  await run('a validation error: class and path, nothing sent', async () => {
    const err = await rejection(client().ChannelCancelFlow({ Agent: AGENT, FlowId: 5 }));
    check(err instanceof ess.ValidationError, `not a ValidationError: ${describe(err)}`);
    check(err.kind === 'validation', `kind ${err.kind}`);
    check(err.path === 'FlowId', `path ${err.path}`);
    return `path ${err.path}`;
  });

  await run('a timeout (AbortSignal) on a slow answer', async () => {
    // One attempt (a read-only action's timeout is otherwise retried).
    const quick = client(undefined, { reqTimeout: 0.3 }, { retry: false });
    const started = performance.now();
    const err = await rejection(quick.DescribeUsage(USAGE, fault('delay_ms=3000')));
    const elapsed = Math.round(performance.now() - started);
    check(err instanceof ess.TimeoutError, `not a TimeoutError: ${describe(err)}`);
    check(err.kind === 'timeout' && err.code === 'TimeoutError', describe(err));
    check(elapsed < 2500, `took ${elapsed} ms`);
    return `after ${elapsed} ms`;
  });

  await run('a retried fault: hooks in order, one trace id, a redacted debug log', async () => {
    const events = [];
    const debug = [];
    const hooked = new ess.Client({
      credential: { secretId: cfg.secretId, secretKey: cfg.secretKey },
      region: '',
      profile: { httpProfile: { endpoint: cfg.emulator, reqTimeout: 20 } },
      logger: { debug: (line) => debug.push(line) },
      hooks: Object.fromEntries(
        ['beforeSend', 'afterReceive', 'onRetry', 'onError'].map((name) => [name, (ctx) => events.push(`${name}:${ctx.attempt}:${ctx.traceId}`)]),
      ),
    });
    const res = await hooked.DescribeUsage(
      { ...USAGE, Agent: { ...AGENT, ProxyOperator: { OpenId: 'n9527', Mobile: '13912345678' } } },
      fault(`status=503,times=1,key=browser-${Date.now()}`),
    );
    const t = res.traceId;
    check(typeof t === 'string' && t.length === 36, `traceId ${t}`);
    const want = ['beforeSend:1', 'afterReceive:1', 'onRetry:1', 'beforeSend:2', 'afterReceive:2'].map((e) => `${e}:${t}`);
    check(JSON.stringify(events) === JSON.stringify(want), JSON.stringify(events));
    check(debug.length === 2 && debug.every((l) => l.includes(`traceId ${t}`)), debug.join('\n'));
    check(!debug.join('\n').includes('13912345678') && !debug.join('\n').includes(cfg.secretKey), 'a secret is in the log');
    return `traceId ${t}`;
  });

  // Remote signing at the adapter level: core builds the canonical request here, the server
  // (which alone holds the SecretKey) signs it, core adds the Authorization header.
  const core = await import('/pkg/lib/core-wasm.mjs');
  const signWithServer = async (canonicalRequest, timestamp) => {
    const res = await fetch('/sign', { method: 'POST', body: JSON.stringify({ canonicalRequest, timestamp }) });
    const out = await res.json();
    if (!res.ok) throw new Error(`the signer refused: ${out.error}`);
    return out.signature;
  };
  const prepare = (action, params) =>
    core.prepareRemote(
      action,
      JSON.stringify(params),
      { endpoint: cfg.emulator, requestClient: 'essbasic-browser-test' },
      { secretId: cfg.secretId },
      Math.floor(Date.now() / 1000),
      crypto.getRandomValues(new Uint32Array(1))[0] || 1,
      crypto.randomUUID(),
    );

  await run('remote signer: prepare in the browser, sign on the server, send', async () => {
    const prepared = prepare('DescribeUsage', USAGE);
    check(!prepared.error, JSON.stringify(prepared.error));
    check(!prepared.request.headers.some(([k]) => k.toLowerCase() === 'authorization'), 'prepared has Authorization');
    check(prepared.canonicalRequest.includes('\nx-tc-action:describeusage\n'), 'x-tc-action is not signed');
    const signature = await signWithServer(prepared.canonicalRequest, prepared.timestamp);
    const request = core.finishRemote(prepared, signature);
    check(!request.error, JSON.stringify(request.error));
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers.filter(([k]) => k.toLowerCase() !== 'host'),
      body: request.method === 'GET' ? undefined : request.body,
    });
    const classified = core.classifyResponse(res.status, new Uint8Array(await res.arrayBuffer()), 1 << 20);
    check(!classified.error, `the service answered ${JSON.stringify(classified.error)}`);
    return `RequestId ${classified.requestId}`;
  });

  await run('remote signer: the server refuses an action outside its allow-list', async () => {
    const prepared = prepare('ChannelCancelFlow', { Agent: AGENT, FlowId: 'f' });
    check(!prepared.error, JSON.stringify(prepared.error));
    const err = await rejection(signWithServer(prepared.canonicalRequest, prepared.timestamp));
    check(/not allowed/.test(err.message), err.message);
  });

  // The same flow through the Client's `signer` option: no SecretKey in the page.
  await run('remote signer through new Client({ signer })', async () => {
    const seen = [];
    const signed = new ess.Client({
      credential: { secretId: cfg.secretId },
      region: '',
      profile: { httpProfile: { endpoint: cfg.emulator, reqTimeout: 20 } },
      signer: async (request) => {
        seen.push(request);
        return signWithServer(request.canonicalRequest, request.timestamp);
      },
    });
    const res = await signed.DescribeUsage(USAGE);
    check(typeof res.RequestId === 'string', `no RequestId: ${JSON.stringify(res)}`);
    check(seen.length === 1, `the signer was called ${seen.length} times`);
    const [req] = seen;
    check(req.action === 'DescribeUsage', `action ${req.action}`);
    check(req.canonicalRequest.includes('\nx-tc-action:describeusage\n'), 'x-tc-action is not signed');
    check(typeof req.stringToSign === 'string' && req.stringToSign.startsWith('TC3-HMAC-SHA256\n'), 'stringToSign');
    check(Number.isInteger(req.timestamp), `timestamp ${req.timestamp}`);
    // An action outside the server's allow-list: the signer refuses, nothing is sent.
    const err = await rejection(signed.ChannelCancelFlow({ Agent: AGENT, FlowId: 'f' }));
    check(err instanceof ess.SigningError, `not a SigningError: ${describe(err)}`);
    check(/remote signer failed/.test(err.message), err.message);
    return `RequestId ${res.RequestId}`;
  });

  await run('openCallback: a sealed callback opens; a bad signature is a CallbackError', async () => {
    const KEY = '0123456789ABCDEFfedcba9876543210';
    const sealed = await ess.sealCallback(
      { MsgId: 'm1', MsgType: 'FlowStatusChange', MsgVersion: 'ThirdPartyApp', MsgData: { FlowId: 'f', FlowStatus: 'ALL' } },
      { key: KEY, token: 'T' },
    );
    const ev = await ess.openCallback(new TextEncoder().encode(sealed.body), { key: KEY, token: 'T', signature: sealed.signature });
    check(ess.msgData(ev, 'FlowStatusChange').FlowStatus === 'ALL', JSON.stringify(ev));
    const err = await rejection(ess.openCallback(sealed.body, { key: KEY, token: 'T', signature: `sha256=${'0'.repeat(64)}` }));
    check(err instanceof ess.CallbackError && err.kind === 'callback', describe(err));
    check(!err.message.includes(KEY), 'the key is in the message');
    check((await ess.openCallback('{}', { key: KEY })) === null, 'URL check');
    return ev.MsgId;
  });

  await run('encryption: seal (IV from crypto.getRandomValues) and open', async () => {
    const keys = { cipherKey: '0123456789abcdef0123456789abcdef', hmacKey: 'hmac' };
    const a = await ess.encryption.seal('{"a":1}', keys);
    const b = await ess.encryption.seal('{"a":1}', keys);
    check(a.IV !== b.IV, 'the same IV twice');
    check(new TextDecoder().decode(await ess.encryption.open(a, keys)) === '{"a":1}', 'round trip');
    const err = await rejection(ess.encryption.open({ ...a, EncryptedData: b.EncryptedData }, keys));
    check(err instanceof ess.CryptoError, describe(err));
  });

  await run('uploadFiles: a File uploads; a 9 MiB PNG Blob is refused before sending', async () => {
    const c = client();
    const pdf = new File([new TextEncoder().encode('%PDF-1.4 browser')], 'b.pdf');
    const res = await c.uploadFiles([pdf], { businessType: 'DOCUMENT', agent: AGENT });
    check(res.FileIds?.length === 1, JSON.stringify(res));
    const png = new Uint8Array(9 << 20);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const err = await rejection(c.uploadFiles([new Blob([png])], { businessType: 'DOCUMENT', agent: AGENT }));
    check(err instanceof ess.ValidationError, describe(err));
    return res.FileIds[0];
  });

  await run('Tc3Signer: a request signed by hand and sent with fetch is accepted', async () => {
    const signer = new ess.Tc3Signer(cfg.secretId, cfg.secretKey);
    check(!JSON.stringify(signer).includes(cfg.secretKey), 'the key shows in JSON');
    const url = new URL(cfg.emulator);
    const body = JSON.stringify(USAGE);
    const timestamp = Math.floor(Date.now() / 1000);
    const authorization = signer.authorization(body, url.host, timestamp);
    check(authorization.startsWith(`TC3-HMAC-SHA256 Credential=${cfg.secretId}/`), authorization);
    const send = (auth) =>
      fetch(url, {
        method: 'POST',
        body,
        headers: {
          'Content-Type': 'application/json',
          'X-TC-Action': 'DescribeUsage',
          'X-TC-Version': '2021-05-26',
          'X-TC-Timestamp': String(timestamp),
          Authorization: auth,
        },
      }).then((r) => r.json());
    const ok = await send(authorization);
    check(typeof ok.Response?.RequestId === 'string' && !ok.Response.Error, JSON.stringify(ok));
    // The same request signed for another body is refused: the signature covers the body.
    const other = await send(signer.authorization(`${body} `, url.host, timestamp));
    check(other.Response?.Error?.Code === 'AuthFailure.SignatureFailure', JSON.stringify(other));
    return ok.Response.RequestId;
  });

  await run('pages / paginate over DescribeTemplates (Limit 1)', async () => {
    const c = client();
    let pages = 0;
    for await (const page of c.pages('DescribeTemplates', { Agent: AGENT, Limit: 1 })) {
      check(typeof page.RequestId === 'string', 'RequestId');
      if (++pages > 20) break;
    }
    let items = 0;
    for await (const t of c.paginate('DescribeTemplates', { Agent: AGENT, Limit: 1 })) {
      check(t && typeof t === 'object', 'an item');
      if (++items > 20) break;
    }
    check(pages >= 1, 'no page');
    return `${pages} page(s), ${items} item(s)`;
  });

  await run('a module worker imports the package and calls the emulator', async () => {
    const worker = new Worker('/page/worker.mjs', { type: 'module' });
    try {
      const answer = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the worker did not answer')), 20000);
        worker.onmessage = (ev) => {
          clearTimeout(timer);
          resolve(ev.data);
        };
        worker.onerror = (ev) => {
          clearTimeout(timer);
          reject(new Error(`worker error: ${ev.message}`));
        };
        worker.postMessage({ ...cfg, usage: USAGE });
      });
      check(answer.ok, answer.detail);
      return answer.detail;
    } finally {
      worker.terminate();
    }
  });
}

try {
  await main();
} catch (e) {
  record('the page', false, e?.stack ?? e);
} finally {
  window.__essbasic.done = true;
}
