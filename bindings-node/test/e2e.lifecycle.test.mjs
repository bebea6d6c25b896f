// A contract's life against the stateful emulator: upload, create, sign link, describe,
// cancel, describe again; then an API error for a flow that does not exist.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { essbasicFor } from './helpers/target.mjs';
import { startEmulator, AGENT, PDF, SECRET_ID, SECRET_KEY } from './helpers/emulator.mjs';

const ess = essbasicFor();
let emu;
let client;

before(async () => {
  emu = await startEmulator();
  client = new ess.v20210526.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: emu.url } },
  });
});
after(async () => {
  client?.close();
  await emu?.stop();
});

test('upload, create, sign link, describe, cancel, describe', async () => {
  const up = await client.UploadFiles({
    Agent: AGENT,
    BusinessType: 'DOCUMENT',
    FileInfos: [{ FileBody: PDF, FileName: 'lease.pdf' }],
  });
  assert.equal(up.FileIds.length, 1);
  assert.equal(typeof up.RequestId, 'string');

  const approver = (Name, Mobile) => ({ ApproverType: 'PERSON', Name, Mobile });
  const created = await client.ChannelCreateFlowByFiles({
    Agent: AGENT,
    FlowName: 'Lease 2026',
    FileIds: up.FileIds,
    FlowApprovers: [approver('张三', '13800000000'), approver('李四', '13900000000')],
    Deadline: 1893456000,
  });
  const flowId = created.FlowId;
  assert.match(flowId, /\S/);

  const status = async () => {
    const d = await client.DescribeFlowDetailInfo({ Agent: AGENT, FlowIds: [flowId] });
    assert.equal(d.FlowInfo[0].FlowId, flowId);
    return d.FlowInfo[0].FlowStatus;
  };
  assert.equal(await status(), 'INIT');

  const links = await client.ChannelCreateFlowSignUrl({
    Agent: AGENT,
    FlowId: flowId,
    FlowApproverInfos: [{ Name: '张三', Mobile: '13800000000' }],
  });
  assert.ok(links.FlowApproverUrlInfos[0].SignUrl.startsWith('https://'));

  await client.ChannelCancelFlow({ Agent: AGENT, FlowId: flowId, CancelMessage: '价格写错了' });
  assert.equal(await status(), 'CANCEL');

  const stats = await emu.stats();
  assert.equal(stats.side_effects.flows_created, 1);
  assert.equal(stats.side_effects.flows_cancelled, 1);
});

test('a flow that does not exist is an ApiError with the service code and RequestId', async () => {
  await assert.rejects(
    client.ChannelCreateFlowSignUrl({ Agent: AGENT, FlowId: 'yDwFnoSuchFlow' }),
    (err) => {
      assert.ok(err instanceof ess.TencentCloudSDKHttpException);
      assert.ok(err instanceof ess.ApiError);
      assert.equal(err.kind, 'api');
      assert.match(err.code, /^ResourceNotFound/);
      assert.match(err.requestId, /\S/);
      assert.equal(err.getRequestId(), err.requestId);
      assert.match(err.traceId, /^[0-9a-f-]{36}$/);
      assert.equal(err.httpCode, 200);
      return true;
    },
  );
});
