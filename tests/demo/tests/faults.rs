//! The Rust client under every emulator fault: each case ends in success or the right typed
//! error within its deadline, and no fault on a create action makes a duplicate contract.
//! Every error and Debug output produced is scanned for the secret key and the token.

use std::time::{Duration, Instant};

use essbasic::client::Client;
use essbasic::retry::RetryPolicy;
use essbasic::Credentials;
use essbasic_emulator::auth::Key;
use essbasic_emulator::faults::Fault;
use essbasic_emulator::stats::Effect;
use essbasic_emulator::{Config, Emulator};
use serde_json::{json, Value};

const ID: &str = "AKIDfaultsuite";
const KEY: &str = "fault-suite-secret-key-0123456789";
const TOKEN: &str = "fault-suite-session-token";

fn agent() -> Value {
    json!({"AppId": "app", "ProxyOrganizationOpenId": "org", "ProxyOperator": {"OpenId": "op"}})
}

async fn emulator(action: &str, fault: &str) -> Emulator {
    let mut config = Config {
        faults_enabled: true,
        action_faults: vec![(action.to_owned(), Fault::parse(fault).unwrap())],
        ..Config::default()
    };
    config.keys.clear();
    config.keys.insert(
        ID.to_owned(),
        Key {
            secret_key: KEY.to_owned(),
            token: Some(TOKEN.to_owned()),
        },
    );
    essbasic_emulator::start(config).await.unwrap()
}

fn client(emu: &Emulator) -> Client {
    Client::builder()
        .credentials(Credentials::new(ID, KEY).with_token(TOKEN))
        .endpoint(emu.base_url())
        .timeout(Duration::from_millis(1500))
        .max_body_bytes(8 << 20)
        .retry(RetryPolicy {
            base_delay_ms: 20,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

/// What a case may end in: `ok`, or an error kind (several allowed with `|`).
fn outcome(result: &Result<Value, essbasic::Error>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.kind().to_owned(),
    }
}

fn scan(printed: &mut Vec<String>, result: &Result<Value, essbasic::Error>) {
    if let Err(e) = result {
        printed.push(format!("{e} {e:?} {}", e.code()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_on_a_read() {
    let mut printed = Vec::new();
    // (fault, allowed outcomes, requests the emulator must have seen)
    let cases: &[(&str, &str, u64)] = &[
        ("status=503,times=1", "ok", 2),
        ("throttle,times=2", "ok", 3),
        ("reset=before,times=1", "ok", 2),
        ("reset=after,times=1", "ok", 2),
        ("truncate,times=1", "ok", 2),
        ("malformed,times=1", "ok", 2),
        ("html502,times=1", "ok", 2),
        ("delay_ms=3000,times=1", "ok", 2),
        ("html502", "http", 3),
        ("reset=before", "transport", 3),
        ("oversize_mb=70", "decode", 1),
        ("nested=100000", "decode", 1), // a parse failure of a whole answer is not retried
        ("slow_body_ms=300", "ok", 1),
        ("content_type=text/plain", "ok", 1),
        ("date_skew_s=600", "ok", 1),
        ("date_skew_s=-600", "ok", 1),
    ];
    for (fault, want, requests) in cases {
        let emu = emulator("DescribeTemplates", fault).await;
        let c = client(&emu);
        let started = Instant::now();
        let result = c
            .call("DescribeTemplates", &json!({"Agent": agent()}))
            .await;
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{fault}: took {:?}",
            started.elapsed()
        );
        assert!(
            want.split('|').any(|w| w == outcome(&result)),
            "{fault}: {result:?}"
        );
        let stats = emu.app().stats.to_json();
        assert_eq!(stats["requests"], *requests, "{fault}: {stats}");
        scan(&mut printed, &result);
        printed.push(format!("{c:?}"));
    }
    assert_no_secret(&printed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_fault_on_a_create_makes_a_duplicate_contract() {
    let mut printed = Vec::new();
    // (fault, allowed outcomes, flows the emulator may have created)
    let cases: &[(&str, &str, u64)] = &[
        ("status=503,times=1", "api", 0),
        ("throttle,times=2", "ok", 1),
        ("reset=before", "transport", 0),
        ("reset=after", "transport", 1),
        ("truncate", "transport|decode", 1),
        ("malformed", "decode", 1),
        ("html502", "http", 0),
        ("delay_ms=3000", "timeout", 1),
        ("oversize_mb=70", "decode", 1),
        ("nested=100000", "decode", 1),
        ("slow_body_ms=300", "ok", 1),
        ("content_type=text/plain", "ok", 1),
        ("date_skew_s=600", "ok", 1),
    ];
    for (fault, want, flows) in cases {
        let emu = emulator("ChannelCreateFlowByFiles", fault).await;
        let c = client(&emu);
        let up = c
            .call(
                "UploadFiles",
                &json!({"Agent": agent(), "BusinessType": "DOCUMENT",
                    "FileInfos": [{"FileBody": "JVBERi0xLjQK", "FileName": "a.pdf"}]}),
            )
            .await
            .unwrap();
        let params = json!({"Agent": agent(), "FlowName": "lease", "FileIds": [up["FileIds"][0]],
            "FlowApprovers": [{"ApproverType": "PERSON", "Name": "张三", "Mobile": "13800000000"}]});
        let result = c.call("ChannelCreateFlowByFiles", &params).await;
        assert!(
            want.split('|').any(|w| w == outcome(&result)),
            "{fault}: {result:?}"
        );
        let created = emu.app().stats.effect_count(Effect::FlowCreated);
        assert_eq!(created, *flows, "{fault}: {created} flows created");
        scan(&mut printed, &result);
    }
    assert_no_secret(&printed);
}

fn assert_no_secret(printed: &[String]) {
    assert!(!printed.is_empty());
    for line in printed {
        assert!(!line.contains(KEY), "the secret key leaked: {line}");
        assert!(!line.contains(TOKEN), "the token leaked: {line}");
    }
}
