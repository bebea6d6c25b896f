//! Flow-status callbacks the way the service sends them: the envelope
//! `{MsgId, MsgType, MsgVersion, MsgData}` encrypted with AES-256-CBC (the callback key's
//! UTF-8 bytes as key, its first 16 bytes as IV, PKCS#7), posted as `{"encrypt": base64}`
//! with `Content-Signature: sha256=<hex HMAC-SHA256(token, raw body)>`.

use std::sync::Arc;
use std::time::Duration;

use aes::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
use base64::Engine as _;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::sync::mpsc;

use crate::stats::{Effect, Stats};

/// Where and how callbacks are sent.
#[derive(Clone)]
pub struct CallbackConfig {
    /// `http://host:port/path` (plain HTTP only).
    pub url: String,
    /// The 32-byte encryption key (as configured in the console).
    pub key: String,
    /// The signing token, if any.
    pub token: Option<String>,
}

impl std::fmt::Debug for CallbackConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackConfig")
            .field("url", &self.url)
            .field("key", &"** REDACTED **")
            .field("token", &self.token.as_ref().map(|_| "** REDACTED **"))
            .finish()
    }
}

impl CallbackConfig {
    /// Checks the key length and the URL form.
    pub fn check(&self) -> Result<(), String> {
        if self.key.len() != 32 {
            return Err(format!(
                "--callback-key must be 32 bytes (AES-256), got {}",
                self.key.len()
            ));
        }
        split_url(&self.url).map(|_| ())
    }
}

/// `AES-256-CBC(key, iv = key[..16], PKCS#7)` of `plain`, base64-encoded.
pub fn encrypt(key: &str, plain: &[u8]) -> String {
    let k = key.as_bytes();
    let cipher = cbc::Encryptor::<aes::Aes256>::new_from_slices(k, &k[..16]).expect("32-byte key");
    let out = cipher.encrypt_padded_vec_mut::<Pkcs7>(plain);
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// `sha256=<hex HMAC-SHA256(token, body)>`.
pub fn content_signature(token: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(token.as_bytes()).expect("any key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The envelope of one message.
pub fn envelope(msg_type: &str, data: Value) -> Value {
    json!({
        "MsgId": uuid::Uuid::new_v4().to_string(),
        "MsgType": msg_type,
        "MsgVersion": "ThirdPartyApp",
        "MsgData": data,
    })
}

/// The raw HTTP body and headers of a callback for `envelope`.
pub fn encode(config: &CallbackConfig, envelope: &Value) -> (Vec<u8>, Option<String>) {
    let plain = serde_json::to_vec(envelope).expect("serializes");
    let body = serde_json::to_vec(&json!({ "encrypt": encrypt(&config.key, &plain) }))
        .expect("serializes");
    let signature = config.token.as_deref().map(|t| content_signature(t, &body));
    (body, signature)
}

/// Sends callbacks in order from a background task.
#[derive(Debug, Clone)]
pub struct Sender {
    tx: mpsc::UnboundedSender<Value>,
}

impl Sender {
    /// Starts the delivery task.
    pub fn start(config: CallbackConfig, stats: Arc<Stats>) -> Sender {
        let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
        tokio::spawn(async move {
            while let Some(envelope) = rx.recv().await {
                let (body, signature) = encode(&config, &envelope);
                let mut delivered = false;
                for backoff_ms in [0u64, 200, 1000] {
                    tokio::time::sleep(Duration::from_millis(backoff_ms)).await;
                    if post(&config.url, &body, signature.as_deref()).await.is_ok() {
                        delivered = true;
                        break;
                    }
                }
                let effect = if delivered {
                    Effect::CallbackDelivered
                } else {
                    Effect::CallbackFailed
                };
                stats.effect(effect, 1);
            }
        });
        Sender { tx }
    }

    /// Queues one message.
    pub fn send(&self, envelope: Value) {
        let _ = self.tx.send(envelope);
    }
}

/// Splits `http://host:port/path` into (`host:port`, `/path`).
fn split_url(url: &str) -> Result<(String, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("--callback-url must be an http:// URL, got {url:?}"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() {
        return Err(format!("--callback-url has no host: {url:?}"));
    }
    let authority = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    Ok((authority, path.to_owned()))
}

/// One POST; Ok on a 2xx answer.
async fn post(url: &str, body: &[u8], signature: Option<&str>) -> Result<(), String> {
    let (authority, path) = split_url(url)?;
    let stream = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::TcpStream::connect(&authority),
    )
    .await
    .map_err(|_| "connect timeout".to_owned())?
    .map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let mut req = Request::post(path)
        .header("Host", authority.as_str())
        .header("Content-Type", "application/json")
        .header("User-Agent", "essbasic-emulator-callback");
    if let Some(sig) = signature {
        req = req.header("Content-Signature", sig);
    }
    let req = req
        .body(Full::new(Bytes::copy_from_slice(body)))
        .map_err(|e| e.to_string())?;
    let resp = tokio::time::timeout(Duration::from_secs(10), sender.send_request(req))
        .await
        .map_err(|_| "timeout".to_owned())?
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let _ = resp.into_body().collect().await;
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("HTTP {status}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::BlockDecryptMut;

    #[test]
    fn encrypt_round_trips_and_signs() {
        let key = "0123456789abcdef0123456789abcdef";
        let enc = encrypt(key, b"hello callback");
        let raw = base64::engine::general_purpose::STANDARD
            .decode(enc)
            .unwrap();
        let k = key.as_bytes();
        let plain = cbc::Decryptor::<aes::Aes256>::new_from_slices(k, &k[..16])
            .unwrap()
            .decrypt_padded_vec_mut::<Pkcs7>(&raw)
            .unwrap();
        assert_eq!(plain, b"hello callback");
        assert!(content_signature("t", b"x").starts_with("sha256="));
        assert_eq!(
            split_url("http://a:1/p").unwrap(),
            ("a:1".into(), "/p".into())
        );
        assert_eq!(split_url("http://a").unwrap(), ("a:80".into(), "/".into()));
        assert!(split_url("https://a").is_err());
    }
}
