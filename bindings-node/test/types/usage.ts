// A typed usage sample, checked by `tsc --noEmit -p test/types` (never run).
import {
  Client,
  essbasic,
  v20210526,
  TencentCloudSDKHttpException,
  ValidationError,
  EssbasicError,
  type ChannelCancelFlowRequest,
  type DescribeFlowDetailInfoResponse,
  type ActionName,
  type Transport,
  type Hooks,
  type RemoteSigner,
  type Logger,
  signRemote,
  Tc3Signer,
} from 'essbasic';
import tencentcloud = require('essbasic');

const client = new Client({
  credential: { secretId: 'AKID', secretKey: 'key' },
  region: 'ap-guangzhou',
  profile: {
    signMethod: 'TC3-HMAC-SHA256',
    language: 'zh-CN',
    httpProfile: { endpoint: 'essbasic.tencentcloudapi.com', reqMethod: 'POST', reqTimeout: 30, headers: { 'X-Custom': '1' } },
  },
  testEnvironment: true,
  strict: true,
  retry: { maxAttempts: 3 },
});
const Official = tencentcloud.essbasic.v20210526.Client;
const same: typeof Client = essbasic.v20210526.Client;
const alsoSame: typeof Client = v20210526.Client;
new Official({ credential: { getCredential: async () => ({ secretId: 'a', secretKey: 'b', token: 't' }) } });
void same;
void alsoSame;

const transport: Transport = async (req) => ({ status: 200, headers: {}, body: new TextEncoder().encode(req.body) });
new Client({ credential: {}, transport });

async function main(): Promise<void> {
  const cancel: ChannelCancelFlowRequest = { FlowId: 'f', Agent: { AppId: 'a' }, CancelMessageFormat: 1n };
  const res = await client.ChannelCancelFlow(cancel);
  const id: string | undefined = res.RequestId;

  const detail: DescribeFlowDetailInfoResponse = await client.DescribeFlowDetailInfo({
    Agent: { AppId: 'a' },
    FlowIds: ['f'],
  });
  const status: string | undefined = detail.FlowInfo?.[0]?.FlowStatus;

  const viaRequest = await client.request('DescribeTemplates', { Agent: { AppId: 'a' }, Limit: 20 });
  const total = viaRequest.TotalCount;
  const generic = await client.request('SomeFutureAction', { Any: 1 });
  const name: ActionName = 'UploadFiles';

  client.ChannelCancelFlow({ FlowId: 'f' }, (err, out) => {
    if (err) console.log(err.kind, err.code, err.requestId);
    else console.log(out?.RequestId);
  });
  await client.DescribeUsage(
    { Agent: { AppId: 'a' }, StartDate: '2026-01-01', EndDate: '2026-01-31' },
    { timeoutMs: 5000, headers: { 'X-TC-TraceId': 't' } },
  );

  try {
    await client.ChannelCancelFlow({ FlowId: 'f' });
  } catch (e) {
    if (e instanceof ValidationError) console.log(e.path);
    else if (e instanceof EssbasicError && e.kind === 'api') console.log(e.code);
    else if (e instanceof TencentCloudSDKHttpException) console.log(e.getRequestId(), e.httpCode);
  }

  // @ts-expect-error FlowId is required
  await client.ChannelCancelFlow({ Agent: { AppId: 'a' } });
  // @ts-expect-error FlowId is a string
  await client.ChannelCancelFlow({ FlowId: 5 });
  // @ts-expect-error no such action method
  await client.ChannelCancelFlows({ FlowId: 'f' });
  // @ts-expect-error unknown sign method
  new Client({ credential: {}, profile: { signMethod: 'MD5' } });
  client.close();
  console.log(id, status, total, generic, name);
}
void main;

// Retries, the remote signer, the credential chain, logs, hooks and trace ids.
const signer: RemoteSigner = async ({ canonicalRequest, stringToSign, timestamp, action, traceId }) => {
  console.log(stringToSign, action, traceId);
  return signRemote({ secretKey: 'server-side-key', canonicalRequest, timestamp, allowedActions: ['DescribeUsage'] });
};
const hooks: Hooks = {
  beforeSend(ctx) {
    ctx.setHeader('X-Request-Source', `${ctx.action}#${ctx.attempt}`);
  },
  afterReceive: async ({ status, requestId, durationMs, error }) => console.log(status, requestId, durationMs, error?.code),
  onRetry: ({ delayMs, reason, error, clockOffset }) => console.log(delayMs, reason, error.kind, clockOffset),
  onError: ({ attempt, traceId, error }) => console.log(attempt, traceId, error),
};
const logger: Logger = console;
const remote = new Client({
  credential: { secretId: 'AKID', token: 'temporary' },
  signer,
  retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2000, deadlineMs: 20000 },
  logger,
  logBodyBytes: 512,
  hooks,
});
const fromChain = new Client({ credentialProfile: 'prod', retry: false });
new Client({});

async function observe(): Promise<void> {
  const res = await remote.DescribeUsage(
    { Agent: { AppId: 'a' }, StartDate: '2026-01-01', EndDate: '2026-01-31' },
    { traceId: 'my-trace' },
  );
  const trace: string = res.traceId;
  const usage: number | bigint | string | undefined = res.Total;
  const any = await fromChain.request('DescribeUsage', { Agent: { AppId: 'a' }, StartDate: 'x', EndDate: 'y' });
  console.log(trace, usage, any.traceId);
  try {
    await fromChain.ChannelCancelFlow({ FlowId: 'f' });
  } catch (e) {
    if (e instanceof EssbasicError) console.log(e.traceId, e.attempts, e.kind === 'transport' && e.notSent);
  }
  // @ts-expect-error retry is a policy or a boolean
  new Client({ retry: 3 });
  // @ts-expect-error no such hook
  new Client({ hooks: { beforeRequest() {} } });
  // @ts-expect-error a signer returns the signature
  new Client({ signer: async () => 42 });
  // @ts-expect-error signRemote needs the canonical request
  await signRemote({ secretKey: 'k', timestamp: 1 });
}
void observe;

// Issue #8: callbacks, encryption, uploads, waiters, pagination.
import { openCallback, msgData, encryption, CallbackError, type CallbackEvent } from 'essbasic';
async function features(body: Uint8Array, signature: string | undefined, blob: Blob) {
  const event: CallbackEvent | null = await openCallback(body, { key: 'k'.repeat(32), token: 't', signature });
  if (event?.MsgType === 'FlowStatusChange') {
    const data = msgData(event, 'FlowStatusChange');
    const status: string | undefined = data.FlowStatus;
    const approvers = data.FlowApproverInfo?.map((a) => a.ApproveStatus);
    void status, approvers;
  } else if (event?.MsgType === 'OrgAuth') {
    const ok: boolean | undefined = msgData(event, 'OrgAuth').AuthSuccess;
    void ok;
  } else if (event) {
    const other: Record<string, unknown> = msgData(event, event.MsgType);
    void other;
  }
  await openCallback('{}').catch((e) => e instanceof CallbackError);
  const keys = { cipherKey: 'k'.repeat(32), hmacKey: 'h' };
  const env = await encryption.seal('{"a":1}', keys);
  const plain: Uint8Array = await encryption.open(env, keys);
  void plain;
  const up = await client.uploadFiles(['/tmp/a.pdf', blob, { name: 'b.pdf', data: body }], {
    businessType: 'DOCUMENT',
    agent: { AppId: 'a' },
  });
  const ids: string[] | undefined = up.FileIds;
  void ids;
  const done = await client.waitFileConvert('t', {
    agent: { AppId: 'a' },
    deadlineMs: 60_000,
    onProgress: (p) => console.log(p.attempt, p.status, p.percent),
    signal: new AbortController().signal,
  });
  void done.ResourceId;
  for await (const t of client.paginate('DescribeTemplates', { Agent: { AppId: 'a' }, Limit: 50 })) {
    const id: string | undefined = t.TemplateId;
    void id;
  }
  for await (const page of client.pages('DescribeTemplates', { Agent: { AppId: 'a' } })) void page.TotalCount;
  const r = await client.callEncrypted('DescribeTemplates', { Agent: { AppId: 'a' } }, keys);
  void r.Templates;
  // @ts-expect-error the business type is a string
  await client.uploadFiles([body], { businessType: 1 });
}
void features;

// The bare TC3 signer (native addon).
const tc3 = new Tc3Signer('AKID', 'key');
const authorization: string = tc3.authorization('{}', 'essbasic.tencentcloudapi.com', 1_700_000_000);
void tc3.authorization(new Uint8Array(2), 'essbasic.tencentcloudapi.com', 1_700_000_000, 'application/json');
void authorization;
// @ts-expect-error the timestamp is a number
tc3.authorization('{}', 'essbasic.tencentcloudapi.com', '1700000000');
