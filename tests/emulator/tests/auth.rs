//! Authentication: TC3 and v1 signatures, the timestamp window, unknown SecretIds, tokens.

mod common;

use common::*;
use essbasic::{Credentials, HttpMethod, SignMethod};
use essbasic_emulator::auth::Key;
use essbasic_emulator::Config;
use serde_json::json;

fn params() -> serde_json::Value {
    json!({"Agent": agent(), "StartDate": "2024-01-01", "EndDate": "2024-01-31"})
}

#[tokio::test]
async fn every_sign_method_and_http_method_is_accepted() {
    let emu = start(Config::default()).await;
    for sign_method in [
        SignMethod::Tc3HmacSha256,
        SignMethod::HmacSha256,
        SignMethod::HmacSha1,
    ] {
        for http_method in [HttpMethod::Post, HttpMethod::Get] {
            let req = sign(
                &emu,
                "DescribeUsage",
                &params(),
                sign_method,
                http_method,
                &creds(),
                now(),
            );
            let resp = send(&emu, &req, &[]).await.unwrap();
            assert_eq!(resp.status, 200);
            let r = resp.response();
            assert!(
                r.get("Error").is_none(),
                "{sign_method} {http_method:?}: {r}"
            );
            assert!(r["Details"].is_array());
            assert_eq!(r["RequestId"].as_str().unwrap().len(), 36);
        }
    }
}

#[tokio::test]
async fn get_and_v1_parameters_keep_their_types() {
    let emu = start(Config::default()).await;
    let p = json!({"Agent": agent(), "Limit": 20, "Offset": 0, "QueryAllComponents": true,
                   "TemplateId": "yDt 1+2&3"});
    for sign_method in [SignMethod::Tc3HmacSha256, SignMethod::HmacSha1] {
        let req = sign(
            &emu,
            "DescribeTemplates",
            &p,
            sign_method,
            HttpMethod::Get,
            &creds(),
            now(),
        );
        let resp = send(&emu, &req, &[]).await.unwrap();
        assert_eq!(resp.code(), None, "{sign_method}: {}", resp.message());
    }
}

#[tokio::test]
async fn a_wrong_signature_is_refused() {
    let emu = start(Config::default()).await;
    let bad = Credentials::new(essbasic_emulator::DEFAULT_SECRET_ID, "not-the-key");
    for sign_method in [
        SignMethod::Tc3HmacSha256,
        SignMethod::HmacSha256,
        SignMethod::HmacSha1,
    ] {
        let req = sign(
            &emu,
            "DescribeUsage",
            &params(),
            sign_method,
            HttpMethod::Post,
            &bad,
            now(),
        );
        let resp = send(&emu, &req, &[]).await.unwrap();
        assert_eq!(resp.status, 200);
        assert_eq!(resp.code().as_deref(), Some("AuthFailure.SignatureFailure"));
        assert!(resp.header("date").is_some());
    }
    // A body changed after signing.
    let mut req = sign(
        &emu,
        "DescribeUsage",
        &params(),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    req.body = serde_json::to_vec(
        &json!({"Agent": agent(), "StartDate": "2024-01-02", "EndDate": "2024-01-31"}),
    )
    .unwrap();
    let resp = send(&emu, &req, &[]).await.unwrap();
    assert_eq!(resp.code().as_deref(), Some("AuthFailure.SignatureFailure"));
}

#[tokio::test]
async fn an_expired_or_future_timestamp_is_refused() {
    let emu = start(Config::default()).await;
    for ts in [now() - 301, now() + 301] {
        for sign_method in [SignMethod::Tc3HmacSha256, SignMethod::HmacSha1] {
            let req = sign(
                &emu,
                "DescribeUsage",
                &params(),
                sign_method,
                HttpMethod::Post,
                &creds(),
                ts,
            );
            let resp = send(&emu, &req, &[]).await.unwrap();
            assert_eq!(resp.code().as_deref(), Some("AuthFailure.SignatureExpire"));
        }
    }
    let req = sign(
        &emu,
        "DescribeUsage",
        &params(),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now() - 250,
    );
    assert_eq!(send(&emu, &req, &[]).await.unwrap().code(), None);
}

#[tokio::test]
async fn the_clock_skew_option_moves_the_window() {
    let emu = start(Config {
        clock_skew_s: 3600,
        ..Config::default()
    })
    .await;
    let req = sign(
        &emu,
        "DescribeUsage",
        &params(),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    let resp = send(&emu, &req, &[]).await.unwrap();
    assert_eq!(resp.code().as_deref(), Some("AuthFailure.SignatureExpire"));
    let date = httpdate::parse_http_date(resp.header("date").unwrap()).unwrap();
    let shift = date
        .duration_since(std::time::SystemTime::now())
        .unwrap()
        .as_secs();
    assert!((3590..=3610).contains(&shift), "{shift}");
    let req = sign(
        &emu,
        "DescribeUsage",
        &params(),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now() + 3600,
    );
    assert_eq!(send(&emu, &req, &[]).await.unwrap().code(), None);
}

#[tokio::test]
async fn an_unknown_secret_id_is_refused() {
    let emu = start(Config::default()).await;
    let other = Credentials::new("AKIDnobody", essbasic_emulator::DEFAULT_SECRET_KEY);
    for sign_method in [SignMethod::Tc3HmacSha256, SignMethod::HmacSha256] {
        let req = sign(
            &emu,
            "DescribeUsage",
            &params(),
            sign_method,
            HttpMethod::Post,
            &other,
            now(),
        );
        let resp = send(&emu, &req, &[]).await.unwrap();
        assert_eq!(resp.code().as_deref(), Some("AuthFailure.SecretIdNotFound"));
    }
}

#[tokio::test]
async fn several_key_pairs_and_tokens() {
    let mut config = Config::default();
    config.keys.insert(
        "AKIDsecond".into(),
        Key {
            secret_key: "second-key".into(),
            token: None,
        },
    );
    config.keys.insert(
        "AKIDtemp".into(),
        Key {
            secret_key: "temp-key".into(),
            token: Some("session-token".into()),
        },
    );
    let emu = start(config).await;
    let cases = [
        (Credentials::new("AKIDsecond", "second-key"), None),
        (
            Credentials::new("AKIDtemp", "temp-key").with_token("session-token"),
            None,
        ),
        (
            Credentials::new("AKIDtemp", "temp-key").with_token("wrong"),
            Some("AuthFailure.TokenFailure"),
        ),
        (
            Credentials::new("AKIDtemp", "temp-key"),
            Some("AuthFailure.TokenFailure"),
        ),
    ];
    for (c, want) in cases {
        for sign_method in [SignMethod::Tc3HmacSha256, SignMethod::HmacSha1] {
            let req = sign(
                &emu,
                "DescribeUsage",
                &params(),
                sign_method,
                HttpMethod::Post,
                &c,
                now(),
            );
            let resp = send(&emu, &req, &[]).await.unwrap();
            assert_eq!(resp.code().as_deref(), want, "{c:?} {sign_method}");
        }
    }
}

#[tokio::test]
async fn malformed_authentication_gets_the_service_codes() {
    let emu = start(Config::default()).await;
    let mut req = sign(
        &emu,
        "DescribeUsage",
        &params(),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    for (name, value) in &mut req.headers {
        if name == "Authorization" {
            *value = "Bearer nothing".into();
        }
    }
    let resp = send(&emu, &req, &[]).await.unwrap();
    assert_eq!(
        resp.code().as_deref(),
        Some("AuthFailure.InvalidAuthorization")
    );

    let mut req = sign(
        &emu,
        "DescribeUsage",
        &params(),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    req.headers.retain(|(k, _)| k != "X-TC-Timestamp");
    let resp = send(&emu, &req, &[]).await.unwrap();
    assert_eq!(resp.code().as_deref(), Some("MissingParameter"));
    assert!(resp.message().contains("X-TC-Timestamp"));

    let mut req = sign(
        &emu,
        "DescribeUsage",
        &params(),
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    req.headers.retain(|(k, _)| k != "Authorization");
    let resp = send(&emu, &req, &[]).await.unwrap();
    assert_eq!(resp.code().as_deref(), Some("AuthFailure.SignatureFailure"));
}

#[tokio::test]
async fn a_signature_over_the_file_service_scope_is_accepted() {
    // The Node SDK signs the file host's requests with service `file`.
    let emu = start(Config::default()).await;
    let body = serde_json::to_vec(&json!({"Agent": agent(), "BusinessType": "DOCUMENT"})).unwrap();
    let host = "file.ess.tencent.cn";
    let ts = now();
    let input = essbasic::signing::tc3::Tc3Input {
        method: "POST",
        host,
        path: "/",
        query: "",
        content_type: "application/json",
        payload: &body,
        unsigned_payload: false,
        service: "file",
        timestamp: ts,
    };
    let hdr = essbasic::signing::tc3::HeaderInput {
        action: "UploadFiles",
        version: "2021-05-26",
        ..Default::default()
    };
    let (_, headers) = essbasic::signing::tc3::signed_headers(&input, &hdr, &creds());
    let req = essbasic::HttpRequest {
        method: "POST",
        url: format!("{}/", emu.base_url()),
        headers,
        body,
    };
    let resp = send(&emu, &req, &[]).await.unwrap();
    assert_eq!(resp.code(), None, "{}", resp.message());
    assert_eq!(resp.response()["FileIds"].as_array().unwrap().len(), 1);
}
