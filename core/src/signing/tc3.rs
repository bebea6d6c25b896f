//! Signature v3, `TC3-HMAC-SHA256`, one function per stage of the published algorithm.
//!
//! ```text
//! CanonicalRequest = HTTPRequestMethod + '\n' + CanonicalURI + '\n' + CanonicalQueryString + '\n'
//!                  + CanonicalHeaders + '\n' + SignedHeaders + '\n' + HashedRequestPayload
//! StringToSign     = Algorithm + '\n' + RequestTimestamp + '\n' + CredentialScope + '\n'
//!                  + HashedCanonicalRequest
//! SecretDate       = HMAC_SHA256("TC3" + SecretKey, Date)
//! SecretService    = HMAC_SHA256(SecretDate, Service)
//! SecretSigning    = HMAC_SHA256(SecretService, "tc3_request")
//! Signature        = HexEncode(HMAC_SHA256(SecretSigning, StringToSign))
//! Authorization    = Algorithm + ' ' + 'Credential=' + SecretId + '/' + CredentialScope + ', '
//!                  + 'SignedHeaders=' + SignedHeaders + ', ' + 'Signature=' + Signature
//! ```
//!
//! The signer is given the exact bytes that go on the wire (the body for POST, the query
//! string for GET) and never re-serializes them.
//!
//! For a browser that must not hold the SecretKey, split the work: [`presign`] computes the
//! string to sign locally, a server holding the key answers with [`sign_string`], and
//! [`Presigned::finish`] plus [`headers`] complete the request.

use std::fmt;

use std::sync::Mutex;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{hmac_sha256, utc_date};
use crate::credentials::Credentials;

/// The algorithm name, first line of the string to sign and first word of Authorization.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The headers that take part in the signature, as listed in Authorization.
pub const SIGNED_HEADERS: &str = "content-type;host";

/// The literal hashed instead of the body when the payload is not signed, and the value of
/// the `X-TC-Content-SHA256` header that announces it.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// What the TC3 signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tc3Input<'a> {
    /// The HTTP method, `POST` or `GET` (upper-cased when signed).
    pub method: &'a str,
    /// The `Host` header, e.g. `essbasic.tencentcloudapi.com`.
    pub host: &'a str,
    /// The request path; always `/` for API 3.0 (an empty path counts as `/`).
    pub path: &'a str,
    /// The exact query string sent (GET), without `?`; empty for POST.
    pub query: &'a str,
    /// The `Content-Type` header, e.g. `application/json`.
    pub content_type: &'a str,
    /// The exact body bytes sent; empty for GET.
    pub payload: &'a [u8],
    /// Sign `UNSIGNED-PAYLOAD` instead of the body (and send `X-TC-Content-SHA256`).
    pub unsigned_payload: bool,
    /// The service of the credential scope, `essbasic`.
    pub service: &'a str,
    /// The request time, Unix seconds (sent as `X-TC-Timestamp`).
    pub timestamp: i64,
}

/// `HashedRequestPayload = Lowercase(HexEncode(SHA256(RequestPayload)))`, where the payload is
/// the literal `UNSIGNED-PAYLOAD` when [`Tc3Input::unsigned_payload`] is set.
pub fn hashed_payload(input: &Tc3Input) -> String {
    let hex = payload_hash_hex(input);
    hex_str(&hex).to_owned()
}

fn payload_hash_hex(input: &Tc3Input) -> [u8; 64] {
    let payload = if input.unsigned_payload {
        UNSIGNED_PAYLOAD.as_bytes()
    } else {
        input.payload
    };
    hex32(&Sha256::digest(payload).into())
}

/// Lowercase hex of 32 bytes, without allocating.
fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = DIGITS[usize::from(b >> 4)];
        out[2 * i + 1] = DIGITS[usize::from(b & 15)];
    }
    out
}

fn hex_str(hex: &[u8; 64]) -> &str {
    std::str::from_utf8(hex).expect("hex digits are ASCII")
}

/// Appends `s` trimmed and ASCII-lower-cased.
fn push_lower(out: &mut String, s: &str) {
    let s = s.trim();
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.push_str(s);
    }
}

/// `CanonicalHeaders = 'content-type:' + ContentType + '\n' + 'host:' + Host + '\n'`:
/// names and values lower-cased and trimmed, names in ASCII order.
pub fn canonical_headers(input: &Tc3Input) -> String {
    let mut out = String::with_capacity(20 + input.content_type.len() + input.host.len());
    push_canonical_headers(&mut out, input);
    out
}

fn push_canonical_headers(out: &mut String, input: &Tc3Input) {
    out.push_str("content-type:");
    push_lower(out, input.content_type);
    out.push_str("\nhost:");
    push_lower(out, input.host);
    out.push('\n');
}

/// `CanonicalRequest = HTTPRequestMethod + '\n' + CanonicalURI + '\n' + CanonicalQueryString
/// + '\n' + CanonicalHeaders + '\n' + SignedHeaders + '\n' + HashedRequestPayload`.
pub fn canonical_request(input: &Tc3Input) -> String {
    let uri = if input.path.is_empty() {
        "/"
    } else {
        input.path
    };
    let mut out = String::with_capacity(
        input.method.len()
            + uri.len()
            + input.query.len()
            + input.content_type.len()
            + input.host.len()
            + SIGNED_HEADERS.len()
            + 96,
    );
    if input.method.bytes().any(|b| b.is_ascii_lowercase()) {
        out.push_str(&input.method.to_ascii_uppercase());
    } else {
        out.push_str(input.method);
    }
    out.push('\n');
    out.push_str(uri);
    out.push('\n');
    out.push_str(input.query);
    out.push('\n');
    push_canonical_headers(&mut out, input);
    out.push('\n');
    out.push_str(SIGNED_HEADERS);
    out.push('\n');
    out.push_str(hex_str(&payload_hash_hex(input)));
    out
}

/// `CredentialScope = Date + '/' + Service + '/tc3_request'`, with the UTC date of the
/// timestamp, e.g. `2019-02-25/essbasic/tc3_request`.
pub fn credential_scope(timestamp: i64, service: &str) -> String {
    scope_for_date(&utc_date(timestamp), service)
}

fn scope_for_date(date: &str, service: &str) -> String {
    let mut out = String::with_capacity(date.len() + service.len() + 13);
    out.push_str(date);
    out.push('/');
    out.push_str(service);
    out.push_str("/tc3_request");
    out
}

/// `StringToSign = 'TC3-HMAC-SHA256' + '\n' + RequestTimestamp + '\n' + CredentialScope + '\n'
/// + Lowercase(HexEncode(SHA256(CanonicalRequest)))`.
pub fn string_to_sign(timestamp: i64, credential_scope: &str, canonical_request: &str) -> String {
    let hashed = hex32(&Sha256::digest(canonical_request.as_bytes()).into());
    let mut out = String::with_capacity(ALGORITHM.len() + credential_scope.len() + 88);
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(&timestamp.to_string());
    out.push('\n');
    out.push_str(credential_scope);
    out.push('\n');
    out.push_str(hex_str(&hashed));
    out
}

/// `SecretSigning = HMAC(HMAC(HMAC('TC3' + SecretKey, Date), Service), 'tc3_request')`.
///
/// The result is key material: keep it out of logs like the SecretKey itself.
pub fn derive_signing_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let mut k_secret = Vec::with_capacity(3 + secret_key.len());
    k_secret.extend_from_slice(b"TC3");
    k_secret.extend_from_slice(secret_key.as_bytes());
    let secret_date = hmac_sha256(&k_secret, date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, service.as_bytes());
    hmac_sha256(&secret_service, b"tc3_request")
}

/// `Signature = HexEncode(HMAC_SHA256(SecretSigning, StringToSign))`, lowercase hex.
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex_str(&hex32(&hmac_sha256(signing_key, string_to_sign.as_bytes()))).to_owned()
}

/// `Authorization = 'TC3-HMAC-SHA256 Credential=' + SecretId + '/' + CredentialScope
/// + ', SignedHeaders=' + SignedHeaders + ', Signature=' + Signature`.
pub fn authorization(
    secret_id: &str,
    credential_scope: &str,
    signed_headers: &str,
    signature: &str,
) -> String {
    let mut out = String::with_capacity(
        ALGORITHM.len()
            + secret_id.len()
            + credential_scope.len()
            + signed_headers.len()
            + signature.len()
            + 40,
    );
    out.push_str(ALGORITHM);
    out.push_str(" Credential=");
    out.push_str(secret_id);
    out.push('/');
    out.push_str(credential_scope);
    out.push_str(", SignedHeaders=");
    out.push_str(signed_headers);
    out.push_str(", Signature=");
    out.push_str(signature);
    out
}

/// Every intermediate and final value of one TC3 signature (no secret among them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tc3Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// `Date/Service/tc3_request`.
    pub credential_scope: String,
    /// The signature, lowercase hex.
    pub signature: String,
    /// The `Authorization` header value.
    pub authorization: String,
}

/// The key-free half of a TC3 signature: what a remote signer is asked to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presigned {
    /// The canonical request.
    pub canonical_request: String,
    /// `Date/Service/tc3_request`.
    pub credential_scope: String,
    /// The string to sign, to pass to [`sign_string`] where the SecretKey lives.
    pub string_to_sign: String,
}

impl Presigned {
    /// Completes the signature with a signature computed elsewhere (see [`sign_string`]).
    pub fn finish(self, secret_id: &str, signature: &str) -> Tc3Signature {
        let authorization =
            authorization(secret_id, &self.credential_scope, SIGNED_HEADERS, signature);
        Tc3Signature {
            canonical_request: self.canonical_request,
            string_to_sign: self.string_to_sign,
            credential_scope: self.credential_scope,
            signature: signature.to_owned(),
            authorization,
        }
    }
}

/// Canonical request, credential scope and string to sign: everything that needs no key.
pub fn presign(input: &Tc3Input) -> Presigned {
    let canonical_request = canonical_request(input);
    let credential_scope = credential_scope(input.timestamp, input.service);
    let string_to_sign = string_to_sign(input.timestamp, &credential_scope, &canonical_request);
    Presigned {
        canonical_request,
        credential_scope,
        string_to_sign,
    }
}

/// Signs a request: all stages from the canonical request to the Authorization header.
pub fn sign(input: &Tc3Input, secret_id: &str, secret_key: &str) -> Tc3Signature {
    let date = utc_date(input.timestamp);
    let key = derive_signing_key(secret_key, &date, input.service);
    sign_with_key(input, secret_id, &key, scope_for_date(&date, input.service))
}

fn sign_with_key(
    input: &Tc3Input,
    secret_id: &str,
    key: &[u8; 32],
    credential_scope: String,
) -> Tc3Signature {
    let canonical_request = canonical_request(input);
    let string_to_sign = string_to_sign(input.timestamp, &credential_scope, &canonical_request);
    let signature = signature(key, &string_to_sign);
    let authorization = authorization(secret_id, &credential_scope, SIGNED_HEADERS, &signature);
    Tc3Signature {
        canonical_request,
        string_to_sign,
        credential_scope,
        signature,
        authorization,
    }
}

/// The signing key of one UTC day and service, and its credential scope.
#[derive(Clone)]
struct DayKey {
    day: i64,
    service: String,
    scope: String,
    key: [u8; 32],
}

/// The last derived signing key of a credential (key material: never shown).
#[derive(Default)]
pub(crate) struct KeyCache(Mutex<Option<DayKey>>);

impl KeyCache {
    /// The signing key and credential scope for the timestamp's UTC day and the service,
    /// derived from `secret_key` when the cached one is for another day or service.
    pub(crate) fn get(
        &self,
        secret_key: &str,
        timestamp: i64,
        service: &str,
    ) -> ([u8; 32], String) {
        let day = timestamp.div_euclid(86_400);
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = cache.as_ref() {
            if k.day == day && k.service == service {
                return (k.key, k.scope.clone());
            }
        }
        let date = utc_date(timestamp);
        let key = derive_signing_key(secret_key, &date, service);
        let scope = scope_for_date(&date, service);
        *cache = Some(DayKey {
            day,
            service: service.to_owned(),
            scope: scope.clone(),
            key,
        });
        (key, scope)
    }
}

/// A TC3 signer holding one credential. It derives the signing key (three HMACs) once per
/// UTC day and service instead of once per request, and computes only the Authorization
/// when that is all the caller needs. Same results as [`sign`]; `Debug` shows no secret.
///
/// ```
/// use essbasic::signing::tc3::{sign, Tc3Input, Tc3Signer};
///
/// let input = Tc3Input {
///     method: "POST", host: "essbasic.tencentcloudapi.com", path: "/", query: "",
///     content_type: "application/json", payload: b"{}", unsigned_payload: false,
///     service: "essbasic", timestamp: 1_700_000_000,
/// };
/// let signer = Tc3Signer::new("AKIDexample", "secret");
/// assert_eq!(signer.authorization(&input), sign(&input, "AKIDexample", "secret").authorization);
/// ```
pub struct Tc3Signer {
    secret_id: String,
    secret_key: String,
    cache: KeyCache,
}

impl Tc3Signer {
    /// A signer for this SecretId and SecretKey.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Tc3Signer {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            cache: KeyCache::default(),
        }
    }

    /// The SecretId (not a secret).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    fn day_key(&self, timestamp: i64, service: &str) -> ([u8; 32], String) {
        self.cache.get(&self.secret_key, timestamp, service)
    }

    /// Every stage of the signature, like [`sign`].
    pub fn sign(&self, input: &Tc3Input) -> Tc3Signature {
        let (key, scope) = self.day_key(input.timestamp, input.service);
        sign_with_key(input, &self.secret_id, &key, scope)
    }

    /// Only the `Authorization` header value: `sign(input, ..).authorization`, with no
    /// intermediate string kept.
    pub fn authorization(&self, input: &Tc3Input) -> String {
        let (key, scope) = self.day_key(input.timestamp, input.service);
        let canonical = canonical_request(input);
        let hashed = hex32(&Sha256::digest(canonical.as_bytes()).into());
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("any key length");
        mac.update(ALGORITHM.as_bytes());
        mac.update(b"\n");
        mac.update(input.timestamp.to_string().as_bytes());
        mac.update(b"\n");
        mac.update(scope.as_bytes());
        mac.update(b"\n");
        mac.update(&hashed);
        let signature = hex32(&mac.finalize().into_bytes().into());
        authorization(&self.secret_id, &scope, SIGNED_HEADERS, hex_str(&signature))
    }
}

impl fmt::Debug for Tc3Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tc3Signer")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"** REDACTED **")
            .finish()
    }
}

/// The signature of a string to sign computed elsewhere, for a remote signer: the server
/// that holds the SecretKey answers a browser's [`Presigned::string_to_sign`] with this.
///
/// The timestamp and service must be those of the string to sign (they pick the key).
/// A server should check that `string_to_sign` starts with `TC3-HMAC-SHA256\n<timestamp>\n`
/// and that the timestamp is recent before signing anything on a client's behalf.
pub fn sign_string(
    secret_key: &str,
    timestamp: i64,
    service: &str,
    string_to_sign: &str,
) -> String {
    let key = derive_signing_key(secret_key, &utc_date(timestamp), service);
    signature(&key, string_to_sign)
}

/// The non-signed headers of a TC3 request (the common parameters of API 3.0).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct HeaderInput<'a> {
    /// `X-TC-Action`, e.g. `DescribeTemplates`.
    pub action: &'a str,
    /// `X-TC-Version`, `2021-05-26`.
    pub version: &'a str,
    /// `X-TC-Region`; `None` or empty: no header.
    pub region: Option<&'a str>,
    /// `X-TC-Language` (`zh-CN`, `en-US`); `None` or empty: no header.
    pub language: Option<&'a str>,
    /// `X-TC-Token`; `None` or empty: the credentials' token, if any. A secret.
    pub token: Option<&'a str>,
    /// `X-TC-RequestClient`, e.g. `essbasic-rs/0.1.0`; `None` or empty: no header.
    pub request_client: Option<&'a str>,
    /// `X-TC-TraceId`; `None` or empty: no header.
    pub trace_id: Option<&'a str>,
}

impl fmt::Debug for HeaderInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeaderInput")
            .field("action", &self.action)
            .field("version", &self.version)
            .field("region", &self.region)
            .field("language", &self.language)
            .field("token", &self.token.map(|_| "** REDACTED **"))
            .field("request_client", &self.request_client)
            .field("trace_id", &self.trace_id)
            .finish()
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// The headers the SDK sets for a signed TC3 request, in this order: Authorization,
/// Content-Type, Host, X-TC-Action, X-TC-Timestamp, X-TC-Version, then when given
/// X-TC-Region, X-TC-Token, X-TC-Language, X-TC-Content-SHA256 (`UNSIGNED-PAYLOAD`),
/// X-TC-RequestClient, X-TC-TraceId.
///
/// `token` is the session token (use [`HeaderInput::token`] or the credentials' token).
/// Transport headers (User-Agent, Content-Length, ...) are not included.
pub fn headers(
    input: &Tc3Input,
    hdr: &HeaderInput,
    token: Option<&str>,
    signature: &Tc3Signature,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(12);
    let mut push = |name: &str, value: &str| out.push((name.to_owned(), value.to_owned()));
    push("Authorization", &signature.authorization);
    push("Content-Type", input.content_type);
    push("Host", input.host);
    push("X-TC-Action", hdr.action);
    push("X-TC-Timestamp", &input.timestamp.to_string());
    push("X-TC-Version", hdr.version);
    if let Some(region) = non_empty(hdr.region) {
        push("X-TC-Region", region);
    }
    if let Some(token) = non_empty(token) {
        push("X-TC-Token", token);
    }
    if let Some(language) = non_empty(hdr.language) {
        push("X-TC-Language", language);
    }
    if input.unsigned_payload {
        push("X-TC-Content-SHA256", UNSIGNED_PAYLOAD);
    }
    if let Some(client) = non_empty(hdr.request_client) {
        push("X-TC-RequestClient", client);
    }
    if let Some(trace_id) = non_empty(hdr.trace_id) {
        push("X-TC-TraceId", trace_id);
    }
    out
}

/// Signs the request and returns the signature with the full header set (see [`headers`]).
///
/// The token is [`HeaderInput::token`] when given, else the credentials' token.
pub fn signed_headers(
    input: &Tc3Input,
    hdr: &HeaderInput,
    credentials: &Credentials,
) -> (Tc3Signature, Vec<(String, String)>) {
    let (key, scope) =
        credentials
            .key_cache()
            .get(credentials.secret_key(), input.timestamp, input.service);
    let sig = sign_with_key(input, credentials.secret_id(), &key, scope);
    let token = non_empty(hdr.token).or(credentials.token());
    let headers = headers(input, hdr, token, &sig);
    (sig, headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::sha256_hex;

    const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    /// The published CVM example of the signature v3 documentation.
    fn doc_example() -> Tc3Input<'static> {
        Tc3Input {
            method: "POST",
            host: "cvm.tencentcloudapi.com",
            path: "/",
            query: "",
            content_type: "application/json; charset=utf-8",
            payload: br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#,
            unsigned_payload: false,
            service: "cvm",
            timestamp: 1_551_113_065,
        }
    }

    #[test]
    fn doc_example_stage_by_stage() {
        let input = doc_example();
        assert_eq!(
            hashed_payload(&input),
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        let cr = canonical_request(&input);
        assert_eq!(
            sha256_hex(cr.as_bytes()),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        let scope = credential_scope(input.timestamp, input.service);
        assert_eq!(scope, "2019-02-25/cvm/tc3_request");
        let sts = string_to_sign(input.timestamp, &scope, &cr);
        let key = derive_signing_key(KEY, "2019-02-25", "cvm");
        let sig = signature(&key, &sts);
        assert_eq!(
            sig,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(sign_string(KEY, input.timestamp, "cvm", &sts), sig);
        let full = sign(&input, ID, KEY);
        assert_eq!(full.signature, sig);
        assert_eq!(
            full.authorization,
            authorization(ID, &scope, SIGNED_HEADERS, &sig)
        );
    }

    #[test]
    fn the_signer_equals_sign_across_days_and_services() {
        let signer = Tc3Signer::new(ID, KEY);
        let mut input = doc_example();
        for (timestamp, service) in [
            (1_551_113_065, "cvm"),
            (1_551_113_066, "cvm"),
            (1_551_200_000, "cvm"),
            (1_551_200_000, "essbasic"),
            (1_551_113_065, "cvm"),
        ] {
            input.timestamp = timestamp;
            input.service = service;
            let full = sign(&input, ID, KEY);
            assert_eq!(signer.sign(&input), full);
            assert_eq!(signer.authorization(&input), full.authorization);
        }
        let shown = format!("{signer:?}");
        assert!(!shown.contains(KEY) && shown.contains(ID), "{shown}");
    }

    #[test]
    fn credentials_reused_across_days_and_services_sign_like_sign() {
        // One `Credentials` (and its clone, which shares the key cache) over changing days
        // and services: the cached key must never be used for another day or service.
        let creds = Credentials::new(ID, KEY);
        let clone = creds.clone();
        let hdr = HeaderInput {
            action: "A",
            version: "V",
            ..HeaderInput::default()
        };
        let mut input = doc_example();
        for (timestamp, service) in [
            (1_551_113_065, "cvm"),
            (1_551_139_199, "cvm"),
            (1_551_139_200, "cvm"),
            (1_551_139_200, "essbasic"),
            (1_551_113_065, "cvm"),
        ] {
            input.timestamp = timestamp;
            input.service = service;
            let expected = sign(&input, ID, KEY);
            assert_eq!(signed_headers(&input, &hdr, &creds).0, expected);
            assert_eq!(signed_headers(&input, &hdr, &clone).0, expected);
        }
        assert_eq!(creds, clone);
    }

    #[test]
    fn remote_signing_equals_local_signing() {
        let input = doc_example();
        let pre = presign(&input);
        let remote = sign_string(KEY, input.timestamp, input.service, &pre.string_to_sign);
        assert_eq!(pre.finish(ID, &remote), sign(&input, ID, KEY));
    }

    #[test]
    fn unsigned_payload_hashes_the_literal() {
        let mut input = doc_example();
        input.unsigned_payload = true;
        assert_eq!(hashed_payload(&input), sha256_hex(b"UNSIGNED-PAYLOAD"));
        input.payload = b"anything else";
        assert_eq!(hashed_payload(&input), sha256_hex(b"UNSIGNED-PAYLOAD"));
    }

    #[test]
    fn canonical_headers_are_lowercased_and_trimmed() {
        let mut input = doc_example();
        input.content_type = " Application/JSON ";
        input.host = "CVM.tencentcloudapi.com";
        assert_eq!(
            canonical_headers(&input),
            "content-type:application/json\nhost:cvm.tencentcloudapi.com\n"
        );
        input.path = "";
        input.method = "post";
        assert!(canonical_request(&input).starts_with("POST\n/\n\n"));
    }

    #[test]
    fn header_set_and_absent_headers() {
        let input = doc_example();
        let creds = Credentials::new(ID, KEY).with_token("tok-secret");
        let hdr = HeaderInput {
            action: "DescribeInstances",
            version: "2017-03-12",
            region: Some(""),
            language: None,
            token: None,
            request_client: Some("essbasic-rs"),
            trace_id: None,
        };
        let (sig, headers) = signed_headers(&input, &hdr, &creds);
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Authorization",
                "Content-Type",
                "Host",
                "X-TC-Action",
                "X-TC-Timestamp",
                "X-TC-Version",
                "X-TC-Token",
                "X-TC-RequestClient"
            ]
        );
        assert_eq!(headers[0].1, sig.authorization);
        assert_eq!(headers[4].1, "1551113065");
        assert_eq!(headers[6].1, "tok-secret");
        // The token is not signed.
        assert_eq!(sig, sign(&input, ID, KEY));

        // An explicit token wins over the credentials' one; unsigned payload adds its header.
        let mut input = input;
        input.unsigned_payload = true;
        let hdr = HeaderInput {
            token: Some("explicit"),
            region: Some("ap-guangzhou"),
            language: Some("en-US"),
            trace_id: Some("trace-1"),
            ..hdr
        };
        let (_, headers) = signed_headers(&input, &hdr, &creds);
        let get = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("X-TC-Token"), Some("explicit"));
        assert_eq!(get("X-TC-Region"), Some("ap-guangzhou"));
        assert_eq!(get("X-TC-Language"), Some("en-US"));
        assert_eq!(get("X-TC-Content-SHA256"), Some("UNSIGNED-PAYLOAD"));
        assert_eq!(get("X-TC-TraceId"), Some("trace-1"));
    }

    #[test]
    fn debug_output_holds_no_secret() {
        let input = doc_example();
        let hdr = HeaderInput {
            action: "A",
            version: "V",
            token: Some("tok-secret"),
            ..HeaderInput::default()
        };
        let shown = format!("{hdr:?}");
        assert!(!shown.contains("tok-secret"));
        assert!(shown.contains("REDACTED"));
        let sig = sign(&input, ID, KEY);
        let shown = format!("{sig:?} {:?} {input:?}", presign(&input));
        assert!(!shown.contains(KEY));
    }
}
