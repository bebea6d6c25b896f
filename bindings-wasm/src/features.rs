//! The core's helpers beyond one request, for the JavaScript façade: callbacks, the
//! `CreateRequestWithEncryption` envelope, `UploadFiles` preparation, task waiters and
//! pagination. Shared, as source, by the WebAssembly module and the napi addon
//! (`bindings-node/src/lib.rs` includes this file), so both adapters give the same answers.
//!
//! Every function takes text and bytes and returns JSON text: `{"ok": value}` or
//! `{"error": {kind, code, message, action?, path?, requestId?, status?}}`. JSON crosses the
//! boundary as text so the façade keeps integers exact and both adapters stay identical.
//! There is no protocol logic here: each function converts and forwards to core. No error
//! holds a key, a token or a plaintext.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use essbasic::encryption::{self, Algorithm, EncryptionKeys, Envelope};
use essbasic::waiter::{self, Progress, TaskKind, WaitPolicy};
use essbasic::{callback, paginate, upload, Error};
use serde_json::{json, Map, Value};

/// The first bytes of a file that type detection looks at (the façade reads no more
/// before the checks).
pub const UPLOAD_HEAD_BYTES: usize = 1024;

fn error_value(err: &Error) -> Value {
    let mut e = Map::new();
    e.insert("kind".into(), err.kind().into());
    e.insert("code".into(), err.code().into());
    let message = match err {
        Error::Api { message, .. } => message.clone(),
        other => other.to_string(),
    };
    e.insert("message".into(), message.into());
    if let Error::Validation { action, path, .. } = err {
        e.insert("action".into(), action.clone().into());
        e.insert("path".into(), path.clone().into());
    }
    if let Some(id) = err.request_id() {
        e.insert("requestId".into(), id.into());
    }
    if let Error::Http { status, .. } = err {
        e.insert("status".into(), (*status).into());
    }
    json!({ "error": Value::Object(e) })
}

fn answer(result: Result<Value, Error>) -> String {
    match result {
        Ok(v) => json!({ "ok": v }).to_string(),
        Err(e) => error_value(&e).to_string(),
    }
}

fn usage(message: String) -> Error {
    Error::Validation {
        action: String::new(),
        path: String::new(),
        message,
    }
}

fn parse(what: &str, text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| usage(format!("{what} is not JSON: {e}")))
}

// --- callbacks ------------------------------------------------------------------------------

/// `callback::open_value`: `{"ok": envelope}`, `{"ok": null}` for the console's URL check,
/// or a `callback` error (refuse the request).
pub fn callback_open(
    body: &[u8],
    key: Option<&str>,
    token: Option<&str>,
    signature: Option<&str>,
) -> String {
    answer(callback::open_value(body, key, token, signature))
}

/// `callback::seal`: `{"ok": {"body": text, "signature": text|null}}` (tests, tools).
pub fn callback_seal(envelope: &[u8], key: Option<&str>, token: Option<&str>) -> String {
    answer(callback::seal(envelope, key, token).map(|s| {
        json!({
            "body": String::from_utf8_lossy(&s.body),
            "signature": s.signature,
        })
    }))
}

// --- CreateRequestWithEncryption -------------------------------------------------------------

fn keys(algorithm: &str, cipher_key: &[u8], hmac_key: &[u8]) -> Result<EncryptionKeys, Error> {
    let alg = Algorithm::from_name(algorithm).ok_or_else(|| Error::Crypto {
        message: format!("unknown algorithm {algorithm:?}: use AES-CBC or SM4-CBC"),
    })?;
    EncryptionKeys::new(alg, cipher_key, hmac_key)
}

fn iv16(iv: &[u8]) -> Result<[u8; 16], Error> {
    <[u8; 16]>::try_from(iv).map_err(|_| Error::Crypto {
        message: format!("the IV has {} bytes, want 16", iv.len()),
    })
}

/// Checks the algorithm and the keys: `{"ok": "AES-CBC"|"SM4-CBC"}` or a `crypto` error.
pub fn encryption_check_keys(algorithm: &str, cipher_key: &[u8], hmac_key: &[u8]) -> String {
    answer(keys(algorithm, cipher_key, hmac_key).map(|k| k.algorithm().name().into()))
}

/// `encryption::seal`: `{"ok": {"IV", "EncryptedData", "EncryptionSignature"}}`.
pub fn encryption_seal(
    plain: &[u8],
    algorithm: &str,
    cipher_key: &[u8],
    hmac_key: &[u8],
    iv: &[u8],
) -> String {
    answer((|| {
        let keys = keys(algorithm, cipher_key, hmac_key)?;
        let env = encryption::seal(plain, &keys, iv16(iv)?);
        Ok(json!({
            "IV": env.iv,
            "EncryptedData": env.encrypted_data,
            "EncryptionSignature": env.encryption_signature,
        }))
    })())
}

/// `encryption::open` of `{"IV", "EncryptedData", "EncryptionSignature"}` (JSON text):
/// `{"ok": base64 of the plaintext}`.
pub fn encryption_open(
    envelope_json: &str,
    algorithm: &str,
    cipher_key: &[u8],
    hmac_key: &[u8],
) -> String {
    answer((|| {
        let keys = keys(algorithm, cipher_key, hmac_key)?;
        let env = Envelope::from_value(&parse("the envelope", envelope_json)?)?;
        Ok(B64.encode(encryption::open(&env, &keys)?).into())
    })())
}

/// `encryption::build_params`: the `CreateRequestWithEncryption` parameters.
pub fn encryption_build_params(
    request_action: &str,
    application_id: &str,
    params_json: &str,
    algorithm: &str,
    cipher_key: &[u8],
    hmac_key: &[u8],
    iv: &[u8],
) -> String {
    answer((|| {
        let keys = keys(algorithm, cipher_key, hmac_key)?;
        let params = parse("the parameters", params_json)?;
        encryption::build_params(request_action, application_id, &params, &keys, iv16(iv)?)
    })())
}

/// `encryption::open_response`: `{"ok": JSON text of the business Response}` (text, so the
/// façade parses it with its int64 handling), or the business error as an `api` error.
pub fn encryption_open_response(
    response_json: &str,
    algorithm: &str,
    cipher_key: &[u8],
    hmac_key: &[u8],
) -> String {
    answer((|| {
        let keys = keys(algorithm, cipher_key, hmac_key)?;
        let response = parse("the response", response_json)?;
        Ok(encryption::open_response(&response, &keys)?
            .to_string()
            .into())
    })())
}

// --- UploadFiles ------------------------------------------------------------------------------

fn label(index: usize, name: &str) -> String {
    if name.is_empty() {
        format!("file #{}", index + 1)
    } else {
        format!("{name:?}")
    }
}

/// Checks files before they are read. `files_json` is `[{"name", "size"}]` (size `null` when
/// unknown) and `heads` their first bytes (at most [`UPLOAD_HEAD_BYTES`] each) one after the
/// other, file `i` taking `min(size, UPLOAD_HEAD_BYTES)` bytes, or `headLen` when given. The
/// count and the business type as `upload::prepare_files` checks them, each file's type by
/// `check_file` on its first bytes, and a known size against its type's limit.
/// `{"ok": null}` or a `validation` error.
pub fn upload_precheck(files_json: &str, heads: &[u8], business_type: &str) -> String {
    answer((|| {
        let files = parse("the files", files_json)?;
        let files = files.as_array().cloned().unwrap_or_default();
        let mut parsed: Vec<(String, &[u8], Option<u64>)> = Vec::with_capacity(files.len());
        let mut at = 0usize;
        for f in &files {
            let name = f
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let size = f.get("size").and_then(Value::as_u64);
            let len = f
                .get("headLen")
                .and_then(Value::as_u64)
                .map(|n| n as usize)
                .unwrap_or_else(|| size.map_or(0, |s| (s as usize).min(UPLOAD_HEAD_BYTES)));
            let end = at.saturating_add(len).min(heads.len());
            parsed.push((name, &heads[at..end], size));
            at = end;
        }
        if business_type.is_empty() || parsed.is_empty() || parsed.len() > upload::MAX_FILES {
            let list: Vec<(&str, &[u8])> =
                parsed.iter().map(|(n, h, _)| (n.as_str(), *h)).collect();
            upload::prepare_files(&list, business_type)?;
        }
        for (index, (name, head, size)) in parsed.iter().enumerate() {
            if *size == Some(0) {
                upload::check_file(index, name, &[], business_type)?;
            }
            if head.is_empty() {
                // Nothing known yet (a stream): checked again once read.
                continue;
            }
            let ty = upload::check_file(index, name, head, business_type)?;
            let limit = ty.max_bytes() as u64;
            if let Some(size) = size.filter(|s| *s > limit) {
                return Err(Error::Validation {
                    action: upload::ACTION.to_owned(),
                    path: format!("FileInfos[{index}]"),
                    message: format!(
                        "{} ({}) has {size} bytes; a {} file may have at most {limit} bytes",
                        label(index, name),
                        ty.name(),
                        if ty.is_image() { "image" } else { "non-image" },
                    ),
                });
            }
        }
        Ok(Value::Null)
    })())
}

/// The largest file of any type (bytes): reading a stream stops once past it.
pub fn upload_limits() -> String {
    json!({ "ok": {
        "maxFiles": upload::MAX_FILES,
        "maxImageBytes": upload::MAX_IMAGE_BYTES,
        "maxOtherBytes": upload::MAX_OTHER_BYTES,
        "headBytes": UPLOAD_HEAD_BYTES,
    }})
    .to_string()
}

/// `upload::prepare_files`: `names_json` is `[name, ...]`, `sizes_json` `[size, ...]` and
/// `data` the files' bytes one after the other. `{"ok": {"BusinessType", "FileInfos"}}`.
pub fn upload_prepare(
    names_json: &str,
    sizes_json: &str,
    data: &[u8],
    business_type: &str,
) -> String {
    answer((|| {
        let names: Vec<String> = serde_json::from_value(parse("the names", names_json)?)
            .map_err(|e| usage(format!("the names: {e}")))?;
        let sizes: Vec<usize> = serde_json::from_value(parse("the sizes", sizes_json)?)
            .map_err(|e| usage(format!("the sizes: {e}")))?;
        if names.len() != sizes.len() || sizes.iter().sum::<usize>() != data.len() {
            return Err(usage(
                "the file names, sizes and bytes do not match".to_owned(),
            ));
        }
        let mut files: Vec<(&str, &[u8])> = Vec::with_capacity(names.len());
        let mut at = 0;
        for (name, size) in names.iter().zip(&sizes) {
            files.push((name.as_str(), &data[at..at + size]));
            at += size;
        }
        upload::prepare_files(&files, business_type)
    })())
}

/// `upload::file_name`: the name sent for a path.
pub fn upload_file_name(path: &str) -> String {
    upload::file_name(path).to_owned()
}

// --- waiters ----------------------------------------------------------------------------------

fn task_kind(name: &str) -> Result<TaskKind, Error> {
    TaskKind::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = TaskKind::ALL.iter().map(|k| k.name()).collect();
        usage(format!(
            "unknown task kind {name:?}: use one of {}",
            known.join(", ")
        ))
    })
}

/// A task kind (its name, an alias or one of its actions):
/// `{"ok": {"name", "startAction", "pollAction"}}`.
pub fn wait_task(kind: &str) -> String {
    answer(task_kind(kind).map(|k| {
        json!({ "name": k.name(), "startAction": k.start_action(), "pollAction": k.poll_action() })
    }))
}

/// The polling action's parameters from `base_json` (for `Agent`) and the task id.
pub fn wait_poll_params(kind: &str, base_json: &str, task_id: &str) -> String {
    answer((|| {
        Ok(task_kind(kind)?.poll_params(&parse("the parameters", base_json)?, task_id))
    })())
}

/// One answer of the polling action: `{"ok": {"state": "pending", "status", "percent"}}`,
/// `{"ok": {"state": "done", "status": "Done"}}`, or a `task` error when the task failed.
pub fn wait_classify(kind: &str, response_json: &str, task_id: &str) -> String {
    answer((|| {
        let k = task_kind(kind)?;
        let response = parse("the response", response_json)?;
        Ok(match waiter::classify(k, &response) {
            Progress::Pending { status, percent } => {
                json!({ "state": "pending", "status": status, "percent": percent })
            }
            Progress::Done(_) => json!({ "state": "done", "status": "Done", "percent": null }),
            failed @ Progress::Failed { .. } => {
                failed.into_result(k, task_id)?;
                json!({ "state": "done", "status": "Done", "percent": null })
            }
        })
    })())
}

/// Core's default wait policy: `{"ok": {"initialDelayMs", "multiplier", "maxDelayMs",
/// "deadlineMs"}}`.
pub fn wait_policy() -> String {
    let p = WaitPolicy::default();
    json!({ "ok": {
        "initialDelayMs": p.initial_delay_ms,
        "multiplier": p.multiplier,
        "maxDelayMs": p.max_delay_ms,
        "deadlineMs": p.deadline_ms,
    }})
    .to_string()
}

/// `waiter::decide`: the wait (ms) before the next poll after poll `attempt` (1-based) found
/// the task pending `elapsed_ms` after the first poll, or `null` past the deadline.
/// `policy_json` holds any of `wait_policy`'s members (the others: core's defaults).
pub fn wait_decide(policy_json: &str, attempt: f64, elapsed_ms: f64) -> String {
    answer((|| {
        let given = parse("the policy", policy_json)?;
        let d = WaitPolicy::default();
        let ms = |key: &str, default: u64| {
            given
                .get(key)
                .and_then(Value::as_f64)
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map_or(default, |n| n as u64)
        };
        let policy = WaitPolicy {
            initial_delay_ms: ms("initialDelayMs", d.initial_delay_ms),
            multiplier: given
                .get("multiplier")
                .and_then(Value::as_f64)
                .unwrap_or(d.multiplier),
            max_delay_ms: ms("maxDelayMs", d.max_delay_ms),
            deadline_ms: ms("deadlineMs", d.deadline_ms),
        };
        let attempt = if attempt.is_finite() && attempt >= 1.0 {
            attempt as u32
        } else {
            1
        };
        let elapsed = if elapsed_ms.is_finite() && elapsed_ms > 0.0 {
            elapsed_ms as u64
        } else {
            0
        };
        Ok(json!(waiter::decide(&policy, attempt, elapsed)))
    })())
}

// --- pagination -------------------------------------------------------------------------------

/// How `action` pages: `{"ok": {"itemsMember", "totalMember", "defaultLimit", "maxLimit"}}`,
/// or a `validation` error for an action that does not page.
pub fn page_info(action: &str) -> String {
    answer((|| {
        paginate::first_page(action, &Value::Null)?;
        let info = paginate::pageable(action)
            .ok_or_else(|| usage(format!("{action} is not a paginated action")))?;
        Ok(json!({
            "itemsMember": info.items_member,
            "totalMember": info.total_member,
            "defaultLimit": info.default_limit,
            "maxLimit": info.max_limit,
        }))
    })())
}

/// The parameters of the first page: `Offset` and `Limit` filled in.
pub fn page_first(action: &str, params_json: &str) -> String {
    answer((|| {
        paginate::first_page(action, &parse("the parameters", params_json)?)
    })())
}

/// The parameters of the next page, or `null` after the last page.
pub fn page_next(action: &str, params_json: &str, response_json: &str) -> String {
    answer((|| {
        let params = parse("the parameters", params_json)?;
        let response = parse("the response", response_json)?;
        Ok(paginate::next_page(action, &params, &response)?.unwrap_or(Value::Null))
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_round_trip_and_refusal() {
        const KEY: &str = "0123456789ABCDEFfedcba9876543210";
        let env = br#"{"MsgId":"m1","MsgType":"FlowStatusChange","MsgVersion":"ThirdPartyApp","MsgData":{"FlowId":"f"}}"#;
        let sealed: Value =
            serde_json::from_str(&callback_seal(env, Some(KEY), Some("t"))).unwrap();
        let body = sealed["ok"]["body"].as_str().unwrap();
        let sig = sealed["ok"]["signature"].as_str().unwrap();
        let opened: Value = serde_json::from_str(&callback_open(
            body.as_bytes(),
            Some(KEY),
            Some("t"),
            Some(sig),
        ))
        .unwrap();
        assert_eq!(opened["ok"]["MsgId"], "m1");
        let bad: Value = serde_json::from_str(&callback_open(
            body.as_bytes(),
            Some(KEY),
            Some("t"),
            Some("sha256=00"),
        ))
        .unwrap();
        assert_eq!(bad["error"]["kind"], "callback");
        assert!(!bad.to_string().contains(KEY));
    }

    #[test]
    fn upload_precheck_refuses_a_large_image_by_size() {
        let heads = b"\x89PNG\r\n\x1a\n";
        let files = format!(r#"[{{"name":"a.png","size":{},"headLen":8}}]"#, 9 << 20);
        let v: Value = serde_json::from_str(&upload_precheck(&files, heads, "DOCUMENT")).unwrap();
        assert_eq!(v["error"]["kind"], "validation");
        let many = format!("[{}]", vec![r#"{"name":"a.pdf","size":1}"#; 21].join(","));
        let v: Value =
            serde_json::from_str(&upload_precheck(&many, &[b'%'; 21], "DOCUMENT")).unwrap();
        assert_eq!(v["error"]["path"], "FileInfos");
    }

    #[test]
    fn wait_schedule_is_cores() {
        let v: Value = serde_json::from_str(&wait_decide("{}", 1.0, 0.0)).unwrap();
        assert_eq!(v["ok"], 1000);
        let v: Value = serde_json::from_str(&wait_decide("{}", 1.0, 600_000.0)).unwrap();
        assert_eq!(v["ok"], Value::Null);
    }
}
