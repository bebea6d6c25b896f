// The same package under Deno and Bun (runtimes that only need fetch): a successful action,
// an API error, a validation error and a request signed by hand with `Tc3Signer`, against
// the emulator. Usage (the runner passes them):
//   <runtime> runtimes.mjs <entry module URL or path> <emulator base URL> <label>
// Prints `ok - ...` lines and exits non-zero on the first failure.
const [entry, endpoint, label] = (globalThis.Deno ? Deno.args : process.argv.slice(2));
const { Client, ApiError, ValidationError, Tc3Signer, backend } = await import(entry);

const credential = { secretId: 'AKIDessbasicEmulator', secretKey: 'essbasic-emulator-secret-key' };
const agent = { AppId: 'app', ProxyOrganizationOpenId: 'org', ProxyOperator: { OpenId: 'op' } };
const fail = (why) => {
  console.log(`not ok - ${label}: ${why}`);
  (globalThis.Deno ? Deno.exit : process.exit)(1);
};

const client = new Client({ credential, profile: { httpProfile: { endpoint } } });
const usage = await client.DescribeUsage({ Agent: agent, StartDate: '2026-01-01', EndDate: '2026-01-02' });
if (typeof usage.RequestId !== 'string') fail('no RequestId');
console.log(`ok - ${label}: an action succeeds on the ${await backend()} backend (RequestId ${usage.RequestId})`);

const wrong = new Client({ credential: { ...credential, secretKey: 'wrong' }, profile: { httpProfile: { endpoint } } });
try {
  await wrong.ChannelCancelFlow({ FlowId: 'f' });
  fail('a wrong key was accepted');
} catch (e) {
  if (!(e instanceof ApiError) || e.code !== 'AuthFailure.SignatureFailure') fail(`wrong error ${e}`);
}
console.log(`ok - ${label}: an API error is an ApiError (AuthFailure.SignatureFailure)`);

try {
  await client.ChannelCancelFlow({ Agent: agent });
  fail('a missing FlowId was sent');
} catch (e) {
  if (!(e instanceof ValidationError) || e.path !== 'FlowId') fail(`wrong error ${e}`);
}
console.log(`ok - ${label}: a validation error names the path (FlowId)`);

// A request built, signed with `Tc3Signer` and sent by hand: accepted as the façade's are.
const signer = new Tc3Signer(credential.secretId, credential.secretKey);
const body = JSON.stringify({ Agent: agent, StartDate: '2026-01-01', EndDate: '2026-01-02' });
const timestamp = Math.floor(Date.now() / 1000);
const answer = await (
  await fetch(endpoint, {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/json',
      'X-TC-Action': 'DescribeUsage',
      'X-TC-Version': '2021-05-26',
      'X-TC-Timestamp': String(timestamp),
      Authorization: signer.authorization(body, new URL(endpoint).host, timestamp),
    },
  })
).json();
if (typeof answer.Response?.RequestId !== 'string' || answer.Response.Error) fail(`Tc3Signer: ${JSON.stringify(answer)}`);
console.log(`ok - ${label}: a request signed with Tc3Signer is accepted (RequestId ${answer.Response.RequestId})`);
