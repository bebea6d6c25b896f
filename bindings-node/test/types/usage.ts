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
