//! HTTP behaviour: CORS, Date on every response, keep-alive, the binary's start-up line.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use essbasic::{HttpMethod, SignMethod};
use essbasic_emulator::Config;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn cors_preflight_and_response_headers() {
    let emu = start(Config::default()).await;
    let req = essbasic::HttpRequest {
        method: "OPTIONS",
        url: format!("{}/", emu.base_url()),
        headers: vec![
            ("Host".into(), emu.addr().to_string()),
            ("Origin".into(), "http://localhost:8080".into()),
            ("Access-Control-Request-Method".into(), "POST".into()),
            (
                "Access-Control-Request-Headers".into(),
                "authorization,content-type,x-tc-action".into(),
            ),
        ],
        body: Vec::new(),
    };
    let resp = send(&emu, &req, &[]).await.unwrap();
    assert_eq!(resp.status, 204);
    assert_eq!(resp.header("access-control-allow-origin"), Some("*"));
    assert!(resp
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
    let allowed = resp
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    for h in [
        "authorization",
        "content-type",
        "x-tc-action",
        "x-tc-timestamp",
        "x-tc-version",
        "x-tc-token",
        "x-emulator-fault",
    ] {
        assert!(allowed.contains(h), "{h}");
    }
    let resp = call_resp(
        &emu,
        "DescribeUsage",
        &json!({"Agent": agent(), "StartDate": "a", "EndDate": "b"}),
        &[("Origin", "http://localhost:8080")],
    )
    .await;
    assert_eq!(resp.header("access-control-allow-origin"), Some("*"));
    assert!(resp
        .header("access-control-expose-headers")
        .unwrap()
        .contains("Date"));
}

#[tokio::test]
async fn every_response_has_a_date_and_json() {
    let emu = start(Config::default()).await;
    let ok = call_resp(
        &emu,
        "DescribeUsage",
        &json!({"Agent": agent(), "StartDate": "a", "EndDate": "b"}),
        &[],
    )
    .await;
    let err = send(&emu, &sign_raw(&emu, "Nope", b"{}", &creds(), now()), &[])
        .await
        .unwrap();
    let stats = admin(&emu, "GET", "/__emulator/stats", "").await;
    for r in [&ok, &err, &stats] {
        assert!(httpdate::parse_http_date(r.header("date").unwrap()).is_ok());
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn other_methods_are_unsupported() {
    let emu = start(Config::default()).await;
    let resp = admin(&emu, "PUT", "/", "{}").await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.code().as_deref(), Some("UnsupportedProtocol"));
}

#[tokio::test]
async fn one_connection_serves_many_requests() {
    let emu = start(Config::default()).await;
    let mut stream = TcpStream::connect(emu.addr()).await.unwrap();
    let mut buf = vec![0u8; 65536];
    for _ in 0..5 {
        let req = sign(
            &emu,
            "DescribeUsage",
            &json!({"Agent": agent(), "StartDate": "a", "EndDate": "b"}),
            SignMethod::Tc3HmacSha256,
            HttpMethod::Post,
            &creds(),
            now(),
        );
        let mut wire = to_wire(&req, &[]);
        // Keep the connection: drop the `Connection: close` line.
        let text = String::from_utf8(wire.clone())
            .unwrap()
            .replace("Connection: close\r\n", "");
        wire = text.into_bytes();
        stream.write_all(&wire).await.unwrap();
        let n = stream.read(&mut buf).await.unwrap();
        let answer = String::from_utf8_lossy(&buf[..n]);
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        assert!(answer.contains("\"RequestId\""));
    }
    assert_eq!(stats(&emu).await["requests"], 5);
}

#[test]
fn the_binary_prints_its_base_url_first() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_essbasic-emulator"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--secret-id",
            "AKIDbin",
            "--secret-key",
            "bin-key",
            "--stateless",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    assert!(port > 0);
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    use std::io::{Read, Write};
    s.write_all(b"GET /__emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.contains("\"stateless\":true"), "{out}");
    child.kill().unwrap();
    child.wait().unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_essbasic-emulator"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_essbasic-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("--callback-url"));
}
