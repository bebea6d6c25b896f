//! The README's demo: starts the emulator inside this process on a loopback port and walks
//! a contract through its life with the Rust client, printing each step.
//!
//! Run it with `cargo run -p essbasic-demo`.

use essbasic::client::Client;
use essbasic::models::{
    Agent, ChannelCancelFlowRequest, ChannelCreateFlowByFilesRequest,
    ChannelCreateFlowSignUrlRequest, DescribeFlowDetailInfoRequest, FlowApproverInfo, UploadFile,
    UploadFilesRequest, UserInfo,
};
use essbasic::{Credentials, Error};
use essbasic_emulator::{DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use serde_json::json;

/// A one-page PDF, small enough to print.
const PDF: &str = "JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZy9QYWdlcyAyIDAgUj4+ZW5kb2JqCjIgMCBvYmo8PC9UeXBlL1BhZ2VzL0tpZHNbMyAwIFJdL0NvdW50IDE+PmVuZG9iagozIDAgb2JqPDwvVHlwZS9QYWdlL01lZGlhQm94WzAgMCA1OTUgODQyXS9QYXJlbnQgMiAwIFI+PmVuZG9iagp0cmFpbGVyPDwvUm9vdCAxIDAgUj4+CiUlRU9G";

fn agent() -> Agent {
    Agent {
        app_id: "yDwhxUUckp3gl8j5UuFX33LSNozpRsbi".into(),
        proxy_organization_open_id: Some("org_dianziqian".into()),
        proxy_operator: Some(UserInfo {
            open_id: Some("n9527".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn step(n: u32, what: &str) {
    println!("\n[{n}] {what}");
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let emulator = essbasic_emulator::start(essbasic_emulator::Config::default())
        .await
        .map_err(|e| Error::Transport {
            message: format!("cannot start the emulator: {e}"),
            not_sent: true,
        })?;
    println!(
        "essbasic demo: emulator listening on {}",
        emulator.base_url()
    );

    let client = Client::builder()
        .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY))
        .endpoint(emulator.base_url())
        .build()?;

    step(1, "UploadFiles: a PDF (routed like the file host)");
    let uploaded = client
        .upload_files(&UploadFilesRequest {
            agent: agent(),
            business_type: "DOCUMENT".into(),
            file_infos: Some(vec![UploadFile {
                file_body: PDF.into(),
                file_name: Some("lease.pdf".into()),
            }]),
            ..Default::default()
        })
        .await?;
    let file_id = uploaded.file_ids.clone().unwrap_or_default().remove(0);
    println!(
        "    FileIds {:?}  RequestId {}",
        uploaded.file_ids.unwrap_or_default(),
        uploaded.request_id.unwrap_or_default()
    );

    step(2, "ChannelCreateFlowByFiles: a lease between two people");
    let approver = |name: &str, mobile: &str| FlowApproverInfo {
        approver_type: Some("PERSON".into()),
        name: Some(name.into()),
        mobile: Some(mobile.into()),
        ..Default::default()
    };
    let created = client
        .channel_create_flow_by_files(&ChannelCreateFlowByFilesRequest {
            agent: Some(agent()),
            flow_name: Some("Lease 2026".into()),
            file_ids: Some(vec![file_id]),
            flow_approvers: Some(vec![
                approver("张三", "13800000000"),
                approver("李四", "13900000000"),
            ]),
            deadline: Some(1_893_456_000),
            ..Default::default()
        })
        .await?;
    let flow_id = created.flow_id.clone().unwrap_or_default();
    println!("    FlowId {flow_id}");

    step(3, "ChannelCreateFlowSignUrl: a signing link for 张三");
    let links = client
        .channel_create_flow_sign_url(&ChannelCreateFlowSignUrlRequest {
            agent: agent(),
            flow_id: flow_id.clone(),
            flow_approver_infos: Some(vec![approver("张三", "13800000000")]),
            ..Default::default()
        })
        .await?;
    for info in links.flow_approver_url_infos.unwrap_or_default() {
        println!(
            "    {} -> {}",
            info.name.unwrap_or_default(),
            info.sign_url.unwrap_or_default()
        );
    }

    step(4, "DescribeFlowDetailInfo");
    let describe = DescribeFlowDetailInfoRequest {
        agent: agent(),
        flow_ids: Some(vec![flow_id.clone()]),
        ..Default::default()
    };
    let detail = client.describe_flow_detail_info(&describe).await?;
    for flow in detail.flow_info.unwrap_or_default() {
        println!(
            "    {} {:?} status {:?}",
            flow.flow_id.unwrap_or_default(),
            flow.flow_name.unwrap_or_default(),
            flow.flow_status
        );
    }

    step(5, "ChannelCancelFlow, then DescribeFlowDetailInfo again");
    client
        .channel_cancel_flow(&ChannelCancelFlowRequest {
            agent: Some(agent()),
            flow_id: flow_id.clone(),
            cancel_message: Some("价格写错了".into()),
            ..Default::default()
        })
        .await?;
    for flow in client
        .describe_flow_detail_info(&describe)
        .await?
        .flow_info
        .unwrap_or_default()
    {
        println!(
            "    {} status {:?}",
            flow.flow_id.unwrap_or_default(),
            flow.flow_status
        );
    }

    step(
        6,
        "Errors are typed: a validation error before any I/O, then an API error",
    );
    let bad = client
        .call(
            "ChannelCreateFlowSignUrl",
            &json!({"Agent": {"AppId": "a"}}),
        )
        .await;
    println!("    {}", bad.unwrap_err());
    let unknown = client
        .channel_cancel_flow(&ChannelCancelFlowRequest {
            agent: Some(agent()),
            flow_id: "yDwFnoSuchFlow".into(),
            ..Default::default()
        })
        .await;
    let err = unknown.unwrap_err();
    println!("    {} (kind {}, code {})", err, err.kind(), err.code());

    println!("\ndone: the emulator served every step above on loopback");
    Ok(())
}
