//! Cases of kind `signing`: the exact bytes → canonical request, string to sign,
//! signature, every header the SDK sets (null = must be absent), v1 body or query.

use essbasic::signing::{tc3, v1, SignMethod};
use essbasic::Credentials;
use serde_json::Value;

fn str_field<'a>(obj: &'a Value, name: &str) -> Result<&'a str, String> {
    obj.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string `{name}`"))
}

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

fn credentials(case: &Value) -> Result<Credentials, String> {
    let c = case.get("credential").ok_or("missing `credential`")?;
    let creds = Credentials::new(str_field(c, "secret_id")?, str_field(c, "secret_key")?);
    Ok(match opt_str(c, "token") {
        Some(token) => creds.with_token(token),
        None => creds,
    })
}

/// Checks one `kind: "signing"` case; `Err` lists every mismatch.
pub fn check(case: &Value) -> Result<(), String> {
    let req = case.get("request").ok_or("missing `request`")?;
    let expected = case.get("expected").ok_or("missing `expected`")?;
    let method: SignMethod = str_field(req, "sign_method")?
        .parse()
        .map_err(|e| format!("{e}"))?;
    let creds = credentials(case)?;
    let timestamp = req
        .get("timestamp")
        .and_then(Value::as_i64)
        .ok_or("missing integer `timestamp`")?;
    let mut errors = Vec::new();
    if method.is_v1() {
        check_v1(&mut errors, req, expected, method, &creds, timestamp)?;
    } else {
        check_tc3(&mut errors, req, expected, &creds, timestamp)?;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

fn check_tc3(
    errors: &mut Vec<String>,
    req: &Value,
    expected: &Value,
    creds: &Credentials,
    timestamp: i64,
) -> Result<(), String> {
    let input = tc3::Tc3Input {
        method: str_field(req, "method")?,
        host: str_field(req, "host")?,
        path: opt_str(req, "path").unwrap_or("/"),
        query: opt_str(req, "query").unwrap_or(""),
        content_type: opt_str(req, "content_type").unwrap_or(""),
        payload: opt_str(req, "body").unwrap_or("").as_bytes(),
        unsigned_payload: req
            .get("unsigned_payload")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        service: str_field(req, "service")?,
        timestamp,
    };
    let hdr = tc3::HeaderInput {
        action: str_field(req, "action")?,
        version: str_field(req, "version")?,
        region: opt_str(req, "region"),
        language: opt_str(req, "language"),
        token: None,
        request_client: None,
        trace_id: None,
    };
    let (sig, headers) = tc3::signed_headers(&input, &hdr, creds);
    if let Some(want) = opt_str(expected, "canonical_request") {
        check_eq(errors, "canonical_request", &sig.canonical_request, want);
    }
    if let Some(want) = opt_str(expected, "string_to_sign") {
        check_eq(errors, "string_to_sign", &sig.string_to_sign, want);
    }
    if let Some(want) = opt_str(expected, "signature") {
        check_eq(errors, "signature", &sig.signature, want);
    }
    check_headers(errors, &headers, expected);

    // The remote-signer path must agree with local signing.
    let pre = tc3::presign(&input);
    let remote = tc3::sign_string(
        creds.secret_key(),
        timestamp,
        input.service,
        &pre.string_to_sign,
    );
    if pre.finish(creds.secret_id(), &remote) != sig {
        errors.push("presign + sign_string differs from sign".to_owned());
    }
    Ok(())
}

fn check_v1(
    errors: &mut Vec<String>,
    req: &Value,
    expected: &Value,
    method: SignMethod,
    creds: &Credentials,
    timestamp: i64,
) -> Result<(), String> {
    let http_method = str_field(req, "method")?;
    let host = str_field(req, "host")?;
    let path = opt_str(req, "path").unwrap_or("/");
    let params: Vec<(String, String)> = req
        .get("params")
        .and_then(Value::as_array)
        .ok_or("missing `params`")?
        .iter()
        .map(|p| match p.as_array().map(Vec::as_slice) {
            Some([Value::String(k), Value::String(v)]) => Ok((k.clone(), v.clone())),
            _ => Err(format!("bad param {p}")),
        })
        .collect::<Result<_, _>>()?;
    let encoding: v1::FormEncoding = str_field(req, "form_encoding")?
        .parse()
        .map_err(|e| format!("{e}"))?;

    let sts = v1::string_to_sign(http_method, host, path, &params);
    if let Some(want) = opt_str(expected, "string_to_sign") {
        check_eq(errors, "string_to_sign", &sts, want);
    }
    let sig = v1::signature(method, creds.secret_key(), &sts).map_err(|e| e.to_string())?;
    if let Some(want) = opt_str(expected, "signature") {
        check_eq(errors, "signature", &sig, want);
    }
    let mut sent = params.clone();
    sent.push(("Signature".to_owned(), sig));
    let wire = v1::encode(&sent, encoding);
    // The wire form goes in the body (POST) or the query (GET); the other one stays empty.
    let (body, query) = if http_method.eq_ignore_ascii_case("GET") {
        ("", wire.as_str())
    } else {
        (wire.as_str(), "")
    };
    if let Some(want) = opt_str(expected, "body") {
        check_eq(errors, "body", body, want);
    }
    if let Some(want) = opt_str(expected, "query") {
        check_eq(errors, "query", query, want);
    }
    let headers = v1::headers(http_method, host, opt_str(req, "content_type"));
    check_headers(errors, &headers, expected);

    // Our own parameter builder: the same common parameters (in its own order), and the
    // same signed request up to the order of the pairs.
    let input = v1::V1Input {
        method: http_method,
        host,
        path,
        action: str_field(req, "action")?,
        version: str_field(req, "version")?,
        region: opt_str(req, "region"),
        language: opt_str(req, "language"),
        timestamp,
        nonce: req
            .get("nonce")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or("missing u32 `nonce`")?,
        sign_method: method,
        request_client: opt_str(req, "request_client"),
    };
    let mut common = v1::common_params(&input, creds);
    common.sort();
    let mut business = Vec::new();
    let mut vector_common = Vec::new();
    for (k, v) in &params {
        if common.iter().any(|(ck, _)| ck == k) {
            vector_common.push((k.clone(), v.clone()));
        } else {
            business.push((k.clone(), v.clone()));
        }
    }
    vector_common.sort();
    if common != vector_common {
        errors.push(format!(
            "common_params: got {common:?}, vector has {vector_common:?}"
        ));
    }
    // Given every parameter in the SDK's order, sign_params reproduces the wire bytes.
    let exact =
        v1::sign_params(&input, creds, params.clone(), encoding).map_err(|e| e.to_string())?;
    check_eq(errors, "sign_params (SDK order)", &exact, &wire);
    let ours = v1::sign_params(&input, creds, business, encoding).map_err(|e| e.to_string())?;
    let mut ours: Vec<&str> = ours.split('&').collect();
    let mut theirs: Vec<&str> = wire.split('&').collect();
    ours.sort_unstable();
    theirs.sort_unstable();
    if ours != theirs {
        errors.push(format!("sign_params: got {ours:?}, want {theirs:?}"));
    }
    Ok(())
}
