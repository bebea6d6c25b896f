//! `signVector`: one `kind: "signing"` case of the conformance vectors in, the values the
//! core computes for it out, named like the case's `expected` members so that the JS runner
//! compares them member by member:
//!
//! - TC3: `{ canonical_request, string_to_sign, signature, authorization, headers,
//!   remote_ok }`, where `remote_ok` tells whether presign + sign_string (the remote-signer
//!   path) gives the same signature;
//! - v1 (`HmacSHA256`, `HmacSHA1`): `{ string_to_sign, signature, body, query, headers,
//!   sign_params_ok }`, where `sign_params_ok` tells whether the core's own parameter
//!   builder, given the SDK's parameters in their order, reproduces the wire bytes;
//! - a malformed case: `{ error: "..." }`.
//!
//! `headers` is `[name, value][]`, for the runner's case-insensitive header check.

use essbasic::signing::{tc3, v1, SignMethod};
use essbasic::Credentials;
use serde_json::{json, Value};

fn str_field<'a>(obj: &'a Value, name: &str) -> Result<&'a str, String> {
    obj.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string `{name}`"))
}

fn opt_str<'a>(obj: &'a Value, name: &str) -> Option<&'a str> {
    obj.get(name).and_then(Value::as_str)
}

fn credentials(case: &Value) -> Result<Credentials, String> {
    let c = case.get("credential").ok_or("missing `credential`")?;
    let creds = Credentials::new(str_field(c, "secret_id")?, str_field(c, "secret_key")?);
    Ok(match opt_str(c, "token") {
        Some(token) => creds.with_token(token),
        None => creds,
    })
}

/// The computed values of a signing case as JSON text (never fails: errors are a member).
pub fn sign_vector(case_json: &str) -> String {
    let result = serde_json::from_str::<Value>(case_json)
        .map_err(|e| format!("the case is not JSON: {e}"))
        .and_then(|case| compute(&case));
    match result {
        Ok(v) => v.to_string(),
        Err(e) => json!({ "error": e }).to_string(),
    }
}

fn compute(case: &Value) -> Result<Value, String> {
    let req = case.get("request").ok_or("missing `request`")?;
    let method: SignMethod = str_field(req, "sign_method")?
        .parse()
        .map_err(|e| format!("{e}"))?;
    let creds = credentials(case)?;
    let timestamp = req
        .get("timestamp")
        .and_then(Value::as_i64)
        .ok_or("missing integer `timestamp`")?;
    if method.is_v1() {
        compute_v1(req, method, &creds, timestamp)
    } else {
        compute_tc3(req, &creds, timestamp)
    }
}

fn compute_tc3(req: &Value, creds: &Credentials, timestamp: i64) -> Result<Value, String> {
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
    let pre = tc3::presign(&input);
    let remote = tc3::sign_string(
        creds.secret_key(),
        timestamp,
        input.service,
        &pre.string_to_sign,
    );
    let remote_ok = pre.finish(creds.secret_id(), &remote) == sig;
    Ok(json!({
        "canonical_request": sig.canonical_request,
        "string_to_sign": sig.string_to_sign,
        "signature": sig.signature,
        "authorization": sig.authorization,
        "headers": headers,
        "remote_ok": remote_ok,
    }))
}

fn compute_v1(
    req: &Value,
    method: SignMethod,
    creds: &Credentials,
    timestamp: i64,
) -> Result<Value, String> {
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
    let sig = v1::signature(method, creds.secret_key(), &sts).map_err(|e| e.to_string())?;
    let mut sent = params.clone();
    sent.push(("Signature".to_owned(), sig.clone()));
    let wire = v1::encode(&sent, encoding);
    let is_get = http_method.eq_ignore_ascii_case("GET");
    let (body, query) = if is_get {
        ("", wire.as_str())
    } else {
        (wire.as_str(), "")
    };
    let headers = v1::headers(http_method, host, opt_str(req, "content_type"));
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
    let exact = v1::sign_params(&input, creds, params, encoding).map_err(|e| e.to_string())?;
    Ok(json!({
        "string_to_sign": sts,
        "signature": sig,
        "body": body,
        "query": query,
        "headers": headers,
        "sign_params_ok": exact == wire,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signing_vector_matches() {
        let doc: Value =
            serde_json::from_str(include_str!("../../tests/vectors/signing.json")).unwrap();
        let cases = doc["cases"].as_array().unwrap();
        assert!(!cases.is_empty());
        for case in cases {
            let got: Value = serde_json::from_str(&sign_vector(&case.to_string())).unwrap();
            let id = case["id"].as_str().unwrap_or_default();
            assert!(got.get("error").is_none(), "{id}: {got}");
            for key in [
                "canonical_request",
                "string_to_sign",
                "signature",
                "body",
                "query",
            ] {
                if let Some(want) = case["expected"][key].as_str() {
                    assert_eq!(got[key].as_str(), Some(want), "{id}: {key}");
                }
            }
            assert_ne!(got["remote_ok"], json!(false), "{id}");
            assert_ne!(got["sign_params_ok"], json!(false), "{id}");
        }
    }

    #[test]
    fn a_malformed_case_is_an_error_member() {
        let got: Value = serde_json::from_str(&sign_vector("{")).unwrap();
        assert!(got["error"].as_str().unwrap().contains("not JSON"));
        let got: Value = serde_json::from_str(&sign_vector(r#"{"request":{}}"#)).unwrap();
        assert!(got["error"].is_string());
    }
}
