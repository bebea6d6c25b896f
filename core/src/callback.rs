//! Callbacks (回调): authenticate, decrypt and parse what the service POSTs to your URL.
//!
//! The service sends `{"encrypt": "<base64>"}`: the envelope
//! `{"MsgId", "MsgType", "MsgVersion", "MsgData"}` as JSON, encrypted with AES-256-CBC whose
//! key is the UTF-8 bytes of the 32-character callback key configured in the console, whose
//! IV is the first 16 of those bytes, with PKCS#7 padding. When a token is configured, the
//! request carries `Content-Signature: sha256=<hex HMAC-SHA256(token, raw body)>`. Without a
//! key the body is the plain envelope; the console's URL check posts `{}`.
//!
//! [`open`] does it all: the signature first (constant-time, over the raw bytes exactly as
//! received — read the body before any JSON parsing or re-encoding), then the decryption,
//! then the envelope. It returns `Ok(None)` for the URL check (answer 200) and a
//! [`CallbackEvent`] otherwise; any [`Error::Callback`] means "refuse with an error status
//! and process nothing".
//!
//! **Replays and duplicates.** A callback has no timestamp and no nonce, and the service
//! retries deliveries that did not get a 2xx answer, so the same message can arrive more than
//! once, and a captured message can be replayed. Keep the `MsgId`s you processed (in your
//! database, with the business change, in one transaction) and ignore a `MsgId` you have
//! already seen; make handlers idempotent (e.g. compare `FlowStatus` with what you stored).
//! Use HTTPS for the callback URL and configure a token so that forged bodies are refused.
//!
//! ```
//! use essbasic::callback::{self, Event};
//!
//! const KEY: &str = "0123456789ABCDEFfedcba9876543210";
//! let envelope = br#"{"MsgId":"m1","MsgType":"FlowStatusChange","MsgVersion":"ThirdPartyApp",
//!                     "MsgData":{"FlowId":"yDf1","FlowStatus":"ALL"}}"#;
//! // What the service would send (sealing is deterministic: the IV comes from the key).
//! let sent = callback::seal(envelope, Some(KEY), Some("token"))?;
//!
//! let event = callback::open(&sent.body, Some(KEY), Some("token"), sent.signature.as_deref())?
//!     .expect("not a URL check");
//! assert_eq!(event.msg_id, "m1");
//! match event.event() {
//!     Event::FlowStatusChange(f) => assert_eq!(f.flow_status.as_deref(), Some("ALL")),
//!     other => panic!("{other:?}"),
//! }
//! // The console's URL check:
//! assert!(callback::open(b"{}", Some(KEY), None, None)?.is_none());
//! # Ok::<(), essbasic::Error>(())
//! ```

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Map, Value};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::error::Error;

/// The header that carries the body's HMAC.
pub const SIGNATURE_HEADER: &str = "Content-Signature";

/// The largest callback body accepted (4 MiB); larger bodies are refused unread.
pub const MAX_BODY_BYTES: usize = 4 << 20;

/// One decoded callback message.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackEvent {
    /// `MsgId`: unique per message; de-duplicate on it (see the module docs).
    pub msg_id: String,
    /// `MsgType`, e.g. `FlowStatusChange`.
    pub msg_type: String,
    /// `MsgVersion`: `ThirdPartyApp` for partner applications.
    pub msg_version: String,
    /// `MsgData`, untouched (a `MsgData` sent as a JSON string is parsed into an object).
    pub msg_data: Value,
}

impl CallbackEvent {
    /// The typed view of the message for the documented `MsgType`s; [`Event::Other`] for the
    /// rest. Fields the service leaves out are `None`; `msg_data` always has everything.
    pub fn event(&self) -> Event {
        let d = &self.msg_data;
        match self.msg_type.as_str() {
            "FlowStatusChange" => Event::FlowStatusChange(FlowStatusChange::from_value(d)),
            "OperateSeal" => Event::OperateSeal(OperateSeal::from_value(d)),
            "VerifyStaffInfo" => Event::VerifyStaffInfo(VerifyStaffInfo::from_value(d)),
            "OrgAuth" => Event::OrgAuth(OrgAuth::from_value(d)),
            "OrgCertify" => Event::OrgCertify(OrgCertify::from_value(d)),
            "OrgOpenTsignBiz" => Event::OrgOpenTsignBiz(OrgOpenTsignBiz::from_value(d)),
            other => Event::Other {
                msg_type: other.to_owned(),
                data: d.clone(),
            },
        }
    }

    /// The envelope as JSON: `{"MsgId", "MsgType", "MsgVersion", "MsgData"}` (what bindings
    /// return).
    pub fn to_value(&self) -> Value {
        json!({
            "MsgId": self.msg_id,
            "MsgType": self.msg_type,
            "MsgVersion": self.msg_version,
            "MsgData": self.msg_data,
        })
    }
}

/// A callback message by type. The documented partner (第三方应用集成) types are typed;
/// every other type (new ones included) passes through as [`Event::Other`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `FlowStatusChange`: a contract was created, signed, refused, cancelled, expired...
    FlowStatusChange(FlowStatusChange),
    /// `OperateSeal`: a seal was created, deleted, disabled, enabled or (un)authorized.
    OperateSeal(OperateSeal),
    /// `VerifyStaffInfo`: an employee joined a sub-organization (实名加入).
    VerifyStaffInfo(VerifyStaffInfo),
    /// `OrgAuth`: a sub-organization authorized (first activation step).
    OrgAuth(OrgAuth),
    /// `OrgCertify`: the authorization letter of a sub-organization was reviewed.
    OrgCertify(OrgCertify),
    /// `OrgOpenTsignBiz`: a sub-organization finished activation (carries `ProxyAppId`).
    OrgOpenTsignBiz(OrgOpenTsignBiz),
    /// Any other `MsgType`, untyped.
    Other {
        /// The `MsgType`.
        msg_type: String,
        /// The `MsgData`.
        data: Value,
    },
}

/// `MsgData` of `FlowStatusChange`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowStatusChange {
    /// `ApplicationId`: the partner application.
    pub application_id: Option<String>,
    /// `ProxyOrganizationOpenId`: the sub-organization that owns the flow.
    pub proxy_organization_open_id: Option<String>,
    /// `FlowId`.
    pub flow_id: Option<String>,
    /// `FlowName`.
    pub flow_name: Option<String>,
    /// `FlowType`.
    pub flow_type: Option<String>,
    /// `FlowStatus`: `INIT`, `PART`, `REJECT`, `ALL`, `DEADLINE`, `CANCEL`, `RELIEVED`,
    /// `INVALID`...
    pub flow_status: Option<String>,
    /// `FlowMessage`: the reason of a refusal or cancellation.
    pub flow_message: Option<String>,
    /// `CreateOn`, Unix seconds.
    pub create_on: Option<i64>,
    /// `Deadline`, Unix seconds.
    pub deadline: Option<i64>,
    /// `CustomerData`: what you passed when creating the flow.
    pub customer_data: Option<String>,
    /// `FlowApproverInfo`: the signers and their status.
    pub approvers: Vec<FlowApprover>,
}

impl FlowStatusChange {
    /// Whether `FlowStatus` is final (`ALL`, `REJECT`, `DEADLINE`, `CANCEL`, `RELIEVED`,
    /// `INVALID`): no later status change will follow.
    pub fn is_final(&self) -> bool {
        matches!(
            self.flow_status.as_deref(),
            Some("ALL" | "REJECT" | "DEADLINE" | "CANCEL" | "RELIEVED" | "INVALID")
        )
    }

    fn from_value(d: &Value) -> Self {
        FlowStatusChange {
            application_id: text(d, "ApplicationId"),
            proxy_organization_open_id: text(d, "ProxyOrganizationOpenId"),
            flow_id: text(d, "FlowId"),
            flow_name: text(d, "FlowName"),
            flow_type: text(d, "FlowType"),
            flow_status: text(d, "FlowStatus"),
            flow_message: text(d, "FlowMessage"),
            create_on: int(d, "CreateOn"),
            deadline: int(d, "Deadline").or_else(|| int(d, "DeadLine")),
            customer_data: text(d, "CustomerData"),
            approvers: d
                .get("FlowApproverInfo")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(FlowApprover::from_value).collect())
                .unwrap_or_default(),
        }
    }
}

/// One signer in `FlowStatusChange.FlowApproverInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowApprover {
    /// `ReceiptId`: the signer's recipient id.
    pub receipt_id: Option<String>,
    /// `ProxyOrganizationOpenId`.
    pub proxy_organization_open_id: Option<String>,
    /// `ProxyOperatorOpenId`.
    pub proxy_operator_open_id: Option<String>,
    /// `ProxyOrganizationName`.
    pub proxy_organization_name: Option<String>,
    /// `Mobile` (masked by the service).
    pub mobile: Option<String>,
    /// `SignOrder`.
    pub sign_order: Option<i64>,
    /// `ApproveName`.
    pub approve_name: Option<String>,
    /// `ApproveStatus`: `PENDING`, `ACCEPT`, `REJECT`, `DEADLINE`, `CANCEL`...
    pub approve_status: Option<String>,
    /// `ApproveMessage`.
    pub approve_message: Option<String>,
    /// `ApproveTime`, Unix seconds.
    pub approve_time: Option<i64>,
    /// `ApproveType`: `PERSON`, `ORGANIZATION`...
    pub approve_type: Option<String>,
}

impl FlowApprover {
    fn from_value(d: &Value) -> Self {
        FlowApprover {
            receipt_id: text(d, "ReceiptId"),
            proxy_organization_open_id: text(d, "ProxyOrganizationOpenId"),
            proxy_operator_open_id: text(d, "ProxyOperatorOpenId"),
            proxy_organization_name: text(d, "ProxyOrganizationName"),
            mobile: text(d, "Mobile"),
            sign_order: int(d, "SignOrder"),
            approve_name: text(d, "ApproveName"),
            approve_status: text(d, "ApproveStatus"),
            approve_message: text(d, "ApproveMessage"),
            approve_time: int(d, "ApproveTime"),
            approve_type: text(d, "ApproveType"),
        }
    }
}

/// `MsgData` of `OperateSeal`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OperateSeal {
    /// `ApplicationId`.
    pub application_id: Option<String>,
    /// `ProxyOrganizationOpenId`.
    pub proxy_organization_open_id: Option<String>,
    /// `ProxyOperatorOpenId`: who performed the operation.
    pub proxy_operator_open_id: Option<String>,
    /// `AuthorizedOperatorOpenId`: the employee (un)authorized, for `Valid` / `Invalid`.
    pub authorized_operator_open_id: Option<String>,
    /// `SealId`.
    pub seal_id: Option<String>,
    /// `SealName`.
    pub seal_name: Option<String>,
    /// `Operate`: `Create`, `Delete`, `Disable`, `Enable`, `Valid` or `Invalid`.
    pub operate: Option<String>,
}

impl OperateSeal {
    fn from_value(d: &Value) -> Self {
        OperateSeal {
            application_id: text(d, "ApplicationId"),
            proxy_organization_open_id: text(d, "ProxyOrganizationOpenId"),
            proxy_operator_open_id: text(d, "ProxyOperatorOpenId"),
            authorized_operator_open_id: text(d, "AuthorizedOperatorOpenId"),
            seal_id: text(d, "SealId"),
            seal_name: text(d, "SealName"),
            operate: text(d, "Operate"),
        }
    }
}

/// `MsgData` of `VerifyStaffInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyStaffInfo {
    /// `ApplicationId`.
    pub application_id: Option<String>,
    /// `ProxyOrganizationOpenId`.
    pub proxy_organization_open_id: Option<String>,
    /// `ProxyOperatorOpenId`: the employee who joined.
    pub proxy_operator_open_id: Option<String>,
}

impl VerifyStaffInfo {
    fn from_value(d: &Value) -> Self {
        VerifyStaffInfo {
            application_id: text(d, "ApplicationId"),
            proxy_organization_open_id: text(d, "ProxyOrganizationOpenId"),
            proxy_operator_open_id: text(d, "ProxyOperatorOpenId"),
        }
    }
}

/// `MsgData` of `OrgAuth`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgAuth {
    /// `ApplicationId`.
    pub application_id: Option<String>,
    /// `ProxyOrganizationOpenId`.
    pub proxy_organization_open_id: Option<String>,
    /// `ProxyOperatorOpenId`.
    pub proxy_operator_open_id: Option<String>,
    /// `AuthSuccess`.
    pub auth_success: Option<bool>,
}

impl OrgAuth {
    fn from_value(d: &Value) -> Self {
        OrgAuth {
            application_id: text(d, "ApplicationId"),
            proxy_organization_open_id: text(d, "ProxyOrganizationOpenId"),
            proxy_operator_open_id: text(d, "ProxyOperatorOpenId"),
            auth_success: boolean(d, "AuthSuccess"),
        }
    }
}

/// `MsgData` of `OrgCertify`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgCertify {
    /// `ApplicationId`.
    pub application_id: Option<String>,
    /// `ProxyOrganizationOpenId`.
    pub proxy_organization_open_id: Option<String>,
    /// `OperateSuccess`: whether the review passed.
    pub operate_success: Option<bool>,
    /// `CertifyReason`: why it failed.
    pub certify_reason: Option<String>,
    /// `OperateTime`, as sent (`2022-07-04 19:05:09`).
    pub operate_time: Option<String>,
}

impl OrgCertify {
    fn from_value(d: &Value) -> Self {
        OrgCertify {
            application_id: text(d, "ApplicationId"),
            proxy_organization_open_id: text(d, "ProxyOrganizationOpenId"),
            operate_success: boolean(d, "OperateSuccess"),
            certify_reason: text(d, "CertifyReason"),
            operate_time: text(d, "OperateTime"),
        }
    }
}

/// `MsgData` of `OrgOpenTsignBiz`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgOpenTsignBiz {
    /// `ApplicationId`.
    pub application_id: Option<String>,
    /// `ProxyOrganizationOpenId`.
    pub proxy_organization_open_id: Option<String>,
    /// `ProxyOperatorOpenId`.
    pub proxy_operator_open_id: Option<String>,
    /// `ProxyAppId`: the sub-organization's application id.
    pub proxy_app_id: Option<String>,
    /// `OpenSuccess`.
    pub open_success: Option<bool>,
    /// `OrganizationName`.
    pub organization_name: Option<String>,
    /// `USCC`: the unified social credit code.
    pub uscc: Option<String>,
    /// `LegalName`.
    pub legal_name: Option<String>,
}

impl OrgOpenTsignBiz {
    fn from_value(d: &Value) -> Self {
        OrgOpenTsignBiz {
            application_id: text(d, "ApplicationId"),
            proxy_organization_open_id: text(d, "ProxyOrganizationOpenId"),
            proxy_operator_open_id: text(d, "ProxyOperatorOpenId"),
            proxy_app_id: text(d, "ProxyAppId"),
            open_success: boolean(d, "OpenSuccess"),
            organization_name: text(d, "OrganizationName"),
            uscc: text(d, "USCC"),
            legal_name: text(d, "LegalName"),
        }
    }
}

/// Authenticates, decrypts and parses one callback body.
///
/// - `body`: the raw request body, byte for byte.
/// - `key`: the 32-character callback key, or `None` when the console has none (the body is
///   then the plain envelope; an encrypted body is refused).
/// - `token`: the signing token; when set, `signature_header` (the `Content-Signature`
///   value) is required and checked in constant time. When `None`, no signature is checked.
///
/// Returns `Ok(None)` for the console's URL check (`{}`), which carries nothing to process.
pub fn open(
    body: &[u8],
    key: Option<&str>,
    token: Option<&str>,
    signature_header: Option<&str>,
) -> Result<Option<CallbackEvent>, Error> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Error::callback(format!(
            "the body has {} bytes, more than {MAX_BODY_BYTES}",
            body.len()
        )));
    }
    let key = key.filter(|k| !k.is_empty());
    let token = token.filter(|t| !t.is_empty());
    if let Some(k) = key {
        check_key(k)?;
    }
    let outer: Value = serde_json::from_slice(strip_bom(body))
        .map_err(|e| Error::callback(format!("the body is not JSON: {e}")))?;
    let Value::Object(outer) = outer else {
        return Err(Error::callback("the body is not a JSON object"));
    };
    if outer.is_empty() {
        // The URL check: nothing to trust or process; a signature, if sent, must still match.
        if let (Some(t), Some(h)) = (token, signature_header) {
            verify_signature(body, t, h)?;
        }
        return Ok(None);
    }
    if let Some(t) = token {
        let header = signature_header
            .filter(|h| !h.trim().is_empty())
            .ok_or_else(|| {
                Error::callback(format!(
                    "no {SIGNATURE_HEADER} header, but a callback token is configured"
                ))
            })?;
        verify_signature(body, t, header)?;
    }
    let encrypted = outer.get("encrypt");
    let plain = match (key, encrypted) {
        (Some(k), Some(Value::String(data))) => decrypt(data, k)?,
        (Some(_), Some(_)) => return Err(Error::callback("`encrypt` is not a string")),
        (Some(_), None) => {
            return Err(Error::callback(
                "the body is not encrypted, but a callback key is configured",
            ))
        }
        (None, Some(_)) => {
            return Err(Error::callback(
                "the body is encrypted, but no callback key is configured",
            ))
        }
        (None, None) => return parse_object(outer).map(Some),
    };
    parse_envelope(&plain).map(Some)
}

/// Like [`open`], returning the envelope as JSON (`null` for the URL check): what bindings
/// forward.
pub fn open_value(
    body: &[u8],
    key: Option<&str>,
    token: Option<&str>,
    signature_header: Option<&str>,
) -> Result<Value, Error> {
    Ok(open(body, key, token, signature_header)?
        .map(|e| e.to_value())
        .unwrap_or(Value::Null))
}

/// Checks `Content-Signature: sha256=<hex HMAC-SHA256(token, body)>` in constant time.
pub fn verify_signature(body: &[u8], token: &str, signature_header: &str) -> Result<(), Error> {
    let value = signature_header.trim();
    let hex_part = value
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("sha256="))
        .map(|_| value[7..].trim())
        .ok_or_else(|| {
            Error::callback(format!(
                "{SIGNATURE_HEADER} is not of the form sha256=<hex>"
            ))
        })?;
    let given = hex::decode(hex_part)
        .map_err(|_| Error::callback(format!("{SIGNATURE_HEADER} is not hexadecimal")))?;
    let expected = hmac_sha256(token.as_bytes(), body);
    if bool::from(expected.as_slice().ct_eq(&given)) {
        Ok(())
    } else {
        Err(Error::callback(format!(
            "{SIGNATURE_HEADER} does not match the body: forged, altered, or a wrong token"
        )))
    }
}

/// The `Content-Signature` value for `body`: `sha256=<hex HMAC-SHA256(token, body)>`.
pub fn signature(token: &str, body: &[u8]) -> String {
    format!(
        "sha256={}",
        hex::encode(hmac_sha256(token.as_bytes(), body))
    )
}

/// Decrypts the `encrypt` member: base64 → AES-256-CBC (key: the key's UTF-8 bytes, IV:
/// its first 16 bytes) → PKCS#7 unpadding.
pub fn decrypt(encrypt_b64: &str, key: &str) -> Result<Vec<u8>, Error> {
    check_key(key)?;
    let data = B64
        .decode(encrypt_b64.trim())
        .map_err(|_| Error::callback("`encrypt` is not standard base64"))?;
    if data.is_empty() || data.len() % 16 != 0 {
        return Err(Error::callback(format!(
            "`encrypt` has {} bytes, not a positive multiple of the 16-byte block",
            data.len()
        )));
    }
    let k = key.as_bytes();
    cbc::Decryptor::<aes::Aes256>::new_from_slices(k, &k[..16])
        .map_err(|_| Error::callback("the callback key must be 32 bytes"))?
        .decrypt_padded_vec_mut::<Pkcs7>(&data)
        .map_err(|_| Error::callback("cannot decrypt `encrypt`: wrong callback key?"))
}

/// Parses a decrypted (or plain) envelope.
pub fn parse_envelope(plain: &[u8]) -> Result<CallbackEvent, Error> {
    match serde_json::from_slice::<Value>(strip_bom(plain)) {
        Ok(Value::Object(map)) => parse_object(map),
        Ok(_) => Err(Error::callback("the message is not a JSON object")),
        Err(_) => Err(Error::callback(
            "the decrypted message is not JSON: wrong callback key?",
        )),
    }
}

/// What the service would send for `envelope_json`: the body (`{"encrypt": ...}`, or the
/// envelope itself without a key) and the `Content-Signature` value when a token is given.
/// For tests of your handler, and for tools that replay a stored callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedCallback {
    /// The HTTP body.
    pub body: Vec<u8>,
    /// The `Content-Signature` header value, when a token was given.
    pub signature: Option<String>,
}

/// Builds a callback body the way the service does (see [`SealedCallback`]). Deterministic:
/// the IV is derived from the key.
pub fn seal(
    envelope_json: &[u8],
    key: Option<&str>,
    token: Option<&str>,
) -> Result<SealedCallback, Error> {
    let body = match key.filter(|k| !k.is_empty()) {
        Some(k) => {
            check_key(k)?;
            let kb = k.as_bytes();
            let ct = cbc::Encryptor::<aes::Aes256>::new_from_slices(kb, &kb[..16])
                .map_err(|_| Error::callback("the callback key must be 32 bytes"))?
                .encrypt_padded_vec_mut::<Pkcs7>(envelope_json);
            serde_json::to_vec(&json!({ "encrypt": B64.encode(ct) })).expect("serializes")
        }
        None => envelope_json.to_vec(),
    };
    let signature = token
        .filter(|t| !t.is_empty())
        .map(|t| self::signature(t, &body));
    Ok(SealedCallback { body, signature })
}

fn parse_object(mut map: Map<String, Value>) -> Result<CallbackEvent, Error> {
    let mut take = |name: &str| match map.remove(name) {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let msg_type = take("MsgType")
        .ok_or_else(|| Error::callback("the message has no MsgType: not a callback envelope"))?;
    let msg_id = take("MsgId").unwrap_or_default();
    let msg_version = take("MsgVersion").unwrap_or_default();
    let msg_data = match map.remove("MsgData") {
        Some(Value::String(s)) => match serde_json::from_str::<Value>(&s) {
            Ok(v @ Value::Object(_)) => v,
            _ => Value::String(s),
        },
        Some(v) => v,
        None => Value::Object(Map::new()),
    };
    Ok(CallbackEvent {
        msg_id,
        msg_type,
        msg_version,
        msg_data,
    })
}

fn check_key(key: &str) -> Result<(), Error> {
    if key.len() != 32 {
        return Err(Error::callback(format!(
            "the callback key has {} bytes, want 32 (AES-256)",
            key.len()
        )));
    }
    Ok(())
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

/// A string member; numbers are given as their decimal text.
fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An integer member; a numeric string is accepted.
fn int(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean member; `"true"` / `"false"` and `1` / `0` are accepted.
fn boolean(v: &Value, key: &str) -> Option<bool> {
    match v.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        _ => None,
    }
}
