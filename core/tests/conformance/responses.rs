//! Cases of kind `response`: status + headers + body → the Response object or an error.

use base64::Engine as _;
use essbasic::{parse_response, Error};
use serde_json::Value;

use crate::json_eq::json_eq;

pub fn check(case: &Value) -> Result<(), String> {
    let status = case["status"].as_u64().ok_or("no status")? as u16;
    let body: Vec<u8> = match case["body_base64"].as_str() {
        Some(b64) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| format!("bad body_base64: {e}"))?,
        None => case["body"]
            .as_str()
            .unwrap_or_default()
            .as_bytes()
            .to_vec(),
    };
    let result = parse_response(status, &body);
    let expected = &case["expected"];
    if let Some(want) = expected.get("ok") {
        let got = result.map_err(|e| format!("unexpected error: {e}"))?;
        return if json_eq(&got, want) {
            Ok(())
        } else {
            Err(format!("got {got} != {want}"))
        };
    }
    let want = expected
        .get("error")
        .ok_or("case has neither ok nor error")?;
    let err = match result {
        Ok(v) => return Err(format!("expected an error, got {v}")),
        Err(e) => e,
    };
    let kind = want["kind"].as_str().unwrap_or_default();
    if err.kind() != kind {
        return Err(format!("error kind {} != {kind}: {err}", err.kind()));
    }
    match &err {
        Error::Api {
            code,
            message,
            request_id,
        } => {
            expect_str(want, "code", code)?;
            expect_str(want, "message", message)?;
            if let Some(w) = want.get("request_id").and_then(Value::as_str) {
                if request_id.as_deref() != Some(w) {
                    return Err(format!("request_id {request_id:?} != {w:?}"));
                }
            }
        }
        Error::Http { status: got, .. } => {
            if let Some(w) = want["status"].as_u64() {
                if u64::from(*got) != w {
                    return Err(format!("status {got} != {w}"));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn expect_str(want: &Value, key: &str, got: &str) -> Result<(), String> {
    match want.get(key).and_then(Value::as_str) {
        Some(w) if w != got => Err(format!("{key} {got:?} != {w:?}")),
        _ => Ok(()),
    }
}
