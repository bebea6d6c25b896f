//! The `essbasic` crate from its packaged `.crate`, as the dependency of a fresh cargo
//! project: one typed action, one API error, one validation error against the emulator.
//!
//!     cargo run -- <emulator-url>

use essbasic::client::Client;
use essbasic::models::{Agent, DescribeUsageRequest, UserInfo};
use essbasic::{Credentials, Error};
use serde_json::json;

const SECRET_ID: &str = "AKIDessbasicEmulator"; // the emulator's documented default pair
const SECRET_KEY: &str = "essbasic-emulator-secret-key";

fn client(url: &str, secret_key: &str) -> Client {
    Client::builder()
        .credentials(Credentials::new(SECRET_ID, secret_key))
        .endpoint(url)
        .build()
        .expect("a client")
}

fn agent() -> Agent {
    Agent {
        app_id: "yDwhxUUckp3gl8j5UuFX33LSNozpRsbi".into(),
        proxy_organization_open_id: Some("org".into()),
        proxy_operator: Some(UserInfo {
            open_id: Some("op".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn report(failed: &mut u32, name: &str, result: Result<String, String>) {
    match result {
        Ok(detail) => println!("ok - {name} ({detail})"),
        Err(why) => {
            *failed += 1;
            println!("not ok - {name}: {why}");
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = &args[1];
    let mut failed = 0;

    let request = DescribeUsageRequest {
        agent: agent(),
        start_date: "2026-01-01".into(),
        end_date: "2026-01-02".into(),
        ..Default::default()
    };
    let ok = client(url, SECRET_KEY).describe_usage(&request).await;
    report(
        &mut failed,
        "an action: describe_usage (typed) answers with a RequestId",
        match ok {
            Ok(res) => match res.request_id {
                Some(id) if !id.is_empty() => Ok(format!("RequestId {id}")),
                _ => Err("no RequestId".into()),
            },
            Err(e) => Err(e.to_string()),
        },
    );

    let params = json!({"Agent": {"AppId": "app"}, "FlowId": "f"});
    let wrong = client(url, "not-the-key").call("ChannelCancelFlow", &params).await;
    report(
        &mut failed,
        "an API error: a wrong key is Error::Api AuthFailure.SignatureFailure",
        match wrong {
            Err(Error::Api { code, request_id: Some(_), .. }) if code == "AuthFailure.SignatureFailure" => Ok(code),
            other => Err(format!("{other:?}")),
        },
    );

    let missing = client(url, SECRET_KEY)
        .call("ChannelCancelFlow", &json!({"Agent": {"AppId": "app"}}))
        .await;
    report(
        &mut failed,
        "a validation error: a missing required member names its path",
        match missing {
            Err(Error::Validation { path, .. }) if path == "FlowId" => Ok(format!("path {path}")),
            other => Err(format!("{other:?}")),
        },
    );

    std::process::exit(if failed == 0 { 0 } else { 1 });
}
