//! The contract lifecycle with state, stateless mode, and the stats that prove side effects.

mod common;

use common::*;
use essbasic_emulator::Config;
use serde_json::{json, Value};

async fn upload(emu: &essbasic_emulator::Emulator) -> String {
    let r = call(
        emu,
        "UploadFiles",
        &json!({
            "Agent": agent(), "BusinessType": "DOCUMENT",
            "FileInfos": [{"FileBody": "JVBERi0xLjQ=", "FileName": "contract.pdf"}]
        }),
    )
    .await;
    assert_eq!(r["TotalCount"], 1);
    r["FileIds"][0].as_str().unwrap().to_owned()
}

fn approver() -> Value {
    json!({"ApproverType": "PERSON", "Name": "张三", "Mobile": "13200000000", "ApproverRoleName": "乙方"})
}

async fn status(emu: &essbasic_emulator::Emulator, flow: &str) -> String {
    let r = call(
        emu,
        "DescribeFlowDetailInfo",
        &json!({"Agent": agent(), "FlowIds": [flow]}),
    )
    .await;
    r["FlowInfo"][0]["FlowStatus"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn upload_convert_create_sign_cancel() {
    let emu = start(Config {
        task_polls: 2,
        ..Config::default()
    })
    .await;
    let file = upload(&emu).await;
    assert!(file.starts_with("yD") && file.len() == 32, "{file}");

    // Conversion: processing for two polls, then done with a new resource.
    let t = call(
        &emu,
        "CreateFileConvertTask",
        &json!({
            "Agent": agent(), "ResourceType": "docx", "ResourceName": "a.docx", "ResourceId": file
        }),
    )
    .await;
    let task = t["TaskId"].as_str().unwrap();
    let q = json!({"Agent": agent(), "TaskId": task});
    let poll = || call(&emu, "DescribeFileConvertTask", &q);
    assert_eq!(poll().await["TaskStatus"], 4);
    assert_eq!(poll().await["TaskStatus"], 4);
    let done = poll().await;
    assert_eq!(done["TaskStatus"], 8);
    let pdf = done["ResourceId"].as_str().unwrap().to_owned();
    assert_ne!(pdf, file);

    let r = call(&emu, "ChannelCreateFlowByFiles", &json!({
        "Agent": agent(), "FlowName": "劳动合同", "FileIds": [pdf], "FlowApprovers": [approver()],
        "Deadline": now() + 86400, "CustomerData": "abc"
    }))
    .await;
    let flow = r["FlowId"].as_str().unwrap().to_owned();
    assert_eq!(r["Approvers"].as_array().unwrap().len(), 1);

    let d = call(
        &emu,
        "DescribeFlowDetailInfo",
        &json!({"Agent": agent(), "FlowIds": [flow]}),
    )
    .await;
    let info = &d["FlowInfo"][0];
    assert_eq!(info["FlowId"], flow.as_str());
    assert_eq!(info["FlowName"], "劳动合同");
    assert_eq!(info["FlowStatus"], "INIT");
    assert_eq!(info["CustomData"], "abc");
    assert_eq!(info["FlowApproverInfos"][0]["ApproveName"], "张三");
    assert_eq!(d["ApplicationId"], "yDapp");

    let u = call(
        &emu,
        "ChannelCreateFlowSignUrl",
        &json!({"Agent": agent(), "FlowId": flow}),
    )
    .await;
    let url = u["FlowApproverUrlInfos"][0]["SignUrl"].as_str().unwrap();
    assert!(url.starts_with("https://"));
    assert_eq!(u["FlowApproverUrlInfos"][0]["Mobile"], "13200000000");

    call(
        &emu,
        "ChannelCancelFlow",
        &json!({"Agent": agent(), "FlowId": flow, "CancelMessage": "写错了"}),
    )
    .await;
    assert_eq!(status(&emu, &flow).await, "CANCEL");

    let resp = call_resp(
        &emu,
        "ChannelCreateFlowSignUrl",
        &json!({"Agent": agent(), "FlowId": flow}),
        &[],
    )
    .await;
    assert_eq!(
        resp.code().as_deref(),
        Some("OperationDenied.FlowStatusForbid")
    );
    let resp = call_resp(
        &emu,
        "ChannelCancelFlow",
        &json!({"Agent": agent(), "FlowId": flow}),
        &[],
    )
    .await;
    assert_eq!(
        resp.code().as_deref(),
        Some("OperationDenied.FlowStatusForbid")
    );

    let s = stats(&emu).await;
    assert_eq!(s["side_effects"]["flows_created"], 1);
    assert_eq!(s["side_effects"]["flows_cancelled"], 1);
    assert_eq!(s["side_effects"]["files_uploaded"], 1);
    assert_eq!(s["actions"]["DescribeFileConvertTask"]["requests"], 3);
    assert_eq!(s["actions"]["ChannelCancelFlow"]["ok"], 1);
    assert_eq!(s["actions"]["ChannelCancelFlow"]["errors"], 1);
    assert_eq!(s["errors"]["OperationDenied.FlowStatusForbid"], 2);
    assert_eq!(s["flows"], 1);
}

#[tokio::test]
async fn templates_sign_urls_and_batch_cancel() {
    let emu = start(Config {
        task_polls: 1,
        ..Config::default()
    })
    .await;
    let r = call(&emu, "CreateFlowsByTemplates", &json!({
        "Agent": agent(),
        "FlowInfos": [
            {"FlowName": "一", "Deadline": now() + 600, "TemplateId": "yDtpl", "FlowApprovers": [approver()]},
            {"FlowName": "二", "Deadline": now() + 600, "TemplateId": "yDtpl"}
        ]
    }))
    .await;
    let flows: Vec<String> = r["FlowIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(flows.len(), 2);
    assert_eq!(r["ErrorMessages"], json!(["", ""]));

    let s = call(
        &emu,
        "CreateSignUrls",
        &json!({"Agent": agent(), "FlowIds": [flows[0]]}),
    )
    .await;
    assert_eq!(s["SignUrlInfos"][0]["FlowId"], flows[0].as_str());
    assert_eq!(s["SignUrlInfos"][0]["Name"], "张三");

    let missing = "yDmissingFlow000000000000000000";
    let b = call(
        &emu,
        "ChannelBatchCancelFlows",
        &json!({"Agent": agent(), "FlowIds": [flows[0], flows[1], missing]}),
    )
    .await;
    let fails = b["FailMessages"].as_array().unwrap();
    assert_eq!(fails[0], "");
    assert!(fails[2].as_str().unwrap().contains(missing));
    let task = b["TaskId"].as_str().unwrap();
    let q = json!({"Agent": agent(), "TaskId": task});
    let poll = || call(&emu, "DescribeCancelFlowsTask", &q);
    assert_eq!(poll().await["TaskStatus"], "PROCESSING");
    let done = poll().await;
    assert_eq!(done["TaskStatus"], "END");
    assert_eq!(done["SuccessFlowIds"].as_array().unwrap().len(), 2);
    assert_eq!(done["FailureFlows"][0]["FlowId"], missing);
    assert_eq!(status(&emu, &flows[1]).await, "CANCEL");

    let resp = call_resp(
        &emu,
        "CreateSignUrls",
        &json!({"Agent": agent(), "FlowIds": [flows[1]]}),
        &[],
    )
    .await;
    assert_eq!(
        resp.code().as_deref(),
        Some("OperationDenied.FlowStatusForbid")
    );
}

#[tokio::test]
async fn legacy_conversion_actions() {
    let emu = start(Config {
        task_polls: 0,
        ..Config::default()
    })
    .await;
    let file = upload(&emu).await;
    let t = call(
        &emu,
        "ChannelCreateConvertTaskApi",
        &json!({
            "Agent": agent(), "ResourceType": "doc", "ResourceName": "a.doc", "ResourceId": file
        }),
    )
    .await;
    let r = call(
        &emu,
        "ChannelGetTaskResultApi",
        &json!({"Agent": agent(), "TaskId": t["TaskId"]}),
    )
    .await;
    assert_eq!(r["TaskStatus"], 8);
    assert_eq!(r["TaskMessage"], "TaskEnd");
    assert!(r["ResourceId"].as_str().unwrap().starts_with("yD"));
}

#[tokio::test]
async fn unknown_ids_get_the_service_errors() {
    let emu = start(Config::default()).await;
    let unknown = json!({"Agent": agent(), "FlowIds": ["yDnope"]});
    for action in [
        "DescribeFlowDetailInfo",
        "CreateSignUrls",
        "DescribeResourceUrlsByFlows",
        "ChannelCreateFlowReminds",
    ] {
        let resp = call_resp(&emu, action, &unknown, &[]).await;
        assert_eq!(
            resp.code().as_deref(),
            Some("ResourceNotFound.Flow"),
            "{action}"
        );
        assert!(resp.message().contains("yDnope"));
    }
    for action in ["ChannelCreateFlowSignUrl", "ChannelCancelFlow"] {
        let resp = call_resp(
            &emu,
            action,
            &json!({"Agent": agent(), "FlowId": "yDnope"}),
            &[],
        )
        .await;
        assert_eq!(
            resp.code().as_deref(),
            Some("ResourceNotFound.Flow"),
            "{action}"
        );
    }
    let resp = call_resp(&emu, "ChannelCreateFlowByFiles", &json!({
        "Agent": agent(), "FlowName": "x", "FileIds": ["yDnoFile"], "FlowApprovers": [approver()]
    }), &[])
    .await;
    assert_eq!(resp.code().as_deref(), Some("ResourceNotFound.File"));
    let resp = call_resp(
        &emu,
        "DescribeFileConvertTask",
        &json!({"Agent": agent(), "TaskId": "nope"}),
        &[],
    )
    .await;
    assert_eq!(resp.code().as_deref(), Some("ResourceNotFound"));
    let resp = call_resp(
        &emu,
        "UploadFiles",
        &json!({
            "Agent": agent(), "BusinessType": "DOCUMENT", "FileInfos": [{"FileBody": "%%%"}]
        }),
        &[],
    )
    .await;
    assert_eq!(resp.code().as_deref(), Some("InvalidParameterValue"));
    assert!(resp.message().contains("FileInfos.0.FileBody"));
    assert_eq!(stats(&emu).await["side_effects"]["flows_created"], 0);
}

#[tokio::test]
async fn stateless_mode_answers_anything_valid() {
    let emu = start(Config {
        stateless: true,
        ..Config::default()
    })
    .await;
    let r = call(
        &emu,
        "DescribeFlowDetailInfo",
        &json!({"Agent": agent(), "FlowIds": ["yDnope"]}),
    )
    .await;
    assert!(r["FlowInfo"].is_array());
    call(
        &emu,
        "ChannelCancelFlow",
        &json!({"Agent": agent(), "FlowId": "yDnope"}),
    )
    .await;
    call(
        &emu,
        "ChannelCreateFlowByFiles",
        &json!({"Agent": agent(), "FlowName": "x", "FileIds": ["yDnoFile"]}),
    )
    .await;
    let a = call(
        &emu,
        "DescribeUsage",
        &json!({"Agent": agent(), "StartDate": "a", "EndDate": "b"}),
    )
    .await;
    let b = call(
        &emu,
        "DescribeUsage",
        &json!({"Agent": agent(), "StartDate": "a", "EndDate": "b"}),
    )
    .await;
    assert_ne!(a["RequestId"], b["RequestId"]);
    // Still authenticated and validated.
    let body = serde_json::to_vec(&json!({"Agent": agent()})).unwrap();
    let req = sign_raw(&emu, "ChannelCancelFlow", &body, &creds(), now());
    let resp = send(&emu, &req, &[]).await.unwrap();
    assert_eq!(resp.code().as_deref(), Some("MissingParameter"));
    let s = stats(&emu).await;
    assert_eq!(s["stateless"], true);
    assert_eq!(s["flows"], 0);
    assert_eq!(s["side_effects"]["flows_created"], 0);
    assert_eq!(s["actions"]["DescribeUsage"]["ok"], 2);
}

#[tokio::test]
async fn admin_status_change_and_reset() {
    let emu = start(Config::default()).await;
    let file = upload(&emu).await;
    let r = call(
        &emu,
        "ChannelCreateFlowByFiles",
        &json!({
            "Agent": agent(), "FlowName": "x", "FileIds": [file], "FlowApprovers": [approver()]
        }),
    )
    .await;
    let flow = r["FlowId"].as_str().unwrap();
    let resp = admin(
        &emu,
        "POST",
        &format!("/__emulator/flows/{flow}/status"),
        r#"{"FlowStatus":"ALL"}"#,
    )
    .await;
    assert_eq!(resp.status, 200);
    assert_eq!(status(&emu, flow).await, "ALL");
    let r = call(
        &emu,
        "DescribeFlowDetailInfo",
        &json!({"Agent": agent(), "FlowIds": [flow]}),
    )
    .await;
    assert_eq!(
        r["FlowInfo"][0]["FlowApproverInfos"][0]["ApproveStatus"],
        "ACCEPT"
    );
    assert_eq!(
        admin(
            &emu,
            "POST",
            "/__emulator/flows/nope/status",
            r#"{"FlowStatus":"ALL"}"#
        )
        .await
        .status,
        404
    );

    assert_eq!(
        admin(&emu, "POST", "/__emulator/reset", "").await.status,
        200
    );
    let s = stats(&emu).await;
    assert_eq!(s["requests"], 0);
    assert_eq!(s["flows"], 0);
    let resp = call_resp(
        &emu,
        "DescribeFlowDetailInfo",
        &json!({"Agent": agent(), "FlowIds": [flow]}),
        &[],
    )
    .await;
    assert_eq!(resp.code().as_deref(), Some("ResourceNotFound.Flow"));
    assert_eq!(
        admin(&emu, "GET", "/__emulator/health", "").await.json()["ok"],
        true
    );
    assert_eq!(
        admin(&emu, "GET", "/__emulator/nothing", "").await.status,
        404
    );
}

/// DescribeFlowDetailInfo serves each flow's detail from a cache: every change of a flow
/// (a signer signs, the flow is cancelled) must show in the next answer, whole.
#[tokio::test]
async fn flow_details_follow_every_change() {
    let emu = start(Config::default()).await;
    let file = upload(&emu).await;
    let create = |name: &'static str| {
        let file = file.clone();
        let emu = &emu;
        async move {
            let r = call(
                emu,
                "ChannelCreateFlowByFiles",
                &json!({
                    "Agent": agent(), "FlowName": name, "FileIds": [file],
                    "FlowApprovers": [approver(), approver()]
                }),
            )
            .await;
            r["FlowId"].as_str().unwrap().to_owned()
        }
    };
    let (a, b) = (create("甲 \"quoted\"").await, create("乙\n\u{1}").await);
    let query = json!({"Agent": agent(), "FlowIds": [a, b, a]});
    let describe = || call(&emu, "DescribeFlowDetailInfo", &query);
    let first = describe().await;
    assert_eq!(first["FlowInfo"].as_array().unwrap().len(), 3);
    assert_eq!(first["FlowInfo"][0], first["FlowInfo"][2]);
    assert_eq!(first["FlowInfo"][0]["FlowName"], "甲 \"quoted\"");
    assert_eq!(first["FlowInfo"][1]["FlowName"], "乙\n\u{1}");
    assert_eq!(describe().await["FlowInfo"], first["FlowInfo"]);

    // A signer signs (the admin API answers with the detail built from scratch).
    let signed = admin(
        &emu,
        "POST",
        &format!("/__emulator/flows/{a}/status"),
        r#"{"FlowStatus":"PART"}"#,
    )
    .await
    .json();
    let after = describe().await;
    assert_eq!(after["FlowInfo"][0], signed);
    assert_eq!(after["FlowInfo"][2], signed);
    assert_eq!(after["FlowInfo"][0]["FlowStatus"], "PART");
    assert_eq!(after["FlowInfo"][1], first["FlowInfo"][1]);
    let signed = admin(
        &emu,
        "POST",
        &format!("/__emulator/flows/{a}/status"),
        r#"{"FlowStatus":"ALL"}"#,
    )
    .await
    .json();
    let after = describe().await;
    assert_eq!(after["FlowInfo"][0], signed);
    assert_eq!(
        after["FlowInfo"][0]["FlowApproverInfos"][1]["ApproveStatus"],
        "ACCEPT"
    );

    // Cancelled: status, message and every approver's status change.
    call(
        &emu,
        "ChannelCancelFlow",
        &json!({"Agent": agent(), "FlowId": b, "CancelMessage": "不要了"}),
    )
    .await;
    let after = describe().await;
    let info = &after["FlowInfo"][1];
    assert_eq!(info["FlowStatus"], "CANCEL");
    assert_eq!(info["FlowMessage"], "不要了");
    for approver in info["FlowApproverInfos"].as_array().unwrap() {
        assert_eq!(approver["ApproveStatus"], "CANCEL");
    }
    // The same as the detail built from scratch (the admin API, with an unchanged status).
    let fresh = admin(
        &emu,
        "POST",
        &format!("/__emulator/flows/{b}/status"),
        r#"{"FlowStatus":"CANCEL"}"#,
    )
    .await
    .json();
    assert_eq!(info, &fresh);
    assert_eq!(after["FlowInfo"][0], signed);
}
