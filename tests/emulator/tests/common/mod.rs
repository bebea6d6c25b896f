//! Shared helpers: start the emulator in-process, sign with core, send over plain HTTP/1.1.
#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use essbasic::signing::tc3;
use essbasic::{Credentials, HttpMethod, HttpRequest, SignMethod, Stamp};
use essbasic_emulator::{Config, Emulator, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An answer as received.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    /// The body as JSON (panics if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// `Response.Error.Code`, if any.
    pub fn code(&self) -> Option<String> {
        self.json()["Response"]["Error"]["Code"]
            .as_str()
            .map(str::to_owned)
    }

    /// `Response.Error.Message` (empty when none).
    pub fn message(&self) -> String {
        self.json()["Response"]["Error"]["Message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The `Response` object.
    pub fn response(&self) -> Value {
        self.json()["Response"].clone()
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub async fn start(config: Config) -> Emulator {
    essbasic_emulator::start(config)
        .await
        .expect("the emulator starts")
}

pub fn creds() -> Credentials {
    Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn agent() -> Value {
    serde_json::json!({"AppId": "yDapp", "ProxyOrganizationOpenId": "org", "ProxyOperator": {"OpenId": "op"}})
}

/// Signs a request with core (which validates the parameters first).
pub fn sign(
    emu: &Emulator,
    action: &str,
    params: &Value,
    sign_method: SignMethod,
    http_method: HttpMethod,
    creds: &Credentials,
    timestamp: i64,
) -> HttpRequest {
    let config = essbasic::Config {
        endpoint: Some(emu.base_url()),
        sign_method,
        http_method,
        ..essbasic::Config::default()
    };
    let stamp = Stamp {
        timestamp,
        nonce: 4242,
        trace_id: None,
    };
    essbasic::build_request(action, params, &config, creds, &stamp).expect("core builds it")
}

/// A TC3 POST of raw body bytes, signed without validation (for schema-error tests).
pub fn sign_raw(
    emu: &Emulator,
    action: &str,
    body: &[u8],
    creds: &Credentials,
    timestamp: i64,
) -> HttpRequest {
    let host = emu.addr().to_string();
    let input = tc3::Tc3Input {
        method: "POST",
        host: &host,
        path: "/",
        query: "",
        content_type: "application/json",
        payload: body,
        unsigned_payload: false,
        service: "essbasic",
        timestamp,
    };
    let hdr = tc3::HeaderInput {
        action,
        version: "2021-05-26",
        ..tc3::HeaderInput::default()
    };
    let (_, headers) = tc3::signed_headers(&input, &hdr, creds);
    HttpRequest {
        method: "POST",
        url: format!("{}/", emu.base_url()),
        headers,
        body: body.to_vec(),
    }
}

/// Sends `req` (plus `extra` headers) on a new connection.
pub async fn send(
    emu: &Emulator,
    req: &HttpRequest,
    extra: &[(&str, &str)],
) -> Result<Resp, String> {
    let stream = TcpStream::connect(emu.addr())
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let path = req
        .url
        .split_once("://")
        .map(|(_, rest)| rest)
        .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    let mut builder = hyper::Request::builder().method(req.method).uri(path);
    for (k, v) in &req.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    for (k, v) in extra {
        builder = builder.header(*k, *v);
    }
    let request = builder
        .body(Full::new(Bytes::from(req.body.clone())))
        .map_err(|e| e.to_string())?;
    let resp = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("body: {e}"))?
        .to_bytes()
        .to_vec();
    Ok(Resp {
        status,
        headers,
        body,
    })
}

/// TC3 POST with the default key; the whole answer.
pub async fn call_resp(
    emu: &Emulator,
    action: &str,
    params: &Value,
    extra: &[(&str, &str)],
) -> Resp {
    let req = sign(
        emu,
        action,
        params,
        SignMethod::Tc3HmacSha256,
        HttpMethod::Post,
        &creds(),
        now(),
    );
    send(emu, &req, extra).await.expect("an answer")
}

/// TC3 POST with the default key; the `Response` object, which must not be an error.
pub async fn call(emu: &Emulator, action: &str, params: &Value) -> Value {
    let resp = call_resp(emu, action, params, &[]).await;
    assert_eq!(resp.status, 200);
    let r = resp.response();
    assert!(r.get("Error").is_none(), "{action}: {r}");
    r
}

/// An admin request: method, path under the base URL, body.
pub async fn admin(emu: &Emulator, method: &'static str, path: &str, body: &str) -> Resp {
    let req = HttpRequest {
        method,
        url: format!("{}{path}", emu.base_url()),
        headers: vec![("Host".to_owned(), emu.addr().to_string())],
        body: body.as_bytes().to_vec(),
    };
    send(emu, &req, &[]).await.expect("an answer")
}

/// `GET /__emulator/stats`.
pub async fn stats(emu: &Emulator) -> Value {
    admin(emu, "GET", "/__emulator/stats", "").await.json()
}

/// Writes raw bytes and reads until the peer closes; the bytes read, or the read error kind.
pub async fn raw_exchange(emu: &Emulator, request: &[u8]) -> (Vec<u8>, Option<std::io::ErrorKind>) {
    let mut stream = TcpStream::connect(emu.addr()).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) => return (out, None),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => return (out, Some(e.kind())),
        }
    }
}

/// A signed request as raw HTTP/1.1 bytes with `Connection: close` and extra headers.
pub fn to_wire(req: &HttpRequest, extra: &[(&str, &str)]) -> Vec<u8> {
    let path = req
        .url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_else(|| "/".to_owned());
    let mut out = format!("{} {path} HTTP/1.1\r\n", req.method);
    for (k, v) in &req.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    for (k, v) in extra {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        req.body.len()
    ));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&req.body);
    bytes
}
