//! The WebAssembly binding of the essbasic core (`wasm-bindgen`).
//!
//! It only converts and forwards: JS values in, core calls, plain JS objects out. Nothing
//! here reads a clock, an RNG or the network: the timestamp, the nonce and the trace id come
//! from JavaScript (`Date.now`, `crypto.getRandomValues`, `crypto.randomUUID`), and the
//! JavaScript façade sends the request with `fetch`. The module therefore has no `env`
//! imports. No function throws across the boundary: failures come back as
//! `{ error: { kind, code, message, action?, path?, requestId?, status? } }`, and no error
//! ever holds the SecretKey or the token.
//!
//! The exports (the adapter contract shared with the napi addon):
//! `buildRequest`, `classifyResponse`, `prepareRemote`, `finishRemote`, `signRemote`,
//! `retryDecision`, `clockOffset`, `parseProfile`, `redactBody`, `signVector`, the class
//! `Tc3Signer`, and the helpers of [`features`] (callbacks, encryption, uploads, waiters,
//! pagination: JSON text `{ok}` / `{error}`), whose source the napi addon includes too.

use essbasic::remote::{self, REMOTE_SIGNED_HEADERS};
use essbasic::retry;
use essbasic::signing::{tc3, SignMethod};
use essbasic::{Config, Credentials, Error, HttpMethod, HttpRequest, Stamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;

mod features;
// One implementation of the signing-vector glue for both adapters.

/// The `config` object of the adapter contract (camelCase; unknown members are ignored).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct JsConfig {
    region: Option<String>,
    language: Option<String>,
    endpoint: Option<String>,
    file_endpoint: Option<String>,
    test_environment: Option<bool>,
    sign_method: Option<String>,
    http_method: Option<String>,
    unsigned_payload: Option<bool>,
    strict: Option<bool>,
    request_client: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsError {
    kind: &'static str,
    code: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
}

#[derive(Serialize)]
struct ErrorResult {
    error: JsError,
}

#[derive(Serialize, Deserialize)]
struct JsRequest {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsResponse<'a> {
    raw: &'a str,
    request_id: Option<String>,
    big_raw: Option<String>,
}

/// What `prepareRemote` returns and `finishRemote` takes back.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsPrepared {
    request: JsRequest,
    canonical_request: String,
    string_to_sign: String,
    timestamp: i64,
    secret_id: String,
}

impl JsRequest {
    fn from_core(req: HttpRequest) -> Self {
        JsRequest {
            method: req.method.to_owned(),
            url: req.url,
            headers: req.headers,
            body: String::from_utf8_lossy(&req.body).into_owned(),
        }
    }
}

fn js_error(err: &Error) -> JsError {
    let mut out = JsError {
        kind: err.kind(),
        code: err.code().to_owned(),
        message: err.to_string(),
        action: None,
        path: None,
        request_id: err.request_id().map(str::to_owned),
        status: None,
    };
    match err {
        Error::Validation { action, path, .. } => {
            out.action = Some(action.clone());
            out.path = Some(path.clone());
        }
        Error::Api { message, .. } => out.message = message.clone(),
        Error::Http { status, .. } => out.status = Some(*status),
        _ => {}
    }
    out
}

/// Plain objects, `null` for `None`.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    value.serialize(&serializer).unwrap_or_else(|e| {
        // Only reachable on a serializer bug; keep the no-throw promise.
        JsValue::from_str(&format!("essbasic-wasm: cannot convert the result: {e}"))
    })
}

fn result_to_js<T: Serialize>(result: Result<T, Error>) -> JsValue {
    match result {
        Ok(value) => to_js(&value),
        Err(err) => to_js(&ErrorResult {
            error: js_error(&err),
        }),
    }
}

fn config_error(message: String) -> Error {
    Error::Signing { message }
}

fn config_from_js(value: JsValue) -> Result<Config, Error> {
    let js: JsConfig = if value.is_undefined() || value.is_null() {
        JsConfig::default()
    } else {
        serde_wasm_bindgen::from_value(value)
            .map_err(|e| config_error(format!("invalid configuration: {e}")))?
    };
    let mut config = Config {
        region: js.region,
        language: js.language,
        endpoint: js.endpoint,
        file_endpoint: js.file_endpoint,
        test_environment: js.test_environment.unwrap_or(false),
        unsigned_payload: js.unsigned_payload.unwrap_or(false),
        strict: js.strict.unwrap_or(false),
        ..Config::default()
    };
    if let Some(method) = js.sign_method.filter(|m| !m.is_empty()) {
        config.sign_method = method.parse::<SignMethod>()?;
    }
    match js.http_method.as_deref() {
        None | Some("") => {}
        Some(m) if m.eq_ignore_ascii_case("POST") => config.http_method = HttpMethod::Post,
        Some(m) if m.eq_ignore_ascii_case("GET") => config.http_method = HttpMethod::Get,
        Some(m) => return Err(config_error(format!("unsupported HTTP method {m:?}"))),
    }
    if let Some(client) = js.request_client {
        config.request_client = (!client.is_empty()).then_some(client);
    }
    Ok(config)
}

/// A string member of a JS object: `undefined`, `null` and `""` are `None`; a member of
/// another type is an error that names the member, never its value.
fn string_member(obj: &JsValue, key: &str) -> Result<Option<String>, Error> {
    let bad = || config_error(format!("the credential's {key} must be a string"));
    if !obj.is_object() {
        return Err(config_error(
            "the credential must be an object { secretId, secretKey, token? }".to_owned(),
        ));
    }
    let value = js_sys::Reflect::get(obj, &JsValue::from_str(key)).map_err(|_| bad())?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    Ok(Some(value.as_string().ok_or_else(bad)?).filter(|s| !s.is_empty()))
}

/// `{ secretId, secretKey, token? }` → `Credentials` (both secretId and secretKey needed).
fn credentials_from_js(credential: &JsValue) -> Result<Credentials, Error> {
    let id = string_member(credential, "secretId")?;
    let key = string_member(credential, "secretKey")?;
    let (Some(id), Some(key)) = (id, key) else {
        return Err(config_error(
            "the credential needs a secretId and a secretKey".to_owned(),
        ));
    };
    let creds = Credentials::new(id, key);
    Ok(match string_member(credential, "token")? {
        Some(token) => creds.with_token(token),
        None => creds,
    })
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

fn parse_params(action: &str, params_json: &str) -> Result<Value, Error> {
    essbasic::validate::lookup_action(action)?;
    serde_json::from_str(params_json).map_err(|e| Error::Validation {
        action: action.to_owned(),
        path: String::new(),
        message: format!("parameters are not valid JSON: {e}"),
    })
}

/// Validates, builds and signs a request: `{ method, url, headers: [name, value][], body }`
/// or `{ error }`.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(
    action: &str,
    params_json: &str,
    config: JsValue,
    credential: JsValue,
    timestamp: f64,
    nonce: f64,
    trace_id: Option<String>,
) -> JsValue {
    result_to_js((|| {
        let config = config_from_js(config)?;
        let creds = credentials_from_js(&credential)?;
        let stamp = stamp(timestamp, nonce, trace_id);
        let req =
            essbasic::build_request_json(action, params_json.as_bytes(), &config, &creds, &stamp)?;
        Ok(JsRequest::from_core(req))
    })())
}

/// Classifies a response: `{ raw, requestId, bigRaw }` (`bigRaw`: `raw` with every integer
/// beyond 2^53 quoted, or `null` when there is none) or `{ error }`.
#[wasm_bindgen(js_name = classifyResponse)]
pub fn classify_response(status: u16, body: &[u8], max_body_bytes: f64) -> JsValue {
    // Not a positive number: core's default (64 MiB), as in the native addon.
    let max = if max_body_bytes.is_finite() && max_body_bytes > 0.0 {
        max_body_bytes as usize
    } else {
        essbasic::response::DEFAULT_MAX_BODY_BYTES
    };
    result_to_js(
        essbasic::classify_response(status, body, max).map(|view| JsResponse {
            raw: view.raw,
            request_id: view.request_id,
            big_raw: if view.big_integers {
                essbasic::bigint::quote_big_integers(view.raw)
            } else {
                None
            },
        }),
    )
}

/// Builds a TC3 request for a remote signer (no SecretKey here): `{ request (without
/// Authorization), canonicalRequest, stringToSign, timestamp, secretId }` or `{ error }`.
#[wasm_bindgen(js_name = prepareRemote)]
pub fn prepare_remote(
    action: &str,
    params_json: &str,
    config: JsValue,
    credential: JsValue,
    timestamp: f64,
    nonce: f64,
    trace_id: Option<String>,
) -> JsValue {
    result_to_js((|| {
        let config = config_from_js(config)?;
        let Some(secret_id) = string_member(&credential, "secretId")? else {
            return Err(config_error("the credential needs a secretId".to_owned()));
        };
        let token = string_member(&credential, "token")?;
        let stamp = stamp(timestamp, nonce, trace_id);
        let params = parse_params(action, params_json)?;
        let prepared = remote::prepare(
            action,
            &params,
            &config,
            &secret_id,
            token.as_deref(),
            &stamp,
        )?;
        Ok(JsPrepared {
            request: JsRequest::from_core(prepared.request),
            canonical_request: prepared.canonical_request,
            string_to_sign: prepared.string_to_sign,
            timestamp: prepared.timestamp,
            secret_id,
        })
    })())
}

/// Completes a prepared request with the signer's hex signature: the request, or `{ error }`.
#[wasm_bindgen(js_name = finishRemote)]
pub fn finish_remote(prepared: JsValue, signature_hex: &str) -> JsValue {
    result_to_js((|| {
        let prepared: JsPrepared = serde_wasm_bindgen::from_value(prepared)
            .map_err(|e| config_error(format!("not a prepared request: {e}")))?;
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
        request
            .headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case("Authorization"));
        request
            .headers
            .insert(0, ("Authorization".to_owned(), authorization));
        Ok(request)
    })())
}

/// The server side of remote signing (for a Deno, Bun or edge-runtime server; never ship a
/// SecretKey to a browser): checks the canonical request (shape, host, action allow-list,
/// ±300 s around `now`) and returns `{ signature }` (hex) or `{ error }`.
#[wasm_bindgen(js_name = signRemote)]
pub fn sign_remote(
    secret_key: &str,
    canonical_request: &str,
    timestamp: f64,
    now: f64,
    allowed_actions: Option<Vec<String>>,
) -> JsValue {
    #[derive(Serialize)]
    struct Signed {
        signature: String,
    }
    let allowed: Option<Vec<&str>> = allowed_actions
        .as_ref()
        .map(|list| list.iter().map(String::as_str).collect());
    result_to_js(
        remote::sign_remote(
            secret_key,
            canonical_request,
            timestamp as i64,
            now as i64,
            allowed.as_deref(),
        )
        .map(|signature| Signed { signature }),
    )
}

/// The error a retry decision looks at: `{ kind, code, status?, notSent? }`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct JsRetryError {
    kind: String,
    code: String,
    status: Option<u16>,
    not_sent: bool,
}

/// `{ maxAttempts?, baseDelayMs?, maxDelayMs?, deadlineMs? }`; a missing member is core's
/// default.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct JsRetryPolicy {
    max_attempts: Option<u32>,
    base_delay_ms: Option<u64>,
    max_delay_ms: Option<u64>,
    deadline_ms: Option<u64>,
}

/// Core's retry decision after attempt `attempt` (1-based) of `action` failed with `error`
/// (`{ kind, code, status?, notSent? }`), `elapsedMs` after the first attempt started;
/// `jitter` is a random number in `[0, 1)` from the host. Returns the backoff in
/// milliseconds, or `null` to give up (also for an unknown action, kind or bad input).
#[wasm_bindgen(js_name = retryDecision)]
pub fn retry_decision(
    action: &str,
    attempt: u32,
    error: JsValue,
    elapsed_ms: f64,
    jitter: f64,
    policy: JsValue,
) -> JsValue {
    let Ok(error) = serde_wasm_bindgen::from_value::<JsRetryError>(error) else {
        return JsValue::NULL;
    };
    let js: JsRetryPolicy = if policy.is_undefined() || policy.is_null() {
        JsRetryPolicy::default()
    } else {
        match serde_wasm_bindgen::from_value(policy) {
            Ok(p) => p,
            Err(_) => return JsValue::NULL,
        }
    };
    let defaults = retry::RetryPolicy::default();
    let policy = retry::RetryPolicy {
        max_attempts: js.max_attempts.unwrap_or(defaults.max_attempts),
        base_delay_ms: js.base_delay_ms.unwrap_or(defaults.base_delay_ms),
        max_delay_ms: js.max_delay_ms.unwrap_or(defaults.max_delay_ms),
        deadline_ms: js.deadline_ms.unwrap_or(defaults.deadline_ms),
    };
    retry::decide_parts(
        &policy,
        attempt,
        action,
        &error.kind,
        &error.code,
        error.status.unwrap_or(0),
        error.not_sent,
        elapsed_ms as u64,
        jitter,
    )
    .map_or(JsValue::NULL, |ms| JsValue::from_f64(ms as f64))
}

/// The server's clock minus the local one, in seconds, from an HTTP `Date` header (to
/// re-sign once after `AuthFailure.SignatureExpire`); `null` when it is not an IMF-fixdate.
#[wasm_bindgen(js_name = clockOffset)]
pub fn clock_offset(date_header: &str, local_now: f64) -> JsValue {
    retry::clock_offset(date_header, local_now as i64)
        .map_or(JsValue::NULL, |s| JsValue::from_f64(s as f64))
}

/// Parses the text of a credentials profile file (`~/.tencentcloud/credentials`; the host
/// reads the file) with core's `essbasic::profile::parse_profile`: profile `name`'s
/// `{ secretId, secretKey, token? }`, `null` when the file has no such profile, or
/// `{ error }` (kind `signing`, naming the profile, never a value) when it is incomplete.
#[wasm_bindgen(js_name = parseProfile)]
pub fn parse_profile(text: &str, name: &str) -> JsValue {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct JsProfile {
        secret_id: String,
        secret_key: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        token: Option<String>,
    }
    match essbasic::profile::parse_profile(text, name) {
        Ok(None) => JsValue::NULL,
        Ok(Some(creds)) => to_js(&JsProfile {
            secret_id: creds.secret_id().to_owned(),
            secret_key: creds.secret_key().to_owned(),
            token: creds.token().map(str::to_owned),
        }),
        Err(err) => to_js(&ErrorResult {
            error: js_error(&err),
        }),
    }
}

/// The largest logged body when `redactBody` gets no usable `maxBytes`.
const DEFAULT_LOG_BYTES: usize = 4096;

/// A request or response body (UTF-8 bytes) made safe to log
/// (`essbasic::redact::body_for_log`): secrets removed, personal data masked, cut to
/// `maxBytes` (default 4096 when it is not a non-negative number).
#[wasm_bindgen(js_name = redactBody)]
pub fn redact_body(body: &[u8], max_bytes: f64) -> String {
    let max = if max_bytes.is_finite() && max_bytes >= 0.0 {
        max_bytes as usize
    } else {
        DEFAULT_LOG_BYTES
    };
    essbasic::redact::body_for_log(body, max)
}

/// One `kind: "signing"` conformance case (JSON text) → the computed values (JSON text);
/// see [`vector`] for the format.
#[wasm_bindgen(js_name = signVector)]
pub fn sign_vector(case_json: &str) -> String {
    essbasic::conformance::sign_vector(case_json)
}

// --- the helpers beyond one request (`features`, shared with the napi addon) ----------

/// `features::callback_open` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = callbackOpen)]
pub fn callback_open(
    body: &[u8],
    key: Option<String>,
    token: Option<String>,
    signature: Option<String>,
) -> String {
    features::callback_open(body, key.as_deref(), token.as_deref(), signature.as_deref())
}

/// `features::callback_seal` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = callbackSeal)]
pub fn callback_seal(envelope: &[u8], key: Option<String>, token: Option<String>) -> String {
    features::callback_seal(envelope, key.as_deref(), token.as_deref())
}

/// `features::encryption_check_keys` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = encryptionCheckKeys)]
pub fn encryption_check_keys(algorithm: &str, cipher_key: &[u8], hmac_key: &[u8]) -> String {
    features::encryption_check_keys(algorithm, cipher_key, hmac_key)
}

/// `features::encryption_seal` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = encryptionSeal)]
pub fn encryption_seal(
    plain: &[u8],
    algorithm: &str,
    cipher_key: &[u8],
    hmac_key: &[u8],
    iv: &[u8],
) -> String {
    features::encryption_seal(plain, algorithm, cipher_key, hmac_key, iv)
}

/// `features::encryption_open` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = encryptionOpen)]
pub fn encryption_open(
    envelope_json: &str,
    algorithm: &str,
    cipher_key: &[u8],
    hmac_key: &[u8],
) -> String {
    features::encryption_open(envelope_json, algorithm, cipher_key, hmac_key)
}

/// `features::encryption_build_params` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = encryptionBuildParams)]
pub fn encryption_build_params(
    request_action: &str,
    application_id: &str,
    params_json: &str,
    algorithm: &str,
    cipher_key: &[u8],
    hmac_key: &[u8],
    iv: &[u8],
) -> String {
    features::encryption_build_params(
        request_action,
        application_id,
        params_json,
        algorithm,
        cipher_key,
        hmac_key,
        iv,
    )
}

/// `features::encryption_open_response` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = encryptionOpenResponse)]
pub fn encryption_open_response(
    response_json: &str,
    algorithm: &str,
    cipher_key: &[u8],
    hmac_key: &[u8],
) -> String {
    features::encryption_open_response(response_json, algorithm, cipher_key, hmac_key)
}

/// `features::upload_precheck` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = uploadPrecheck)]
pub fn upload_precheck(files_json: &str, heads: &[u8], business_type: &str) -> String {
    features::upload_precheck(files_json, heads, business_type)
}

/// `features::upload_limits` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = uploadLimits)]
pub fn upload_limits() -> String {
    features::upload_limits()
}

/// `features::upload_prepare` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = uploadPrepare)]
pub fn upload_prepare(
    names_json: &str,
    sizes_json: &str,
    data: &[u8],
    business_type: &str,
) -> String {
    features::upload_prepare(names_json, sizes_json, data, business_type)
}

/// `features::upload_file_name` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = uploadFileName)]
pub fn upload_file_name(path: &str) -> String {
    features::upload_file_name(path)
}

/// `features::wait_task` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = waitTask)]
pub fn wait_task(kind: &str) -> String {
    features::wait_task(kind)
}

/// `features::wait_poll_params` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = waitPollParams)]
pub fn wait_poll_params(kind: &str, base_json: &str, task_id: &str) -> String {
    features::wait_poll_params(kind, base_json, task_id)
}

/// `features::wait_classify` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = waitClassify)]
pub fn wait_classify(kind: &str, response_json: &str, task_id: &str) -> String {
    features::wait_classify(kind, response_json, task_id)
}

/// `features::wait_policy` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = waitPolicy)]
pub fn wait_policy() -> String {
    features::wait_policy()
}

/// `features::wait_decide` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = waitDecide)]
pub fn wait_decide(policy_json: &str, attempt: f64, elapsed_ms: f64) -> String {
    features::wait_decide(policy_json, attempt, elapsed_ms)
}

/// `features::page_info` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = pageInfo)]
pub fn page_info(action: &str) -> String {
    features::page_info(action)
}

/// `features::page_first` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = pageFirst)]
pub fn page_first(action: &str, params_json: &str) -> String {
    features::page_first(action, params_json)
}

/// `features::page_next` (JSON text: `{"ok": ...}` or `{"error": ...}`).
#[wasm_bindgen(js_name = pageNext)]
pub fn page_next(action: &str, params_json: &str, response_json: &str) -> String {
    features::page_next(action, params_json, response_json)
}

/// A bare TC3 signer for `POST /` requests of the essbasic service (core's
/// `essbasic::signing::tc3::Tc3Signer`: the signing key derived once per UTC day). The
/// credential stays in the module's memory: the JavaScript object holds only a handle.
/// The façade's `Tc3Signer` class checks the arguments before they get here.
#[wasm_bindgen]
pub struct Tc3Signer {
    inner: tc3::Tc3Signer,
}

#[wasm_bindgen]
impl Tc3Signer {
    /// A signer for one credential.
    #[wasm_bindgen(constructor)]
    pub fn new(secret_id: String, secret_key: String) -> Tc3Signer {
        Tc3Signer {
            inner: tc3::Tc3Signer::new(secret_id, secret_key),
        }
    }

    /// The `Authorization` header of `POST /` to `host` with exactly `body` at `timestamp`
    /// (whole Unix seconds); `undefined` for a timestamp that is not one.
    pub fn authorization(
        &self,
        body: &[u8],
        host: &str,
        timestamp: f64,
        content_type: &str,
    ) -> Option<String> {
        if !(timestamp.is_finite() && timestamp >= 0.0 && timestamp.fract() == 0.0) {
            return None;
        }
        let input = tc3::Tc3Input {
            method: "POST",
            host,
            path: "/",
            query: "",
            content_type,
            payload: body,
            unsigned_payload: false,
            service: essbasic::spec::SERVICE,
            timestamp: timestamp as i64,
        };
        Some(self.inner.authorization(&input))
    }
}
