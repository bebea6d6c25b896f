//! A small closed-loop load generator for the emulator (loopback only).
//!
//! ```sh
//! cargo run -p essbasic-emulator --release --example loadgen -- http://127.0.0.1:PORT [CONNECTIONS] [SECONDS] [--wrk-lua FILE]
//! ```
//!
//! It signs one `DescribeUsage` request with core (TC3, the default emulator key) and sends
//! it over CONNECTIONS keep-alive connections for SECONDS, then prints requests/s. With
//! `--wrk-lua FILE` it only writes a wrk script that sends the same signed request (valid for
//! the 300 s signature window) and exits.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use essbasic::{Credentials, Stamp};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args.first().cloned().unwrap_or_else(|| {
        eprintln!("usage: loadgen http://127.0.0.1:PORT [CONNECTIONS] [SECONDS] [--wrk-lua FILE]");
        std::process::exit(2)
    });
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    assert!(
        addr.starts_with("127.") || addr.starts_with("localhost"),
        "loopback only"
    );
    let connections: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(32);
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);

    let config = essbasic::Config {
        endpoint: Some(url.clone()),
        ..essbasic::Config::default()
    };
    let creds = Credentials::new(
        essbasic_emulator::DEFAULT_SECRET_ID,
        essbasic_emulator::DEFAULT_SECRET_KEY,
    );
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let params = json!({"Agent": {"AppId": "yDapp", "ProxyOrganizationOpenId": "org", "ProxyOperator": {"OpenId": "op"}},
                        "StartDate": "2024-01-01", "EndDate": "2024-01-31"});
    let stamp = Stamp {
        timestamp: now,
        nonce: 1,
        trace_id: None,
    };
    let req =
        essbasic::build_request("DescribeUsage", &params, &config, &creds, &stamp).expect("signs");

    if let Some(i) = args.iter().position(|a| a == "--wrk-lua") {
        let path = args.get(i + 1).expect("--wrk-lua FILE");
        let mut lua = String::from("wrk.method = \"POST\"\n");
        lua.push_str(&format!(
            "wrk.body = {:?}\n",
            String::from_utf8_lossy(&req.body)
        ));
        for (k, v) in &req.headers {
            lua.push_str(&format!("wrk.headers[{k:?}] = {v:?}\n"));
        }
        std::fs::write(path, lua).expect("writes the script");
        return;
    }

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let body = Bytes::from(req.body.clone());
    rt.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..connections {
            let (addr, headers, body) = (addr.clone(), req.headers.clone(), body.clone());
            let (done, errors) = (done.clone(), errors.clone());
            tasks.push(tokio::spawn(async move {
                let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let (mut sender, conn) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream))
                        .await
                        .unwrap();
                tokio::spawn(conn);
                while Instant::now() < deadline {
                    let mut b = hyper::Request::post("/");
                    for (k, v) in &headers {
                        b = b.header(k.as_str(), v.as_str());
                    }
                    let resp = sender
                        .send_request(b.body(Full::new(body.clone())).unwrap())
                        .await;
                    match resp {
                        Ok(r) if r.status() == 200 => {
                            let bytes = r.into_body().collect().await.unwrap().to_bytes();
                            if bytes.windows(7).any(|w| w == b"\"Error\"") {
                                errors.fetch_add(1, Ordering::Relaxed);
                            } else {
                                done.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        _ => {
                            errors.fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                    }
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
    });
    let n = done.load(Ordering::Relaxed);
    println!(
        "loadgen: {n} ok, {} errors in {seconds} s over {connections} connections: {:.0} requests/s",
        errors.load(Ordering::Relaxed),
        n as f64 / seconds as f64
    );
}
