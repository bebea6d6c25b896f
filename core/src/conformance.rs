//! Conformance support for the bindings' runners: what core's signing functions produce for
//! one `kind: "signing"` vector case (the shared vectors of the official SDKs), so that each
//! language's runner can compare it with `expected`. Not part of the client API.
//!
//! Output (JSON text), or `{"error": "..."}` when the case is malformed:
//!
//! - TC3: `canonical_request`, `string_to_sign`, `signature`, `authorization`, `headers`
//!   (`[name, value]` pairs of `tc3::signed_headers`), `remote`: the same four strings
//!   computed through the remote-signer path (`presign` + `sign_string` + `finish`), and
//!   `remote_ok`: whether that path agrees with local signing.
//! - v1: `string_to_sign`, `signature`, `body` (POST) and `query` (GET) with the other one
//!   empty, `headers` (`v1::headers`), `common_params` (core's own common parameters,
//!   sorted), `sign_params_sdk_order` (`sign_params` over the vector's parameters in their
//!   order), `sign_params_business` (`sign_params` over the vector's parameters that are
//!   not common ones, so core adds its own), and `sign_params_ok`: whether core's common
//!   parameters are the vector's and both `sign_params` reproduce the wire form (the
//!   second up to the order of the pairs).

use crate::signing::{tc3, v1, SignMethod};
use crate::Credentials;
use serde_json::{json, Value};

/// Computes the signing outputs of one case; see the module documentation.
pub fn sign_vector(case_json: &str) -> String {
    let out = serde_json::from_str::<Value>(case_json)
        .map_err(|e| format!("the case is not JSON: {e}"))
        .and_then(|case| compute(&case))
        .unwrap_or_else(|e| json!({ "error": e }));
    out.to_string()
}

fn str_field<'a>(obj: &'a Value, name: &str) -> Result<&'a str, String> {
    obj.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string `{name}`"))
}

fn opt_str<'a>(obj: &'a Value, name: &str) -> Option<&'a str> {
    obj.get(name).and_then(Value::as_str)
}

fn pairs(list: &[(String, String)]) -> Value {
    Value::Array(list.iter().map(|(k, v)| json!([k, v])).collect())
}

fn compute(case: &Value) -> Result<Value, String> {
    let req = case.get("request").ok_or("missing `request`")?;
    let c = case.get("credential").ok_or("missing `credential`")?;
    let mut creds = Credentials::new(str_field(c, "secret_id")?, str_field(c, "secret_key")?);
    if let Some(token) = opt_str(c, "token") {
        creds = creds.with_token(token);
    }
    let method: SignMethod = str_field(req, "sign_method")?
        .parse()
        .map_err(|e| format!("{e}"))?;
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
    let remote_sig = tc3::sign_string(
        creds.secret_key(),
        timestamp,
        input.service,
        &pre.string_to_sign,
    );
    let remote = pre.finish(creds.secret_id(), &remote_sig);
    let remote_ok = remote == sig;
    Ok(json!({
        "canonical_request": sig.canonical_request,
        "string_to_sign": sig.string_to_sign,
        "signature": sig.signature,
        "authorization": sig.authorization,
        "headers": pairs(&headers),
        "remote": {
            "canonical_request": remote.canonical_request,
            "string_to_sign": remote.string_to_sign,
            "signature": remote.signature,
            "authorization": remote.authorization,
        },
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
    let get = http_method.eq_ignore_ascii_case("GET");
    let (body, query) = if get {
        (String::new(), wire.clone())
    } else {
        (wire.clone(), String::new())
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
    let mut common = v1::common_params(&input, creds);
    common.sort();
    let business: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| !common.iter().any(|(ck, _)| ck == k))
        .cloned()
        .collect();
    let sdk_order =
        v1::sign_params(&input, creds, params.clone(), encoding).map_err(|e| e.to_string())?;
    let ours = v1::sign_params(&input, creds, business, encoding).map_err(|e| e.to_string())?;
    let mut vector_common: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| common.iter().any(|(ck, _)| ck == k))
        .cloned()
        .collect();
    vector_common.sort();
    let sorted_pairs = |s: &str| {
        let mut v: Vec<String> = s.split('&').map(str::to_owned).collect();
        v.sort_unstable();
        v
    };
    let sign_params_ok =
        common == vector_common && sdk_order == wire && sorted_pairs(&ours) == sorted_pairs(&wire);
    Ok(json!({
        "string_to_sign": sts,
        "signature": sig,
        "body": body,
        "query": query,
        "headers": pairs(&headers),
        "common_params": pairs(&common),
        "sign_params_sdk_order": sdk_order,
        "sign_params_business": ours,
        "sign_params_ok": sign_params_ok,
    }))
}
