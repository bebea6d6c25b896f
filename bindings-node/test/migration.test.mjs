// Migration: a script written for tencentcloud-sdk-nodejs runs unchanged except for its
// require line. When the official SDK is installed (tests/emulator/official, or here), the
// untouched script runs too and both transcripts must be equal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, symlinkSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator, SECRET_ID, SECRET_KEY } from './helpers/emulator.mjs';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, '..');
const original = readFileSync(join(here, 'migration', 'official-script.js'), 'utf8');
const REQUIRE_LINE = 'const tencentcloud = require("tencentcloud-sdk-nodejs");';
const officialDirs = [join(pkgDir, 'node_modules'), join(pkgDir, '..', 'tests', 'emulator', 'official', 'node_modules')];
const officialModules = officialDirs.find((d) => existsSync(join(d, 'tencentcloud-sdk-nodejs', 'package.json')));
let emu;
let work;

before(async () => {
  emu = await startEmulator();
  work = mkdtempSync(join(tmpdir(), 'essbasic-migration-'));
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(pkgDir, join(work, 'node_modules', 'essbasic'), 'dir');
});
after(async () => {
  await emu?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function transcript(script, extraEnv = {}) {
  // Each run gets a fresh emulator state so both runs see the same world.
  await emu.admin('POST', 'reset');
  const file = join(work, `script-${Math.random().toString(36).slice(2)}.cjs`);
  writeFileSync(file, script);
  const { stdout } = await run(process.execPath, [file], {
    cwd: work,
    env: {
      ...process.env,
      ...extraEnv,
      ESS_ENDPOINT: `${emu.host}:${emu.port}`,
      ESS_SECRET_ID: SECRET_ID,
      ESS_SECRET_KEY: SECRET_KEY,
    },
    timeout: 60000,
  });
  return stdout;
}

const EXPECTED = [
  'UploadFiles 1 string',
  'ChannelCreateFlowByFiles string string',
  'DescribeFlowDetailInfo INIT',
  'ChannelCancelFlow string',
  'ChannelCreateFlowSignUrl ResourceNotFound.Flow string true string',
  'DescribeUsage AuthFailure.SignatureFailure',
  'done',
];

test('the official script runs on essbasic with only its require line changed', async () => {
  assert.ok(original.includes(REQUIRE_LINE));
  const ours = original.replace(REQUIRE_LINE, 'const tencentcloud = require("essbasic");');
  assert.equal(ours.split('\n').filter((l, i) => l !== original.split('\n')[i]).length, 1);
  const out = await transcript(ours);
  assert.deepEqual(out.trim().split('\n'), EXPECTED);
});

test('the same script, untouched, gives the same transcript with tencentcloud-sdk-nodejs', {
  skip: !officialModules && 'tencentcloud-sdk-nodejs is not installed (tests/emulator/run-official.sh installs it)',
}, async () => {
  const out = await transcript(original, { NODE_PATH: officialModules });
  assert.deepEqual(out.trim().split('\n'), EXPECTED);
});
