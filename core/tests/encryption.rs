//! `CreateRequestWithEncryption`: known answers computed independently with the `openssl`
//! command (AES-256-CBC + HMAC-SHA256 and SM4-CBC + HMAC-SM3), the published worked example,
//! and the failure paths. When `openssl` is on the PATH the vectors are recomputed live too.

use std::io::Write as _;
use std::process::{Command, Stdio};

use base64::Engine as _;
use essbasic::encryption::{
    build_params, open, open_response, seal, Algorithm, EncryptionKeys, Envelope,
};
use serde_json::{json, Value};

const PLAIN: &str = r#"{"Agent":{"AppId":"yDapp","ProxyOrganizationOpenId":"org-1","ProxyOperator":{"OpenId":"op-1"}},"FlowIds":["yDflow01"]}"#;
const IV_HEX: &str = "f0e0d0c0b0a090807060504030201000";
const IV_B64: &str = "8ODQwLCgkIBwYFBAMCAQAA==";

const AES_KEY_HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const AES_HMAC_KEY_HEX: &str = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
// printf %s "$PLAIN" | openssl enc -aes-256-cbc -K $AES_KEY_HEX -iv $IV_HEX | base64 -w0
const AES_CT_B64: &str = "V1NgVFpOPJElmu8EiI8ASxc+Ca7MgI8VBbh04sv1v3X3WwnSRnLTxUPqZyL4sbMyhd29Q/wGoFjBP6LKpjPTG2o5B2EqgsOlICXmg9qWfWkki/gy1yD54isj06f3DZA5QD+rFF0VEEFOsBvVRhiHU5v5USrrRHt0REJUPD6e5cA=";
// (IV ‖ ciphertext) | openssl dgst -sha256 -mac HMAC -macopt hexkey:$AES_HMAC_KEY_HEX -binary | base64 -w0
const AES_SIG_B64: &str = "JiTf2HfF1rhaKtillZjs2jwv6Ym+DnkwV323dc6wvCg=";

const SM4_KEY_HEX: &str = "00112233445566778899aabbccddeeff";
const SM4_HMAC_KEY: &str = "mac-key-for-sm3-hmac";
// printf %s "$PLAIN" | openssl enc -sm4-cbc -K $SM4_KEY_HEX -iv $IV_HEX | base64 -w0
const SM4_CT_B64: &str = "hCNi9jw42SAu60KrLnnSsqNRVuGRZi64iWph3+cEh9ydmsr/IUFiV1lBakpo0LSSKeJGBGk+u4w3MocBaYCRwMhJz9xSSp7m+Z9QrmCBVH1ojGTOMHmB9jPFQjhiaNlJeR+Hczb3t6wRBsJYm+pvMQG7HRaY7YyIIXgq0ZeOy2E=";
// (IV ‖ ciphertext) | openssl dgst -sm3 -mac HMAC -macopt hexkey:$(xxd -p <<< key) -binary | base64 -w0
const SM4_SIG_B64: &str = "g+321grA9rpucnigkqs0lPWx9la8exE4sWmb54US9EI=";

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn iv() -> [u8; 16] {
    hex(IV_HEX).try_into().unwrap()
}

fn aes_keys() -> EncryptionKeys {
    EncryptionKeys::new(Algorithm::AesCbc, hex(AES_KEY_HEX), hex(AES_HMAC_KEY_HEX)).unwrap()
}

fn sm4_keys() -> EncryptionKeys {
    EncryptionKeys::new(Algorithm::Sm4Cbc, hex(SM4_KEY_HEX), SM4_HMAC_KEY).unwrap()
}

#[test]
fn aes_seal_matches_openssl_known_answer() {
    let env = seal(PLAIN.as_bytes(), &aes_keys(), iv());
    assert_eq!(env.iv, IV_B64);
    assert_eq!(env.encrypted_data, AES_CT_B64);
    assert_eq!(env.encryption_signature, AES_SIG_B64);
    assert_eq!(open(&env, &aes_keys()).unwrap(), PLAIN.as_bytes());
}

#[test]
fn sm4_seal_matches_openssl_known_answer() {
    let env = seal(PLAIN.as_bytes(), &sm4_keys(), iv());
    assert_eq!(env.encrypted_data, SM4_CT_B64);
    assert_eq!(env.encryption_signature, SM4_SIG_B64);
    assert_eq!(open(&env, &sm4_keys()).unwrap(), PLAIN.as_bytes());
}

#[test]
fn build_params_is_the_known_answer_and_validates_first() {
    let params: Value = serde_json::from_str(PLAIN).unwrap();
    let out = build_params(
        "DescribeFlowDetailInfo",
        "yDapp",
        &params,
        &aes_keys(),
        iv(),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({
            "RequestAction": "DescribeFlowDetailInfo",
            "ApplicationId": "yDapp",
            "IV": IV_B64,
            "EncryptedData": AES_CT_B64,
            "EncryptionSignature": AES_SIG_B64,
        })
    );
    // The outer request is itself valid for the spec.
    essbasic::validate::validate("CreateRequestWithEncryption", &out, true).unwrap();
    // Wrong inner parameters: a validation error of the inner action, nothing encrypted.
    let err = build_params(
        "DescribeFlowDetailInfo",
        "yDapp",
        &json!({"Agent": {"AppId": 5}}),
        &aes_keys(),
        iv(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "validation");
    assert!(err.to_string().contains("Agent.AppId"), "{err}");
    let err = build_params("NoSuchAction", "yDapp", &json!({}), &aes_keys(), iv()).unwrap_err();
    assert_eq!(err.kind(), "validation");
}

#[test]
fn open_response_returns_the_inner_answer_or_its_error() {
    let k = aes_keys();
    let wrap = |plain: &str| {
        let e = seal(plain.as_bytes(), &k, [9u8; 16]);
        json!({"IV": e.iv, "EncryptedData": e.encrypted_data,
               "EncryptionSignature": e.encryption_signature, "RequestId": "outer"})
    };
    let ok = wrap(r#"{"Response":{"FlowInfo":[],"RequestId":"inner"}}"#);
    assert_eq!(
        open_response(&ok, &k).unwrap(),
        json!({"FlowInfo": [], "RequestId": "inner"})
    );
    let bare = wrap(r#"{"FlowInfo":[{"FlowId":"f"}]}"#);
    assert_eq!(
        open_response(&bare, &k).unwrap()["FlowInfo"][0]["FlowId"],
        "f"
    );
    let failed = wrap(
        r#"{"Response":{"Error":{"Code":"ResourceNotFound.Flow","Message":"no flow"},"RequestId":"inner"}}"#,
    );
    match open_response(&failed, &k).unwrap_err() {
        essbasic::Error::Api {
            code,
            message,
            request_id,
        } => {
            assert_eq!(code, "ResourceNotFound.Flow");
            assert_eq!(message, "no flow");
            assert_eq!(request_id.as_deref(), Some("inner"));
        }
        other => panic!("{other:?}"),
    }
    // An answer without its signature is never decrypted.
    let mut unsigned = ok.clone();
    unsigned
        .as_object_mut()
        .unwrap()
        .remove("EncryptionSignature");
    assert_eq!(open_response(&unsigned, &k).unwrap_err().kind(), "crypto");
}

#[test]
fn integrity_failures_are_refused_without_decrypting() {
    let k = aes_keys();
    let good = Envelope {
        iv: IV_B64.into(),
        encrypted_data: AES_CT_B64.into(),
        encryption_signature: AES_SIG_B64.into(),
    };
    // A wrong HMAC key: refused on the signature.
    let other =
        EncryptionKeys::new(Algorithm::AesCbc, hex(AES_KEY_HEX), b"some other hmac key").unwrap();
    let e = open(&good, &other).unwrap_err();
    assert!(
        e.to_string().contains("EncryptionSignature does not match"),
        "{e}"
    );
    // A flipped IV bit, a truncated signature, bad base64, a short IV.
    let mut flipped = good.clone();
    flipped.iv = "8ODQwLCgkIBwYFBAMCAQAB==".into();
    assert_eq!(open(&flipped, &k).unwrap_err().kind(), "crypto");
    let mut short_sig = good.clone();
    short_sig.encryption_signature = "JiTf2HfF1rhaKtillZjs2jwv6Ym+DnkwV323dc6wvA==".into();
    assert_eq!(open(&short_sig, &k).unwrap_err().kind(), "crypto");
    let mut bad = good.clone();
    bad.encrypted_data = "***".into();
    assert!(open(&bad, &k).unwrap_err().to_string().contains("base64"));
    // The right HMAC key but a wrong encryption key: the signature passes, the padding fails.
    let wrong_cipher =
        EncryptionKeys::new(Algorithm::AesCbc, [7u8; 32], hex(AES_HMAC_KEY_HEX)).unwrap();
    let e = open(&good, &wrong_cipher).unwrap_err();
    assert_eq!(e.kind(), "crypto");
    assert!(
        !e.to_string().contains("Agent"),
        "no plaintext in errors: {e}"
    );
}

/// The action's published worked example (tccli `CreateRequestWithEncryption`, Example 1).
/// Its keys are not published, so it cannot be decrypted; what it does pin down is the
/// format this module produces and expects: standard base64, a 16-byte IV, whole cipher
/// blocks and a 32-byte HMAC-SHA256, and that an envelope under unknown keys is refused on
/// its signature before any decryption.
#[test]
fn published_worked_example_has_the_envelope_format() {
    let b64 = base64::engine::general_purpose::STANDARD;
    let request = Envelope {
        iv: "mJc2aKe4B71d9p62y6bp2A==".into(),
        encrypted_data: "riUP2CKf+QGCfN9VMjTgCbsPidmXJulBUD8jxdg3YZwecWCF1CTg+4zB1nEICbGPRedPjF0+zZ1ybTDEc/xG/nQ5J7n4+uNiWCCOqRsjDcwzoD1gZ+y1W++qdjjCns/z8SMxciKmSS7h/cL5kwUARg==".into(),
        encryption_signature: "vzOw7yV+oAaYBmpbDDGfl7OGxuN3M38IjpJG/mTnEzE=".into(),
    };
    let response = Envelope {
        iv: "xJVzDCv28EtziawMOIhgGA==".into(),
        encrypted_data: "vPMmeHGhjZOh5uBcnTmcsgamkGHPrwVCcf9ifqAp03M/pdi3yalY86ytw5fL1VbUg+97j/DZpcejEld5mq5Qa1Sk+L6WIgKc8Wc2Bu5LNB5ktM6b5Xy09MXdWvxQV0l40XlhEEQ2bNqI/G7AfJpRLxNLRbK2VH/DFy+ga8o6snHQE3OojM3ZQgM6gLcQ/6MudNChL95Bf3SEWnrr4lqKLdZWJxOOj/XR/iQD/VSr1XE=".into(),
        encryption_signature: "ReXDVVwCHf1bgoW/al4NAs9r2dzWWfmV0zVNDl1Kne8=".into(),
    };
    for e in [&request, &response] {
        assert_eq!(b64.decode(&e.iv).unwrap().len(), 16);
        let ct = b64.decode(&e.encrypted_data).unwrap();
        assert!(!ct.is_empty() && ct.len() % 16 == 0);
        assert_eq!(b64.decode(&e.encryption_signature).unwrap().len(), 32);
        let err = open(e, &aes_keys()).unwrap_err();
        assert!(err
            .to_string()
            .contains("EncryptionSignature does not match"));
    }
    // The example's outer request validates against the spec.
    let outer = json!({"RequestAction": "ChannelDescribeFlowComponents",
        "ApplicationId": "yD******************************", "IV": request.iv,
        "EncryptedData": request.encrypted_data, "EncryptionSignature": request.encryption_signature});
    essbasic::validate::validate("CreateRequestWithEncryption", &outer, true).unwrap();
}

fn openssl(args: &[&str], input: &[u8]) -> Option<Vec<u8>> {
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(input).ok()?;
    let out = child.wait_with_output().ok()?;
    out.status.success().then_some(out.stdout)
}

/// Recomputes the vectors with the `openssl` command when it is installed (skipped quietly
/// otherwise; the constants above were produced the same way).
#[test]
fn live_cross_check_with_openssl() {
    let b64 = base64::engine::general_purpose::STANDARD;
    let Some(ct) = openssl(
        &["enc", "-aes-256-cbc", "-K", AES_KEY_HEX, "-iv", IV_HEX],
        PLAIN.as_bytes(),
    ) else {
        eprintln!("openssl not found: live cross-check skipped");
        return;
    };
    assert_eq!(b64.encode(&ct), AES_CT_B64);
    let mut signed = hex(IV_HEX);
    signed.extend_from_slice(&ct);
    let mac = openssl(
        &[
            "dgst",
            "-sha256",
            "-mac",
            "HMAC",
            "-macopt",
            &format!("hexkey:{AES_HMAC_KEY_HEX}"),
            "-binary",
        ],
        &signed,
    )
    .unwrap();
    assert_eq!(b64.encode(mac), AES_SIG_B64);
    // Decrypt what core sealed with a fresh IV, with openssl.
    let fresh: [u8; 16] = *b"fresh-iv-16bytes";
    let env = seal(b"round trip", &aes_keys(), fresh);
    let plain = openssl(
        &[
            "enc",
            "-d",
            "-aes-256-cbc",
            "-K",
            AES_KEY_HEX,
            "-iv",
            &hex::encode(fresh),
        ],
        &b64.decode(env.encrypted_data).unwrap(),
    )
    .unwrap();
    assert_eq!(plain, b"round trip");
    if let Some(sct) = openssl(
        &["enc", "-sm4-cbc", "-K", SM4_KEY_HEX, "-iv", IV_HEX],
        PLAIN.as_bytes(),
    ) {
        assert_eq!(b64.encode(sct), SM4_CT_B64);
    }
}

/// `Client::call_encrypted` against a scripted server that holds the same keys.
#[cfg(feature = "client")]
mod client {
    use super::*;
    use essbasic::client::{BoxFuture, Client, HttpResponse};
    use essbasic::HttpRequest;

    #[tokio::test]
    async fn call_encrypted_round_trip_with_fresh_ivs() {
        let ivs = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let seen = ivs.clone();
        let transport = move |req: HttpRequest,
                              _t|
              -> BoxFuture<'static, Result<HttpResponse, essbasic::Error>> {
            assert_eq!(
                req.header("X-TC-Action"),
                Some("CreateRequestWithEncryption")
            );
            let outer: Value = serde_json::from_slice(&req.body).unwrap();
            seen.lock()
                .unwrap()
                .push(outer["IV"].as_str().unwrap().to_owned());
            let k = aes_keys();
            let Ok(inner) = open(&Envelope::from_value(&outer).unwrap(), &k) else {
                let body = br#"{"Response":{"Error":{"Code":"InvalidParameter.EncryptionSignature","Message":"bad"},"RequestId":"x"}}"#.to_vec();
                return Box::pin(async move {
                    Ok(HttpResponse {
                        status: 200,
                        headers: vec![],
                        body,
                    })
                });
            };
            let inner: Value = serde_json::from_slice(&inner).unwrap();
            assert_eq!(outer["RequestAction"], "DescribeFlowDetailInfo");
            let answer = json!({"Response": {"FlowInfo": [{"FlowId": inner["FlowIds"][0]}], "RequestId": "in"}});
            let env = seal(answer.to_string().as_bytes(), &k, [3u8; 16]);
            let body = json!({"Response": {"IV": env.iv, "EncryptedData": env.encrypted_data,
                "EncryptionSignature": env.encryption_signature, "RequestId": "out"}});
            Box::pin(async move {
                Ok(HttpResponse {
                    status: 200,
                    headers: vec![],
                    body: body.to_string().into_bytes(),
                })
            })
        };
        let client = Client::builder()
            .credentials(essbasic::Credentials::new("AKIDtest", "secret"))
            .endpoint("http://127.0.0.1:9")
            .transport(transport)
            .build()
            .unwrap();
        let params: Value = serde_json::from_str(PLAIN).unwrap();
        for _ in 0..2 {
            let out = client
                .call_encrypted("DescribeFlowDetailInfo", "yDapp", &params, &aes_keys())
                .await
                .unwrap();
            assert_eq!(out["FlowInfo"][0]["FlowId"], "yDflow01");
        }
        {
            let ivs = ivs.lock().unwrap();
            assert_ne!(ivs[0], ivs[1], "a fresh IV per request");
        }
        // Keys the server does not hold: the server refuses the request.
        let other = EncryptionKeys::new(Algorithm::AesCbc, [5u8; 32], [6u8; 32]).unwrap();
        let err = client
            .call_encrypted("DescribeFlowDetailInfo", "yDapp", &params, &other)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "InvalidParameter.EncryptionSignature");
    }
}
