//! Authentication as the service does it: TC3-HMAC-SHA256 (`Authorization` header) or the
//! legacy v1 signature (`Signature` parameter, HmacSHA256 / HmacSHA1), verified with core's
//! signing functions against the configured keys; a ±300 s timestamp window; the token.

use std::collections::HashMap;

use essbasic::signing::{tc3, utc_date, v1, SignMethod};
use hyper::HeaderMap;
use serde_json::Value;

use crate::errors::ApiError;
use crate::params;
use crate::spec_data::SPEC;

/// How far a request's timestamp may be from the emulator's clock.
pub const WINDOW_S: i64 = 300;

/// v1 parameters that are not action parameters.
const V1_COMMON: [&str; 11] = [
    "Action",
    "Version",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Region",
    "Token",
    "Language",
    "RequestClient",
];

/// One configured key pair.
#[derive(Clone)]
pub struct Key {
    /// The SecretKey.
    pub secret_key: String,
    /// The session token requests must carry, if the pair is temporary.
    pub token: Option<String>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(** REDACTED **)")
    }
}

/// The configured keys by SecretId.
pub type Keys = HashMap<String, Key>;

/// What a request carries, as received.
#[derive(Debug)]
pub struct Incoming<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The Host header (or the URI authority).
    pub host: &'a str,
    /// The path, `/` usually.
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// The headers.
    pub headers: &'a HeaderMap,
    /// The body bytes.
    pub body: &'a [u8],
}

/// The parameters of a call.
#[derive(Debug)]
pub enum Params<'a> {
    /// Converted already (GET, forms, v1), or the error the body got.
    Value(Result<Value, ApiError>),
    /// A JSON body (not only whitespace), parsed when needed: valid bodies are checked
    /// without building a `Value` when the answer does not depend on their contents.
    Json(&'a [u8]),
}

impl Params<'_> {
    /// The parameters as a JSON object (`InvalidParameter` for a body that is not JSON).
    pub fn into_value(self) -> Result<Value, ApiError> {
        match self {
            Params::Value(v) => v,
            Params::Json(body) => serde_json::from_slice(body).map_err(|e| {
                ApiError::new(
                    "InvalidParameter",
                    format!("The request body is not valid JSON: {e}."),
                )
            }),
        }
    }
}

/// An authenticated call.
#[derive(Debug)]
pub struct Call<'a> {
    /// The action as named by the request.
    pub action: String,
    /// `X-TC-Version` / `Version`.
    pub version: String,
    /// The SecretId that signed it.
    pub secret_id: String,
    /// The signature method used.
    pub method: SignMethod,
    /// The parameters (strings converted to the spec's types for GET and v1).
    pub params: Params<'a>,
}

/// The action a request names, if it can be seen without verifying anything.
pub fn action_hint(req: &Incoming<'_>) -> Option<String> {
    if let Some(a) = header(req.headers, "x-tc-action") {
        return Some(a.to_owned());
    }
    let form = if req.method == "GET" {
        req.query.as_bytes()
    } else {
        req.body
    };
    params::parse_form(form)
        .into_iter()
        .find(|(k, _)| k == "Action")
        .map(|(_, v)| v)
}

/// Verifies the request's signature; `now` is the emulator's clock (Unix seconds).
pub fn authenticate<'a>(req: &Incoming<'a>, keys: &Keys, now: i64) -> Result<Call<'a>, ApiError> {
    if header(req.headers, "authorization").is_some() {
        tc3_call(req, keys, now)
    } else {
        v1_call(req, keys, now)
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn invalid_authorization(why: &str) -> ApiError {
    ApiError::new(
        "AuthFailure.InvalidAuthorization",
        format!("The Authorization header is invalid: {why}."),
    )
}

fn signature_failure() -> ApiError {
    ApiError::new(
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is correct.",
    )
}

fn check_key<'k>(keys: &'k Keys, id: &str) -> Result<&'k Key, ApiError> {
    keys.get(id).ok_or_else(|| {
        ApiError::new(
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found, please ensure that your SecretId is correct.",
        )
    })
}

fn check_time(timestamp: i64, now: i64) -> Result<(), ApiError> {
    if (now - timestamp).abs() > WINDOW_S {
        return Err(ApiError::new(
            "AuthFailure.SignatureExpire",
            format!(
                "Signature expired. Timestamp: {timestamp}, server time: {now}, allowed difference: {WINDOW_S} seconds."
            ),
        ));
    }
    Ok(())
}

fn check_token(key: &Key, token: Option<&str>) -> Result<(), ApiError> {
    match (&key.token, token.filter(|t| !t.is_empty())) {
        (Some(want), Some(got)) if ct_eq(want.as_bytes(), got.as_bytes()) => Ok(()),
        (Some(_), Some(_)) => Err(ApiError::new(
            "AuthFailure.TokenFailure",
            "The token is invalid or does not belong to this SecretId.",
        )),
        (Some(_), None) => Err(ApiError::new(
            "AuthFailure.TokenFailure",
            "These are temporary credentials: the request must carry their token.",
        )),
        (None, _) => Ok(()),
    }
}

/// The host as sent, then without its port: the Node SDK signs the host name alone when
/// the endpoint has a port, the Python SDK signs the endpoint as given.
fn host_candidates(host: &str) -> impl Iterator<Item = &str> {
    let bare = match host.find(']') {
        Some(end) => Some(&host[..=end]),
        None => host.rsplit_once(':').map(|(name, _)| name),
    };
    std::iter::once(host).chain(bare.filter(|b| *b != host))
}

/// `tc3::derive_signing_key`, remembered per thread for the last few (key, date, service):
/// the same key signs every request of a day.
fn signing_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    type Entry = (String, String, String, [u8; 32]);
    const KEEP: usize = 8;
    thread_local! {
        static KEYS: std::cell::RefCell<Vec<Entry>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some((.., k)) = keys
            .iter()
            .find(|(s, d, v, _)| s == secret_key && d == date && v == service)
        {
            return *k;
        }
        let k = tc3::derive_signing_key(secret_key, date, service);
        if keys.len() == KEEP {
            keys.remove(0);
        }
        keys.push((
            secret_key.to_owned(),
            date.to_owned(),
            service.to_owned(),
            k,
        ));
        k
    })
}

/// Constant-time equality.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn parse_timestamp(s: Option<&str>, name: &str) -> Result<i64, ApiError> {
    let s = s.ok_or_else(|| ApiError::missing(name))?;
    s.trim()
        .parse()
        .map_err(|_| ApiError::invalid_value(name, "not a Unix timestamp in seconds"))
}

/// The parts of `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=..., Signature=...`.
struct Tc3Authorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Tc3Authorization<'_>, ApiError> {
    let rest = value
        .strip_prefix(tc3::ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| invalid_authorization("the algorithm must be TC3-HMAC-SHA256"))?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',').map(str::trim) {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(invalid_authorization(&format!("unexpected part `{part}`"))),
        }
    }
    let credential = credential.ok_or_else(|| invalid_authorization("no Credential"))?;
    let mut scope = credential.splitn(4, '/');
    let (Some(secret_id), Some(date), Some(service), Some("tc3_request")) =
        (scope.next(), scope.next(), scope.next(), scope.next())
    else {
        return Err(invalid_authorization(
            "Credential must be SecretId/Date/Service/tc3_request",
        ));
    };
    Ok(Tc3Authorization {
        secret_id,
        date,
        service,
        signed_headers: signed_headers.ok_or_else(|| invalid_authorization("no SignedHeaders"))?,
        signature: signature.ok_or_else(|| invalid_authorization("no Signature"))?,
    })
}

fn tc3_call<'a>(req: &Incoming<'a>, keys: &Keys, now: i64) -> Result<Call<'a>, ApiError> {
    let auth = parse_authorization(header(req.headers, "authorization").unwrap_or_default())?;
    let action =
        header(req.headers, "x-tc-action").ok_or_else(|| ApiError::missing("X-TC-Action"))?;
    let version =
        header(req.headers, "x-tc-version").ok_or_else(|| ApiError::missing("X-TC-Version"))?;
    let timestamp = parse_timestamp(header(req.headers, "x-tc-timestamp"), "X-TC-Timestamp")?;
    let key = check_key(keys, auth.secret_id)?;
    check_time(timestamp, now)?;
    // The Node SDK derives the service from the host's first label (`file` on the file host).
    let first_label = req.host.split(['.', ':']).next().unwrap_or_default();
    let service_ok = auth.service == "essbasic" || auth.service == first_label;
    // The SDKs sign `content-type;host`; remote-signed requests (core's `remote`) add
    // `x-tc-action` so the signing server sees the action.
    let remote = auth.signed_headers == essbasic::remote::REMOTE_SIGNED_HEADERS;
    if !service_ok
        || auth.date != utc_date(timestamp)
        || !(remote || auth.signed_headers == tc3::SIGNED_HEADERS)
    {
        return Err(signature_failure());
    }
    let scope = tc3::credential_scope(timestamp, auth.service);
    let signing_key = signing_key(&key.secret_key, auth.date, auth.service);
    let content_type = header(req.headers, "content-type").unwrap_or_default();
    let unsigned_payload =
        header(req.headers, "x-tc-content-sha256") == Some(tc3::UNSIGNED_PAYLOAD);
    let verified = host_candidates(req.host).any(|host| {
        let input = tc3::Tc3Input {
            method: req.method,
            host,
            path: req.path,
            query: req.query,
            content_type,
            payload: req.body,
            unsigned_payload,
            service: auth.service,
            timestamp,
        };
        let canonical = if remote {
            essbasic::remote::canonical_request(&input, action)
        } else {
            tc3::canonical_request(&input)
        };
        let to_sign = tc3::string_to_sign(timestamp, &scope, &canonical);
        let expected = tc3::signature(&signing_key, &to_sign);
        ct_eq(expected.as_bytes(), auth.signature.as_bytes())
    });
    if !verified {
        return Err(signature_failure());
    }
    check_token(key, header(req.headers, "x-tc-token"))?;
    let params = if req.method == "GET" {
        Params::Value(Ok(form_params(
            params::parse_form(req.query.as_bytes()),
            action,
            false,
        )))
    } else {
        body_params(req, action)
    };
    Ok(Call {
        action: action.to_owned(),
        version: version.to_owned(),
        secret_id: auth.secret_id.to_owned(),
        method: SignMethod::Tc3HmacSha256,
        params,
    })
}

/// A POST body: JSON, or a form.
fn body_params<'a>(req: &Incoming<'a>, action: &str) -> Params<'a> {
    let raw = header(req.headers, "content-type").unwrap_or_default();
    let starts = |prefix: &str| {
        raw.len() >= prefix.len()
            && raw.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    if starts("application/x-www-form-urlencoded") {
        return Params::Value(Ok(form_params(params::parse_form(req.body), action, false)));
    }
    if !raw.is_empty() && !starts("application/json") {
        let ct = raw.to_ascii_lowercase();
        return Params::Value(Err(ApiError::new(
            "InvalidParameter",
            format!("The Content-Type `{ct}` is not supported: send application/json."),
        )));
    }
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Params::Value(Ok(Value::Object(Default::default())));
    }
    Params::Json(req.body)
}

/// Flattened pairs as the action's parameter object, strings converted to the spec's types.
fn form_params(pairs: Vec<(String, String)>, action: &str, v1: bool) -> Value {
    let input = SPEC
        .action(action)
        .map(|a| a.input.as_str())
        .unwrap_or_default();
    let kept = pairs
        .iter()
        .filter(|(k, _)| !(v1 && V1_COMMON.contains(&k.as_str())))
        .map(|(k, v)| (k.as_str(), v.as_str()));
    params::unflatten(kept, input)
}

fn v1_call<'a>(req: &Incoming<'a>, keys: &Keys, now: i64) -> Result<Call<'a>, ApiError> {
    let raw = if req.method == "GET" {
        req.query.as_bytes()
    } else {
        req.body
    };
    let pairs = params::parse_form(raw);
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(signature) = get("Signature") else {
        return Err(ApiError::new(
            "AuthFailure.SignatureFailure",
            "The request carries neither an Authorization header nor a Signature parameter.",
        ));
    };
    let secret_id = get("SecretId").ok_or_else(|| ApiError::missing("SecretId"))?;
    let action = get("Action").ok_or_else(|| ApiError::missing("Action"))?;
    let version = get("Version").ok_or_else(|| ApiError::missing("Version"))?;
    let timestamp = parse_timestamp(get("Timestamp"), "Timestamp")?;
    get("Nonce").ok_or_else(|| ApiError::missing("Nonce"))?;
    let method = match get("SignatureMethod").unwrap_or("HmacSHA1") {
        "HmacSHA1" => SignMethod::HmacSha1,
        "HmacSHA256" => SignMethod::HmacSha256,
        other => {
            return Err(ApiError::invalid_value(
                "SignatureMethod",
                &format!("`{other}` is not HmacSHA1 or HmacSHA256"),
            ))
        }
    };
    let key = check_key(keys, secret_id)?;
    check_time(timestamp, now)?;
    let signed: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    let verified = host_candidates(req.host).any(|host| {
        let to_sign = v1::string_to_sign(req.method, host, req.path, &signed);
        v1::signature(method, &key.secret_key, &to_sign)
            .is_ok_and(|expected| ct_eq(expected.as_bytes(), signature.as_bytes()))
    });
    if !verified {
        return Err(signature_failure());
    }
    check_token(key, get("Token"))?;
    let params = form_params(pairs.clone(), action, true);
    Ok(Call {
        action: action.to_owned(),
        version: version.to_owned(),
        secret_id: secret_id.to_owned(),
        method,
        params: Params::Value(Ok(params)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_signing_keys_are_the_derived_ones() {
        for round in 0..2 {
            for i in 0..12 {
                let (k, d) = (format!("key{i}"), format!("2024-01-{:02}", i + 1));
                for service in ["essbasic", "file"] {
                    assert_eq!(
                        signing_key(&k, &d, service),
                        tc3::derive_signing_key(&k, &d, service),
                        "round {round}"
                    );
                }
            }
        }
        assert_eq!(
            signing_key("key0", "2024-01-01", "file"),
            tc3::derive_signing_key("key0", "2024-01-01", "file")
        );
    }
}
