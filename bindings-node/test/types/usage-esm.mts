// The same package from an ES module (checked by tsc, never run).
import essbasic, { Client, ApiError, signRemote, type DescribeTemplatesResponse } from 'essbasic';

const client = new essbasic.essbasic.v20210526.Client({ credential: { secretId: 'a', secretKey: 'b' } });
const same: Client = client;
const res: DescribeTemplatesResponse = await same.DescribeTemplates({ Agent: { AppId: 'a' }, Limit: 10n });
const big: number | bigint | string | undefined = res.TotalCount;
try {
  await client.request('ChannelCancelFlow', { FlowId: 'f' });
} catch (e) {
  if (e instanceof ApiError) console.log(e.code, big);
}

// The server side of the remote signer, and a client that uses it.
const remote = new Client({
  credential: { secretId: 'AKID' },
  signer: ({ canonicalRequest, timestamp }) => signRemote({ secretKey: 'k', canonicalRequest, timestamp }),
  logger: { debug: (line: string) => console.debug(line) },
  hooks: { onRetry: ({ attempt, delayMs }) => console.log(attempt, delayMs) },
});
const usage = await remote.DescribeUsage({ Agent: { AppId: 'a' }, StartDate: 'x', EndDate: 'y' }, { traceId: 't' });
console.log(usage.traceId, res.RequestId);
