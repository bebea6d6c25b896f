// The conformance vectors under node:test: one test per case, on ESSBASIC_TARGET's adapter.
// tests/conformance.sh runs conformance.runner.mjs directly for its summary line.
import { test } from 'node:test';
import { collectCases, checkCase, context } from './conformance.runner.mjs';
import { TARGET } from './helpers/target.mjs';

const cases = collectCases();
let ctx;

test(`conformance vectors load (${TARGET})`, async () => {
  ctx = await context(TARGET);
  if (!cases.length) throw new Error('no vector case found');
});

for (const item of cases) {
  test(`conformance ${item.id}`, async () => {
    ctx ??= await context(TARGET);
    await checkCase(ctx, item);
  });
}
