//! From an action and its parameters to a signed, plain HTTP request description.
//!
//! ```
//! use essbasic::{build_request, Config, Credentials, Stamp};
//! use serde_json::json;
//!
//! let creds = Credentials::new("AKIDexample", "secret");
//! let params = json!({"FlowId": "yDwF1", "Agent": {"AppId": "app"}});
//! let stamp = Stamp { timestamp: 1_700_000_000, nonce: 1, trace_id: None };
//! let req = build_request("ChannelCancelFlow", &params, &Config::default(), &creds, &stamp).unwrap();
//! assert_eq!(req.url, "https://essbasic.tencentcloudapi.com/");
//! assert_eq!(req.body, br#"{"FlowId":"yDwF1","Agent":{"AppId":"app"}}"#);
//! ```

use std::fmt;

use serde_json::Value;

use crate::body::to_body;
use crate::credentials::Credentials;
use crate::endpoint::{self, Target};
use crate::error::Error;
use crate::signing::{flatten, tc3, v1, SignMethod};
use crate::spec::{self, ActionSpec};
use crate::transcode::canonical_body;
use crate::validate::{lookup_action, validate};

/// The HTTP method used to send a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HttpMethod {
    /// POST (JSON for TC3, a form for v1): the default.
    #[default]
    Post,
    /// GET, parameters flattened into the query (`A.B.0.C=v`).
    Get,
}

impl HttpMethod {
    /// `POST` or `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Post => "POST",
            HttpMethod::Get => "GET",
        }
    }
}

/// How requests are addressed and signed. `Default` is production, TC3 over POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `X-TC-Region`; `None` or empty sends none (essbasic needs none).
    pub region: Option<String>,
    /// `X-TC-Language`: `zh-CN` or `en-US`.
    pub language: Option<String>,
    /// An explicit endpoint: `host`, `host:port` or an `http(s)://` URL.
    pub endpoint: Option<String>,
    /// An explicit endpoint for `UploadFiles` only.
    pub file_endpoint: Option<String>,
    /// Use the joint-debug test environment hosts.
    pub test_environment: bool,
    /// The signature method.
    pub sign_method: SignMethod,
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// TC3 only: sign `UNSIGNED-PAYLOAD` instead of the body hash.
    pub unsigned_payload: bool,
    /// Reject members the spec does not know.
    pub strict: bool,
    /// The `X-TC-RequestClient` value (v1: the `RequestClient` parameter).
    pub request_client: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: None,
            language: None,
            endpoint: None,
            file_endpoint: None,
            test_environment: false,
            sign_method: SignMethod::Tc3HmacSha256,
            http_method: HttpMethod::Post,
            unsigned_payload: false,
            strict: false,
            request_client: Some(concat!("essbasic-rs/", env!("CARGO_PKG_VERSION")).to_owned()),
        }
    }
}

/// The per-request values the host supplies: core reads no clock and no RNG.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp {
    /// Unix time in seconds (`X-TC-Timestamp`).
    pub timestamp: i64,
    /// A random positive number (v1 `Nonce`).
    pub nonce: u32,
    /// `X-TC-TraceId`, when the host made or the caller gave one.
    pub trace_id: Option<String>,
}

/// A request ready to send: plain data, no HTTP library types.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `POST` or `GET`.
    pub method: &'static str,
    /// The full URL, query included.
    pub url: String,
    /// Every header the SDK sets, signature included.
    pub headers: Vec<(String, String)>,
    /// The exact bytes that were signed.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), crate::redact::header_value(k, v)))
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &crate::redact::url(&self.url))
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Validates `params` for `action`, then builds and signs the request.
pub fn build_request(
    action: &str,
    params: &Value,
    config: &Config,
    credentials: &Credentials,
    stamp: &Stamp,
) -> Result<HttpRequest, Error> {
    let spec = validate(action, params, config.strict)?;
    build_validated(spec, params, config, credentials, stamp)
}

/// Like [`build_request`], with the parameters as JSON text (what bindings pass).
pub fn build_request_json(
    action: &str,
    params_json: &[u8],
    config: &Config,
    credentials: &Credentials,
    stamp: &Stamp,
) -> Result<HttpRequest, Error> {
    let spec = lookup_action(action)?;
    if config.sign_method == SignMethod::Tc3HmacSha256 && config.http_method == HttpMethod::Post {
        // One pass over the text when it is valid; anything else takes the tree path below,
        // which gives the same body or the error.
        if let Some(body) = canonical_body(spec.input(), config.strict, params_json) {
            let target = target(spec, config)?;
            let parts = Tc3Parts {
                content_type: "application/json",
                body,
                query: String::new(),
            };
            return Ok(build_tc3_parts(
                spec,
                parts,
                config,
                credentials,
                stamp,
                target,
            ));
        }
    }
    let params: Value = serde_json::from_slice(params_json).map_err(|e| Error::Validation {
        action: action.to_owned(),
        path: String::new(),
        message: format!("parameters are not valid JSON: {e}"),
    })?;
    build_request(action, &params, config, credentials, stamp)
}

/// Like [`build_request`], with typed parameters from the generated models.
pub fn build_typed<A: crate::generated::Action>(
    params: &A,
    config: &Config,
    credentials: &Credentials,
    stamp: &Stamp,
) -> Result<HttpRequest, Error> {
    let json = serde_json::to_vec(params).map_err(|e| Error::Validation {
        action: A::NAME.to_owned(),
        path: String::new(),
        message: format!("cannot serialize the parameters: {e}"),
    })?;
    build_request_json(A::NAME, &json, config, credentials, stamp)
}

fn build_validated(
    spec: &ActionSpec,
    params: &Value,
    config: &Config,
    credentials: &Credentials,
    stamp: &Stamp,
) -> Result<HttpRequest, Error> {
    let target = target(spec, config)?;
    match config.sign_method {
        SignMethod::Tc3HmacSha256 => build_tc3(spec, params, config, credentials, stamp, target),
        SignMethod::HmacSha256 | SignMethod::HmacSha1 => {
            build_v1(spec, params, config, credentials, stamp, target)
        }
    }
}

/// The TC3 request before signing: method, content type, body and query.
pub(crate) struct Tc3Parts {
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
    pub(crate) query: String,
}

impl Tc3Parts {
    /// What the TC3 signature covers for these parts.
    pub(crate) fn input<'a>(
        &'a self,
        target: &'a Target,
        config: &Config,
        stamp: &Stamp,
    ) -> tc3::Tc3Input<'a> {
        tc3::Tc3Input {
            method: config.http_method.as_str(),
            host: &target.authority,
            path: &target.path,
            query: &self.query,
            content_type: self.content_type,
            payload: &self.body,
            unsigned_payload: config.unsigned_payload,
            service: spec::SERVICE,
            timestamp: stamp.timestamp,
        }
    }
}

pub(crate) fn tc3_parts(params: &Value, method: HttpMethod) -> Tc3Parts {
    match method {
        HttpMethod::Post => Tc3Parts {
            content_type: "application/json",
            body: to_body(params),
            query: String::new(),
        },
        HttpMethod::Get => Tc3Parts {
            content_type: "application/x-www-form-urlencoded",
            body: Vec::new(),
            query: v1::encode(&flatten::flatten(params), v1::FormEncoding::Rfc3986),
        },
    }
}

/// The non-signed TC3 headers of `config` for `spec`.
pub(crate) fn header_input<'a>(
    spec: &'a ActionSpec,
    config: &'a Config,
    token: Option<&'a str>,
    stamp: &'a Stamp,
) -> tc3::HeaderInput<'a> {
    tc3::HeaderInput {
        action: spec.name,
        version: spec::API_VERSION,
        region: config.region.as_deref(),
        language: config.language.as_deref(),
        token,
        request_client: config.request_client.as_deref(),
        trace_id: stamp.trace_id.as_deref(),
    }
}

/// The target of `spec` under `config`.
pub(crate) fn target(spec: &ActionSpec, config: &Config) -> Result<Target, Error> {
    endpoint::resolve(
        spec,
        config.endpoint.as_deref(),
        config.file_endpoint.as_deref(),
        config.test_environment,
    )
}

fn build_tc3(
    spec: &ActionSpec,
    params: &Value,
    config: &Config,
    credentials: &Credentials,
    stamp: &Stamp,
    target: Target,
) -> Result<HttpRequest, Error> {
    let parts = tc3_parts(params, config.http_method);
    Ok(build_tc3_parts(
        spec,
        parts,
        config,
        credentials,
        stamp,
        target,
    ))
}

fn build_tc3_parts(
    spec: &ActionSpec,
    parts: Tc3Parts,
    config: &Config,
    credentials: &Credentials,
    stamp: &Stamp,
    target: Target,
) -> HttpRequest {
    let input = parts.input(&target, config, stamp);
    let hdr = header_input(spec, config, credentials.token(), stamp);
    let (_, headers) = tc3::signed_headers(&input, &hdr, credentials);
    HttpRequest {
        method: config.http_method.as_str(),
        url: with_query(target.url(), &parts.query),
        headers,
        body: parts.body,
    }
}

fn build_v1(
    spec: &ActionSpec,
    params: &Value,
    config: &Config,
    credentials: &Credentials,
    stamp: &Stamp,
    target: Target,
) -> Result<HttpRequest, Error> {
    let region = config.region.as_deref().filter(|r| !r.is_empty());
    let language = config.language.as_deref().filter(|l| !l.is_empty());
    let input = v1::V1Input {
        method: config.http_method.as_str(),
        host: &target.authority,
        path: &target.path,
        action: spec.name,
        version: spec::API_VERSION,
        region,
        language,
        timestamp: stamp.timestamp,
        nonce: stamp.nonce,
        sign_method: config.sign_method,
        request_client: config.request_client.as_deref(),
    };
    let mut all = flatten::flatten(params);
    all.extend(v1::common_params(&input, credentials));
    let encoded = v1::sign_params(&input, credentials, all, v1::FormEncoding::Urlencode)?;
    let mut headers = vec![("Host".to_owned(), target.authority.clone())];
    if let Some(id) = &stamp.trace_id {
        headers.push(("X-TC-TraceId".to_owned(), id.clone()));
    }
    Ok(match config.http_method {
        HttpMethod::Post => {
            headers.push((
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ));
            HttpRequest {
                method: "POST",
                url: target.url(),
                headers,
                body: encoded.into_bytes(),
            }
        }
        HttpMethod::Get => HttpRequest {
            method: "GET",
            url: with_query(target.url(), &encoded),
            headers,
            body: Vec::new(),
        },
    })
}

pub(crate) fn with_query(mut url: String, query: &str) -> String {
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}
