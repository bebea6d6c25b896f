//! The `essbasic` binary end to end against the emulator (in this process, on loopback):
//! calls, credentials from flags / environment / profile file, errors and exit codes,
//! uploads, waiters with progress and deadlines, pagination, and callbacks the emulator sends.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use essbasic::callback::{self, Event};
use essbasic_emulator::callbacks::CallbackConfig;
use essbasic_emulator::{Config, Emulator, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF";
const CALLBACK_KEY: &str = "0123456789ABCDEFfedcba9876543210";
const CALLBACK_TOKEN: &str = "cli-callback-token";

/// An emulator on its own runtime, alive as long as this value.
struct Emu {
    emulator: Option<Emulator>,
    rt: tokio::runtime::Runtime,
    url: String,
}

impl Drop for Emu {
    fn drop(&mut self) {
        let _guard = self.rt.enter();
        self.emulator.take();
    }
}

fn emulator(config: Config) -> Emu {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emulator = rt.block_on(essbasic_emulator::start(config)).unwrap();
    let url = emulator.base_url();
    Emu {
        emulator: Some(emulator),
        rt,
        url,
    }
}

fn scratch() -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "essbasic-cli-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary with a clean credential environment (and `HOME` at an empty folder).
fn run(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_essbasic"));
    cmd.args(args)
        .env_remove("TENCENTCLOUD_SECRET_ID")
        .env_remove("TENCENTCLOUD_SECRET_KEY")
        .env_remove("TENCENTCLOUD_SESSION_TOKEN")
        .env_remove("TENCENTCLOUD_PROFILE")
        .env_remove("ESSBASIC_CALLBACK_KEY")
        .env_remove("ESSBASIC_CALLBACK_TOKEN")
        .env("HOME", scratch())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// Runs with the emulator's endpoint and key pair.
fn call(emu: &Emu, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend([
        "--endpoint",
        &emu.url,
        "--secret-id",
        DEFAULT_SECRET_ID,
        "--secret-key",
        DEFAULT_SECRET_KEY,
    ]);
    run(&all, None, &[])
}

fn ok_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn error_json(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8_lossy(&out.stderr);
    let last = line.lines().last().unwrap_or_default();
    serde_json::from_str::<Value>(last).expect("the last stderr line is the JSON error")["Error"]
        .clone()
}

fn agent() -> Value {
    json!({"AppId": "yDapp", "ProxyOrganizationOpenId": "org", "ProxyOperator": {"OpenId": "op"}})
}

fn upload(emu: &Emu) -> String {
    let dir = scratch();
    let file = dir.join("contract.pdf");
    std::fs::write(&file, PDF).unwrap();
    let params = json!({"Agent": agent()}).to_string();
    let out = ok_json(&call(
        emu,
        &[
            "upload",
            "--business-type",
            "DOCUMENT",
            "--json",
            &params,
            file.to_str().unwrap(),
        ],
    ));
    out["FileIds"][0].as_str().unwrap().to_owned()
}

fn create_flow(emu: &Emu, file_id: &str) -> String {
    let params = json!({
        "Agent": agent(),
        "FlowName": "Lease",
        "FileIds": [file_id],
        "FlowApprovers": [{"ApproverType": "PERSON", "Name": "Alice", "Mobile": "13800000000"}],
    })
    .to_string();
    let out = ok_json(&call(
        emu,
        &["ChannelCreateFlowByFiles", "--json", &params, "--compact"],
    ));
    out["FlowId"].as_str().unwrap().to_owned()
}

#[test]
fn calls_any_action_and_reads_params_inline_from_a_file_or_stdin() {
    let emu = emulator(Config::default());
    let params = json!({"Agent": agent(), "Limit": 5}).to_string();
    let out = ok_json(&call(&emu, &["DescribeTemplates", "--json", &params]));
    assert!(out["RequestId"].is_string());
    assert!(out["Templates"].is_array());

    let file = scratch().join("params.json");
    std::fs::write(&file, &params).unwrap();
    let at_file = format!("@{}", file.display());
    assert!(
        ok_json(&call(&emu, &["DescribeTemplates", "--json", &at_file]))["RequestId"].is_string()
    );

    let mut args = vec!["DescribeTemplates", "--json", "@-", "--endpoint", &emu.url];
    args.extend([
        "--secret-id",
        DEFAULT_SECRET_ID,
        "--secret-key",
        DEFAULT_SECRET_KEY,
    ]);
    let out = run(&args, Some(params.as_bytes()), &[]);
    assert!(ok_json(&out)["RequestId"].is_string());

    // --all: every item of every page, as one array.
    let all = ok_json(&call(
        &emu,
        &["DescribeTemplates", "--json", &params, "--all"],
    ));
    assert!(all.is_array(), "{all}");

    // --compact prints one line.
    let out = call(&emu, &["DescribeTemplates", "--json", &params, "--compact"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim().lines().count(),
        1
    );
}

#[test]
fn credentials_from_environment_and_profile_file() {
    let emu = emulator(Config::default());
    let params = json!({"Agent": agent()}).to_string();
    let base = [
        "DescribeTemplates",
        "--json",
        &params,
        "--endpoint",
        &emu.url,
    ];

    let env = [
        ("TENCENTCLOUD_SECRET_ID", DEFAULT_SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", DEFAULT_SECRET_KEY),
    ];
    ok_json(&run(&base, None, &env));

    // The profile file at its default place, default section.
    let home = scratch();
    std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
    std::fs::write(
        home.join(".tencentcloud/credentials"),
        format!(
            "[default]\nsecret_id = {DEFAULT_SECRET_ID}\nsecret_key = {DEFAULT_SECRET_KEY}\n\n[bad]\nsecret_id = AKIDbad\nsecret_key = nope\n"
        ),
    )
    .unwrap();
    let home_s = home.to_str().unwrap();
    ok_json(&run(&base, None, &[("HOME", home_s)]));
    // A named profile: the wrong key is refused by the service (an API error, exit 1).
    let err = error_json(&run(
        &base,
        None,
        &[("HOME", home_s), ("TENCENTCLOUD_PROFILE", "bad")],
    ));
    assert_eq!(err["Kind"], "api");
    assert!(
        err["Code"].as_str().unwrap().starts_with("AuthFailure"),
        "{err}"
    );
    // An explicit file and section.
    let file = home.join(".tencentcloud/credentials");
    let mut args = base.to_vec();
    args.extend([
        "--credentials-file",
        file.to_str().unwrap(),
        "--profile",
        "default",
    ]);
    ok_json(&run(&args, None, &[]));
    // No credentials anywhere: a signing error that says where to put them, no secret.
    let err = error_json(&run(&base, None, &[]));
    assert_eq!(err["Kind"], "signing");
    assert!(err["Message"]
        .as_str()
        .unwrap()
        .contains("TENCENTCLOUD_SECRET_ID"));
    let out = run(
        &base,
        None,
        &[("HOME", home_s), ("TENCENTCLOUD_PROFILE", "bad")],
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("nope"));
}

#[test]
fn structured_errors_and_exit_codes() {
    let emu = emulator(Config::default());
    // Local validation: exit 1 with the field path, nothing sent.
    let err = error_json(&call(
        &emu,
        &["DescribeTemplates", "--json", r#"{"Agent":{"AppId":5}}"#],
    ));
    assert_eq!(err["Kind"], "validation");
    assert!(
        err["Message"].as_str().unwrap().contains("Agent.AppId"),
        "{err}"
    );
    // An API error from the service carries its code and RequestId.
    let err = error_json(&call(
        &emu,
        &[
            "DescribeFlowDetailInfo",
            "--json",
            &json!({"Agent": agent(), "FlowIds": ["yDnope"]}).to_string(),
        ],
    ));
    assert_eq!(err["Kind"], "api");
    assert_eq!(err["Code"], "ResourceNotFound.Flow");
    assert!(err["RequestId"].is_string());
    // Usage errors: exit 2.
    for args in [
        &["NoSuchAction"][..],
        &["DescribeTemplates", "--json", "{not json"],
        &["DescribeTemplates", "--json", "[]"],
        &["DescribeTemplates", "--bogus"],
        &["wait", "nonsense", "--task-id", "x"],
        &["wait", "convert"],
        &["upload", "--business-type", "DOCUMENT"],
        &["callback", "explode"],
    ] {
        let out = run(args, Some(b""), &[]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(run(&[], None, &[]).status.code(), Some(2));
    assert!(run(&["--help"], None, &[]).status.success());
    let v = run(&["--version"], None, &[]);
    assert!(String::from_utf8_lossy(&v.stdout).starts_with("essbasic "));
    let actions: Value = serde_json::from_slice(&run(&["actions"], None, &[]).stdout).unwrap();
    assert!(actions
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["Action"] == "DescribeTemplates" && a["Pageable"] == true));
}

#[test]
fn upload_then_wait_for_conversion_with_progress() {
    let emu = emulator(Config {
        task_polls: 2,
        ..Config::default()
    });
    let file_id = upload(&emu);
    // Client-side limits before anything is sent: a PDF is not a seal image.
    let dir = scratch();
    let pdf = dir.join("seal.pdf");
    std::fs::write(&pdf, PDF).unwrap();
    let params = json!({"Agent": agent()}).to_string();
    let err = error_json(&call(
        &emu,
        &[
            "upload",
            "--business-type",
            "SEAL",
            "--json",
            &params,
            pdf.to_str().unwrap(),
        ],
    ));
    assert_eq!(err["Kind"], "validation");
    assert!(err["Message"].as_str().unwrap().contains("SEAL"), "{err}");

    let start = json!({"Agent": agent(), "ResourceType": "pdf", "ResourceName": "contract",
                       "ResourceId": file_id})
    .to_string();
    let out = call(
        &emu,
        &[
            "wait",
            "convert",
            "--start",
            "--json",
            &start,
            "--interval-ms",
            "10",
            "--progress",
        ],
    );
    let done = ok_json(&out);
    assert_eq!(done["TaskStatus"], 8);
    assert!(done["ResourceId"].as_str().is_some_and(|s| !s.is_empty()));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let states: Vec<&str> = lines.iter().map(|l| l["State"].as_str().unwrap()).collect();
    assert_eq!(states, ["pending", "pending", "done"]);
    assert_eq!(lines[0]["NextPollMs"], 10);
    assert_eq!(lines[1]["NextPollMs"], 15);
    assert_eq!(lines[2]["Percent"], 100);

    // The legacy pair and an explicit task id.
    let legacy = ok_json(&call(
        &emu,
        &["ChannelCreateConvertTaskApi", "--json", &start],
    ));
    let task_id = legacy["TaskId"].as_str().unwrap();
    let done = ok_json(&call(
        &emu,
        &[
            "wait",
            "convert-legacy",
            "--task-id",
            task_id,
            "--json",
            &params,
            "--interval-ms",
            "5",
        ],
    ));
    assert_eq!(done["TaskStatus"], 8);
    assert_eq!(done["TaskMessage"], "TaskEnd");
}

#[test]
fn wait_for_a_batch_cancel() {
    let emu = emulator(Config {
        task_polls: 1,
        ..Config::default()
    });
    let flow = create_flow(&emu, &upload(&emu));
    let params = json!({"Agent": agent(), "FlowIds": [flow]}).to_string();
    let started = ok_json(&call(&emu, &["ChannelBatchCancelFlows", "--json", &params]));
    let task_id = started["TaskId"].as_str().unwrap();
    let done = ok_json(&call(
        &emu,
        &[
            "wait",
            "cancel",
            "--task-id",
            task_id,
            "--json",
            &json!({"Agent": agent()}).to_string(),
            "--interval-ms",
            "5",
            "--no-progress",
        ],
    ));
    assert_eq!(done["TaskStatus"], "END");
    assert_eq!(done["SuccessFlowIds"], json!([flow]));
}

#[test]
fn wait_gives_up_at_the_deadline() {
    let emu = emulator(Config {
        task_polls: 100_000,
        ..Config::default()
    });
    let file_id = upload(&emu);
    let start = json!({"Agent": agent(), "ResourceType": "pdf", "ResourceName": "c",
                       "ResourceId": file_id})
    .to_string();
    let t = std::time::Instant::now();
    let err = error_json(&call(
        &emu,
        &[
            "wait",
            "convert",
            "--start",
            "--json",
            &start,
            "--interval-ms",
            "20",
            "--deadline",
            "0.3",
        ],
    ));
    assert_eq!(err["Kind"], "timeout");
    assert_eq!(err["Message"], "timed out after 300 ms");
    assert!(t.elapsed() < Duration::from_secs(20));
}

/// A loopback receiver answering 200 and forwarding (headers, body) of each POST.
async fn receiver() -> (String, mpsc::UnboundedReceiver<(String, Vec<u8>)>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/essbasic/callback",
        listener.local_addr().unwrap()
    );
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
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
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse().unwrap())
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

fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_owned())
    })
}

#[test]
fn callbacks_the_emulator_sends_round_trip_through_core_and_the_cli() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (url, mut rx) = rt.block_on(receiver());
    let emu = emulator(Config {
        callback: Some(CallbackConfig {
            url,
            key: CALLBACK_KEY.to_owned(),
            token: Some(CALLBACK_TOKEN.to_owned()),
        }),
        ..Config::default()
    });
    let flow = create_flow(&emu, &upload(&emu));
    let (head, body) = rt
        .block_on(async { tokio::time::timeout(Duration::from_secs(10), rx.recv()).await })
        .expect("a callback within 10 s")
        .unwrap();
    let signature = header(&head, "Content-Signature").expect("signed");

    // Core: authenticated, decrypted, typed.
    let event = callback::open(
        &body,
        Some(CALLBACK_KEY),
        Some(CALLBACK_TOKEN),
        Some(&signature),
    )
    .unwrap()
    .expect("an event, not a URL check");
    assert_eq!(event.msg_type, "FlowStatusChange");
    assert_eq!(event.msg_version, "ThirdPartyApp");
    assert!(!event.msg_id.is_empty());
    match event.event() {
        Event::FlowStatusChange(f) => {
            assert_eq!(f.flow_id.as_deref(), Some(flow.as_str()));
            assert_eq!(f.flow_status.as_deref(), Some("INIT"));
            assert_eq!(f.flow_name.as_deref(), Some("Lease"));
            assert_eq!(f.approvers.len(), 1);
        }
        other => panic!("{other:?}"),
    }

    // The CLI: the same envelope on stdout.
    let decode = |key: &str, sig: &str| {
        run(
            &[
                "callback",
                "decode",
                "--key",
                key,
                "--token",
                CALLBACK_TOKEN,
                "--signature",
                sig,
            ],
            Some(&body),
            &[],
        )
    };
    let out = ok_json(&decode(CALLBACK_KEY, &signature));
    assert_eq!(out, event.to_value());
    // Key and token from the environment.
    let out = run(
        &["callback", "decode", "--signature", &signature],
        Some(&body),
        &[
            ("ESSBASIC_CALLBACK_KEY", CALLBACK_KEY),
            ("ESSBASIC_CALLBACK_TOKEN", CALLBACK_TOKEN),
        ],
    );
    assert_eq!(ok_json(&out)["MsgData"]["FlowId"], json!(flow));
    // Refusals: a forged signature, a wrong key; neither prints the secrets.
    let forged = format!("sha256={}", "0".repeat(64));
    for out in [
        decode(CALLBACK_KEY, &forged),
        decode("ffffffffffffffffffffffffffffffff", &signature),
    ] {
        let err = error_json(&out);
        assert_eq!(err["Kind"], "callback");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains(CALLBACK_KEY) && !all.contains(CALLBACK_TOKEN));
    }
    // Moving the flow sends another callback, with the new status.
    let admin = format!("{}/__emulator/flows/{flow}/status", emu.url);
    emu.rt.block_on(async {
        let addr = admin.trim_start_matches("http://").split('/').next().unwrap().to_owned();
        let path = format!("/{}", admin.trim_start_matches("http://").split_once('/').unwrap().1);
        let body = r#"{"FlowStatus":"ALL"}"#;
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await.unwrap();
        let mut resp = Vec::new();
        s.read_to_end(&mut resp).await.unwrap();
        assert!(resp.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&resp));
    });
    let (head, body) = rt
        .block_on(async { tokio::time::timeout(Duration::from_secs(10), rx.recv()).await })
        .expect("a second callback")
        .unwrap();
    let sig = header(&head, "Content-Signature").unwrap();
    let out = run(
        &[
            "callback",
            "decode",
            "--key",
            CALLBACK_KEY,
            "--token",
            CALLBACK_TOKEN,
            "--signature",
            &sig,
        ],
        Some(&body),
        &[],
    );
    let second = ok_json(&out);
    assert_eq!(second["MsgData"]["FlowStatus"], "ALL");
    assert_ne!(
        second["MsgId"],
        event.to_value()["MsgId"],
        "de-duplicate on MsgId"
    );
}

#[test]
fn callback_url_check_and_seal() {
    let out = run(
        &["callback", "decode", "--key", CALLBACK_KEY],
        Some(b"{}"),
        &[],
    );
    assert_eq!(ok_json(&out), Value::Null);
    let envelope = br#"{"MsgId":"m1","MsgType":"OperateSeal","MsgVersion":"ThirdPartyApp","MsgData":{"SealId":"s"}}"#;
    let sealed = ok_json(&run(
        &[
            "callback",
            "seal",
            "--key",
            CALLBACK_KEY,
            "--token",
            CALLBACK_TOKEN,
        ],
        Some(envelope),
        &[],
    ));
    let body = sealed["Body"].as_str().unwrap();
    let sig = sealed["ContentSignature"].as_str().unwrap();
    let decoded = ok_json(&run(
        &[
            "callback",
            "decode",
            "--key",
            CALLBACK_KEY,
            "--token",
            CALLBACK_TOKEN,
            "--signature",
            sig,
        ],
        Some(body.as_bytes()),
        &[],
    ));
    assert_eq!(decoded["MsgData"]["SealId"], "s");
    // Missing signature while a token is configured.
    let err = error_json(&run(
        &[
            "callback",
            "decode",
            "--key",
            CALLBACK_KEY,
            "--token",
            CALLBACK_TOKEN,
        ],
        Some(body.as_bytes()),
        &[],
    ));
    assert_eq!(err["Code"], "CallbackError");
}
