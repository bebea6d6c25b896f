// Type-checked (tsc --noEmit, module nodenext) in the fresh npm project: the package's
// `types` resolve from the tarball through its `exports` map, for both entry points.
import { Client, ApiError, ValidationError } from 'essbasic';
import type { ChannelCancelFlowRequest, DescribeUsageResponse } from 'essbasic';

const client = new Client({ credential: { secretId: 'id', secretKey: 'key' }, region: '' });
const req: ChannelCancelFlowRequest = { Agent: { AppId: 'app' }, FlowId: 'flow' };
export async function run(): Promise<string | undefined> {
  const usage: DescribeUsageResponse = await client.DescribeUsage({
    Agent: { AppId: 'app' },
    StartDate: '2026-01-01',
    EndDate: '2026-01-02',
  });
  try {
    await client.ChannelCancelFlow(req);
  } catch (e) {
    if (e instanceof ValidationError) return e.path;
    if (e instanceof ApiError) return e.code;
  }
  // @ts-expect-error FlowId is required
  await client.ChannelCancelFlow({ Agent: { AppId: 'app' } });
  return usage.RequestId;
}
