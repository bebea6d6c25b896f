//! The core's pure helpers beyond one request: log redaction, the credentials profile file,
//! callbacks, the `CreateRequestWithEncryption` envelope, `UploadFiles` preparation, task
//! waiters and pagination. Each function converts its arguments, calls the core (with the
//! GIL released where the work is not trivial) and converts the result back; JSON crosses
//! the boundary as text so that Python's `json` keeps integers exact.

use essbasic::encryption::{self, Algorithm, EncryptionKeys, Envelope};
use essbasic::waiter::{self, Progress, TaskKind, WaitPolicy};
use essbasic::{callback, paginate, profile, redact, upload};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde_json::Value;

use crate::{text_bytes, to_py_err};

fn parse_json(py: Python<'_>, what: &str, text: &[u8]) -> PyResult<Value> {
    py.detach(|| serde_json::from_slice::<Value>(text))
        .map_err(|e| PyValueError::new_err(format!("{what} is not JSON: {e}")))
}

// --- redaction ------------------------------------------------------------------------------

/// A request or response body made safe to log (`essbasic::redact::body_for_log`): secrets
/// removed, personal data masked, cut to `max_bytes`.
#[pyfunction]
pub(crate) fn redact_body(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    max_bytes: usize,
) -> PyResult<String> {
    let body = text_bytes(body, "body")?;
    let body: &[u8] = &body;
    Ok(py.detach(|| redact::body_for_log(body, max_bytes)))
}

/// A URL safe to log: the `Signature`, `Token` and `SecretId` query values masked.
#[pyfunction]
pub(crate) fn redact_url(url: &str) -> String {
    redact::url(url)
}

/// A header value safe to log: `Authorization` and `X-TC-Token` masked.
#[pyfunction]
pub(crate) fn redact_header(name: &str, value: &str) -> String {
    redact::header_value(name, value).to_owned()
}

// --- the credentials profile file -----------------------------------------------------------

/// The credentials of profile `name` in the text of a credentials file:
/// `(secret_id, secret_key, token)`, `None` when the section is absent; `SigningError`
/// (naming the section, never a value) when it lacks a key.
#[pyfunction]
pub(crate) fn parse_profile(
    py: Python<'_>,
    text: &str,
    name: &str,
) -> PyResult<Option<(String, String, Option<String>)>> {
    match profile::parse_profile(text, name) {
        Ok(found) => Ok(found.map(|c| {
            (
                c.secret_id().to_owned(),
                c.secret_key().to_owned(),
                c.token().map(str::to_owned),
            )
        })),
        Err(e) => Err(to_py_err(py, e)),
    }
}

// --- callbacks ------------------------------------------------------------------------------

/// Authenticates, decrypts and parses a callback body (`essbasic::callback::open_value`):
/// the JSON text of the envelope, or `None` for the console's URL check. Raises
/// `CallbackError` when the body must be refused.
#[pyfunction]
#[pyo3(signature = (body, key = None, token = None, signature = None))]
pub(crate) fn callback_open(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    key: Option<&str>,
    token: Option<&str>,
    signature: Option<&str>,
) -> PyResult<Option<String>> {
    let body = text_bytes(body, "body")?;
    let body: &[u8] = &body;
    let opened = py.detach(|| callback::open_value(body, key, token, signature));
    match opened {
        Ok(Value::Null) => Ok(None),
        Ok(v) => Ok(Some(v.to_string())),
        Err(e) => Err(to_py_err(py, e)),
    }
}

/// What the service would send for an envelope (`essbasic::callback::seal`): `(body,
/// Content-Signature value or None)`.
#[pyfunction]
#[pyo3(signature = (envelope_json, key = None, token = None))]
pub(crate) fn callback_seal<'py>(
    py: Python<'py>,
    envelope_json: &Bound<'py, PyAny>,
    key: Option<&str>,
    token: Option<&str>,
) -> PyResult<(Bound<'py, PyBytes>, Option<String>)> {
    let envelope = text_bytes(envelope_json, "envelope_json")?;
    let envelope: &[u8] = &envelope;
    let sealed = py
        .detach(|| callback::seal(envelope, key, token))
        .map_err(|e| to_py_err(py, e))?;
    Ok((PyBytes::new(py, &sealed.body), sealed.signature))
}

// --- the CreateRequestWithEncryption envelope ------------------------------------------------

fn keys(
    py: Python<'_>,
    algorithm: &str,
    cipher_key: &Bound<'_, PyAny>,
    hmac_key: &Bound<'_, PyAny>,
) -> PyResult<EncryptionKeys> {
    let Some(algorithm) = Algorithm::from_name(algorithm) else {
        return Err(to_py_err(
            py,
            essbasic::Error::Crypto {
                message: format!("unknown algorithm {algorithm:?}: use AES-CBC or SM4-CBC"),
            },
        ));
    };
    let cipher_key = text_bytes(cipher_key, "cipher_key")?;
    let hmac_key = text_bytes(hmac_key, "hmac_key")?;
    EncryptionKeys::new(algorithm, &*cipher_key, &*hmac_key).map_err(|e| to_py_err(py, e))
}

fn iv16(iv: &[u8]) -> PyResult<[u8; 16]> {
    <[u8; 16]>::try_from(iv)
        .map_err(|_| PyValueError::new_err(format!("the IV has {} bytes, want 16", iv.len())))
}

/// Checks an algorithm name and the two keys; returns the algorithm's canonical name
/// (`AES-CBC` or `SM4-CBC`). Raises `CryptoError`.
#[pyfunction]
pub(crate) fn encryption_check_keys(
    py: Python<'_>,
    algorithm: &str,
    cipher_key: &Bound<'_, PyAny>,
    hmac_key: &Bound<'_, PyAny>,
) -> PyResult<&'static str> {
    Ok(keys(py, algorithm, cipher_key, hmac_key)?
        .algorithm()
        .name())
}

/// Encrypts and signs `plain` (`essbasic::encryption::seal`) with the 16-byte `iv`:
/// `(IV, EncryptedData, EncryptionSignature)`, each in base64.
#[pyfunction]
pub(crate) fn encryption_seal(
    py: Python<'_>,
    plain: &Bound<'_, PyAny>,
    algorithm: &str,
    cipher_key: &Bound<'_, PyAny>,
    hmac_key: &Bound<'_, PyAny>,
    iv: &[u8],
) -> PyResult<(String, String, String)> {
    let keys = keys(py, algorithm, cipher_key, hmac_key)?;
    let iv = iv16(iv)?;
    let plain = text_bytes(plain, "plain")?;
    let plain: &[u8] = &plain;
    let env = py.detach(|| encryption::seal(plain, &keys, iv));
    Ok((env.iv, env.encrypted_data, env.encryption_signature))
}

/// Verifies an envelope's signature, then decrypts it (`essbasic::encryption::open`).
/// Raises `CryptoError`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub(crate) fn encryption_open<'py>(
    py: Python<'py>,
    iv: String,
    encrypted_data: String,
    encryption_signature: String,
    algorithm: &str,
    cipher_key: &Bound<'py, PyAny>,
    hmac_key: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let keys = keys(py, algorithm, cipher_key, hmac_key)?;
    let env = Envelope {
        iv,
        encrypted_data,
        encryption_signature,
    };
    let plain = py
        .detach(|| encryption::open(&env, &keys))
        .map_err(|e| to_py_err(py, e))?;
    Ok(PyBytes::new(py, &plain))
}

/// The parameters of `CreateRequestWithEncryption` carrying `params_json` for
/// `request_action` (validated first), as JSON text.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub(crate) fn encryption_build_params(
    py: Python<'_>,
    request_action: &str,
    application_id: &str,
    params_json: &Bound<'_, PyAny>,
    algorithm: &str,
    cipher_key: &Bound<'_, PyAny>,
    hmac_key: &Bound<'_, PyAny>,
    iv: &[u8],
) -> PyResult<String> {
    let keys = keys(py, algorithm, cipher_key, hmac_key)?;
    let iv = iv16(iv)?;
    let params = parse_json(py, "params_json", &text_bytes(params_json, "params_json")?)?;
    py.detach(|| encryption::build_params(request_action, application_id, &params, &keys, iv))
        .map(|v| v.to_string())
        .map_err(|e| to_py_err(py, e))
}

/// Opens the `Response` object of `CreateRequestWithEncryption`: the business action's
/// `Response` object as JSON text, or its error as `ApiError`; `CryptoError` when the
/// envelope does not verify.
#[pyfunction]
pub(crate) fn encryption_open_response(
    py: Python<'_>,
    response_json: &Bound<'_, PyAny>,
    algorithm: &str,
    cipher_key: &Bound<'_, PyAny>,
    hmac_key: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let keys = keys(py, algorithm, cipher_key, hmac_key)?;
    let response = parse_json(
        py,
        "response_json",
        &text_bytes(response_json, "response_json")?,
    )?;
    py.detach(|| encryption::open_response(&response, &keys))
        .map(|v| v.to_string())
        .map_err(|e| to_py_err(py, e))
}

// --- UploadFiles ------------------------------------------------------------------------------

/// Checks files before they are read: `files` are `(name, first bytes, size)`. The count and
/// the business type are checked by `essbasic::upload::prepare_files`, each file's type by
/// `check_file` on its first bytes, and its size against the limit of its detected type
/// (`FileType::max_bytes`). Raises `ValidationError`.
#[pyfunction]
pub(crate) fn upload_precheck(
    py: Python<'_>,
    files: Vec<(String, Vec<u8>, u64)>,
    business_type: &str,
) -> PyResult<()> {
    if business_type.is_empty() || files.is_empty() || files.len() > upload::MAX_FILES {
        // The count and the business type come first in `prepare_files`: its error is the
        // one to give (file contents are not looked at before).
        let heads: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, h, _)| (n.as_str(), h.as_slice()))
            .collect();
        upload::prepare_files(&heads, business_type).map_err(|e| to_py_err(py, e))?;
    }
    for (index, (name, head, size)) in files.iter().enumerate() {
        if *size == 0 {
            // `check_file` names an empty file.
            upload::check_file(index, name, &[], business_type).map_err(|e| to_py_err(py, e))?;
        }
        let ty =
            upload::check_file(index, name, head, business_type).map_err(|e| to_py_err(py, e))?;
        let limit = ty.max_bytes();
        if *size > limit as u64 {
            let label = if name.is_empty() {
                format!("file #{}", index + 1)
            } else {
                format!("{name:?}")
            };
            return Err(to_py_err(
                py,
                essbasic::Error::Validation {
                    action: upload::ACTION.to_owned(),
                    path: format!("FileInfos[{index}]"),
                    message: format!(
                        "{label} ({}) has {size} bytes; a {} file may have at most {limit} bytes",
                        ty.name(),
                        if ty.is_image() { "image" } else { "non-image" },
                    ),
                },
            ));
        }
    }
    Ok(())
}

/// The `UploadFiles` parameters (`BusinessType`, `FileInfos` in base64) for `(name, bytes)`
/// files after every check of `essbasic::upload::prepare_files`, as JSON text.
#[pyfunction]
pub(crate) fn upload_prepare(
    py: Python<'_>,
    files: Vec<(String, Vec<u8>)>,
    business_type: &str,
) -> PyResult<String> {
    py.detach(|| upload::prepare_files(&files, business_type))
        .map(|v| v.to_string())
        .map_err(|e| to_py_err(py, e))
}

/// The file name sent for a path (`essbasic::upload::file_name`).
#[pyfunction]
pub(crate) fn upload_file_name(path: &str) -> String {
    upload::file_name(path).to_owned()
}

// --- waiters ----------------------------------------------------------------------------------

fn task_kind(name: &str) -> PyResult<TaskKind> {
    TaskKind::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = TaskKind::ALL.iter().map(|k| k.name()).collect();
        PyValueError::new_err(format!(
            "unknown task kind {name:?}: use one of {}",
            known.join(", ")
        ))
    })
}

/// A task kind (its name, an alias or one of its actions) as `(name, start_action,
/// poll_action)`.
#[pyfunction]
pub(crate) fn wait_task(kind: &str) -> PyResult<(&'static str, &'static str, &'static str)> {
    let k = task_kind(kind)?;
    Ok((k.name(), k.start_action(), k.poll_action()))
}

/// The task id in the start action's `Response` (JSON text), if any.
#[pyfunction]
pub(crate) fn wait_task_id(
    py: Python<'_>,
    kind: &str,
    start_response_json: &Bound<'_, PyAny>,
) -> PyResult<Option<String>> {
    let k = task_kind(kind)?;
    let response = parse_json(
        py,
        "start_response_json",
        &text_bytes(start_response_json, "start_response_json")?,
    )?;
    Ok(k.task_id(&response))
}

/// The polling action's parameters (JSON text) from `base_json` (for `Agent`) and the task id.
#[pyfunction]
pub(crate) fn wait_poll_params(
    py: Python<'_>,
    kind: &str,
    base_json: &Bound<'_, PyAny>,
    task_id: &str,
) -> PyResult<String> {
    let k = task_kind(kind)?;
    let base = parse_json(py, "base_json", &text_bytes(base_json, "base_json")?)?;
    Ok(k.poll_params(&base, task_id).to_string())
}

/// Reads one answer of the polling action: `("pending", status, percent)` or `("done",
/// "Done", None)`; raises `TaskError` when the task failed.
#[pyfunction]
pub(crate) fn wait_classify(
    py: Python<'_>,
    kind: &str,
    response_json: &Bound<'_, PyAny>,
    task_id: &str,
) -> PyResult<(&'static str, String, Option<u8>)> {
    let k = task_kind(kind)?;
    let response = parse_json(
        py,
        "response_json",
        &text_bytes(response_json, "response_json")?,
    )?;
    match waiter::classify(k, &response) {
        Progress::Pending { status, percent } => Ok(("pending", status, percent)),
        Progress::Done(_) => Ok(("done", "Done".to_owned(), None)),
        failed @ Progress::Failed { .. } => match failed.into_result(k, task_id) {
            Err(e) => Err(to_py_err(py, e)),
            Ok(_) => Ok(("done", "Done".to_owned(), None)),
        },
    }
}

/// The wait in milliseconds before the next poll after poll number `attempt` (1-based)
/// found the task pending `elapsed_ms` after the first poll, or `None` when the deadline
/// passed (`essbasic::waiter::decide`). `policy` is `(initial_delay_ms, multiplier,
/// max_delay_ms, deadline_ms)`.
#[pyfunction]
pub(crate) fn wait_decide(
    policy: (u64, f64, u64, u64),
    attempt: u32,
    elapsed_ms: u64,
) -> Option<u64> {
    let policy = WaitPolicy {
        initial_delay_ms: policy.0,
        multiplier: policy.1,
        max_delay_ms: policy.2,
        deadline_ms: policy.3,
    };
    waiter::decide(&policy, attempt, elapsed_ms)
}

// --- pagination -------------------------------------------------------------------------------

/// How `action` pages: `(items_member, total_member, default_limit, max_limit)`; raises
/// `ValidationError` for an action that does not page.
#[pyfunction]
pub(crate) fn page_info(
    py: Python<'_>,
    action: &str,
) -> PyResult<(&'static str, &'static str, u64, Option<u64>)> {
    // `first_page` names an unknown or non-paginated action the core's way.
    paginate::first_page(action, &Value::Null).map_err(|e| to_py_err(py, e))?;
    let info = paginate::pageable(action)
        .ok_or_else(|| PyValueError::new_err(format!("{action} is not a paginated action")))?;
    Ok((
        info.items_member,
        info.total_member,
        info.default_limit,
        info.max_limit,
    ))
}

/// Every paginated action, in name order.
#[pyfunction]
pub(crate) fn page_actions() -> Vec<&'static str> {
    paginate::pageable_actions()
        .into_iter()
        .map(|i| i.action)
        .collect()
}

/// The parameters of the first page (JSON text): `Offset` and `Limit` filled in.
#[pyfunction]
pub(crate) fn page_first(
    py: Python<'_>,
    action: &str,
    params_json: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let params = parse_json(py, "params_json", &text_bytes(params_json, "params_json")?)?;
    paginate::first_page(action, &params)
        .map(|v| v.to_string())
        .map_err(|e| to_py_err(py, e))
}

/// The parameters of the next page (JSON text), or `None` after the last page.
#[pyfunction]
pub(crate) fn page_next(
    py: Python<'_>,
    action: &str,
    params_json: &Bound<'_, PyAny>,
    response_json: &Bound<'_, PyAny>,
) -> PyResult<Option<String>> {
    let params = parse_json(py, "params_json", &text_bytes(params_json, "params_json")?)?;
    let response = parse_json(
        py,
        "response_json",
        &text_bytes(response_json, "response_json")?,
    )?;
    paginate::next_page(action, &params, &response)
        .map(|next| next.map(|v| v.to_string()))
        .map_err(|e| to_py_err(py, e))
}
