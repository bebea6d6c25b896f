'use strict';
// The npm package from its tarball, through `require` (CommonJS), in a fresh npm project:
// one action, one API error, one validation error against the emulator.
//   node smoke.cjs <emulator-url> <version> [native|wasm]
// Written as a tencentcloud-sdk-nodejs user would (the migration shape of the client).
const assert = require('node:assert/strict');
const path = require('node:path');
const tencentcloud = require('essbasic');

const [url, version, expectBackend = 'native'] = process.argv.slice(2);
const SECRET_ID = 'AKIDessbasicEmulator'; // the emulator's documented default pair
const SECRET_KEY = 'essbasic-emulator-secret-key';
const AGENT = { AppId: 'yDwhxUUckp3gl8j5UuFX33LSNozpRsbi', ProxyOrganizationOpenId: 'org', ProxyOperator: { OpenId: 'op' } };

const client = (secretKey = SECRET_KEY) =>
  new tencentcloud.essbasic.v20210526.Client({
    credential: { secretId: SECRET_ID, secretKey },
    region: '',
    profile: { httpProfile: { endpoint: url, reqTimeout: 20 } },
  });

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

async function rejection(promise) {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

(async () => {
  await check('require("essbasic") comes from node_modules, not the source tree', () => {
    const file = require.resolve('essbasic');
    assert.ok(file.includes(`${path.sep}node_modules${path.sep}essbasic${path.sep}`), file);
    assert.ok(!file.includes(`${path.sep}bindings-node${path.sep}`), file);
    return path.relative(process.cwd(), file);
  });
  await check(`VERSION is ${version}, the core backend is ${expectBackend}`, async () => {
    assert.equal(tencentcloud.VERSION, version);
    assert.equal(await tencentcloud.backend(), expectBackend);
  });
  await check('an action: DescribeUsage answers with a RequestId', async () => {
    const res = await client().DescribeUsage({ Agent: AGENT, StartDate: '2026-01-01', EndDate: '2026-01-02' });
    assert.equal(typeof res.RequestId, 'string');
    assert.ok(res.RequestId.length > 0);
    return `RequestId ${res.RequestId}`;
  });
  await check('an API error: a wrong key is ApiError AuthFailure.SignatureFailure', async () => {
    const { error } = await rejection(client('not-the-key').ChannelCancelFlow({ Agent: AGENT, FlowId: 'f' }));
    assert.ok(error instanceof tencentcloud.ApiError, `not an ApiError: ${error}`);
    assert.ok(error instanceof tencentcloud.TencentCloudSDKHttpException);
    assert.equal(error.code, 'AuthFailure.SignatureFailure');
    assert.ok(error.requestId, 'no requestId');
    return error.code;
  });
  await check('a validation error: a missing required member names its path', async () => {
    const { error } = await rejection(client().ChannelCancelFlow({ Agent: AGENT }));
    assert.ok(error instanceof tencentcloud.ValidationError, `not a ValidationError: ${error}`);
    assert.equal(error.path, 'FlowId');
    return `path ${error.path}`;
  });
  process.exitCode = failed ? 1 : 0;
})();
