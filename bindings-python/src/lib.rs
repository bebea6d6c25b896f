//! `essbasic._core`: the Python extension module of essbasic.
//!
//! It only converts and forwards to the Rust core (`essbasic`): build a signed request,
//! classify a response, decide a retry, compute the signing stages of a conformance vector,
//! and (in `features`) redact a body for a log, parse a credentials profile, open a callback,
//! seal or open an encrypted envelope, prepare an upload, read a task's progress and step
//! through pages. The pure-Python façade (`essbasic`) owns the clock, the randomness, the
//! files, the HTTP and the JSON tree; the core calls run with the GIL released. Errors are raised as the classes of `essbasic.errors`,
//! whose messages never hold a secret.

use std::borrow::Cow;

mod fast;
mod features;
mod http;
mod pyde;

use essbasic::signing::SignMethod;
use essbasic::{Config, Credentials, HttpMethod, Stamp};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

/// The request `build_request` returns: method, URL, headers and body.
pub(crate) type Built<'py> = (
    &'static str,
    String,
    Vec<(String, String)>,
    Bound<'py, PyBytes>,
);

/// Turns a core error into an instance of the matching `essbasic.errors` class.
pub(crate) fn to_py_err(py: Python<'_>, err: essbasic::Error) -> PyErr {
    let fields = PyDict::new(py);
    let filled = (|| -> PyResult<()> {
        fields.set_item("message", err.to_string())?;
        match &err {
            essbasic::Error::Validation {
                action,
                path,
                message,
            } => {
                fields.set_item("action", action)?;
                fields.set_item("path", path)?;
                fields.set_item("detail", message)?;
            }
            essbasic::Error::Api {
                code,
                message,
                request_id,
            } => {
                fields.set_item("code", code)?;
                fields.set_item("message", message)?;
                fields.set_item("request_id", request_id.as_deref())?;
            }
            essbasic::Error::Http {
                status,
                body_excerpt,
            } => {
                fields.set_item("status", status)?;
                fields.set_item("body_excerpt", body_excerpt)?;
            }
            essbasic::Error::Transport { not_sent, .. } => {
                fields.set_item("not_sent", not_sent)?;
            }
            essbasic::Error::Timeout { after_ms } => {
                fields.set_item("after_ms", after_ms)?;
            }
            essbasic::Error::Decode { .. } => {
                fields.set_item("code", err.code())?;
            }
            essbasic::Error::Task {
                task,
                task_id,
                status,
                message,
            } => {
                fields.set_item("task", task)?;
                fields.set_item("task_id", task_id)?;
                fields.set_item("status", status)?;
                fields.set_item("detail", message)?;
            }
            _ => {}
        }
        Ok(())
    })();
    if let Err(e) = filled {
        return e;
    }
    let made = py
        .import("essbasic.errors")
        .and_then(|m| m.getattr("_from_core"))
        .and_then(|f| f.call1((err.kind(), fields)));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

fn opt_string(config: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<String>> {
    match config.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.extract::<String>().map_err(|_| {
            PyTypeError::new_err(format!("config[{key:?}] must be a str or None"))
        })?)),
        _ => Ok(None),
    }
}

fn opt_bool(config: &Bound<'_, PyDict>, key: &str) -> PyResult<bool> {
    match config.get_item(key)? {
        Some(v) if !v.is_none() => v
            .extract::<bool>()
            .map_err(|_| PyTypeError::new_err(format!("config[{key:?}] must be a bool"))),
        _ => Ok(false),
    }
}

/// Reads the configuration dict of the façade into the core's `Config`.
pub(crate) fn config_from(py: Python<'_>, config: &Bound<'_, PyDict>) -> PyResult<Config> {
    const KNOWN: [&str; 10] = [
        "region",
        "language",
        "endpoint",
        "file_endpoint",
        "test_environment",
        "sign_method",
        "http_method",
        "unsigned_payload",
        "strict",
        "request_client",
    ];
    for key in config.keys() {
        let key: String = key.extract()?;
        if !KNOWN.contains(&key.as_str()) {
            return Err(PyValueError::new_err(format!("unknown config key {key:?}")));
        }
    }
    let mut out = Config {
        region: opt_string(config, "region")?,
        language: opt_string(config, "language")?,
        endpoint: opt_string(config, "endpoint")?,
        file_endpoint: opt_string(config, "file_endpoint")?,
        test_environment: opt_bool(config, "test_environment")?,
        unsigned_payload: opt_bool(config, "unsigned_payload")?,
        strict: opt_bool(config, "strict")?,
        ..Config::default()
    };
    if let Some(m) = opt_string(config, "sign_method")? {
        out.sign_method = m.parse::<SignMethod>().map_err(|e| to_py_err(py, e))?;
    }
    if let Some(m) = opt_string(config, "http_method")? {
        out.http_method = match m.to_ascii_uppercase().as_str() {
            "POST" => HttpMethod::Post,
            "GET" => HttpMethod::Get,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "http_method must be POST or GET, not {m:?}"
                )))
            }
        };
    }
    if config.contains("request_client")? {
        out.request_client = opt_string(config, "request_client")?;
    }
    Ok(out)
}

/// `str` or `bytes` as UTF-8 bytes, borrowed when possible.
pub(crate) fn text_bytes<'a>(obj: &'a Bound<'_, PyAny>, what: &str) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(match s.to_cow()? {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        });
    }
    Err(PyTypeError::new_err(format!("{what} must be str or bytes")))
}

/// Validates the parameters of `action` (JSON text) against the spec, then builds and signs
/// the request. Returns `(method, url, headers, body)`.
#[pyfunction]
#[pyo3(signature = (action, params_json, config, secret_id, secret_key, token, timestamp, nonce, trace_id))]
#[allow(clippy::too_many_arguments)]
fn build_request<'py>(
    py: Python<'py>,
    action: &str,
    params_json: &Bound<'py, PyAny>,
    config: &Bound<'py, PyDict>,
    secret_id: &str,
    secret_key: &str,
    token: Option<&str>,
    timestamp: i64,
    nonce: u32,
    trace_id: Option<String>,
) -> PyResult<Built<'py>> {
    let config = config_from(py, config)?;
    let params = text_bytes(params_json, "params_json")?;
    let mut creds = Credentials::new(secret_id, secret_key);
    if let Some(t) = token {
        creds = creds.with_token(t);
    }
    let stamp = Stamp {
        timestamp,
        nonce,
        trace_id: trace_id.filter(|t| !t.is_empty()),
    };
    let params: &[u8] = &params;
    let built = py.detach(|| essbasic::build_request_json(action, params, &config, &creds, &stamp));
    let req = built.map_err(|e| to_py_err(py, e))?;
    let body = PyBytes::new(py, &req.body);
    Ok((req.method, req.url, req.headers, body))
}

/// Classifies a response: returns `(raw, request_id)`, `raw` being the JSON text of the
/// `Response` object, or raises `ApiError`, `HttpError` or `DecodeError`.
#[pyfunction]
#[pyo3(signature = (status, body, max_body_bytes = essbasic::response::DEFAULT_MAX_BODY_BYTES))]
fn classify_response(
    py: Python<'_>,
    status: u16,
    body: &Bound<'_, PyBytes>,
    max_body_bytes: usize,
) -> PyResult<(String, Option<String>)> {
    let bytes = body.as_bytes();
    let result = py.detach(|| {
        essbasic::classify_response(status, bytes, max_body_bytes)
            .map(|view| (view.raw.to_owned(), view.request_id))
    });
    result.map_err(|e| to_py_err(py, e))
}

/// The core's retry decision (`essbasic::retry::decide_parts`) after attempt `attempt`
/// (1-based) of `action` failed with an error of `kind` (`api`, `http`, `timeout`,
/// `transport`, `decode`, ...), API `code`, HTTP `status` (0 when none) and `not_sent`:
/// the backoff in milliseconds, or `None` to give up. `policy` is `(max_attempts,
/// base_delay_ms, max_delay_ms, deadline_ms)`; `jitter` is a random number in `[0, 1)`.
#[pyfunction]
#[pyo3(signature = (policy, attempt, action, kind, code, status, not_sent, elapsed_ms, jitter))]
#[allow(clippy::too_many_arguments)]
fn retry_decision(
    policy: (u32, u64, u64, u64),
    attempt: u32,
    action: &str,
    kind: &str,
    code: &str,
    status: u16,
    not_sent: bool,
    elapsed_ms: u64,
    jitter: f64,
) -> Option<u64> {
    let policy = essbasic::retry::RetryPolicy {
        max_attempts: policy.0,
        base_delay_ms: policy.1,
        max_delay_ms: policy.2,
        deadline_ms: policy.3,
    };
    essbasic::retry::decide_parts(
        &policy, attempt, action, kind, code, status, not_sent, elapsed_ms, jitter,
    )
}

/// The server's clock minus the local one, in seconds, from an HTTP `Date` header (to
/// re-sign after `AuthFailure.SignatureExpire`); `None` when it is not an IMF-fixdate.
#[pyfunction]
fn clock_offset(date_header: &str, local_now: i64) -> Option<i64> {
    essbasic::retry::clock_offset(date_header, local_now)
}

/// The server side of remote signing: checks a remote canonical request (its host, its
/// action against `allowed_actions`, its timestamp within 300 s of `now`) and returns its
/// TC3 signature (hex). Raises `SigningError` when it refuses.
#[pyfunction]
#[pyo3(signature = (secret_key, canonical_request, timestamp, now, allowed_actions = None))]
fn sign_remote(
    py: Python<'_>,
    secret_key: &str,
    canonical_request: &str,
    timestamp: i64,
    now: i64,
    allowed_actions: Option<Vec<String>>,
) -> PyResult<String> {
    let allowed: Option<Vec<&str>> = allowed_actions
        .as_ref()
        .map(|list| list.iter().map(String::as_str).collect());
    let signed = py.detach(|| {
        essbasic::remote::sign_remote(
            secret_key,
            canonical_request,
            timestamp,
            now,
            allowed.as_deref(),
        )
    });
    signed.map_err(|e| to_py_err(py, e))
}

/// Every action of the spec as `(name, read_only, deprecated, replaced_by)`, sorted by name.
#[pyfunction]
fn actions() -> Vec<(&'static str, bool, bool, Option<&'static str>)> {
    essbasic::spec::ACTIONS
        .iter()
        .map(|a| (a.name, a.read_only, a.deprecated, a.replaced_by))
        .collect()
}

/// Computes every signing stage of a conformance case (`kind: "signing"`) with
/// `essbasic::conformance`, as the Node and WebAssembly bindings do: the JSON text of the TC3 or v1 outputs and
/// their self-checks, or of `{"error": ...}` for a malformed case. The caller compares with
/// `expected`.
#[pyfunction]
fn sign_vector(py: Python<'_>, case_json: &str) -> String {
    py.detach(|| essbasic::conformance::sign_vector(case_json))
}

/// The extension module: see the crate documentation.
#[pymodule(name = "_core")]
mod core_module {
    #[pymodule_export]
    use super::{
        actions, build_request, classify_response, clock_offset, retry_decision, sign_remote,
        sign_vector,
    };

    #[pymodule_export]
    use super::fast::{canonical_body_of, parse_response, Entropy, RequestBuilder, Tc3Signer};

    #[pymodule_export]
    use super::http::{http1_encode, http1_origin, ResponseReader};

    #[pymodule_export]
    use super::features::{
        callback_open, callback_seal, encryption_build_params, encryption_check_keys,
        encryption_open, encryption_open_response, encryption_seal, page_actions, page_first,
        page_info, page_next, parse_profile, redact_body, redact_header, redact_url,
        upload_file_name, upload_precheck, upload_prepare, wait_classify, wait_decide,
        wait_poll_params, wait_task, wait_task_id,
    };

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("API_VERSION", essbasic::spec::API_VERSION)?;
        m.add("SERVICE", essbasic::spec::SERVICE)?;
        m.add(
            "DEFAULT_MAX_BODY_BYTES",
            essbasic::response::DEFAULT_MAX_BODY_BYTES,
        )?;
        let retry = essbasic::retry::RetryPolicy::default();
        m.add(
            "RETRY_POLICY_DEFAULT",
            (
                retry.max_attempts,
                retry.base_delay_ms,
                retry.max_delay_ms,
                retry.deadline_ms,
            ),
        )?;
        let wait = essbasic::waiter::WaitPolicy::default();
        m.add(
            "WAIT_POLICY_DEFAULT",
            (
                wait.initial_delay_ms,
                wait.multiplier,
                wait.max_delay_ms,
                wait.deadline_ms,
            ),
        )?;
        m.add("PROFILE_RELATIVE_PATH", essbasic::profile::RELATIVE_PATH)?;
        m.add("DEFAULT_PROFILE", essbasic::profile::DEFAULT_PROFILE)?;
        m.add(
            "CALLBACK_SIGNATURE_HEADER",
            essbasic::callback::SIGNATURE_HEADER,
        )?;
        m.add(
            "CALLBACK_MAX_BODY_BYTES",
            essbasic::callback::MAX_BODY_BYTES,
        )?;
        m.add("UPLOAD_MAX_FILES", essbasic::upload::MAX_FILES)?;
        m.add("UPLOAD_MAX_IMAGE_BYTES", essbasic::upload::MAX_IMAGE_BYTES)?;
        m.add("UPLOAD_MAX_OTHER_BYTES", essbasic::upload::MAX_OTHER_BYTES)?;
        Ok(())
    }
}
