// The page of the browser smoke test: `essbasic` as an application imports it, bundled by
// Vite from the package installed out of the tarball (the `browser` export condition: the
// WebAssembly core, which Vite ships as an asset). One action, one API error, one
// validation error against the emulator; results go to `window.__essbasic` for the driver.
import { Client, ApiError, ValidationError, backend } from 'essbasic';

const results = [];
window.__essbasic = { done: false, results };

function record(name, ok, detail) {
  results.push({ name, ok, detail: String(detail ?? '') });
  const li = document.createElement('li');
  li.textContent = `${ok ? 'ok' : 'not ok'} - ${name}${detail ? `: ${detail}` : ''}`;
  document.getElementById('results').append(li);
}

async function run(name, fn) {
  try {
    record(name, true, await fn());
  } catch (e) {
    record(name, false, e?.stack ?? e);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

const rejection = (p) => p.then((value) => ({ value }), (error) => ({ error }));
const cfg = await (await fetch('/config.json')).json();
const AGENT = { AppId: 'yDwhxUUckp3gl8j5UuFX33LSNozpRsbi', ProxyOrganizationOpenId: 'org', ProxyOperator: { OpenId: 'op' } };
const client = (secretKey = cfg.secretKey) =>
  new Client({
    credential: { secretId: cfg.secretId, secretKey },
    region: '',
    profile: { httpProfile: { endpoint: cfg.emulator, reqTimeout: 20 } },
  });

await run('the bundle runs on the WebAssembly core', async () => {
  const b = await backend();
  assert(b === 'wasm', `backend ${b}`);
  return `backend ${b}`;
});
await run('an action: DescribeUsage answers with a RequestId', async () => {
  const res = await client().DescribeUsage({ Agent: AGENT, StartDate: '2026-01-01', EndDate: '2026-01-02' });
  assert(typeof res.RequestId === 'string' && res.RequestId.length > 0, JSON.stringify(res));
  return `RequestId ${res.RequestId}`;
});
await run('an API error: a wrong key is ApiError AuthFailure.SignatureFailure', async () => {
  const { error } = await rejection(client('not-the-key').ChannelCancelFlow({ Agent: AGENT, FlowId: 'f' }));
  assert(error instanceof ApiError, `not an ApiError: ${error}`);
  assert(error.code === 'AuthFailure.SignatureFailure', `code ${error.code}`);
  assert(error.requestId, 'no requestId');
  return error.code;
});
await run('a validation error: a missing required member names its path', async () => {
  const { error } = await rejection(client().ChannelCancelFlow({ Agent: AGENT }));
  assert(error instanceof ValidationError, `not a ValidationError: ${error}`);
  assert(error.path === 'FlowId', `path ${error.path}`);
  return `path ${error.path}`;
});
window.__essbasic.done = true;
