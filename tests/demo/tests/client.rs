//! The Rust client end to end against the emulator, in process on loopback.

use std::time::{Duration, Instant};

use essbasic::client::Client;
use essbasic::models::{
    ChannelCancelFlowRequest, DescribeFlowDetailInfoRequest, UploadFilesRequest,
};
use essbasic::spec::{Scalar, TypeRef, ACTIONS, OBJECTS};
use essbasic::{Credentials, Error, HttpMethod, SignMethod};
use essbasic_emulator::faults::Fault;
use essbasic_emulator::{Config, Emulator, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use serde_json::{json, Map, Value};

async fn emulator(config: Config) -> Emulator {
    essbasic_emulator::start(config)
        .await
        .expect("emulator starts")
}

fn builder(emu: &Emulator) -> essbasic::client::ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY))
        .endpoint(emu.base_url())
}

/// Schema-valid parameters with every required member, synthesized from the spec table.
fn synthesize(object: u16, depth: usize) -> Value {
    let mut map = Map::new();
    for m in OBJECTS[object as usize]
        .members
        .iter()
        .filter(|m| m.required)
    {
        let one = match m.ty {
            TypeRef::Scalar(Scalar::String) => json!("x"),
            TypeRef::Scalar(Scalar::Int64 | Scalar::Uint64) => json!(1),
            TypeRef::Scalar(Scalar::Float) => json!(1.5),
            TypeRef::Scalar(Scalar::Bool) => json!(true),
            TypeRef::Object(id) if depth < 8 => synthesize(id, depth + 1),
            TypeRef::Object(_) => json!({}),
        };
        map.insert(m.name.to_owned(), if m.list { json!([one]) } else { one });
    }
    Value::Object(map)
}

fn agent() -> Value {
    json!({"AppId": "app", "ProxyOrganizationOpenId": "org", "ProxyOperator": {"OpenId": "op"}})
}

#[tokio::test]
async fn every_action_answers_with_every_output_member() {
    let emu = emulator(Config {
        stateless: true,
        ..Config::default()
    })
    .await;
    let client = builder(&emu).build().unwrap();
    for action in ACTIONS {
        let params = synthesize(action.input, 0);
        let out = client
            .call(action.name, &params)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", action.name));
        assert!(
            out["RequestId"].is_string(),
            "{}: no RequestId",
            action.name
        );
        for member in action.output().members {
            assert!(
                out.get(member.name).is_some(),
                "{}: no {}",
                action.name,
                member.name
            );
        }
    }
}

#[tokio::test]
async fn every_sign_method_and_http_method_is_accepted() {
    let emu = emulator(Config::default()).await;
    let cases = [
        (SignMethod::Tc3HmacSha256, HttpMethod::Post),
        (SignMethod::Tc3HmacSha256, HttpMethod::Get),
        (SignMethod::HmacSha256, HttpMethod::Post),
        (SignMethod::HmacSha1, HttpMethod::Get),
    ];
    for (sign, http) in cases {
        let client = builder(&emu)
            .sign_method(sign)
            .http_method(http)
            .region("ap-guangzhou")
            .build()
            .unwrap();
        let out = client
            .call("DescribeTemplates", &json!({"Agent": agent(), "Limit": 20, "Offset": 0, "TemplateIds": ["a b", "中文"]}))
            .await
            .unwrap_or_else(|e| panic!("{sign:?} {http:?}: {e}"));
        assert!(out["RequestId"].is_string());
    }
}

#[tokio::test]
async fn the_contract_lifecycle() {
    let emu = emulator(Config::default()).await;
    let client = builder(&emu).build().unwrap();
    let up: essbasic::models::UploadFilesResponse = client
        .send(
            &serde_json::from_value::<UploadFilesRequest>(json!({
                "Agent": agent(), "BusinessType": "DOCUMENT",
                "FileInfos": [{"FileBody": "JVBERi0xLjQK", "FileName": "a.pdf"}]
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let file_id = up.file_ids.unwrap().remove(0);
    let created = client
        .call(
            "ChannelCreateFlowByFiles",
            &json!({"Agent": agent(), "FlowName": "lease", "FileIds": [file_id],
                "FlowApprovers": [{"ApproverType": "PERSON", "Name": "张三", "Mobile": "13800000000"}]}),
        )
        .await
        .unwrap();
    let flow_id = created["FlowId"].as_str().unwrap().to_owned();
    let describe = DescribeFlowDetailInfoRequest {
        agent: serde_json::from_value(agent()).unwrap(),
        flow_ids: Some(vec![flow_id.clone()]),
        ..Default::default()
    };
    let status = |d: essbasic::models::DescribeFlowDetailInfoResponse| {
        d.flow_info.unwrap()[0].flow_status.clone()
    };
    assert_eq!(
        status(client.send(&describe).await.unwrap()).as_deref(),
        Some("INIT")
    );
    let url = client
        .call(
            "ChannelCreateFlowSignUrl",
            &json!({"Agent": agent(), "FlowId": flow_id,
            "FlowApproverInfos": [{"Name": "张三", "Mobile": "13800000000"}]}),
        )
        .await
        .unwrap();
    assert!(url["FlowApproverUrlInfos"][0]["SignUrl"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    client
        .send(&ChannelCancelFlowRequest {
            flow_id: flow_id.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        status(client.send(&describe).await.unwrap()).as_deref(),
        Some("CANCEL")
    );

    let err = client
        .call(
            "ChannelCreateFlowSignUrl",
            &json!({"Agent": agent(), "FlowId": "yDwFnoSuchFlow"}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "api");
    assert!(err.code().starts_with("ResourceNotFound"), "{err}");
    assert!(err.request_id().is_some());
}

#[tokio::test]
async fn validation_errors_happen_before_any_io() {
    // Nothing listens on this endpoint: a validation error must not even try to connect.
    let client = Client::builder()
        .credentials(Credentials::new("id", "key"))
        .endpoint("http://127.0.0.1:9")
        .build()
        .unwrap();
    let err = client
        .call("UploadFiles", &json!({"Agent": agent(), "BusinessType": "DOCUMENT", "FileInfos": [{"FileName": "a"}]}))
        .await
        .unwrap_err();
    match err {
        Error::Validation { action, path, .. } => {
            assert_eq!(action, "UploadFiles");
            assert_eq!(path, "FileInfos[0].FileBody");
        }
        other => panic!("{other:?}"),
    }
    let transport = client
        .call("ChannelCancelFlow", &json!({"FlowId": "f"}))
        .await
        .unwrap_err();
    match transport {
        Error::Transport { not_sent, .. } => {
            assert!(not_sent, "a refused connection never sent the request")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn authentication_failures_are_api_errors() {
    let emu = emulator(Config::default()).await;
    let wrong_key = Client::builder()
        .credentials(Credentials::new(DEFAULT_SECRET_ID, "not-the-key"))
        .endpoint(emu.base_url())
        .build()
        .unwrap();
    let err = wrong_key
        .call("ChannelCancelFlow", &json!({"FlowId": "f"}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "AuthFailure.SignatureFailure");
    let unknown_id = Client::builder()
        .credentials(Credentials::new("AKIDnobody", "k"))
        .endpoint(emu.base_url())
        .build()
        .unwrap();
    let err = unknown_id
        .call("ChannelCancelFlow", &json!({"FlowId": "f"}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "AuthFailure.SecretIdNotFound");
    // The message never carries the secret.
    assert!(!format!("{err} {err:?} {wrong_key:?}").contains("not-the-key"));
}

#[tokio::test]
async fn remote_errors_are_classified() {
    let fault = |action: &str, spec: &str| (action.to_owned(), Fault::parse(spec).unwrap());
    let emu = emulator(Config {
        faults_enabled: true,
        action_faults: vec![
            fault("DescribeUsage", "html502"),
            fault("DescribeTemplates", "malformed"),
            fault("DescribeFlowDetailInfo", "delay_ms=3000"),
            fault("GetDownloadFlowUrl", "status=503"),
        ],
        ..Config::default()
    })
    .await;
    let client = builder(&emu)
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let params = json!({"Agent": agent(), "StartDate": "2026-01-01", "EndDate": "2026-01-02", "Offset": 0, "Limit": 10});
    let http = client.call("DescribeUsage", &params).await.unwrap_err();
    assert!(matches!(http, Error::Http { status: 502, .. }), "{http:?}");
    let decode = client
        .call("DescribeTemplates", &json!({"Agent": agent()}))
        .await
        .unwrap_err();
    assert_eq!(decode.kind(), "decode", "{decode:?}");
    let started = Instant::now();
    let timeout = client
        .call(
            "DescribeFlowDetailInfo",
            &json!({"Agent": agent(), "FlowIds": ["f"]}),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(timeout, Error::Timeout { after_ms: 400 }),
        "{timeout:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(2500));
    let id = essbasic::spec::action("GetDownloadFlowUrl").unwrap().input;
    let unavailable = client
        .call("GetDownloadFlowUrl", &synthesize(id, 0))
        .await
        .unwrap_err();
    assert!(
        matches!(unavailable.kind(), "api" | "http"),
        "{unavailable:?}"
    );
}

fn flows_created(emu: &Emulator) -> u64 {
    emu.app()
        .stats
        .effect_count(essbasic_emulator::stats::Effect::FlowCreated)
}

async fn create_params(c: &Client) -> Value {
    let up = c
        .call(
            "UploadFiles",
            &json!({"Agent": agent(), "BusinessType": "DOCUMENT",
            "FileInfos": [{"FileBody": "JVBERi0xLjQK", "FileName": "a.pdf"}]}),
        )
        .await
        .unwrap();
    json!({"Agent": agent(), "FlowName": "lease", "FileIds": [up["FileIds"][0]],
        "FlowApprovers": [{"ApproverType": "PERSON", "Name": "张三", "Mobile": "13800000000"}]})
}

#[tokio::test]
async fn retries_never_duplicate_a_contract() {
    let fault = |action: &str, spec: &str| (action.to_owned(), Fault::parse(spec).unwrap());
    // Throttled twice, then accepted: throttling is retried for every action.
    let emu = emulator(Config {
        faults_enabled: true,
        action_faults: vec![fault("ChannelCreateFlowByFiles", "throttle,times=2")],
        ..Config::default()
    })
    .await;
    let fast = essbasic::retry::RetryPolicy {
        base_delay_ms: 10,
        ..Default::default()
    };
    let client = builder(&emu).retry(fast).build().unwrap();
    let out = client
        .call("ChannelCreateFlowByFiles", &create_params(&client).await)
        .await
        .unwrap();
    assert!(out["FlowId"].is_string());
    assert_eq!(flows_created(&emu), 1);

    // A 5xx after the request may have run: a create is not retried, a read is.
    let emu = emulator(Config {
        faults_enabled: true,
        action_faults: vec![
            fault("ChannelCreateFlowByFiles", "status=503,times=1"),
            fault("DescribeTemplates", "status=503,times=1"),
        ],
        ..Config::default()
    })
    .await;
    let client = builder(&emu).retry(fast).build().unwrap();
    let err = client
        .call("ChannelCreateFlowByFiles", &create_params(&client).await)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), "api" | "http"), "{err:?}");
    assert!(flows_created(&emu) <= 1);
    let stats = emu.app().stats.to_json();
    // One upload and one create: the create was not re-sent.
    assert_eq!(stats["requests"], 2, "{stats}");
    client
        .call("DescribeTemplates", &json!({"Agent": agent()}))
        .await
        .unwrap();
    let stats = emu.app().stats.to_json();
    // The read was re-sent once after its 503.
    assert_eq!(stats["requests"], 4, "{stats}");
    assert_eq!(stats["actions"]["DescribeTemplates"]["ok"], 1, "{stats}");
}

#[tokio::test]
async fn a_skewed_clock_is_corrected_from_the_date_header() {
    for skew in [600, -600] {
        let emu = emulator(Config {
            clock_skew_s: skew,
            ..Config::default()
        })
        .await;
        let client = builder(&emu)
            .retry(essbasic::retry::RetryPolicy::none())
            .build()
            .unwrap();
        for _ in 0..2 {
            client
                .call("ChannelCancelFlow", &json!({"FlowId": "f"}))
                .await
                .map(|_| ())
                .or_else(|e| {
                    // The flow does not exist; what matters is that the signature was accepted.
                    if e.code().starts_with("ResourceNotFound") {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })
                .unwrap_or_else(|e| panic!("skew {skew}: {e}"));
        }
        let stats = emu.app().stats.to_json();
        // One refused request (SignatureExpire) for the first call, none for the second.
        assert_eq!(
            stats["actions"]["ChannelCancelFlow"]["requests"], 3,
            "{stats}"
        );
    }
}

#[tokio::test]
async fn remote_signed_requests_are_accepted() {
    use essbasic::client::{ReqwestTransport, Transport};
    use essbasic::{remote, Config as CoreConfig, Stamp};
    let emu = emulator(Config::default()).await;
    let config = CoreConfig {
        endpoint: Some(emu.base_url()),
        ..CoreConfig::default()
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let stamp = Stamp {
        timestamp: now,
        nonce: 1,
        trace_id: None,
    };
    let params = json!({"Agent": agent(), "Limit": 5});
    let prepared = remote::prepare(
        "DescribeTemplates",
        &params,
        &config,
        DEFAULT_SECRET_ID,
        None,
        &stamp,
    )
    .unwrap();
    let signature = remote::sign_remote(
        DEFAULT_SECRET_KEY,
        &prepared.canonical_request,
        prepared.timestamp,
        now,
        Some(&["DescribeTemplates"]),
    )
    .unwrap();
    let transport = ReqwestTransport::new().unwrap();
    let good = prepared.clone().finish(&signature).unwrap();
    let resp = transport.send(good, Duration::from_secs(5)).await.unwrap();
    essbasic::parse_response(resp.status, &resp.body).unwrap();
    // The signature covers the action: the same signature on another action is refused.
    let mut forged = prepared.finish(&signature).unwrap();
    for (k, v) in forged.headers.iter_mut() {
        if k == "X-TC-Action" {
            *v = "ChannelCancelFlow".into();
        }
    }
    let resp = transport
        .send(forged, Duration::from_secs(5))
        .await
        .unwrap();
    let err = essbasic::parse_response(resp.status, &resp.body).unwrap_err();
    assert_eq!(err.code(), "AuthFailure.SignatureFailure");
}
