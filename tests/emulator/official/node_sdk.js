// Drives the emulator with the official Tencent Cloud Node SDK (tencentcloud-sdk-nodejs).
//
// Environment: EMULATOR_URL (http://127.0.0.1:PORT), EMU_SECRET_ID / EMU_SECRET_KEY (a key pair
// the emulator knows), EMU_TOKEN_ID / EMU_TOKEN_KEY / EMU_TOKEN (a pair that needs a token).
// Prints one line per case and `node-sdk: N passed, M failed`; exits non-zero on failure.
"use strict";

const http = require("http");
const net = require("net");
const { Client } = require("tencentcloud-sdk-nodejs/tencentcloud/services/essbasic/v20210526/essbasic_client");

const url = new URL(process.env.EMULATOR_URL);
const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const SID = env("EMU_SECRET_ID");
const SKEY = env("EMU_SECRET_KEY");
const TID = env("EMU_TOKEN_ID");
const TKEY = env("EMU_TOKEN_KEY");
const TOKEN = env("EMU_TOKEN");
const AGENT = {
  AppId: "yDwhxUUckp3gl8j5UuFX33LSNozpRsbi",
  ProxyOrganizationOpenId: "org_emulator",
  ProxyOperator: { OpenId: "n9527" },
};

// An agent that connects every request to the emulator whatever host the URL names, so the
// SDK signs and sends the real file host name while no traffic leaves the machine.
const toEmulator = new http.Agent({ keepAlive: true });
toEmulator.createConnection = (_opts, cb) => {
  const socket = net.connect(Number(url.port), url.hostname);
  if (cb) socket.once("connect", () => cb(null, socket));
  return socket;
};

function client({ signMethod = "TC3-HMAC-SHA256", reqMethod = "POST", credential, fileHost = false } = {}) {
  return new Client({
    credential: credential || { secretId: SID, secretKey: SKEY },
    region: "",
    profile: {
      signMethod,
      httpProfile: fileHost
        ? { endpoint: "file.ess.tencent.cn", protocol: "http://", reqMethod, agent: toEmulator }
        : { endpoint: url.host, protocol: "http://", reqMethod },
    },
  });
}

let passed = 0;
let failed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok   node ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL node ${name}: ${e && e.code ? e.code + ": " : ""}${e && e.message}`);
  }
}
function assert(cond, what) {
  if (!cond) throw new Error(`assertion failed: ${what}`);
}
async function expectError(code, fn) {
  try {
    await fn();
  } catch (e) {
    assert(e.code === code, `expected ${code}, got ${e.code}: ${e.message}`);
    return;
  }
  throw new Error(`expected error ${code}, got success`);
}

async function main() {
  const state = {};
  const now = Math.floor(Date.now() / 1000);

  await test("UploadFiles via file host (TC3 POST, service file)", async () => {
    const r = await client({ fileHost: true }).UploadFiles({
      Agent: AGENT,
      BusinessType: "DOCUMENT",
      FileInfos: [{ FileBody: Buffer.from("%PDF-1.4 node").toString("base64"), FileName: "b.pdf" }],
    });
    assert(r.FileIds.length === 1, JSON.stringify(r));
    state.file = r.FileIds[0];
  });

  await test("CreateFlowsByTemplates (TC3 POST)", async () => {
    const r = await client().CreateFlowsByTemplates({
      Agent: AGENT,
      FlowInfos: [
        { FlowName: "node flow 1", Deadline: now + 86400, TemplateId: "yDtemplate1", FlowApprovers: [{ ApproverType: "PERSON", Name: "李四", Mobile: "13300000000" }] },
        { FlowName: "node flow 2", Deadline: now + 86400, TemplateId: "yDtemplate1" },
      ],
    });
    assert(r.FlowIds.length === 2, JSON.stringify(r));
    state.flows = r.FlowIds;
  });

  await test("ChannelCreateFlowByFiles (TC3 GET)", async () => {
    const r = await client({ reqMethod: "GET" }).ChannelCreateFlowByFiles({
      Agent: AGENT,
      FlowName: "node by files",
      FileIds: [state.file],
      Unordered: true,
      FlowApprovers: [{ ApproverType: "PERSON", Name: "王五", Mobile: "13400000000" }],
    });
    assert(r.FlowId, JSON.stringify(r));
    state.flow = r.FlowId;
  });

  await test("DescribeFlowDetailInfo (v1 HmacSHA256 POST)", async () => {
    const r = await client({ signMethod: "HmacSHA256" }).DescribeFlowDetailInfo({ Agent: AGENT, FlowIds: state.flows });
    assert(r.FlowInfo.length === 2 && r.FlowInfo[0].FlowId === state.flows[0], JSON.stringify(r));
  });

  await test("CreateSignUrls (v1 HmacSHA1 POST)", async () => {
    const r = await client({ signMethod: "HmacSHA1" }).CreateSignUrls({ Agent: AGENT, FlowIds: [state.flows[0]] });
    assert(r.SignUrlInfos.length >= 1 && r.SignUrlInfos[0].FlowId === state.flows[0], JSON.stringify(r));
  });

  await test("ChannelGetTaskResultApi after ChannelCreateConvertTaskApi (v1 HmacSHA256 GET)", async () => {
    const c = client({ signMethod: "HmacSHA256", reqMethod: "GET" });
    // The SDK dropped these deprecated actions; its generic request() still signs them.
    const t = await c.request("ChannelCreateConvertTaskApi", { Agent: AGENT, ResourceType: "doc", ResourceName: "c.doc", ResourceId: state.file });
    let r;
    for (let i = 0; i < 5; i++) {
      r = await c.request("ChannelGetTaskResultApi", { Agent: AGENT, TaskId: t.TaskId });
      if (r.TaskStatus === 8) return;
    }
    throw new Error(`task never finished: ${JSON.stringify(r)}`);
  });

  await test("DescribeUsage with token (TC3)", async () => {
    const r = await client({ credential: { secretId: TID, secretKey: TKEY, token: TOKEN } }).DescribeUsage({
      Agent: AGENT,
      StartDate: "2024-01-01",
      EndDate: "2024-01-31",
    });
    assert(Array.isArray(r.Details), JSON.stringify(r));
  });

  await test("wrongly signed request refused", async () => {
    await expectError("AuthFailure.SignatureFailure", () =>
      client({ credential: { secretId: SID, secretKey: SKEY + "x" } }).DescribeFlowDetailInfo({ Agent: AGENT, FlowIds: state.flows }),
    );
  });

  await test("unknown SecretId refused (v1)", async () => {
    await expectError("AuthFailure.SecretIdNotFound", () =>
      client({ signMethod: "HmacSHA1", credential: { secretId: "AKIDunknown", secretKey: SKEY } }).DescribeUsage({
        Agent: AGENT,
        StartDate: "2024-01-01",
        EndDate: "2024-01-31",
      }),
    );
  });

  await test("wrong type refused", async () => {
    await expectError("InvalidParameter", () =>
      client().ChannelBatchCancelFlows({ Agent: AGENT, FlowIds: state.flows, CancelMessageFormat: "one" }),
    );
  });

  await test("ChannelBatchCancelFlows + DescribeCancelFlowsTask", async () => {
    const c = client();
    const t = await c.ChannelBatchCancelFlows({ Agent: AGENT, FlowIds: state.flows, CancelMessage: "node" });
    let r;
    for (let i = 0; i < 5; i++) {
      r = await c.DescribeCancelFlowsTask({ Agent: AGENT, TaskId: t.TaskId });
      if (r.TaskStatus === "END") break;
    }
    assert(r.SuccessFlowIds.length === 2, JSON.stringify(r));
    const d = await c.DescribeFlowDetailInfo({ Agent: AGENT, FlowIds: state.flows });
    assert(d.FlowInfo.every((f) => f.FlowStatus === "CANCEL"), JSON.stringify(d));
  });

  await test("sign link for a cancelled flow refused", async () => {
    await expectError("OperationDenied.FlowStatusForbid", () =>
      client().ChannelCreateFlowSignUrl({ Agent: AGENT, FlowId: state.flows[0] }),
    );
  });

  console.log(`node-sdk: ${passed} passed, ${failed} failed`);
  toEmulator.destroy();
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL node harness: ${e && e.stack}`);
  console.log(`node-sdk: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
