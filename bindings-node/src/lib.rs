//! The Node.js native addon of `essbasic`: the *core adapter* of the JavaScript façade.
//!
//! Each exported function converts its arguments, forwards to the Rust core and converts
//! the result back; there is no protocol logic here. Protocol failures never throw across
//! the boundary: they come back as `{ error: { kind, code, message, ... } }` and the façade
//! throws the matching error class. The WebAssembly build implements the same functions
//! with the same shapes (`lib/core-wasm.mjs`).

#![deny(clippy::all)]

use essbasic::remote::{self, REMOTE_SIGNED_HEADERS};
use essbasic::response::DEFAULT_MAX_BODY_BYTES;
use essbasic::retry;
use essbasic::signing::tc3;
use essbasic::spec::SERVICE;
use essbasic::{http1, Config, Credentials, Error, HttpMethod, HttpRequest, SignMethod, Stamp};
use napi::bindgen_prelude::{
    Buffer, BufferSlice, Either, Either3, Either4, FromNapiValue, JsValue, Latin1String, Object,
    ToNapiValue, TypeName, Uint8Array, ValueType,
};
use napi::{Env, JsStringLatin1};
use napi_derive::napi;

#[path = "../../bindings-wasm/src/features.rs"]
mod features;
mod text;

use text::{ByteText, Utf8Text};

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

impl BuiltRequest {
    fn from_core(req: HttpRequest) -> Self {
        BuiltRequest {
            method: req.method.to_owned(),
            url: req.url,
            headers: req.headers.into_iter().map(|(k, v)| vec![k, v]).collect(),
            // Core writes JSON or a percent-encoded form: always UTF-8.
            body: String::from_utf8_lossy(&req.body).into_owned(),
        }
    }
}

/// A request waiting for a remote signature (`prepareRemote`); `finishRemote` takes it back.
#[napi(object)]
pub struct PreparedRemote {
    /// The request, without `Authorization`.
    pub request: BuiltRequest,
    /// The TC3 canonical request (with `x-tc-action` signed), for the signing server.
    pub canonical_request: String,
    /// The TC3 string to sign.
    pub string_to_sign: String,
    /// The request time (`X-TC-Timestamp`), for the signing server.
    pub timestamp: i64,
    /// The SecretId the `Authorization` header will name.
    pub secret_id: String,
}

/// What the server-side `signRemote` returns.
#[napi(object)]
pub struct RemoteSignature {
    /// The TC3 signature, 64 lower-case hexadecimal digits.
    pub signature: String,
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
    let read = |key: &str| credential_member(c, key);
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

fn config_or_default(config: Option<&Object>) -> Result<Config, Error> {
    match config {
        Some(c) => to_config(c),
        None => Ok(Config::default()),
    }
}

/// The host's time, nonce and trace id (saturating conversions: the host passes whole
/// numbers in range).
fn stamp(timestamp: f64, nonce: f64, trace_id: Option<String>) -> Stamp {
    Stamp {
        timestamp: timestamp as i64,
        nonce: nonce as u32,
        trace_id: trace_id.filter(|t| !t.is_empty()),
    }
}

/// A string member of the credential: absent, `null` and `""` are `None`; another type is
/// an error naming the member, never its value.
fn credential_member(c: &Object, key: &str) -> Result<Option<String>, Error> {
    opt::<String>(c, key)
        .map_err(|_| config_error(format!("the credential's {key} must be a string")))
        .map(|v| v.filter(|s| !s.is_empty()))
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
        let config = config_or_default(config.as_ref())?;
        let creds = to_credentials(&credential)?;
        let stamp = stamp(timestamp, nonce, trace_id);
        essbasic::build_request_json(&action, params_json.as_bytes(), &config, &creds, &stamp)
    })();
    match built {
        Ok(req) => Either::A(BuiltRequest::from_core(req)),
        Err(e) => Either::B(e.into()),
    }
}

/// The body limit a caller gave: a number that is not a non-negative finite one means core's
/// default; the float-to-int conversion saturates (huge values mean "no practical limit").
fn max_body(max_body_bytes: Option<f64>) -> usize {
    match max_body_bytes {
        Some(n) if n.is_finite() && n >= 0.0 => n as usize,
        _ => DEFAULT_MAX_BODY_BYTES,
    }
}

/// The `Response` text with big integers quoted, when core saw one (else `None`).
fn quoted_if_big(view: &essbasic::ResponseView<'_>) -> Option<String> {
    if view.big_integers {
        essbasic::bigint::quote_big_integers(view.raw)
    } else {
        None
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
    let max = max_body(max_body_bytes);
    let status = u16::try_from(status).unwrap_or(0);
    match essbasic::classify_response(status, body, max) {
        Ok(view) => Either::A(ClassifiedResponse {
            big_raw: quoted_if_big(&view),
            raw: view.raw.to_owned(),
            request_id: view.request_id,
        }),
        Err(e) => Either::B(e.into()),
    }
}

/// A client's request builder: its configuration and credential converted once
/// (`createBuilder`), then `build` per request — the same request as `buildRequest`
/// without re-reading two JavaScript objects on every call.
#[napi]
pub struct RequestBuilder {
    config: Config,
    creds: Credentials,
    /// The URL of the actions served by the API host under this configuration: a POST to
    /// it comes back from `build` and `buildWire` as one string (see `url`).
    api_url: Option<String>,
}

/// The URL of every action served by the API host (`essbasic::spec::Host::Api`) under
/// `config`, when it resolves.
fn api_url(config: &Config) -> Option<String> {
    let spec = essbasic::spec::ACTIONS
        .iter()
        .find(|a| a.host == essbasic::spec::Host::Api)?;
    essbasic::endpoint::resolve(
        spec,
        config.endpoint.as_deref(),
        config.file_endpoint.as_deref(),
        config.test_environment,
    )
    .ok()
    .map(|t| t.url())
}

impl RequestBuilder {
    /// Whether `req` is a POST to the API host's URL: then `build` and `buildWire` answer
    /// with one string (one value across the boundary instead of an object of four).
    fn is_plain_post(&self, req: &HttpRequest) -> bool {
        req.method == "POST" && self.api_url.as_deref() == Some(req.url.as_str())
    }
}

/// What `RequestBuilder.build` returns: `buildRequest`'s request, except that the headers
/// come as one JSON text (`[[name, value], ...]`: one string across the boundary instead of
/// twelve pairs; the façade parses it only when something reads them) and `body` is `null`
/// when it is exactly the `paramsJson` given (the host has that string already).
#[napi(object, use_nullable = true)]
pub struct BuiltFromParams {
    /// `POST` or `GET`.
    pub method: String,
    /// The full URL, query included.
    pub url: String,
    /// Every header to send, as the JSON text of `[name, value]` pairs.
    pub headers_json: String,
    /// The exact body that was signed, or `null` when it is `paramsJson` itself.
    pub body: Option<String>,
}

#[napi]
impl RequestBuilder {
    /// The URL of the actions served by the API host under this builder's configuration,
    /// or `null`: what a string from `build` or `buildWire` is a POST to.
    #[napi(getter)]
    pub fn url(&self) -> Option<String> {
        self.api_url.clone()
    }

    /// `buildRequest` with this builder's configuration and credential (`headersJson`
    /// instead of `headers`, `body` `null` when it is `paramsJson` as given). A POST to
    /// `url` whose body is `paramsJson` as given comes back as its `headersJson` alone.
    #[napi]
    pub fn build(
        &self,
        action: String,
        params_json: Utf8Text,
        timestamp: f64,
        nonce: f64,
        trace_id: Option<String>,
    ) -> Either3<String, BuiltFromParams, ErrorResult> {
        let params_json = params_json.0;
        let stamp = stamp(timestamp, nonce, trace_id);
        match essbasic::build_request_json(&action, &params_json, &self.config, &self.creds, &stamp)
        {
            Ok(req) => {
                let same = req.body == params_json;
                // Pairs of strings: serializing cannot fail.
                let headers_json = serde_json::to_string(&req.headers).unwrap_or_default();
                if same && self.is_plain_post(&req) {
                    return Either3::A(headers_json);
                }
                Either3::B(BuiltFromParams {
                    method: req.method.to_owned(),
                    url: req.url,
                    headers_json,
                    // Core writes JSON or a percent-encoded form: always UTF-8.
                    body: (!same).then(|| String::from_utf8_lossy(&req.body).into_owned()),
                })
            }
            Err(e) => Either3::C(e.into()),
        }
    }
}

/// A signed request already framed for the wire (`RequestBuilder.buildWire`).
#[napi(object, object_from_js = false)]
pub struct WireRequest {
    /// `POST` or `GET`.
    pub method: String,
    /// The full URL, query included (where to connect).
    pub url: String,
    /// The HTTP/1.1 request's bytes (`essbasic::http1::encode_request`) as a one-byte
    /// string, one character per byte (write it with the `latin1` encoding): cheaper to
    /// make than a `Buffer`, which needs a finalizer.
    pub wire: ByteText,
}

#[napi]
impl RequestBuilder {
    /// `build`, then framed by core's `http1::encode_request` in the same call: for the
    /// socket transport when no header is added to core's, so that neither the headers nor
    /// the body cross to JavaScript and back. A POST to `url` comes back as its `wire`
    /// alone.
    #[napi(js_name = "buildWire")]
    pub fn build_wire(
        &self,
        action: String,
        params_json: Utf8Text,
        timestamp: f64,
        nonce: f64,
        trace_id: Option<String>,
    ) -> Either3<ByteText, WireRequest, ErrorResult> {
        let params_json = params_json.0;
        let stamp = stamp(timestamp, nonce, trace_id);
        let framed =
            essbasic::build_request_json(&action, &params_json, &self.config, &self.creds, &stamp)
                .and_then(|req| {
                    let wire =
                        http1::encode_request(req.method, &req.url, &req.headers, &req.body)?;
                    Ok((req, wire))
                });
        match framed {
            Ok((req, wire)) if self.is_plain_post(&req) => Either3::A(ByteText(wire)),
            Ok((req, wire)) => Either3::B(WireRequest {
                method: req.method.to_owned(),
                url: req.url,
                wire: ByteText(wire),
            }),
            Err(e) => Either3::C(e.into()),
        }
    }
}

/// Converts `config` and `credential` (the shapes of `buildRequest`) once: a
/// `RequestBuilder`, or `{ error }` for a bad configuration or credential.
#[napi(js_name = "createBuilder")]
pub fn create_builder(
    config: Option<Object>,
    credential: Object,
) -> Either<RequestBuilder, ErrorResult> {
    let made = (|| {
        let config = config_or_default(config.as_ref())?;
        Ok::<_, Error>(RequestBuilder {
            api_url: api_url(&config),
            config,
            creds: to_credentials(&credential)?,
        })
    })();
    match made {
        Ok(b) => Either::A(b),
        Err(e) => Either::B(e.into()),
    }
}

/// Where the `Response` object lies in the body (`classifyResponseAt`), for the façade's
/// `JSON.parse` (core's `classify_response_js`: the text is not validated here, the parser
/// does it).
#[napi(object, use_nullable = true, object_from_js = false)]
pub struct ClassifiedSpan {
    /// Byte offset of the `Response` object's JSON text in the body.
    pub start: u32,
    /// Byte offset just past it.
    pub end: u32,
    /// `Response.RequestId`, or `null`.
    pub request_id: Option<String>,
    /// Whether integers beyond ±(2^53 − 1) are quoted with the BigInt sentinel in `ascii`
    /// (parse it with the reviver).
    pub big_integers: bool,
    /// The `Response` text as ASCII JSON of the same value (non-ASCII characters as
    /// `\uXXXX` escapes, big integers quoted), as a one-byte string: V8 neither decodes
    /// UTF-8 nor parses a two-byte string. `null` when `body[start..end]` is that already
    /// (ASCII bytes: the host makes a one-byte string of them).
    pub ascii: Option<AsciiText>,
}

/// ASCII text for V8: above 64 KiB an external one-byte string (V8 keeps the bytes where
/// they are — no copy of a megabyte into its heap, no fresh heap pages — and frees them when
/// the string is collected), else copied into a one-byte string. On a Node without
/// `node_api_create_external_string_latin1` (before 18.18 and 20.4) it is always copied.
pub struct AsciiText(Vec<u8>);

/// Whether this Node has external Latin-1 strings (asked once).
fn external_strings(env: &Env) -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| match env.get_node_version() {
        Ok(v) => match v.major {
            18 => v.minor >= 18,
            20 => v.minor >= 4,
            19 => false,
            major => major > 20,
        },
        Err(_) => false,
    })
}

impl TypeName for AsciiText {
    fn type_name() -> &'static str {
        "String(latin1)"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ToNapiValue for AsciiText {
    unsafe fn to_napi_value(
        raw_env: napi::sys::napi_env,
        val: Self,
    ) -> napi::Result<napi::sys::napi_value> {
        let env = Env::from_raw(raw_env);
        // A small text is copied: an external string costs a finalizer at collection.
        if val.0.len() > SMALL_BODY && external_strings(&env) {
            let text = JsStringLatin1::from_data(&env, val.0)?;
            // SAFETY: this function's own contract (a valid env, on its thread).
            return unsafe { JsStringLatin1::to_napi_value(raw_env, text) };
        }
        // ASCII by construction: the check cannot fail.
        let text = String::from_utf8(val.0).map_err(|e| napi::Error::from_reason(e.to_string()))?;
        // SAFETY: as above.
        unsafe { Latin1String::to_napi_value(raw_env, Latin1String::from(text)) }
    }
}

/// Below this offset, a `Response` object's start fits with its end in one `f64`.
const PACKED_START_LIMIT: usize = 1 << 21;

/// Classifies a response for `JSON.parse` (`essbasic::response::classify_response_js`):
/// offsets into `body` and, when it had to be rewritten, the ASCII text. A success with no
/// big integer comes as one value, with nothing else to make: a number,
/// `start * 2^32 + end`, when its `Response` is ASCII bytes of `body`, else the rewritten
/// ASCII text itself (a string); the host reads `RequestId` from the parsed value. With
/// `spanned`, always the object (e.g. for the `RequestId` of an answer that `JSON.parse`
/// refused).
#[napi(js_name = "classifyResponseAt")]
pub fn classify_response_at(
    status: u32,
    body: &[u8],
    max_body_bytes: Option<f64>,
    spanned: Option<bool>,
) -> Either4<f64, AsciiText, ClassifiedSpan, ErrorResult> {
    let max = max_body(max_body_bytes);
    let status = u16::try_from(status).unwrap_or(0);
    let js = match essbasic::response::classify_response_js(status, body, max) {
        Ok(js) => js,
        Err(e) => return Either4::D(e.into()),
    };
    let (Ok(start), Ok(end)) = (u32::try_from(js.start), u32::try_from(js.end)) else {
        return Either4::D(too_large());
    };
    if spanned != Some(true) && !js.big_integers {
        match js.ascii {
            Some(ascii) => return Either4::B(AsciiText(ascii)),
            None if js.start < PACKED_START_LIMIT => {
                return Either4::A(f64::from(start) * 4_294_967_296.0 + f64::from(end))
            }
            None => {}
        }
    }
    Either4::C(ClassifiedSpan {
        start,
        end,
        request_id: js.request_id,
        big_integers: js.big_integers,
        ascii: js.ascii.map(AsciiText),
    })
}

fn too_large() -> ErrorResult {
    Error::Decode {
        message: "the body is larger than 4 GiB".to_owned(),
    }
    .into()
}

/// `length` random bytes from the operating system (`getrandom`): the Node platform's
/// nonces and trace ids, without loading `node:crypto` (about 2 MB of a process's memory).
#[napi(js_name = "randomBytes")]
pub fn random_bytes(length: u32) -> napi::Result<Buffer> {
    let mut bytes = vec![0u8; length as usize];
    getrandom::getrandom(&mut bytes).map_err(|e| napi::Error::from_reason(e.to_string()))?;
    Ok(bytes.into())
}

/// A bare TC3 signer for `POST /` requests of the essbasic service: the `Authorization`
/// header of a body, host and time (core's `essbasic::signing::tc3::Tc3Signer`, which
/// derives the signing key once per UTC day). The SecretKey never leaves the addon: the
/// object has no JavaScript-visible members.
#[napi]
pub struct Tc3Signer {
    inner: tc3::Tc3Signer,
}

#[napi]
impl Tc3Signer {
    /// A signer for one credential; both values must be non-empty strings.
    #[napi(constructor)]
    pub fn new(secret_id: String, secret_key: String) -> napi::Result<Self> {
        if secret_id.is_empty() || secret_key.is_empty() {
            return Err(napi::Error::new(
                napi::Status::InvalidArg,
                "Tc3Signer needs a non-empty secretId and secretKey",
            ));
        }
        Ok(Tc3Signer {
            inner: tc3::Tc3Signer::new(secret_id, secret_key),
        })
    }

    /// The `Authorization` header of `POST /` to `host` with `body` at `timestamp` (Unix
    /// seconds), `contentType` defaulting to `application/json`.
    #[napi]
    pub fn authorization(
        &self,
        body: Either<String, Uint8Array>,
        host: String,
        timestamp: f64,
        content_type: Option<String>,
    ) -> napi::Result<String> {
        if !timestamp.is_finite() || timestamp < 0.0 {
            return Err(napi::Error::new(
                napi::Status::InvalidArg,
                "timestamp must be Unix seconds",
            ));
        }
        let timestamp = timestamp as i64;
        let payload: &[u8] = match &body {
            Either::A(text) => text.as_bytes(),
            Either::B(bytes) => bytes,
        };
        let input = tc3::Tc3Input {
            method: "POST",
            host: &host,
            path: "/",
            query: "",
            content_type: content_type.as_deref().unwrap_or("application/json"),
            payload,
            unsigned_payload: false,
            service: SERVICE,
            timestamp,
        };
        Ok(self.inner.authorization(&input))
    }
}

/// The bytes of one HTTP/1.1 request (`essbasic::http1::encode_request`): request line,
/// `Host`, `headers` (`[name, value]` pairs), `Content-Length` and the body. `{ error }`
/// (a `transport` error, never sent) for a URL or header that could break the framing.
#[napi(js_name = "encodeRequest")]
pub fn encode_request(
    method: String,
    url: String,
    headers: Vec<Vec<String>>,
    body: Either<String, Uint8Array>,
) -> Either<Buffer, ErrorResult> {
    let mut pairs = Vec::with_capacity(headers.len());
    for pair in headers {
        let mut it = pair.into_iter();
        match (it.next(), it.next()) {
            (Some(name), Some(value)) => pairs.push((name, value)),
            _ => {
                return Either::B(
                    Error::Transport {
                        message: "a header is not a [name, value] pair".to_owned(),
                        not_sent: true,
                    }
                    .into(),
                )
            }
        }
    }
    let bytes: &[u8] = match &body {
        Either::A(text) => text.as_bytes(),
        Either::B(bytes) => bytes,
    };
    match essbasic::http1::encode_request(&method, &url, &pairs, bytes) {
        Ok(wire) => Either::A(wire.into()),
        Err(e) => Either::B(e.into()),
    }
}

/// `essbasic::http1::ResponseReader` for the socket transport: the host feeds the bytes it
/// reads; `feed` and `eof` answer 0 (need more), 1 (done) or 2 (too large: close the
/// connection) and throw on bytes that are not an HTTP/1.1 response.
#[napi]
pub struct HttpResponseReader {
    inner: http1::ResponseReader,
}

fn progress_code(p: Result<http1::Progress, Error>) -> napi::Result<u32> {
    match p {
        Ok(http1::Progress::NeedMore) => Ok(0),
        Ok(http1::Progress::Done) => Ok(1),
        Ok(http1::Progress::TooLarge) => Ok(2),
        Err(e) => Err(napi::Error::from_reason(e.to_string())),
    }
}

/// Bodies up to this size are copied into JavaScript memory rather than handed over.
const SMALL_BODY: usize = 64 * 1024;

fn body_limit(max_body_bytes: Option<f64>) -> Option<u64> {
    match max_body_bytes {
        // Saturating float-to-int conversion: huge values mean "no practical limit".
        Some(n) if n.is_finite() && n >= 0.0 => Some(n as u64),
        _ => Some(DEFAULT_MAX_BODY_BYTES as u64),
    }
}

#[napi]
impl HttpResponseReader {
    /// A reader for one response, at most `maxBodyBytes` of body (default 64 MiB).
    #[napi(constructor)]
    pub fn new(max_body_bytes: Option<f64>) -> Self {
        HttpResponseReader {
            inner: http1::ResponseReader::new(body_limit(max_body_bytes)),
        }
    }

    /// Starts over for the next response on the same connection.
    #[napi]
    pub fn reset(&mut self, max_body_bytes: Option<f64>) {
        self.inner = http1::ResponseReader::new(body_limit(max_body_bytes));
    }

    /// Feeds bytes read from the connection.
    #[napi]
    pub fn feed(&mut self, data: &[u8]) -> napi::Result<u32> {
        progress_code(self.inner.feed(data))
    }

    /// The peer closed the connection.
    #[napi]
    pub fn eof(&mut self) -> napi::Result<u32> {
        progress_code(self.inner.eof())
    }

    /// The status code plus 65,536 when the connection may carry another request: the two
    /// things every answer needs, in one call.
    #[napi]
    pub fn outcome(&self) -> u32 {
        u32::from(self.inner.status()) + (u32::from(self.inner.keep_alive()) << 16)
    }

    /// The `Response` text of a success with no big integer, ready for `JSON.parse` (ASCII:
    /// what `classifyResponseAt` answers with one value, without the body crossing as a
    /// `Buffer`; the reader lets go of the body); `null` for any other answer (then
    /// `takeBody` and `classifyResponseAt`).
    #[napi(js_name = "responseText")]
    pub fn response_text(&mut self, max_body_bytes: Option<f64>) -> Option<AsciiText> {
        let body = self.inner.body();
        let status = self.inner.status();
        let js = essbasic::response::classify_response_js(status, body, max_body(max_body_bytes))
            .ok()?;
        if js.big_integers {
            return None;
        }
        let text = match js.ascii {
            Some(ascii) => ascii,
            None => body.get(js.start..js.end)?.to_vec(),
        };
        // An idle connection keeps its reader: not the body of its last answer too.
        drop(self.inner.take_body());
        Some(AsciiText(text))
    }

    /// The status code (0 until the head is read).
    #[napi(getter)]
    pub fn status(&self) -> u32 {
        self.inner.status().into()
    }

    /// Whether any byte of an answer arrived.
    #[napi(getter)]
    pub fn received_any(&self) -> bool {
        self.inner.received_any()
    }

    /// Whether the connection may carry another request (once done).
    #[napi(getter)]
    pub fn keep_alive(&self) -> bool {
        self.inner.keep_alive()
    }

    /// The headers as an object, names lower-cased (repeated names joined with `, `).
    #[napi]
    pub fn headers(&self) -> std::collections::HashMap<String, String> {
        let mut out = std::collections::HashMap::with_capacity(self.inner.headers().len());
        for (name, value) in self.inner.headers() {
            out.entry(name.clone())
                .and_modify(|v: &mut String| {
                    v.push_str(", ");
                    v.push_str(value);
                })
                .or_insert_with(|| value.clone());
        }
        out
    }

    /// The body (all of it once done): a small one copied into a plain `Buffer` (cheaper
    /// than one with a finalizer), a large one handed over without a copy.
    #[napi(js_name = "takeBody")]
    pub fn take_body<'env>(&mut self, env: &'env Env) -> napi::Result<BufferSlice<'env>> {
        let body = self.inner.take_body();
        if body.len() <= SMALL_BODY {
            BufferSlice::copy_from(env, &body)
        } else {
            BufferSlice::from_data(env, body)
        }
    }

    /// One header's value (names lower-case), or `null`.
    #[napi]
    pub fn header(&self, name: String) -> Option<String> {
        self.inner.header(&name).map(str::to_owned)
    }
}

/// Builds a TC3 request for a remote signer, without the SecretKey (`essbasic::remote::
/// prepare`): `credential` is `{ secretId, token? }`. Returns `{ request (without
/// Authorization), canonicalRequest, stringToSign, timestamp, secretId }` or `{ error }`.
#[napi(js_name = "prepareRemote")]
pub fn prepare_remote(
    action: String,
    params_json: String,
    config: Option<Object>,
    credential: Object,
    timestamp: f64,
    nonce: f64,
    trace_id: Option<String>,
) -> Either<PreparedRemote, ErrorResult> {
    let prepared = (|| {
        let config = config_or_default(config.as_ref())?;
        let Some(secret_id) = credential_member(&credential, "secretId")? else {
            return Err(config_error("the credential needs a secretId".to_owned()));
        };
        let token = credential_member(&credential, "token")?;
        let stamp = stamp(timestamp, nonce, trace_id);
        essbasic::validate::lookup_action(&action)?;
        let params: serde_json::Value =
            serde_json::from_str(&params_json).map_err(|e| Error::Validation {
                action: action.clone(),
                path: String::new(),
                message: format!("parameters are not valid JSON: {e}"),
            })?;
        let prepared = remote::prepare(
            &action,
            &params,
            &config,
            &secret_id,
            token.as_deref(),
            &stamp,
        )?;
        Ok(PreparedRemote {
            request: BuiltRequest::from_core(prepared.request),
            canonical_request: prepared.canonical_request,
            string_to_sign: prepared.string_to_sign,
            timestamp: prepared.timestamp,
            secret_id,
        })
    })();
    match prepared {
        Ok(p) => Either::A(p),
        Err(e) => Either::B(e.into()),
    }
}

/// Completes a prepared request with the signer's hex signature: the request with its
/// `Authorization` header (`SignedHeaders=content-type;host;x-tc-action`), or `{ error }`.
#[napi(js_name = "finishRemote")]
pub fn finish_remote(prepared: Object, signature_hex: String) -> Either<BuiltRequest, ErrorResult> {
    let finished = (|| {
        let value = prepared.value();
        // SAFETY: `value` is a live object of this call's environment.
        let prepared = unsafe { PreparedRemote::from_napi_value(value.env, value.value) }
            .map_err(|e| config_error(format!("not a prepared request: {}", e.reason)))?;
        let valid =
            signature_hex.len() == 64 && signature_hex.bytes().all(|b| b.is_ascii_hexdigit());
        if !valid {
            return Err(config_error(
                "the remote signature is not 64 hexadecimal digits".to_owned(),
            ));
        }
        let scope = tc3::credential_scope(prepared.timestamp, essbasic::spec::SERVICE);
        let authorization = tc3::authorization(
            &prepared.secret_id,
            &scope,
            REMOTE_SIGNED_HEADERS,
            &signature_hex.to_ascii_lowercase(),
        );
        let mut request = prepared.request;
        request.headers.retain(|h| {
            !h.first()
                .is_some_and(|k| k.eq_ignore_ascii_case("Authorization"))
        });
        request
            .headers
            .insert(0, vec!["Authorization".to_owned(), authorization]);
        Ok(request)
    })();
    match finished {
        Ok(r) => Either::A(r),
        Err(e) => Either::B(e.into()),
    }
}

/// The server side of remote signing (`essbasic::remote::sign_remote`): checks the
/// canonical request (shape, host, action allow-list, ±300 s around `now`) and returns
/// `{ signature }` (hex) or `{ error }`. `allowedActions` absent or `null`: every action.
#[napi(js_name = "signRemote")]
pub fn sign_remote(
    secret_key: String,
    canonical_request: String,
    timestamp: f64,
    now: f64,
    allowed_actions: Option<Vec<String>>,
) -> Either<RemoteSignature, ErrorResult> {
    let allowed: Option<Vec<&str>> = allowed_actions
        .as_ref()
        .map(|list| list.iter().map(String::as_str).collect());
    match remote::sign_remote(
        &secret_key,
        &canonical_request,
        timestamp as i64,
        now as i64,
        allowed.as_deref(),
    ) {
        Ok(signature) => Either::A(RemoteSignature { signature }),
        Err(e) => Either::B(e.into()),
    }
}

/// A whole, non-negative number that fits `max`, from an optional member; `Err` for a
/// member of another type or value.
fn whole(obj: &Object, key: &str, max: f64) -> Result<Option<f64>, ()> {
    match opt::<f64>(obj, key) {
        Ok(None) => Ok(None),
        Ok(Some(n)) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= max => Ok(Some(n)),
        _ => Err(()),
    }
}

/// Core's retry decision (`essbasic::retry::decide_parts`) after attempt `attempt`
/// (1-based) of `action` failed with `error` (`{ kind, code, status?, notSent? }`),
/// `elapsedMs` after the first attempt started; `jitter` is a random number in `[0, 1)`
/// from the host; `policy` is `{ maxAttempts?, baseDelayMs?, maxDelayMs?, deadlineMs? }`
/// (a missing member is core's default). Returns the backoff in milliseconds, or `null` to
/// give up (also for an unknown action or kind, or bad input).
#[napi(js_name = "retryDecision")]
pub fn retry_decision(
    action: String,
    attempt: f64,
    error: Object,
    elapsed_ms: f64,
    jitter: f64,
    policy: Option<Object>,
) -> Option<f64> {
    let defaults = retry::RetryPolicy::default();
    let policy = match &policy {
        None => defaults,
        Some(p) => {
            let u32_max = f64::from(u32::MAX);
            // Whole milliseconds up to 2^53: exact as a JS number.
            let ms_max = 9_007_199_254_740_991.0;
            retry::RetryPolicy {
                max_attempts: whole(p, "maxAttempts", u32_max)
                    .ok()?
                    .map_or(defaults.max_attempts, |n| n as u32),
                base_delay_ms: whole(p, "baseDelayMs", ms_max)
                    .ok()?
                    .map_or(defaults.base_delay_ms, |n| n as u64),
                max_delay_ms: whole(p, "maxDelayMs", ms_max)
                    .ok()?
                    .map_or(defaults.max_delay_ms, |n| n as u64),
                deadline_ms: whole(p, "deadlineMs", ms_max)
                    .ok()?
                    .map_or(defaults.deadline_ms, |n| n as u64),
            }
        }
    };
    let kind = opt::<String>(&error, "kind").ok()??;
    let code = opt::<String>(&error, "code").ok()?.unwrap_or_default();
    let status = opt::<f64>(&error, "status").ok()?.unwrap_or(0.0);
    let not_sent = opt::<bool>(&error, "notSent").ok()?.unwrap_or(false);
    if !(attempt.is_finite() && attempt >= 1.0) {
        return None;
    }
    retry::decide_parts(
        &policy,
        // Saturating conversions: the host passes whole numbers in range.
        attempt as u32,
        &action,
        &kind,
        &code,
        u16::try_from(status as u32).unwrap_or(0),
        not_sent,
        elapsed_ms.max(0.0) as u64,
        jitter,
    )
    .map(|ms| ms as f64)
}

/// The server's clock minus the local one, in seconds (`essbasic::retry::clock_offset`),
/// from an HTTP `Date` header, to re-sign once after `AuthFailure.SignatureExpire`; `null`
/// when the header is not an IMF-fixdate.
#[napi(js_name = "clockOffset")]
pub fn clock_offset(date_header: String, local_now: f64) -> Option<f64> {
    retry::clock_offset(&date_header, local_now as i64).map(|s| s as f64)
}

/// The credentials of one profile of a credentials file.
#[napi(object)]
pub struct ProfileCredential {
    /// `secret_id`.
    pub secret_id: String,
    /// `secret_key`.
    pub secret_key: String,
    /// `token`, for temporary credentials.
    pub token: Option<String>,
}

/// Parses the text of a credentials profile file (`~/.tencentcloud/credentials`; the host
/// reads the file) with core's `essbasic::profile::parse_profile`: profile `name`'s
/// `{ secretId, secretKey, token? }`, `null` when the file has no such profile, or
/// `{ error }` (kind `signing`, naming the profile, never a value) when it is incomplete.
#[napi(js_name = "parseProfile")]
pub fn parse_profile(text: String, name: String) -> Option<Either<ProfileCredential, ErrorResult>> {
    match essbasic::profile::parse_profile(&text, &name) {
        Ok(None) => None,
        Ok(Some(creds)) => Some(Either::A(ProfileCredential {
            secret_id: creds.secret_id().to_owned(),
            secret_key: creds.secret_key().to_owned(),
            token: creds.token().map(str::to_owned),
        })),
        Err(e) => Some(Either::B(e.into())),
    }
}

/// The largest logged body when `redactBody` gets no usable `maxBytes`.
const DEFAULT_LOG_BYTES: usize = 4096;

/// A request or response body made safe to log (`essbasic::redact::body_for_log`): secrets
/// removed, personal data masked, cut to `maxBytes` (default 4096). `body` is the text or
/// its UTF-8 bytes.
#[napi(js_name = "redactBody")]
pub fn redact_body(body: Either<String, Uint8Array>, max_bytes: Option<f64>) -> String {
    let max = match max_bytes {
        // Saturating float-to-int conversion: huge values mean "no practical limit".
        Some(n) if n.is_finite() && n >= 0.0 => n as usize,
        _ => DEFAULT_LOG_BYTES,
    };
    match &body {
        Either::A(text) => essbasic::redact::body_for_log(text.as_bytes(), max),
        Either::B(bytes) => essbasic::redact::body_for_log(bytes, max),
    }
}

/// Conformance only: computes what core's signing functions produce for one
/// `kind: "signing"` vector case (JSON text in, JSON text out; see [`vector`]).
#[napi(js_name = "signVector")]
pub fn sign_vector(case_json: String) -> String {
    essbasic::conformance::sign_vector(&case_json)
}

// --- the helpers beyond one request (`features`, shared with the wasm module) ----------

/// `features::callback_open` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "callbackOpen")]
pub fn callback_open(
    body: Uint8Array,
    key: Option<String>,
    token: Option<String>,
    signature: Option<String>,
) -> String {
    features::callback_open(
        &body,
        key.as_deref(),
        token.as_deref(),
        signature.as_deref(),
    )
}

/// `features::callback_seal` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "callbackSeal")]
pub fn callback_seal(envelope: Uint8Array, key: Option<String>, token: Option<String>) -> String {
    features::callback_seal(&envelope, key.as_deref(), token.as_deref())
}

/// `features::encryption_check_keys` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "encryptionCheckKeys")]
pub fn encryption_check_keys(
    algorithm: String,
    cipher_key: Uint8Array,
    hmac_key: Uint8Array,
) -> String {
    features::encryption_check_keys(&algorithm, &cipher_key, &hmac_key)
}

/// `features::encryption_seal` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "encryptionSeal")]
pub fn encryption_seal(
    plain: Uint8Array,
    algorithm: String,
    cipher_key: Uint8Array,
    hmac_key: Uint8Array,
    iv: Uint8Array,
) -> String {
    features::encryption_seal(&plain, &algorithm, &cipher_key, &hmac_key, &iv)
}

/// `features::encryption_open` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "encryptionOpen")]
pub fn encryption_open(
    envelope_json: String,
    algorithm: String,
    cipher_key: Uint8Array,
    hmac_key: Uint8Array,
) -> String {
    features::encryption_open(&envelope_json, &algorithm, &cipher_key, &hmac_key)
}

/// `features::encryption_build_params` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[allow(clippy::too_many_arguments)]
#[napi(js_name = "encryptionBuildParams")]
pub fn encryption_build_params(
    request_action: String,
    application_id: String,
    params_json: String,
    algorithm: String,
    cipher_key: Uint8Array,
    hmac_key: Uint8Array,
    iv: Uint8Array,
) -> String {
    features::encryption_build_params(
        &request_action,
        &application_id,
        &params_json,
        &algorithm,
        &cipher_key,
        &hmac_key,
        &iv,
    )
}

/// `features::encryption_open_response` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "encryptionOpenResponse")]
pub fn encryption_open_response(
    response_json: String,
    algorithm: String,
    cipher_key: Uint8Array,
    hmac_key: Uint8Array,
) -> String {
    features::encryption_open_response(&response_json, &algorithm, &cipher_key, &hmac_key)
}

/// `features::upload_precheck` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "uploadPrecheck")]
pub fn upload_precheck(files_json: String, heads: Uint8Array, business_type: String) -> String {
    features::upload_precheck(&files_json, &heads, &business_type)
}

/// `features::upload_limits` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "uploadLimits")]
pub fn upload_limits() -> String {
    features::upload_limits()
}

/// `features::upload_prepare` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "uploadPrepare")]
pub fn upload_prepare(
    names_json: String,
    sizes_json: String,
    data: Uint8Array,
    business_type: String,
) -> String {
    features::upload_prepare(&names_json, &sizes_json, &data, &business_type)
}

/// `features::upload_file_name` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "uploadFileName")]
pub fn upload_file_name(path: String) -> String {
    features::upload_file_name(&path)
}

/// `features::wait_task` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "waitTask")]
pub fn wait_task(kind: String) -> String {
    features::wait_task(&kind)
}

/// `features::wait_poll_params` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "waitPollParams")]
pub fn wait_poll_params(kind: String, base_json: String, task_id: String) -> String {
    features::wait_poll_params(&kind, &base_json, &task_id)
}

/// `features::wait_classify` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "waitClassify")]
pub fn wait_classify(kind: String, response_json: String, task_id: String) -> String {
    features::wait_classify(&kind, &response_json, &task_id)
}

/// `features::wait_policy` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "waitPolicy")]
pub fn wait_policy() -> String {
    features::wait_policy()
}

/// `features::wait_decide` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "waitDecide")]
pub fn wait_decide(policy_json: String, attempt: f64, elapsed_ms: f64) -> String {
    features::wait_decide(&policy_json, attempt, elapsed_ms)
}

/// `features::page_info` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "pageInfo")]
pub fn page_info(action: String) -> String {
    features::page_info(&action)
}

/// `features::page_first` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "pageFirst")]
pub fn page_first(action: String, params_json: String) -> String {
    features::page_first(&action, &params_json)
}

/// `features::page_next` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[napi(js_name = "pageNext")]
pub fn page_next(action: String, params_json: String, response_json: String) -> String {
    features::page_next(&action, &params_json, &response_json)
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
    fn classify_response_at_gives_the_span_or_the_ascii_text() {
        let body = "{\"Response\":{\"T\":\"中\",\"RequestId\":\"r\"}}".as_bytes();
        let Either4::C(span) = classify_response_at(200, body, None, Some(true)) else {
            panic!("expected the span")
        };
        assert_eq!((span.start, span.end as usize), (12, body.len() - 1));
        assert!(!span.big_integers);
        assert_eq!(span.request_id.as_deref(), Some("r"));
        assert_eq!(span.ascii.unwrap().0, br#"{"T":"\u4e2d","RequestId":"r"}"#);
        // One value: the rewritten text, or where the ASCII text is.
        let Either4::B(text) = classify_response_at(200, body, None, None) else {
            panic!("expected the text")
        };
        assert_eq!(text.0, br#"{"T":"\u4e2d","RequestId":"r"}"#);
        let ascii = br#" {"Response":{"T":"x","RequestId":"r"}}"#;
        let Either4::A(packed) = classify_response_at(200, ascii, None, None) else {
            panic!("expected the place")
        };
        assert_eq!(packed, 13.0 * 4_294_967_296.0 + (ascii.len() - 1) as f64);
        // Big integers: always the span, quoted.
        let body = br#"{"Response":{"N":9007199254740993,"RequestId":"r"}}"#;
        let Either4::C(span) = classify_response_at(200, body, None, None) else {
            panic!("expected the span")
        };
        assert!(span.big_integers);
        assert_eq!(
            span.ascii.unwrap().0,
            br#"{"N":"\u0000bigint:9007199254740993","RequestId":"r"}"#
        );
        let Either4::D(err) = classify_response_at(500, b"x", None, None) else {
            panic!("expected an error")
        };
        assert_eq!(err.error.kind, "http");
    }

    #[test]
    fn the_reader_gives_a_success_as_its_response_text() {
        let answer = |body: &str| {
            let mut r = HttpResponseReader::new(None);
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
            r.feed(head.as_bytes()).unwrap();
            assert_eq!(r.feed(body.as_bytes()).unwrap(), 1);
            r
        };
        let mut r = answer(r#"{"Response":{"T":"x","RequestId":"r"}}"#);
        assert_eq!(r.outcome(), 200 + 65_536);
        assert_eq!(
            r.response_text(None).unwrap().0,
            br#"{"T":"x","RequestId":"r"}"#
        );
        // The reader lets go of the body it gave as text.
        assert!(r.inner.body().is_empty());
        let mut r = answer("{\"Response\":{\"T\":\"中\"}}");
        assert_eq!(r.response_text(None).unwrap().0, br#"{"T":"\u4e2d"}"#);
        // Anything else is for takeBody and classifyResponseAt: the body stays.
        for body in [
            r#"{"Response":{"N":9007199254740993}}"#,
            r#"{"Response":{"Error":{"Code":"C","Message":"m"},"RequestId":"r"}}"#,
            "not JSON",
        ] {
            let mut r = answer(body);
            assert!(r.response_text(None).is_none(), "{body}");
            assert_eq!(r.inner.body(), body.as_bytes());
        }
        assert!(answer(r#"{"Response":{"T":"x"}}"#)
            .response_text(Some(4.0))
            .is_none());
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
