// The credential chain: the `credential` option, else the environment
// (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY / TENCENTCLOUD_SESSION_TOKEN), else the
// profile file ~/.tencentcloud/credentials (`[default]`, or the `credentialProfile` option,
// or TENCENTCLOUD_PROFILE), parsed by core (`essbasic::profile`) through the adapter.
// test/run.sh gives the suite an empty HOME and none of these variables; each test here
// sets its own and restores them.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import util from 'node:util';
import { essbasicFor, loadAdapter } from './helpers/target.mjs';
import { startEmulator, AGENT, SECRET_ID, SECRET_KEY, TOKEN_ID, TOKEN_KEY, TOKEN } from './helpers/emulator.mjs';

const ess = essbasicFor();
const USAGE = { Agent: AGENT, StartDate: '2026-01-01', EndDate: '2026-01-02' };
const VARS = ['HOME', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_PROFILE'];
const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
let emu;
let home;

before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu?.stop();
});
afterEach(() => {
  for (const v of VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
  if (home) rmSync(home, { recursive: true, force: true });
  home = undefined;
});

/** A fresh HOME (with a credentials file when `text` is given) and no chain variables. */
function setup(text) {
  home = mkdtempSync(join(tmpdir(), 'essbasic-home-'));
  process.env.HOME = home;
  for (const v of VARS.slice(1)) delete process.env[v];
  if (text !== undefined) {
    mkdirSync(join(home, '.tencentcloud'));
    writeFileSync(join(home, '.tencentcloud', 'credentials'), text);
  }
  return join(home, '.tencentcloud', 'credentials');
}

const client = (extra = {}) =>
  new ess.Client({ region: '', profile: { httpProfile: { endpoint: emu.url } }, retry: false, ...extra });

const FILE = [
  '# test credentials',
  '[default]',
  `secret_id = ${SECRET_ID}`,
  `secret_key = "${SECRET_KEY}"`,
  '',
  '[temp]',
  `secret_id=${TOKEN_ID}`,
  `secret_key=${TOKEN_KEY}`,
  `token=${TOKEN}`,
  '',
  '[broken]',
  `secret_id=${SECRET_ID}`,
  '',
].join('\n');

test('no credential anywhere: a SigningError naming what was looked for, nothing sent', async () => {
  const path = setup();
  const before = (await emu.stats()).requests;
  for (const c of [client(), client({ credential: {} }), client({ credential: { secretId: '', secretKey: '' } })]) {
    await assert.rejects(c.DescribeUsage(USAGE), (err) => {
      assert.ok(err instanceof ess.SigningError, `${err}`);
      assert.match(err.message, /^no credential: none in the `credential` option, /);
      assert.match(err.message, /TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
      assert.ok(err.message.includes(`profile [default] of ${path} (not found)`), err.message);
      assert.match(err.traceId, /\S/);
      return true;
    });
  }
  process.env.TENCENTCLOUD_SECRET_ID = SECRET_ID;
  await assert.rejects(client().DescribeUsage(USAGE), { message: /only TENCENTCLOUD_SECRET_ID is set/ });
  assert.equal((await emu.stats()).requests, before);
});

test('the environment: a key pair, with a session token', async () => {
  setup(FILE);
  process.env.TENCENTCLOUD_SECRET_ID = TOKEN_ID;
  process.env.TENCENTCLOUD_SECRET_KEY = TOKEN_KEY;
  process.env.TENCENTCLOUD_SESSION_TOKEN = TOKEN;
  // The environment comes before the file (whose [default] is the other key).
  assert.equal(typeof (await client().DescribeUsage(USAGE)).RequestId, 'string');
  delete process.env.TENCENTCLOUD_SESSION_TOKEN;
  await assert.rejects(client().DescribeUsage(USAGE), { code: 'AuthFailure.TokenFailure' });
  // An explicit credential comes first.
  const explicit = client({ credential: { secretId: SECRET_ID, secretKey: SECRET_KEY } });
  assert.equal(typeof (await explicit.DescribeUsage(USAGE)).RequestId, 'string');
});

test('the profile file: [default], credentialProfile, TENCENTCLOUD_PROFILE, tokens', async () => {
  const path = setup(FILE);
  assert.equal(typeof (await client().DescribeUsage(USAGE)).RequestId, 'string');
  assert.equal(typeof (await client({ credentialProfile: 'temp' }).DescribeUsage(USAGE)).RequestId, 'string');
  process.env.TENCENTCLOUD_PROFILE = 'temp';
  assert.equal(typeof (await client().DescribeUsage(USAGE)).RequestId, 'string');
  // The option beats the variable.
  assert.equal(typeof (await client({ credentialProfile: 'default' }).DescribeUsage(USAGE)).RequestId, 'string');
  await assert.rejects(client({ credentialProfile: 'prod' }).DescribeUsage(USAGE), (err) => {
    assert.ok(err instanceof ess.SigningError);
    assert.ok(err.message.includes(`profile [prod] of ${path} (no such profile)`), err.message);
    return true;
  });
  await assert.rejects(client({ credentialProfile: 'broken' }).DescribeUsage(USAGE), (err) => {
    assert.ok(err instanceof ess.SigningError);
    assert.match(err.message, /profile \[broken\] needs both secret_id and secret_key/);
    assert.ok(!err.message.includes(SECRET_ID), 'no value in the message');
    return true;
  });
  assert.throws(() => client({ credentialProfile: 5 }), TypeError);
});

test('a found credential is kept by the client and never printed', async () => {
  setup(FILE);
  const c = client();
  assert.equal(typeof (await c.DescribeUsage(USAGE)).RequestId, 'string');
  // The file is gone: the client still has what it found.
  rmSync(join(home, '.tencentcloud'), { recursive: true });
  assert.equal(typeof (await c.DescribeUsage(USAGE)).RequestId, 'string');
  const printed = [util.inspect(c, { showHidden: true, depth: 10 }), JSON.stringify(c), String(c)].join('\n');
  assert.ok(!printed.includes(SECRET_KEY));
});

test('adapter: parseProfile is core\'s parser', async () => {
  const core = await loadAdapter();
  assert.deepEqual(core.parseProfile(FILE, 'default'), { secretId: SECRET_ID, secretKey: SECRET_KEY });
  assert.deepEqual(core.parseProfile(FILE, 'TEMP'), { secretId: TOKEN_ID, secretKey: TOKEN_KEY, token: TOKEN });
  assert.equal(core.parseProfile(FILE, 'none'), null);
  assert.equal(core.parseProfile('', 'default'), null);
  const broken = core.parseProfile(FILE, 'broken');
  assert.equal(broken.error.kind, 'signing');
  assert.match(broken.error.message, /\[broken\]/);
});
