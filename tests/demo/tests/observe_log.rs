//! The Rust client's DEBUG events hold no secret and no personal data. One test in its own
//! binary: `tracing` caches whether a callsite is enabled process-wide, so a test without a
//! subscriber running beside it could switch these events off.

use std::sync::{Arc, Mutex};

use essbasic::client::Client;
use essbasic::Credentials;
use essbasic_emulator::auth::Key;
use essbasic_emulator::{Config, Emulator};
use serde_json::json;

const ID: &str = "AKIDobserve";
const KEY: &str = "observe-secret-key-0123456789";
const TOKEN: &str = "observe-session-token";

async fn emulator() -> Emulator {
    let mut config = Config::default();
    config.keys.clear();
    config.keys.insert(
        ID.into(),
        Key {
            secret_key: KEY.into(),
            token: Some(TOKEN.into()),
        },
    );
    essbasic_emulator::start(config).await.unwrap()
}

fn agent() -> serde_json::Value {
    json!({"AppId": "app", "ProxyOrganizationOpenId": "org", "ProxyOperator": {"OpenId": "op"}})
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn debug_events_hold_no_secret_and_no_personal_data() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let emu = emulator().await;
    let client = Client::builder()
        .credentials(Credentials::new(ID, KEY).with_token(TOKEN))
        .endpoint(emu.base_url())
        .build()
        .unwrap();
    let up = client
        .call(
            "UploadFiles",
            &json!({"Agent": agent(), "BusinessType": "DOCUMENT",
            "FileInfos": [{"FileBody": "JVBERi0xLjQK", "FileName": "a.pdf"}]}),
        )
        .await
        .unwrap();
    let created = client
        .call("ChannelCreateFlowByFiles", &json!({"Agent": agent(), "FlowName": "lease", "FileIds": [up["FileIds"][0]],
            "FlowApprovers": [{"ApproverType": "PERSON", "Name": "张三丰", "Mobile": "13812345678"}]}))
        .await
        .unwrap();
    client
        .call(
            "DescribeFlowDetailInfo",
            &json!({"Agent": agent(), "FlowIds": [created["FlowId"]]}),
        )
        .await
        .unwrap();
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("essbasic attempt") && log.contains("ChannelCreateFlowByFiles"),
        "{log}"
    );
    assert!(
        log.contains("138****5678"),
        "the masked mobile is there: {log}"
    );
    for leak in [KEY, TOKEN, "13812345678", "张三丰", "JVBERi0xLjQK"] {
        assert!(!log.contains(leak), "{leak} leaked into the debug log");
    }
}
