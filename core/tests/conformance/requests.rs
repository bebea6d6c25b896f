//! Cases of kind `request`: action + params → host and body, or a validation error.

use essbasic::{body::to_body, build_request, Config, Credentials, Stamp};
use serde_json::Value;

use crate::json_eq::json_eq;

pub fn check(case: &Value) -> Result<(), String> {
    let action = case["action"].as_str().ok_or("no action")?;
    let options = &case["options"];
    let config = Config {
        region: options["region"].as_str().map(str::to_owned),
        endpoint: options["endpoint"].as_str().map(str::to_owned),
        test_environment: options["test_environment"].as_bool().unwrap_or(false),
        ..Config::default()
    };
    let creds = Credentials::new("AKIDconformance", "conformance-secret");
    let stamp = Stamp {
        timestamp: 1_700_000_000,
        nonce: 1,
        trace_id: None,
    };
    let result = build_request(action, &case["params"], &config, &creds, &stamp);
    let expected = &case["expected"];
    if let Some(want) = expected.get("error") {
        let err = match result {
            Ok(_) => return Err("expected an error, the request was built".into()),
            Err(e) => e,
        };
        let kind = want["kind"].as_str().unwrap_or_default();
        if err.kind() != kind {
            return Err(format!("error kind {} != {kind}: {err}", err.kind()));
        }
        let essbasic::Error::Validation { path, message, .. } = &err else {
            return Err(format!("not a validation error: {err}"));
        };
        if let Some(p) = want["path"].as_str() {
            if path != p {
                return Err(format!("path {path:?} != {p:?}"));
            }
        }
        if let Some(s) = want["message_contains"].as_str() {
            if !message.contains(s) && !err.to_string().contains(s) {
                return Err(format!("message {message:?} lacks {s:?}"));
            }
        }
        return Ok(());
    }
    let req = result.map_err(|e| format!("unexpected error: {e}"))?;
    let host = req.header("Host").ok_or("no Host header")?;
    if let Some(want) = expected["host"].as_str() {
        if host != want {
            return Err(format!("host {host} != {want}"));
        }
        if !req.url.starts_with(&format!("https://{want}/")) {
            return Err(format!("url {} is not on {want}", req.url));
        }
    }
    if let Some(want) = expected.get("body_json") {
        let got: Value =
            serde_json::from_slice(&req.body).map_err(|e| format!("body not JSON: {e}"))?;
        if !json_eq(&got, want) {
            return Err(format!("body {got} != {want}"));
        }
        if to_body(&got) != req.body {
            return Err("body is not compact JSON without nulls".into());
        }
    }
    Ok(())
}
