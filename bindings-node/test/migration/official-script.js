// A script written for tencentcloud-sdk-nodejs, in the style of its README: the
// constructor, a few actions (promise, then/catch and callback styles), try/catch on
// err.code. test/migration.test.mjs runs it unchanged except for the require line below,
// and (when the official SDK is installed) unchanged with the official SDK too, and
// compares the two transcripts.
//
// Environment: ESS_ENDPOINT (127.0.0.1:PORT), ESS_SECRET_ID, ESS_SECRET_KEY.
const tencentcloud = require("tencentcloud-sdk-nodejs");

const EssbasicClient = tencentcloud.essbasic.v20210526.Client;

const clientConfig = {
  credential: {
    secretId: process.env.ESS_SECRET_ID,
    secretKey: process.env.ESS_SECRET_KEY,
  },
  region: "",
  profile: {
    httpProfile: {
      endpoint: process.env.ESS_ENDPOINT,
      protocol: "http://",
      reqMethod: "POST",
      reqTimeout: 30,
    },
  },
};

const client = new EssbasicClient(clientConfig);

const Agent = {
  AppId: "yDwhxUUckp3gl8j5UuFX33LSNozpRsbi",
  ProxyOrganizationOpenId: "org_dianziqian",
  ProxyOperator: { OpenId: "n9527" },
};
const PDF = "JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZy9QYWdlcyAyIDAgUj4+ZW5kb2JqCnRyYWlsZXI8PC9Sb290IDEgMCBSPj4KJSVFT0Y=";

async function main() {
  const uploaded = await client.UploadFiles({
    Agent,
    BusinessType: "DOCUMENT",
    FileInfos: [{ FileBody: PDF, FileName: "contract.pdf" }],
  });
  console.log("UploadFiles", uploaded.FileIds.length, typeof uploaded.RequestId);

  const created = await client.ChannelCreateFlowByFiles({
    Agent,
    FlowName: "租赁合同",
    FileIds: uploaded.FileIds,
    FlowApprovers: [{ ApproverType: "PERSON", Name: "张三", Mobile: "13800000000" }],
  });
  console.log("ChannelCreateFlowByFiles", typeof created.FlowId, typeof created.RequestId);

  await client.DescribeFlowDetailInfo({ Agent, FlowIds: [created.FlowId] }).then(
    (data) => console.log("DescribeFlowDetailInfo", data.FlowInfo[0].FlowStatus),
    (err) => console.log("DescribeFlowDetailInfo failed", err.code)
  );

  await new Promise((resolve) => {
    client.ChannelCancelFlow({ Agent, FlowId: created.FlowId, CancelMessage: "价格写错了" }, (err, data) => {
      console.log("ChannelCancelFlow", err ? err.code : typeof data.RequestId);
      resolve();
    });
  });

  try {
    await client.ChannelCreateFlowSignUrl({ Agent, FlowId: "yDwFnoSuchFlow" });
    console.log("ChannelCreateFlowSignUrl unexpectedly succeeded");
  } catch (err) {
    if (err.code && err.code.startsWith("ResourceNotFound")) {
      console.log("ChannelCreateFlowSignUrl", err.code, typeof err.requestId, err.requestId.length > 0, typeof err.message);
    } else {
      console.log("ChannelCreateFlowSignUrl other error", err.code, err.message);
    }
  }

  const wrong = new EssbasicClient({ ...clientConfig, credential: { secretId: process.env.ESS_SECRET_ID, secretKey: "wrong" } });
  try {
    await wrong.DescribeUsage({ Agent, StartDate: "2026-01-01", EndDate: "2026-01-31" });
  } catch (err) {
    console.log("DescribeUsage", err.code);
  }
}

main().then(
  () => console.log("done"),
  (err) => {
    console.log("FAILED", err && err.code, err && err.message);
    process.exitCode = 1;
  }
);
