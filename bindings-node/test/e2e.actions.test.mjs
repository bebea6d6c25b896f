// Every one of the 101 actions, through its own method, against the emulator (stateless:
// every authenticated, schema-valid call succeeds), with parameters synthesized from the spec.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { essbasicFor } from './helpers/target.mjs';
import { startEmulator, loadSpec, synthesize, SECRET_ID, SECRET_KEY } from './helpers/emulator.mjs';

const ess = essbasicFor();
const spec = loadSpec();
const actions = Object.keys(spec.actions).sort();
let emu;
let client;

before(async () => {
  emu = await startEmulator(['--stateless']);
  client = new ess.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    region: '',
    profile: { httpProfile: { endpoint: `${emu.host}:${emu.port}`, protocol: 'http://' } },
  });
});
after(async () => {
  client?.close();
  await emu?.stop();
});

test('the client has one method per action of the spec, and no other', () => {
  assert.equal(actions.length, 101);
  assert.deepEqual([...ess.ACTIONS], actions);
  for (const name of actions) assert.equal(typeof client[name], 'function', name);
});

for (const name of actions) {
  test(`${name} answers with every output member`, async () => {
    const action = spec.actions[name];
    const params = synthesize(spec, action.input);
    const res = await client[name](params);
    assert.equal(typeof res.RequestId, 'string', 'RequestId');
    for (const m of spec.objects[action.output].members) {
      assert.ok(Object.hasOwn(res, m.name), `no ${m.name} in ${Object.keys(res)}`);
    }
  });
}

test('the emulator saw each action once, and no unknown action', async () => {
  const stats = await emu.stats();
  assert.equal(stats.unknown_action, 0);
  for (const name of actions) assert.equal(stats.actions[name]?.ok, 1, name);
});
