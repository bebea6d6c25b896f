// The bare TC3 signer (`Tc3Signer`) against the TC3 POST cases of the signing conformance
// vectors (tests/vectors/signing.json): the same Authorization as the vectors', for a string
// body and for its bytes, with the key cache crossing a UTC day. ESSBASIC_TARGET=native tests
// Node's entry (the addon's signer), wasm the browser entry's (the WebAssembly module's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { vectorsDir } from './conformance.runner.mjs';
import { TARGET } from './helpers/target.mjs';

const { Tc3Signer } = TARGET === 'native' ? await import('../lib/platform-node.mjs') : await import('../lib/browser.mjs');

/** The TC3 POST cases of the essbasic service with a signed payload (what `Tc3Signer` covers). */
function tc3Cases() {
  const doc = JSON.parse(readFileSync(join(vectorsDir(), 'signing.json'), 'utf8'));
  return doc.cases.filter(
    (c) =>
      c.kind === 'signing' &&
      c.request?.sign_method === 'TC3-HMAC-SHA256' &&
      c.request.method === 'POST' &&
      c.request.service === 'essbasic' &&
      !c.request.unsigned_payload &&
      typeof c.request.body === 'string' &&
      c.expected?.headers?.Authorization,
  );
}

test(`Tc3Signer (${TARGET}): the Authorization of every TC3 POST vector`, () => {
  const cases = tc3Cases();
  assert.ok(cases.length >= 10, `only ${cases.length} TC3 POST cases`);
  for (const c of cases) {
    const r = c.request;
    const signer = new Tc3Signer(c.credential.secret_id, c.credential.secret_key);
    const want = c.expected.headers.Authorization;
    assert.equal(signer.authorization(r.body, r.host, r.timestamp, r.content_type), want, c.id);
    assert.equal(signer.authorization(Buffer.from(r.body), r.host, r.timestamp, r.content_type), want, `${c.id} (bytes)`);
    if (r.content_type === 'application/json') {
      assert.equal(signer.authorization(new TextEncoder().encode(r.body), r.host, r.timestamp), want, `${c.id} (default type)`);
    }
  }
});

test(`Tc3Signer (${TARGET}): one signer across UTC days (the cached key follows the date)`, () => {
  const cases = tc3Cases();
  const byCredential = new Map();
  for (const c of cases) {
    const k = `${c.credential.secret_id}\n${c.credential.secret_key}`;
    if (!byCredential.has(k)) byCredential.set(k, []);
    byCredential.get(k).push(c);
  }
  let days = 0;
  for (const group of byCredential.values()) {
    const signer = new Tc3Signer(group[0].credential.secret_id, group[0].credential.secret_key);
    // Twice round, so that every case follows one of another day.
    for (const c of [...group, ...group]) {
      const r = c.request;
      assert.equal(signer.authorization(r.body, r.host, r.timestamp, r.content_type), c.expected.headers.Authorization, c.id);
    }
    days += new Set(group.map((c) => Math.floor(c.request.timestamp / 86400))).size;
  }
  assert.ok(days >= 2, 'the vectors span more than one UTC day');
});

test(`Tc3Signer (${TARGET}): bad arguments, and no credential in inspect or JSON`, () => {
  assert.throws(() => new Tc3Signer('', 'key'), TypeError);
  assert.throws(() => new Tc3Signer('AKIDsecretid', undefined), TypeError);
  const signer = new Tc3Signer('AKIDsecretid', 'very-secret-key-value');
  assert.throws(() => signer.authorization(42, 'h', 1), TypeError);
  assert.throws(() => signer.authorization('{}', '', 1), TypeError);
  assert.throws(() => signer.authorization('{}', 'h', 1.5), TypeError);
  assert.throws(() => signer.authorization('{}', 'h', -1), TypeError);
  for (const shown of [inspect(signer, { showHidden: true, depth: 5 }), JSON.stringify(signer), String(signer)]) {
    assert.ok(!shown.includes('very-secret-key-value'), shown);
    assert.ok(!shown.includes('AKIDsecretid'), shown);
  }
  assert.match(signer.authorization('{}', 'essbasic.tencentcloudapi.com', 1_700_000_000), /^TC3-HMAC-SHA256 Credential=AKIDsecretid\/2023-11-14\/essbasic\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/);
});
