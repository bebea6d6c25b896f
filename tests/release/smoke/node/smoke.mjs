// The npm package from its tarball, through `import` (ES module), in a fresh npm project:
// one action, one API error, one validation error against the emulator.
//   node smoke.mjs <emulator-url> <version> [native|wasm]
// With `wasm`, the project's copy of the package has no native addon: Node falls back to
// the WebAssembly build shipped in the same tarball.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { sep } from 'node:path';
import { Client, ApiError, ValidationError, VERSION, backend } from 'essbasic';

const [url, version, expectBackend = 'native'] = process.argv.slice(2);
const SECRET_ID = 'AKIDessbasicEmulator'; // the emulator's documented default pair
const SECRET_KEY = 'essbasic-emulator-secret-key';
const AGENT = { AppId: 'yDwhxUUckp3gl8j5UuFX33LSNozpRsbi', ProxyOrganizationOpenId: 'org', ProxyOperator: { OpenId: 'op' } };
const client = (secretKey = SECRET_KEY) =>
  new Client({ credential: { secretId: SECRET_ID, secretKey }, region: '', profile: { httpProfile: { endpoint: url } } });

let failed = 0;
async function check(name, fn) {
  try {
    const detail = await fn();
    console.log(`ok - ${name}${detail ? ` (${detail})` : ''}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}: ${String(e?.stack ?? e).split('\n').slice(0, 3).join(' | ')}`);
  }
}
const rejection = (p) => p.then((value) => ({ value }), (error) => ({ error }));

await check('import "essbasic" comes from node_modules, not the source tree', () => {
  const file = fileURLToPath(import.meta.resolve('essbasic'));
  assert.ok(file.includes(`${sep}node_modules${sep}essbasic${sep}lib${sep}index.mjs`), file);
});
await check(`VERSION is ${version}, the core backend is ${expectBackend}`, async () => {
  assert.equal(VERSION, version);
  assert.equal(await backend(), expectBackend);
});
await check('an action: DescribeUsage answers with a RequestId', async () => {
  const res = await client().DescribeUsage({ Agent: AGENT, StartDate: '2026-01-01', EndDate: '2026-01-02' });
  assert.equal(typeof res.RequestId, 'string');
  return `RequestId ${res.RequestId}`;
});
await check('an API error: a wrong key is ApiError AuthFailure.SignatureFailure', async () => {
  const { error } = await rejection(client('not-the-key').ChannelCancelFlow({ Agent: AGENT, FlowId: 'f' }));
  assert.ok(error instanceof ApiError, `not an ApiError: ${error}`);
  assert.equal(error.code, 'AuthFailure.SignatureFailure');
  assert.ok(error.requestId, 'no requestId');
  return error.code;
});
await check('a validation error: a missing required member names its path', async () => {
  const { error } = await rejection(client().ChannelCancelFlow({ Agent: AGENT }));
  assert.ok(error instanceof ValidationError, `not a ValidationError: ${error}`);
  assert.equal(error.path, 'FlowId');
  return `path ${error.path}`;
});
process.exitCode = failed ? 1 : 0;
