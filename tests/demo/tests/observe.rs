//! Observability of the Rust client: trace ids on the wire and in the metadata, DEBUG
//! events free of secrets and personal data, hooks in order under a retry.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use essbasic::client::{
    BoxFuture, CallInfo, CallOptions, Client, Hooks, HttpResponse, ReqwestTransport, Transport,
};
use essbasic::retry::RetryPolicy;
use essbasic::{Credentials, Error, HttpRequest};
use essbasic_emulator::auth::Key;
use essbasic_emulator::faults::Fault;
use essbasic_emulator::{Config, Emulator};
use serde_json::json;

const ID: &str = "AKIDobserve";
const KEY: &str = "observe-secret-key-0123456789";
const TOKEN: &str = "observe-session-token";

async fn emulator(faults: Vec<(String, Fault)>) -> Emulator {
    let mut config = Config {
        faults_enabled: true,
        action_faults: faults,
        ..Config::default()
    };
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

/// A transport that records the trace id of every request it sends.
struct Recording {
    inner: ReqwestTransport,
    trace_ids: Arc<Mutex<Vec<String>>>,
}

impl Transport for Recording {
    fn send(
        &self,
        request: HttpRequest,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let id = request
            .header("X-TC-TraceId")
            .unwrap_or_default()
            .to_owned();
        self.trace_ids.lock().unwrap().push(id);
        self.inner.send(request, timeout)
    }
}

#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl Hooks for Recorder {
    fn before_send(&self, info: &CallInfo<'_>, extra: &mut Vec<(String, String)>) {
        extra.push(("X-Custom".into(), "1".into()));
        self.0
            .lock()
            .unwrap()
            .push(format!("before_send {}", info.attempt));
    }
    fn after_receive(&self, info: &CallInfo<'_>, status: u16, _: Option<&str>) {
        self.0
            .lock()
            .unwrap()
            .push(format!("after_receive {} {status}", info.attempt));
    }
    fn on_retry(&self, info: &CallInfo<'_>, error: &Error, _: Duration) {
        self.0
            .lock()
            .unwrap()
            .push(format!("on_retry {} {}", info.attempt, error.kind()));
    }
    fn on_error(&self, info: &CallInfo<'_>, error: &Error) {
        self.0
            .lock()
            .unwrap()
            .push(format!("on_error {} {}", info.attempt, error.code()));
    }
}

fn agent() -> serde_json::Value {
    json!({"AppId": "app", "ProxyOrganizationOpenId": "org", "ProxyOperator": {"OpenId": "op"}})
}

#[tokio::test]
async fn trace_ids_and_hooks_under_a_retry() {
    let fault = (
        "DescribeTemplates".to_owned(),
        Fault::parse("status=503,times=1").unwrap(),
    );
    let emu = emulator(vec![fault]).await;
    let trace_ids = Arc::new(Mutex::new(Vec::new()));
    let hooks = Arc::new(Recorder::default());
    let client = Client::builder()
        .credentials(Credentials::new(ID, KEY).with_token(TOKEN))
        .endpoint(emu.base_url())
        .retry(RetryPolicy {
            base_delay_ms: 10,
            ..RetryPolicy::default()
        })
        .transport(Recording {
            inner: ReqwestTransport::new().unwrap(),
            trace_ids: trace_ids.clone(),
        })
        .hooks(hooks.clone())
        .build()
        .unwrap();
    let (result, meta) = client
        .call_with(
            "DescribeTemplates",
            &json!({"Agent": agent()}),
            &CallOptions::default(),
        )
        .await;
    result.unwrap();
    assert_eq!(meta.attempts, 2);
    assert_eq!(meta.status, 200);
    assert!(meta.request_id.is_some());
    // One trace id per call, on every attempt.
    assert_eq!(
        *trace_ids.lock().unwrap(),
        vec![meta.trace_id.clone(), meta.trace_id.clone()]
    );
    assert_eq!(
        *hooks.0.lock().unwrap(),
        [
            "before_send 1",
            "after_receive 1 503",
            "on_retry 1 api",
            "before_send 2",
            "after_receive 2 200"
        ]
    );

    // A caller-supplied trace id, and one on a failing call.
    let options = CallOptions {
        trace_id: Some("my-trace-1".into()),
        ..CallOptions::default()
    };
    let (result, meta) = client
        .call_with("ChannelCancelFlow", &json!({"FlowId": "nope"}), &options)
        .await;
    assert_eq!(result.unwrap_err().kind(), "api");
    assert_eq!(meta.trace_id, "my-trace-1");
    assert_eq!(trace_ids.lock().unwrap().last().unwrap(), "my-trace-1");
    assert!(hooks
        .0
        .lock()
        .unwrap()
        .last()
        .unwrap()
        .starts_with("on_error 1 ResourceNotFound"));
}
