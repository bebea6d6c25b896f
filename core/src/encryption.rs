//! The `CreateRequestWithEncryption` envelope: a business request encrypted and
//! integrity-protected inside an ordinary essbasic request, and the encrypted answer.
//!
//! The scheme, as Tencent documents it for this action:
//!
//! - the plaintext is the business action's JSON body;
//! - it is encrypted with AES-CBC (256-bit key) or SM4-CBC (128-bit key), PKCS#7 padding and a
//!   fresh random 16-byte IV for every request (never reused);
//! - `EncryptionSignature` is HMAC(HMACKey, IV ‖ ciphertext): HMAC-SHA256 with AES,
//!   HMAC-SM3 with SM4, over the raw bytes with no separator; the HMAC key is a second key,
//!   different from the encryption key;
//! - `IV`, `EncryptedData` and `EncryptionSignature` are standard base64 of the raw bytes;
//! - an answer is opened in that order: HMAC checked in constant time first, and nothing is
//!   decrypted when it does not match; then the plaintext is the business action's own
//!   answer, which may itself carry `Error`.
//!
//! Core makes no randomness: the IV is an argument ([`seal`]). The `Client`
//! (`Client::call_encrypted`) draws it from the operating system's CSPRNG.
//!
//! ```
//! use essbasic::encryption::{open, seal, Algorithm, EncryptionKeys};
//!
//! let keys = EncryptionKeys::new(
//!     Algorithm::AesCbc,
//!     *b"0123456789abcdef0123456789abcdef",
//!     *b"another-key-for-the-hmac-only!!!",
//! )?;
//! let envelope = seal(br#"{"FlowId":"f"}"#, &keys, [7u8; 16]);
//! assert_eq!(open(&envelope, &keys)?, br#"{"FlowId":"f"}"#);
//! # Ok::<(), essbasic::Error>(())
//! ```

use std::fmt;

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

use crate::error::Error;

/// The action that carries an encrypted request.
pub const ACTION: &str = "CreateRequestWithEncryption";

/// The agreed cipher (and with it the HMAC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// AES-CBC with a 32-byte key (16- and 24-byte keys are accepted too); HMAC-SHA256.
    AesCbc,
    /// SM4-CBC with a 16-byte key; HMAC-SM3.
    Sm4Cbc,
}

impl Algorithm {
    /// `AES-CBC` or `SM4-CBC`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::AesCbc => "AES-CBC",
            Algorithm::Sm4Cbc => "SM4-CBC",
        }
    }

    /// Parses `AES-CBC` / `AES` / `SM4-CBC` / `SM4` (case-insensitive).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        match name.to_ascii_uppercase().as_str() {
            "AES-CBC" | "AES" | "AES-256-CBC" | "AES256" => Some(Algorithm::AesCbc),
            "SM4-CBC" | "SM4" => Some(Algorithm::Sm4Cbc),
            _ => None,
        }
    }

    /// The HMAC's name: `HMAC-SHA256` or `HMAC-SM3`.
    pub fn hmac_name(self) -> &'static str {
        match self {
            Algorithm::AesCbc => "HMAC-SHA256",
            Algorithm::Sm4Cbc => "HMAC-SM3",
        }
    }
}

/// The encryption key and the HMAC key agreed with Tencent, with their algorithm.
///
/// `Debug` never prints the keys.
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptionKeys {
    algorithm: Algorithm,
    cipher_key: Vec<u8>,
    hmac_key: Vec<u8>,
}

impl EncryptionKeys {
    /// Checks the key lengths (AES: 16, 24 or 32 bytes; SM4: 16 bytes), that the HMAC key is
    /// not empty and that the two keys differ (the documentation requires distinct keys).
    pub fn new(
        algorithm: Algorithm,
        cipher_key: impl AsRef<[u8]>,
        hmac_key: impl AsRef<[u8]>,
    ) -> Result<Self, Error> {
        let (cipher_key, hmac_key) = (cipher_key.as_ref(), hmac_key.as_ref());
        let ok = match algorithm {
            Algorithm::AesCbc => matches!(cipher_key.len(), 16 | 24 | 32),
            Algorithm::Sm4Cbc => cipher_key.len() == 16,
        };
        if !ok {
            let want = match algorithm {
                Algorithm::AesCbc => "32 bytes (or 16 / 24)",
                Algorithm::Sm4Cbc => "16 bytes",
            };
            return Err(Error::crypto(format!(
                "the {} key has {} bytes, want {want}",
                algorithm.name(),
                cipher_key.len()
            )));
        }
        if hmac_key.is_empty() {
            return Err(Error::crypto("the HMAC key is empty"));
        }
        if bool::from(hmac_key.ct_eq(cipher_key)) {
            return Err(Error::crypto(
                "the HMAC key must differ from the encryption key",
            ));
        }
        Ok(EncryptionKeys {
            algorithm,
            cipher_key: cipher_key.to_vec(),
            hmac_key: hmac_key.to_vec(),
        })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

impl fmt::Debug for EncryptionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionKeys")
            .field("algorithm", &self.algorithm)
            .field("cipher_key", &"** REDACTED **")
            .field("hmac_key", &"** REDACTED **")
            .finish()
    }
}

/// The three base64 members of the envelope, as sent and as answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `IV`: base64 of the 16 IV bytes.
    pub iv: String,
    /// `EncryptedData`: base64 of the ciphertext.
    pub encrypted_data: String,
    /// `EncryptionSignature`: base64 of HMAC(HMACKey, IV ‖ ciphertext).
    pub encryption_signature: String,
}

impl Envelope {
    /// Reads `IV`, `EncryptedData` and `EncryptionSignature` from a request or `Response`
    /// object. A missing signature is an error: an unsigned answer is never decrypted.
    pub fn from_value(value: &Value) -> Result<Envelope, Error> {
        let get = |name: &str| {
            value
                .get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| Error::crypto(format!("the envelope has no {name}")))
        };
        Ok(Envelope {
            iv: get("IV")?,
            encrypted_data: get("EncryptedData")?,
            encryption_signature: get("EncryptionSignature")?,
        })
    }
}

/// Encrypts `plain` with `keys` and `iv` (16 fresh random bytes from the host: never reuse
/// one) and signs IV ‖ ciphertext.
pub fn seal(plain: &[u8], keys: &EncryptionKeys, iv: [u8; 16]) -> Envelope {
    let ciphertext = encrypt(keys, &iv, plain);
    let mac = mac(keys, &iv, &ciphertext);
    Envelope {
        iv: B64.encode(iv),
        encrypted_data: B64.encode(&ciphertext),
        encryption_signature: B64.encode(mac),
    }
}

/// Verifies the signature in constant time, then (only then) decrypts.
pub fn open(envelope: &Envelope, keys: &EncryptionKeys) -> Result<Vec<u8>, Error> {
    let iv = decode("IV", &envelope.iv)?;
    let ciphertext = decode("EncryptedData", &envelope.encrypted_data)?;
    let signature = decode("EncryptionSignature", &envelope.encryption_signature)?;
    if iv.len() != 16 {
        return Err(Error::crypto(format!(
            "the IV has {} bytes, want 16",
            iv.len()
        )));
    }
    let expected = mac(keys, &iv, &ciphertext);
    // `ct_eq` on slices of different lengths is false without comparing contents.
    if !bool::from(expected.as_slice().ct_eq(&signature)) {
        return Err(Error::crypto(format!(
            "EncryptionSignature does not match ({} over IV and ciphertext): the data was \
             altered or the HMAC key is wrong; nothing was decrypted",
            keys.algorithm.hmac_name()
        )));
    }
    if ciphertext.is_empty() || ciphertext.len() % 16 != 0 {
        return Err(Error::crypto(format!(
            "EncryptedData has {} bytes, not a positive multiple of the 16-byte block",
            ciphertext.len()
        )));
    }
    decrypt(keys, &iv, &ciphertext)
}

/// The parameters of `CreateRequestWithEncryption` carrying `params` for `request_action`.
///
/// `params` are validated against `request_action`'s spec first (nothing is encrypted when
/// they are wrong), then serialized exactly as an ordinary request body and sealed.
pub fn build_params(
    request_action: &str,
    application_id: &str,
    params: &Value,
    keys: &EncryptionKeys,
    iv: [u8; 16],
) -> Result<Value, Error> {
    crate::validate::validate(request_action, params, false)?;
    if request_action == ACTION {
        return Err(Error::validation(
            ACTION,
            "RequestAction".to_owned(),
            "an encrypted request cannot carry another encrypted request",
        ));
    }
    if application_id.is_empty() {
        return Err(Error::validation(
            ACTION,
            "ApplicationId".to_owned(),
            "the ApplicationId (Agent.AppId) is required",
        ));
    }
    let envelope = seal(&crate::body::to_body(params), keys, iv);
    Ok(json!({
        "RequestAction": request_action,
        "ApplicationId": application_id,
        "IV": envelope.iv,
        "EncryptedData": envelope.encrypted_data,
        "EncryptionSignature": envelope.encryption_signature,
    }))
}

/// Opens the `Response` object of `CreateRequestWithEncryption` and returns the business
/// action's `Response` object, or its error as [`Error::Api`].
///
/// The plaintext may be the full answer (`{"Response": {...}}`) or the `Response` object
/// itself; both are accepted.
pub fn open_response(response: &Value, keys: &EncryptionKeys) -> Result<Value, Error> {
    let plain = open(&Envelope::from_value(response)?, keys)?;
    let value: Value = serde_json::from_slice(&plain)
        .map_err(|e| Error::crypto(format!("the decrypted answer is not JSON: {e}")))?;
    let inner = match value {
        Value::Object(mut map) if map.get("Response").is_some_and(Value::is_object) => {
            map.remove("Response").unwrap_or_default()
        }
        Value::Object(map) => Value::Object(map),
        _ => return Err(Error::crypto("the decrypted answer is not a JSON object")),
    };
    if let Some(err) = inner.get("Error").filter(|e| e.is_object()) {
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        return Err(Error::Api {
            code: text(err, "Code").unwrap_or_else(|| "UnknownError".to_owned()),
            message: text(err, "Message").unwrap_or_default(),
            request_id: text(&inner, "RequestId").or_else(|| text(response, "RequestId")),
        });
    }
    Ok(inner)
}

fn decode(name: &str, text: &str) -> Result<Vec<u8>, Error> {
    B64.decode(text.trim())
        .map_err(|e| Error::crypto(format!("{name} is not standard base64: {e}")))
}

fn encrypt(keys: &EncryptionKeys, iv: &[u8; 16], plain: &[u8]) -> Vec<u8> {
    let key = keys.cipher_key.as_slice();
    let iv = iv.as_slice();
    match (keys.algorithm, key.len()) {
        (Algorithm::Sm4Cbc, _) => cbc::Encryptor::<sm4::Sm4>::new_from_slices(key, iv)
            .map(|c| c.encrypt_padded_vec_mut::<Pkcs7>(plain)),
        (Algorithm::AesCbc, 16) => cbc::Encryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map(|c| c.encrypt_padded_vec_mut::<Pkcs7>(plain)),
        (Algorithm::AesCbc, 24) => cbc::Encryptor::<aes::Aes192>::new_from_slices(key, iv)
            .map(|c| c.encrypt_padded_vec_mut::<Pkcs7>(plain)),
        (Algorithm::AesCbc, _) => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map(|c| c.encrypt_padded_vec_mut::<Pkcs7>(plain)),
    }
    .expect("key and IV lengths are checked by EncryptionKeys::new")
}

fn decrypt(keys: &EncryptionKeys, iv: &[u8], data: &[u8]) -> Result<Vec<u8>, Error> {
    let key = keys.cipher_key.as_slice();
    let out = match (keys.algorithm, key.len()) {
        (Algorithm::Sm4Cbc, _) => cbc::Decryptor::<sm4::Sm4>::new_from_slices(key, iv)
            .map(|c| c.decrypt_padded_vec_mut::<Pkcs7>(data)),
        (Algorithm::AesCbc, 16) => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map(|c| c.decrypt_padded_vec_mut::<Pkcs7>(data)),
        (Algorithm::AesCbc, 24) => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .map(|c| c.decrypt_padded_vec_mut::<Pkcs7>(data)),
        (Algorithm::AesCbc, _) => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map(|c| c.decrypt_padded_vec_mut::<Pkcs7>(data)),
    }
    .map_err(|_| Error::crypto("the key or IV has the wrong length"))?;
    out.map_err(|_| Error::crypto("bad PKCS#7 padding after decryption: wrong encryption key?"))
}

fn mac(keys: &EncryptionKeys, iv: &[u8], ciphertext: &[u8]) -> Vec<u8> {
    match keys.algorithm {
        Algorithm::AesCbc => {
            let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&keys.hmac_key)
                .expect("HMAC takes any key length");
            m.update(iv);
            m.update(ciphertext);
            m.finalize().into_bytes().to_vec()
        }
        Algorithm::Sm4Cbc => {
            let mut m = <Hmac<sm3::Sm3> as Mac>::new_from_slice(&keys.hmac_key)
                .expect("HMAC takes any key length");
            m.update(iv);
            m.update(ciphertext);
            m.finalize().into_bytes().to_vec()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> EncryptionKeys {
        EncryptionKeys::new(Algorithm::AesCbc, [1u8; 32], [2u8; 32]).unwrap()
    }

    #[test]
    fn key_checks_and_redaction() {
        assert!(EncryptionKeys::new(Algorithm::AesCbc, [1u8; 31], [2u8; 32]).is_err());
        assert!(EncryptionKeys::new(Algorithm::Sm4Cbc, [1u8; 32], [2u8; 32]).is_err());
        assert!(EncryptionKeys::new(Algorithm::AesCbc, [1u8; 32], [1u8; 32]).is_err());
        assert!(EncryptionKeys::new(Algorithm::AesCbc, [1u8; 32], []).is_err());
        let k = EncryptionKeys::new(Algorithm::Sm4Cbc, *b"sm4-key-16-bytes", b"mac").unwrap();
        assert!(!format!("{k:?}").contains("sm4-key"));
        assert_eq!(Algorithm::from_name("sm4"), Some(Algorithm::Sm4Cbc));
    }

    #[test]
    fn tampering_is_refused_before_decryption() {
        let k = keys();
        let mut env = seal(b"hello", &k, [0u8; 16]);
        let mut raw = B64.decode(&env.encrypted_data).unwrap();
        raw[0] ^= 1;
        env.encrypted_data = B64.encode(raw);
        let err = open(&env, &k).unwrap_err();
        assert_eq!(err.kind(), "crypto");
        assert!(err.to_string().contains("nothing was decrypted"), "{err}");
    }
}
