//! Faults on demand: the X-Emulator-Fault header (only with `--faults`), per-action rules,
//! `times=N`, and what each fault does on the wire.

mod common;

use std::time::{Duration, Instant};

use common::*;
use essbasic::{HttpMethod, SignMethod};
use essbasic_emulator::faults::Fault;
use essbasic_emulator::{Config, Emulator};
use serde_json::{json, Value};

fn usage() -> Value {
    json!({"Agent": agent(), "StartDate": "2024-01-01", "EndDate": "2024-01-31"})
}

async fn faulty() -> Emulator {
    start(Config {
        faults_enabled: true,
        ..Config::default()
    })
    .await
}

async fn with_fault(emu: &Emulator, fault: &str) -> Result<Resp, String> {
    let req = sign(
        emu,
        "DescribeUsage",
        &usage(),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    send(emu, &req, &[("X-Emulator-Fault", fault)]).await
}

#[tokio::test]
async fn the_header_is_ignored_without_the_option() {
    let emu = start(Config::default()).await;
    let resp = with_fault(&emu, "status=503").await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.code(), None);
}

#[tokio::test]
async fn status_html502_and_throttle() {
    let emu = faulty().await;
    let resp = with_fault(&emu, "status=503").await.unwrap();
    assert_eq!(resp.status, 503);
    assert_eq!(resp.code().as_deref(), Some("InternalError"));
    let resp = with_fault(&emu, "html502").await.unwrap();
    assert_eq!(resp.status, 502);
    assert!(resp
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(String::from_utf8_lossy(&resp.body).contains("<html>"));
    let resp = with_fault(&emu, "throttle").await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.code().as_deref(), Some("RequestLimitExceeded"));
    let resp = with_fault(&emu, "bogus").await.unwrap();
    assert_eq!(resp.code().as_deref(), Some("InvalidParameter"));
    let s = stats(&emu).await;
    assert_eq!(s["faults"]["status"], 1);
    assert_eq!(s["faults"]["html502"], 1);
    assert_eq!(s["faults"]["throttle"], 1);
}

#[tokio::test]
async fn times_limits_the_matching_requests() {
    let emu = faulty().await;
    for expect in [503, 503, 200, 200] {
        assert_eq!(
            with_fault(&emu, "status=503;times=2").await.unwrap().status,
            expect
        );
    }
    // A named counter is shared by different texts; another action has its own by default.
    assert_eq!(
        with_fault(&emu, "throttle;times=1;key=k")
            .await
            .unwrap()
            .code()
            .as_deref(),
        Some("RequestLimitExceeded")
    );
    assert_eq!(
        with_fault(&emu, "status=500;times=1;key=k")
            .await
            .unwrap()
            .status,
        200
    );
    let resp = with_fault(&emu, "status=500;action=ChannelCancelFlow")
        .await
        .unwrap();
    assert_eq!(resp.status, 200, "action= restricts the fault");
}

#[tokio::test]
async fn reset_before_has_no_side_effect_and_reset_after_has_one() {
    let emu = faulty().await;
    let params = json!({"Agent": agent(), "BusinessType": "DOCUMENT"});
    let req = sign(
        &emu,
        "UploadFiles",
        &params,
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    let err = send(&emu, &req, &[("X-Emulator-Fault", "reset=before")])
        .await
        .unwrap_err();
    assert!(!err.is_empty());
    assert_eq!(stats(&emu).await["side_effects"]["files_uploaded"], 0);
    let err = send(&emu, &req, &[("X-Emulator-Fault", "reset=after")])
        .await
        .unwrap_err();
    assert!(!err.is_empty());
    let s = stats(&emu).await;
    assert_eq!(
        s["side_effects"]["files_uploaded"], 1,
        "processed, answer lost"
    );
    assert_eq!(s["faults"]["reset_before"], 1);
    assert_eq!(s["faults"]["reset_after"], 1);
    // On the wire: no byte of an answer, and a TCP reset.
    let wire = to_wire(&req, &[("X-Emulator-Fault", "reset=after")]);
    let (bytes, err) = raw_exchange(&emu, &wire).await;
    assert!(bytes.is_empty());
    assert_eq!(err, Some(std::io::ErrorKind::ConnectionReset));
}

#[tokio::test]
async fn delay_and_slow_body() {
    let emu = faulty().await;
    let t = Instant::now();
    assert_eq!(with_fault(&emu, "delay_ms=300").await.unwrap().code(), None);
    assert!(t.elapsed() >= Duration::from_millis(300));
    let t = Instant::now();
    let resp = with_fault(&emu, "slow_body_ms=400").await.unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(350),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(resp.code(), None, "the slow body is complete and valid");
}

#[tokio::test]
async fn truncated_malformed_and_wrong_content_type() {
    let emu = faulty().await;
    let err = with_fault(&emu, "truncate").await.unwrap_err();
    assert!(!err.is_empty());
    let req = sign(
        &emu,
        "DescribeUsage",
        &usage(),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    let (bytes, _) = raw_exchange(&emu, &to_wire(&req, &[("X-Emulator-Fault", "truncate")])).await;
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let declared: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap();
    assert!(body.len() < declared, "{} < {declared}", body.len());

    let resp = with_fault(&emu, "malformed").await.unwrap();
    assert_eq!(resp.status, 200);
    assert!(serde_json::from_slice::<Value>(&resp.body).is_err());

    let resp = with_fault(&emu, "content_type=text/plain").await.unwrap();
    assert_eq!(resp.header("content-type"), Some("text/plain"));
    assert_eq!(resp.code(), None);
}

#[tokio::test]
async fn oversized_nested_and_skewed_date() {
    let emu = faulty().await;
    let resp = with_fault(&emu, "oversize_mb=3").await.unwrap();
    assert!(resp.body.len() > 3 << 20);
    assert!(resp.response()["RequestId"].is_string());

    let resp = with_fault(&emu, "nested=100000").await.unwrap();
    assert!(resp.body.len() > 200_000);
    assert!(resp.body.starts_with(br#"{"Response":{"Nested":[[[["#));

    let resp = with_fault(&emu, "date_skew_s=-7200").await.unwrap();
    let date = httpdate::parse_http_date(resp.header("date").unwrap()).unwrap();
    let behind = std::time::SystemTime::now()
        .duration_since(date)
        .unwrap()
        .as_secs();
    assert!((7190..=7210).contains(&behind), "{behind}");
}

#[tokio::test]
async fn per_action_rules_from_the_config_and_the_admin_api() {
    let emu = start(Config {
        faults_enabled: true,
        action_faults: vec![(
            "DescribeUsage".into(),
            Fault::parse("status=500;times=1").unwrap(),
        )],
        ..Config::default()
    })
    .await;
    let req = sign(
        &emu,
        "DescribeUsage",
        &usage(),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    assert_eq!(send(&emu, &req, &[]).await.unwrap().status, 500);
    assert_eq!(send(&emu, &req, &[]).await.unwrap().status, 200);

    let put = admin(
        &emu,
        "PUT",
        "/__emulator/faults/DescribeUsage",
        "throttle;times=1",
    )
    .await;
    assert_eq!(put.status, 200);
    assert_eq!(
        send(&emu, &req, &[]).await.unwrap().code().as_deref(),
        Some("RequestLimitExceeded")
    );
    assert_eq!(send(&emu, &req, &[]).await.unwrap().code(), None);
    admin(
        &emu,
        "PUT",
        "/__emulator/faults/DescribeUsage",
        "status=502",
    )
    .await;
    assert_eq!(
        admin(&emu, "DELETE", "/__emulator/faults", "").await.status,
        200
    );
    assert_eq!(send(&emu, &req, &[]).await.unwrap().status, 200);
    assert_eq!(
        admin(&emu, "PUT", "/__emulator/faults/X", "nonsense")
            .await
            .status,
        400
    );

    let plain = start(Config::default()).await;
    assert_eq!(
        admin(&plain, "PUT", "/__emulator/faults/X", "throttle")
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn v1_requests_get_faults_too() {
    let emu = faulty().await;
    let req = sign(
        &emu,
        "DescribeUsage",
        &usage(),
        SignMethod::HmacSha1,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    let resp = send(
        &emu,
        &req,
        &[("X-Emulator-Fault", "status=504;action=DescribeUsage")],
    )
    .await
    .unwrap();
    assert_eq!(resp.status, 504);
    assert!(send(&emu, &req, &[("X-Emulator-Fault", "reset=before")])
        .await
        .is_err());
}

#[tokio::test]
async fn rate_limit_answers_request_limit_exceeded() {
    let emu = start(Config {
        rate_limit: 3,
        ..Config::default()
    })
    .await;
    let mut codes = Vec::new();
    for _ in 0..6 {
        codes.push(call_resp(&emu, "DescribeUsage", &usage(), &[]).await.code());
    }
    assert!(
        codes
            .iter()
            .any(|c| c.as_deref() == Some("RequestLimitExceeded")),
        "{codes:?}"
    );
    assert!(codes[0].is_none());
}
