//! Flow-status callbacks: encrypted envelope, Content-Signature, decrypted here by an
//! independent path (the `openssl` command when present, else the aes crate).

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use base64::Engine as _;
use common::*;
use essbasic_emulator::callbacks::CallbackConfig;
use essbasic_emulator::Config;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const KEY: &str = "0123456789ABCDEFfedcba9876543210";
const TOKEN: &str = "callback-token";

/// A receiver that answers 200 and forwards (headers, body) of each POST.
async fn receiver() -> (String, mpsc::UnboundedReceiver<(String, Vec<u8>)>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/callback", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    let n = s.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_string();
                    let len: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap_or(0);
                    if buf.len() < end + 4 + len {
                        continue;
                    }
                    let body = buf[end + 4..end + 4 + len].to_vec();
                    let _ = s
                        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                        .await;
                    let _ = tx.send((head, body));
                    buf.drain(..end + 4 + len);
                }
            });
        }
    });
    (url, rx)
}

fn decrypt_openssl(cipher: &[u8]) -> Option<Vec<u8>> {
    let mut child = Command::new("openssl")
        .args([
            "enc",
            "-aes-256-cbc",
            "-d",
            "-K",
            &hex::encode(KEY),
            "-iv",
            &hex::encode(&KEY[..16]),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(cipher).ok()?;
    let out = child.wait_with_output().ok()?;
    out.status.success().then_some(out.stdout)
}

fn decrypt_aes(cipher: &[u8]) -> Vec<u8> {
    let k = KEY.as_bytes();
    cbc::Decryptor::<aes::Aes256>::new_from_slices(k, &k[..16])
        .unwrap()
        .decrypt_padded_vec_mut::<Pkcs7>(cipher)
        .unwrap()
}

fn open(head: &str, body: &[u8]) -> Value {
    let sig = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("content-signature: ")
                .or_else(|| l.strip_prefix("Content-Signature: "))
        })
        .expect("a Content-Signature header");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(TOKEN.as_bytes()).unwrap();
    mac.update(body);
    assert_eq!(
        sig,
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    );
    let outer: Value = serde_json::from_slice(body).unwrap();
    let cipher = base64::engine::general_purpose::STANDARD
        .decode(outer["encrypt"].as_str().unwrap())
        .unwrap();
    let have_openssl = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    let plain = match decrypt_openssl(&cipher) {
        Some(p) => p,
        None if !have_openssl => decrypt_aes(&cipher),
        None => panic!("openssl could not decrypt the callback"),
    };
    assert_eq!(plain, decrypt_aes(&cipher));
    serde_json::from_slice(&plain).unwrap()
}

#[tokio::test]
async fn flow_status_changes_are_posted_encrypted_and_signed() {
    let (url, mut rx) = receiver().await;
    let emu = start(Config {
        callback: Some(CallbackConfig {
            url,
            key: KEY.into(),
            token: Some(TOKEN.into()),
        }),
        ..Config::default()
    })
    .await;
    let file = call(
        &emu,
        "UploadFiles",
        &json!({"Agent": agent(), "BusinessType": "DOCUMENT"}),
    )
    .await["FileIds"][0]
        .clone();
    let r = call(
        &emu,
        "ChannelCreateFlowByFiles",
        &json!({
            "Agent": agent(), "FlowName": "回调合同", "FileIds": [file],
            "FlowApprovers": [{"ApproverType": "PERSON", "Name": "张三", "Mobile": "13200000000"}]
        }),
    )
    .await;
    let flow = r["FlowId"].as_str().unwrap().to_owned();
    call(
        &emu,
        "ChannelCancelFlow",
        &json!({"Agent": agent(), "FlowId": flow, "CancelMessage": "不要了"}),
    )
    .await;

    let mut statuses = Vec::new();
    for _ in 0..2 {
        let (head, body) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .unwrap()
            .unwrap();
        assert!(head.starts_with("POST /callback HTTP/1.1"));
        let msg = open(&head, &body);
        assert_eq!(msg["MsgType"], "FlowStatusChange");
        assert_eq!(msg["MsgVersion"], "ThirdPartyApp");
        assert!(msg["MsgId"].as_str().unwrap().len() > 8);
        assert_eq!(msg["MsgData"]["FlowId"], flow.as_str());
        assert_eq!(msg["MsgData"]["FlowName"], "回调合同");
        assert_eq!(msg["MsgData"]["ApplicationId"], "yDapp");
        statuses.push(msg["MsgData"]["FlowStatus"].as_str().unwrap().to_owned());
    }
    assert_eq!(statuses, ["INIT", "CANCEL"]);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(stats(&emu).await["side_effects"]["callbacks_delivered"], 2);
}

#[tokio::test]
async fn the_admin_status_change_sends_a_callback() {
    let (url, mut rx) = receiver().await;
    let emu = start(Config {
        callback: Some(CallbackConfig {
            url,
            key: KEY.into(),
            token: Some(TOKEN.into()),
        }),
        ..Config::default()
    })
    .await;
    let r = call(&emu, "CreateFlowsByTemplates", &json!({
        "Agent": agent(), "FlowInfos": [{"FlowName": "t", "Deadline": now() + 60, "TemplateId": "yDt"}]
    }))
    .await;
    let flow = r["FlowIds"][0].as_str().unwrap();
    admin(
        &emu,
        "POST",
        &format!("/__emulator/flows/{flow}/status"),
        r#"{"FlowStatus":"ALL"}"#,
    )
    .await;
    let mut last = Value::Null;
    for _ in 0..2 {
        let (head, body) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .unwrap()
            .unwrap();
        last = open(&head, &body);
    }
    assert_eq!(last["MsgData"]["FlowStatus"], "ALL");
}
