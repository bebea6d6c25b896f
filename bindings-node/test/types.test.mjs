// TypeScript: the typed usage sample (test/types/usage.ts) compiles against index.d.ts and
// the generated types/models.d.ts with `tsc --noEmit`, including its @ts-expect-error lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(pkgDir, 'node_modules', 'typescript', 'bin', 'tsc');

test('tsc --noEmit on the typed usage sample', { skip: !existsSync(tsc) && 'typescript is not installed (npm ci)' }, async () => {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', 'test/types'], {
    cwd: pkgDir,
  }).catch((e) => assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`));
  assert.equal(stdout + stderr, '');
});

test('the models declare every action and mark deprecations', () => {
  const models = readFileSync(join(pkgDir, 'types', 'models.d.ts'), 'utf8');
  const spec = JSON.parse(readFileSync(join(pkgDir, '..', 'core', 'spec', 'api.json'), 'utf8'));
  const block = models.slice(models.indexOf('export interface Actions {'));
  for (const [name, action] of Object.entries(spec.actions)) {
    assert.match(block, new RegExp(`\\n  ${name}: \\{ request: ${name}Request; response: ${name}Response \\}`), name);
    if (action.status === 'deprecated') {
      const at = block.indexOf(`\n  ${name}: {`);
      assert.match(block.slice(Math.max(0, at - 300), at), /@deprecated/, `${name} is deprecated`);
    }
  }
});
