//! The Node.js native addon of `essbasic`: the *core adapter* of the JavaScript façade.
//!
//! Each exported function converts its arguments, forwards to the Rust core and converts
//! the result back; there is no protocol logic here. Protocol failures never throw across
//! the boundary: they come back as `{ error: { kind, code, message, ... } }` and the façade
//! throws the matching error class. The WebAssembly build implements the same functions
//! with the same shapes (`lib/core-wasm.mjs`).

#![deny(clippy::all)]

use essbasic::response::DEFAULT_MAX_BODY_BYTES;
use essbasic::{Config, Credentials, Error, HttpMethod, SignMethod, Stamp};
use napi::bindgen_prelude::{Either, FromNapiValue, Object};
use napi_derive::napi;

pub mod vector;

/// A signed request, ready for the host's HTTP stack.
#[napi(object)]
pub struct BuiltRequest {
    /// `POST` or `GET`.
    pub method: String,
    /// The full URL, query included.
    pub url: String,
    /// Every header to send, as `[name, value]` pairs.
    pub headers: Vec<Vec<String>>,
    /// The exact body that was signed (UTF-8 text; empty for GET).
    pub body: String,
}

/// A successful response: the `Response` object as JSON text.
#[napi(object, use_nullable = true)]
pub struct ClassifiedResponse {
    /// The JSON text of the `Response` object, exactly as sent.
    pub raw: String,
    /// `Response.RequestId`, or `null`.
    pub request_id: Option<String>,
    /// `raw` with integers beyond ±(2^53 − 1) quoted with the BigInt sentinel, or `null`
    /// when there is none (then parse `raw`).
    pub big_raw: Option<String>,
}

/// A core error as plain data.
#[napi(object)]
pub struct AdapterError {
    /// `validation`, `signing`, `api`, `http`, `decode`, `transport` or `timeout`.
    pub kind: String,
    /// The API error code, or a local one (`ValidationError`, `HttpError`, ...).
    pub code: String,
    /// The service's message for `api`, core's description otherwise.
    pub message: String,
    /// `validation`: the action as named.
    pub action: Option<String>,
    /// `validation`: where in the parameters (`FlowApprovers[0].ApproverType`).
    pub path: Option<String>,
    /// `api`: `Response.RequestId`.
    pub request_id: Option<String>,
    /// `http`: the HTTP status.
    pub status: Option<u32>,
}

/// The failure branch of every adapter function.
#[napi(object)]
pub struct ErrorResult {
    /// What went wrong.
    pub error: AdapterError,
}

impl From<Error> for ErrorResult {
    fn from(err: Error) -> Self {
        let mut out = AdapterError {
            kind: err.kind().to_owned(),
            code: err.code().to_owned(),
            message: err.to_string(),
            action: None,
            path: None,
            request_id: err.request_id().map(str::to_owned),
            status: None,
        };
        match err {
            Error::Validation { action, path, .. } => {
                out.action = Some(action);
                out.path = Some(path);
            }
            Error::Api { message, .. } => out.message = message,
            Error::Http { status, .. } => out.status = Some(status.into()),
            _ => {}
        }
        ErrorResult { error: out }
    }
}

fn config_error(message: String) -> Error {
    Error::Signing { message }
}

/// Reads an optional member: `undefined`, `null` and a missing member are all `None`.
fn opt<T: FromNapiValue>(obj: &Object, key: &str) -> napi::Result<Option<T>> {
    Ok(obj.get::<Option<T>>(key)?.flatten())
}

/// `config` → `essbasic::Config`: `{ region?, language?, endpoint?, fileEndpoint?,
/// testEnvironment?, signMethod?, httpMethod?, unsignedPayload?, strict?, requestClient? }`.
/// A member of the wrong type or value is a `signing` error (bad configuration).
fn to_config(c: &Object) -> Result<Config, Error> {
    let bad = |e: napi::Error| config_error(format!("invalid configuration: {}", e.reason));
    let defaults = Config::default();
    let sign_method = match opt::<String>(c, "signMethod").map_err(bad)?.as_deref() {
        None | Some("") => SignMethod::default(),
        Some(name) => name.parse()?,
    };
    let http_method = match opt::<String>(c, "httpMethod").map_err(bad)?.as_deref() {
        None | Some("") => HttpMethod::Post,
        Some(m) if m.eq_ignore_ascii_case("POST") => HttpMethod::Post,
        Some(m) if m.eq_ignore_ascii_case("GET") => HttpMethod::Get,
        Some(m) => return Err(config_error(format!("unsupported HTTP method {m:?}"))),
    };
    let flag = |key: &str| opt::<bool>(c, key).map(Option::unwrap_or_default);
    Ok(Config {
        region: opt(c, "region").map_err(bad)?,
        language: opt(c, "language").map_err(bad)?,
        endpoint: opt(c, "endpoint").map_err(bad)?,
        file_endpoint: opt(c, "fileEndpoint").map_err(bad)?,
        test_environment: flag("testEnvironment").map_err(bad)?,
        sign_method,
        http_method,
        unsigned_payload: flag("unsignedPayload").map_err(bad)?,
        strict: flag("strict").map_err(bad)?,
        request_client: match opt::<String>(c, "requestClient").map_err(bad)? {
            None => defaults.request_client,
            Some(s) if s.is_empty() => None,
            Some(s) => Some(s),
        },
    })
}

/// `credential` → `essbasic::Credentials`: `{ secretId, secretKey, token? }`. Messages
/// never include a value.
fn to_credentials(c: &Object) -> Result<Credentials, Error> {
    let read = |key: &str| {
        opt::<String>(c, key)
            .map_err(|_| config_error(format!("the credential's {key} must be a string")))
            .map(|v| v.filter(|s| !s.is_empty()))
    };
    match (read("secretId")?, read("secretKey")?) {
        (Some(id), Some(key)) => {
            let creds = Credentials::new(id, key);
            Ok(match read("token")? {
                Some(token) => creds.with_token(token),
                None => creds,
            })
        }
        _ => Err(config_error(
            "the credential needs a secretId and a secretKey".to_owned(),
        )),
    }
}

/// Validates `paramsJson` for `action`, then builds and signs the request
/// (`essbasic::build_request_json`). `timestamp` is Unix seconds, `nonce` a positive
/// 32-bit integer; both and `traceId` come from the host.
#[napi(js_name = "buildRequest")]
pub fn build_request(
    action: String,
    params_json: String,
    config: Option<Object>,
    credential: Object,
    timestamp: f64,
    nonce: f64,
    trace_id: Option<String>,
) -> Either<BuiltRequest, ErrorResult> {
    let built = (|| {
        let config = match &config {
            Some(c) => to_config(c)?,
            None => Config::default(),
        };
        let creds = to_credentials(&credential)?;
        let stamp = Stamp {
            // Saturating conversions: the host passes whole numbers in range.
            timestamp: timestamp as i64,
            nonce: nonce as u32,
            trace_id: trace_id.filter(|t| !t.is_empty()),
        };
        essbasic::build_request_json(&action, params_json.as_bytes(), &config, &creds, &stamp)
    })();
    match built {
        Ok(req) => Either::A(BuiltRequest {
            method: req.method.to_owned(),
            url: req.url,
            headers: req.headers.into_iter().map(|(k, v)| vec![k, v]).collect(),
            // Core writes JSON or a percent-encoded form: always UTF-8.
            body: String::from_utf8_lossy(&req.body).into_owned(),
        }),
        Err(e) => Either::B(e.into()),
    }
}

/// Classifies a response (`essbasic::classify_response`) and quotes integers beyond 2^53
/// (`essbasic::bigint::quote_big_integers`). A `maxBodyBytes` that is not a positive
/// number means core's default (64 MiB).
#[napi(js_name = "classifyResponse")]
pub fn classify_response(
    status: u32,
    body: &[u8],
    max_body_bytes: Option<f64>,
) -> Either<ClassifiedResponse, ErrorResult> {
    let max = match max_body_bytes {
        // Saturating float-to-int conversion: huge values mean "no practical limit".
        Some(n) if n.is_finite() && n >= 0.0 => n as usize,
        _ => DEFAULT_MAX_BODY_BYTES,
    };
    let status = u16::try_from(status).unwrap_or(0);
    match essbasic::classify_response(status, body, max) {
        Ok(view) => Either::A(ClassifiedResponse {
            big_raw: essbasic::bigint::quote_big_integers(view.raw),
            raw: view.raw.to_owned(),
            request_id: view.request_id,
        }),
        Err(e) => Either::B(e.into()),
    }
}

/// Conformance only: computes what core's signing functions produce for one
/// `kind: "signing"` vector case (JSON text in, JSON text out; see [`vector`]).
#[napi(js_name = "signVector")]
pub fn sign_vector(case_json: String) -> String {
    vector::sign_vector(&case_json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_become_plain_data() {
        let v = ErrorResult::from(Error::Validation {
            action: "UploadFiles".into(),
            path: "FileInfos[0].FileBody".into(),
            message: "missing required member".into(),
        })
        .error;
        assert_eq!(
            (v.kind.as_str(), v.code.as_str()),
            ("validation", "ValidationError")
        );
        assert_eq!(v.path.as_deref(), Some("FileInfos[0].FileBody"));
        assert_eq!(v.action.as_deref(), Some("UploadFiles"));
        assert!(v.message.contains("FileInfos[0].FileBody"));
        let http = ErrorResult::from(Error::Http {
            status: 502,
            body_excerpt: "<html>".into(),
        })
        .error;
        assert_eq!((http.kind.as_str(), http.status), ("http", Some(502)));
    }

    #[test]
    fn classifies_and_quotes_big_integers() {
        let body = br#"{"Response":{"N":9007199254740993,"RequestId":"r"}}"#;
        let Either::A(ok) = classify_response(200, body, None) else {
            panic!("expected success")
        };
        assert_eq!(ok.request_id.as_deref(), Some("r"));
        assert!(ok
            .big_raw
            .unwrap()
            .contains(r#""\u0000bigint:9007199254740993""#));
        let api =
            br#"{"Response":{"Error":{"Code":"OperationDenied","Message":"m"},"RequestId":"r2"}}"#;
        let Either::B(err) = classify_response(200, api, Some(1024.0)) else {
            panic!("expected an error")
        };
        assert_eq!(
            (err.error.kind.as_str(), err.error.code.as_str()),
            ("api", "OperationDenied")
        );
        assert_eq!(err.error.message, "m");
        assert_eq!(err.error.request_id.as_deref(), Some("r2"));
        let Either::B(err) = classify_response(200, body, Some(8.0)) else {
            panic!("expected an error")
        };
        assert_eq!(err.error.kind, "decode");
    }

    #[test]
    fn sign_vector_reports_malformed_cases() {
        let out: serde_json::Value = serde_json::from_str(&sign_vector("{".into())).unwrap();
        assert!(out["error"].as_str().unwrap().contains("not JSON"));
        let out: serde_json::Value =
            serde_json::from_str(&sign_vector(r#"{"request":{}}"#.into())).unwrap();
        assert!(out["error"].is_string());
    }
}
