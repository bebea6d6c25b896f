// The same package from an ES module (checked by tsc, never run).
import essbasic, { Client, ApiError, type DescribeTemplatesResponse } from 'essbasic';

const client = new essbasic.essbasic.v20210526.Client({ credential: { secretId: 'a', secretKey: 'b' } });
const same: Client = client;
const res: DescribeTemplatesResponse = await same.DescribeTemplates({ Agent: { AppId: 'a' }, Limit: 10n });
const big: number | bigint | string | undefined = res.TotalCount;
try {
  await client.request('ChannelCancelFlow', { FlowId: 'f' });
} catch (e) {
  if (e instanceof ApiError) console.log(e.code, big);
}
