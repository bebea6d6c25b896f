//! Cases of kind `signing`: the exact bytes → canonical request, string to sign,
//! signature, every header the SDK sets (null = must be absent), v1 body or query.

use essbasic::conformance;
use serde_json::Value;

fn opt_str<'a>(obj: &'a Value, name: &str) -> Option<&'a str> {
    obj.get(name).and_then(Value::as_str)
}

fn check_eq(errors: &mut Vec<String>, what: &str, got: &str, want: &str) {
    if got != want {
        errors.push(format!("{what}: got {got:?}, want {want:?}"));
    }
}

/// Compares the produced headers with `expected.headers`: names case-insensitively, values
/// exactly, `null` meaning the header must be absent. Unlisted headers are not checked.
fn check_headers(errors: &mut Vec<String>, got: &[(String, String)], expected: &Value) {
    let Some(expected) = expected.get("headers").and_then(Value::as_object) else {
        return;
    };
    for (name, want) in expected {
        let found: Vec<&str> = got
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        match (want, found.as_slice()) {
            (Value::Null, []) => {}
            (Value::Null, values) => {
                errors.push(format!("header {name} must be absent, got {values:?}"))
            }
            (Value::String(w), [v]) => check_eq(errors, &format!("header {name}"), v, w),
            (Value::String(_), []) => errors.push(format!("header {name} missing")),
            (Value::String(_), values) => errors.push(format!(
                "header {name} set {} times: {values:?}",
                values.len()
            )),
            (other, _) => errors.push(format!("header {name}: unexpected expected value {other}")),
        }
    }
}

/// Checks one `kind: "signing"` case; `Err` lists every mismatch. The outputs come from
/// `essbasic::conformance`, the glue the other languages' runners call too.
pub fn check(case: &Value) -> Result<(), String> {
    let expected = case.get("expected").ok_or("missing `expected`")?;
    let got: Value = serde_json::from_str(&conformance::sign_vector(&case.to_string()))
        .map_err(|e| format!("sign_vector's output is not JSON: {e}"))?;
    if let Some(e) = got.get("error") {
        return Err(format!("sign_vector: {e}"));
    }
    let mut errors = Vec::new();
    for key in [
        "canonical_request",
        "string_to_sign",
        "signature",
        "body",
        "query",
    ] {
        if let Some(want) = opt_str(expected, key) {
            check_eq(
                &mut errors,
                key,
                opt_str(&got, key).unwrap_or_default(),
                want,
            );
        }
    }
    let headers: Vec<(String, String)> = serde_json::from_value(got["headers"].clone())
        .map_err(|e| format!("sign_vector's headers: {e}"))?;
    check_headers(&mut errors, &headers, expected);
    // The self-checks: the remote-signer path agrees with local signing (TC3); core's own
    // common parameters are the vector's and sign_params reproduces the wire form (v1).
    if got.get("remote_ok") == Some(&Value::Bool(false)) {
        errors.push("presign + sign_string differs from sign".to_owned());
    }
    if got.get("sign_params_ok") == Some(&Value::Bool(false)) {
        errors.push(format!(
            "sign_params: common {}, SDK order {}, ours {}",
            got["common_params"], got["sign_params_sdk_order"], got["sign_params_business"]
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}
