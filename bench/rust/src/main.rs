//! `essbasic-bench`: the Rust measurements of `bench/run.sh`. Each subcommand does one
//! measurement and prints one JSON object on stdout; `bench/driver.py` runs them, interleaved
//! with the other languages, and aggregates the rounds.
//!
//! ```text
//! essbasic-bench sign                 TC3 signing, serialize + sign, and the native floor
//! essbasic-bench seq                  sequential calls: tiny, 2 KB, ~1 MB answer
//! essbasic-bench conc                 64 concurrent calls
//! essbasic-bench rss N                N sequential calls; VmHWM after 1,000 and after N
//! essbasic-bench cold                 one call (the driver times the whole process)
//! essbasic-bench setup                fills the stateful emulator for the ~1 MB answer
//! ```
//!
//! Environment: `BENCH_FIXTURES` (bench/fixtures.json), `EMU_STATELESS` and `EMU_STATEFUL`
//! (emulator base URLs), `BENCH_FLOWS` (the flow ids `setup` wrote), `BENCH_SECS` (seconds
//! per measurement, default 1), `EMU_SECRET_ID` / `EMU_SECRET_KEY`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use essbasic::client::Client;
use essbasic::models::{
    ChannelCancelFlowRequest, ChannelCreateFlowByFilesRequest, DescribeFlowDetailInfoRequest,
};
use essbasic::signing::tc3;
use essbasic::{Config, Credentials, Stamp};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The production host: what the signing benchmarks sign for (no request is sent).
const HOST: &str = "essbasic.tencentcloudapi.com";

fn env(name: &str) -> Res<String> {
    std::env::var(name).map_err(|_| format!("{name} is not set").into())
}

fn secs() -> f64 {
    std::env::var("BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0)
}

fn fixtures() -> Res<Value> {
    let path = env("BENCH_FIXTURES")?;
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

fn credentials() -> Credentials {
    let id = std::env::var("EMU_SECRET_ID").unwrap_or_else(|_| "AKIDessbasicEmulator".into());
    let key =
        std::env::var("EMU_SECRET_KEY").unwrap_or_else(|_| "essbasic-emulator-secret-key".into());
    Credentials::new(id, key)
}

fn client(url: &str) -> Res<Client> {
    Ok(Client::builder()
        .credentials(credentials())
        .endpoint(url)
        .build()?)
}

/// Calls `f` for 0.2 s to warm up, then for at least `secs()` seconds; returns calls per
/// second.
fn rate(mut f: impl FnMut()) -> f64 {
    let warm = Instant::now();
    while warm.elapsed() < Duration::from_millis(200) {
        f();
    }
    let limit = secs();
    let start = Instant::now();
    let mut n = 0u64;
    loop {
        for _ in 0..64 {
            f();
        }
        n += 64;
        let e = start.elapsed().as_secs_f64();
        if e >= limit {
            return n as f64 / e;
        }
    }
}

/// The native floor: one TC3 signature with nothing but the `hmac` and `sha2` crates, as
/// directly as the algorithm allows (what any Rust signer must at least do).
fn floor_sign(body: &[u8], host: &str, timestamp: i64, date: &str, id: &str, key: &str) -> String {
    type HmacSha256 = Hmac<Sha256>;
    let mac = |k: &[u8], m: &[u8]| {
        let mut h = <HmacSha256 as Mac>::new_from_slice(k).expect("any key length");
        h.update(m);
        h.finalize().into_bytes()
    };
    let mut canonical = String::with_capacity(192);
    canonical.push_str("POST\n/\n\ncontent-type:application/json\nhost:");
    canonical.push_str(host);
    canonical.push_str("\n\ncontent-type;host\n");
    canonical.push_str(&hex::encode(Sha256::digest(body)));
    let scope = format!("{date}/essbasic/tc3_request");
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut k = Vec::with_capacity(3 + key.len());
    k.extend_from_slice(b"TC3");
    k.extend_from_slice(key.as_bytes());
    let k = mac(&k, date.as_bytes());
    let k = mac(&k, b"essbasic");
    let k = mac(&k, b"tc3_request");
    let signature = hex::encode(mac(&k, to_sign.as_bytes()));
    format!(
        "TC3-HMAC-SHA256 Credential={id}/{scope}, SignedHeaders=content-type;host, Signature={signature}"
    )
}

/// Scenario 1: signing only (core's `tc3::sign` over the body bytes, and the adapter path the
/// bindings use, `build_request_json`: validate + build + sign from JSON text), serialize +
/// sign (a typed request → body + signed headers, `build_typed`), and the native floor.
fn sign() -> Res<Value> {
    let fx = fixtures()?;
    let timestamp = fx["timestamp"].as_i64().ok_or("timestamp")?;
    let body = serde_json::to_vec(&fx["create"])?;
    let creds = credentials();
    let (id, key) = (creds.secret_id().to_owned(), creds.secret_key().to_owned());
    let input = tc3::Tc3Input {
        method: "POST",
        host: HOST,
        path: "/",
        query: "",
        content_type: "application/json",
        payload: &body,
        unsigned_payload: false,
        service: "essbasic",
        timestamp,
    };
    let date = essbasic::signing::utc_date(timestamp);
    // The floor must compute the same Authorization as core, or the comparison means nothing.
    let ours = tc3::sign(&input, &id, &key).authorization;
    assert_eq!(ours, floor_sign(&body, HOST, timestamp, &date, &id, &key));

    let config = Config {
        endpoint: Some(HOST.to_owned()),
        ..Config::default()
    };
    let stamp = Stamp {
        timestamp,
        nonce: 1,
        trace_id: Some("00000000-0000-4000-8000-000000000000".into()),
    };
    let typed: ChannelCreateFlowByFilesRequest = serde_json::from_value(fx["create"].clone())?;
    // Struct field order, not the fixture's: the same members, so the same length.
    let typed_body = essbasic::build_typed(&typed, &config, &creds, &stamp)?.body;
    assert_eq!(
        typed_body.len(),
        body.len(),
        "the typed model lost or added a member"
    );

    // For profiling one path alone (`BENCH_ONLY=build_json perf record ... sign`).
    match std::env::var("BENCH_ONLY").as_deref() {
        Ok("build_json") => {
            let ops = rate(|| {
                black_box(
                    essbasic::build_request_json(
                        "ChannelCreateFlowByFiles",
                        &body,
                        &config,
                        &creds,
                        &stamp,
                    )
                    .expect("valid"),
                );
            });
            return Ok(json!({ "build_json_ops": ops }));
        }
        Ok("sign") => {
            let ops = rate(|| {
                black_box(tc3::sign(black_box(&input), &id, &key));
            });
            return Ok(json!({ "sign_ops": ops }));
        }
        Ok(other) if !other.is_empty() => return Err(format!("unknown BENCH_ONLY {other}").into()),
        _ => {}
    }
    let floor = rate(|| {
        black_box(floor_sign(
            black_box(&body),
            HOST,
            timestamp,
            &date,
            &id,
            &key,
        ));
    });
    let tc3_sign = rate(|| {
        black_box(tc3::sign(black_box(&input), &id, &key));
    });
    let build_json = rate(|| {
        black_box(
            essbasic::build_request_json(
                "ChannelCreateFlowByFiles",
                black_box(&body),
                &config,
                &creds,
                &stamp,
            )
            .expect("valid"),
        );
    });
    let serialize_sign = rate(|| {
        black_box(
            essbasic::build_typed(black_box(&typed), &config, &creds, &stamp).expect("valid"),
        );
    });
    Ok(json!({
        "body_bytes": body.len(),
        "body_sha256": hex::encode(Sha256::digest(&body)),
        "floor_ops": floor,
        "sign_ops": tc3_sign,
        "build_json_ops": build_json,
        "serialize_sign_ops": serialize_sign,
    }))
}

/// Per-call latencies of `n`-or-more sequential calls over `secs()` seconds, after a warm-up.
async fn sequential<F, Fut>(mut call: F) -> Res<Value>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Res<()>>,
{
    let warm = Instant::now();
    let mut w = 0;
    while w < 5 || warm.elapsed() < Duration::from_millis(300) {
        call().await?;
        w += 1;
    }
    let limit = secs();
    let mut lat = Vec::new();
    let start = Instant::now();
    while lat.len() < 20 || start.elapsed().as_secs_f64() < limit {
        let t = Instant::now();
        call().await?;
        lat.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let total = start.elapsed().as_secs_f64();
    Ok(summary(lat, total))
}

/// `{calls, calls_per_s, p50_us, p99_us}` of a list of latencies (µs).
fn summary(mut lat: Vec<f64>, total: f64) -> Value {
    lat.sort_by(|a, b| a.total_cmp(b));
    let pick = |q: f64| lat[((lat.len() as f64 - 1.0) * q).round() as usize];
    json!({
        "calls": lat.len(),
        "calls_per_s": lat.len() as f64 / total,
        "p50_us": pick(0.5),
        "p99_us": pick(0.99),
    })
}

fn flow_ids() -> Res<Vec<String>> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(env("BENCH_FLOWS")?)?)?;
    Ok(serde_json::from_value(v["flow_ids"].clone())?)
}

/// Scenario 2: sequential calls with one reused client.
async fn seq() -> Res<Value> {
    let fx = fixtures()?;
    let stateless = client(&env("EMU_STATELESS")?)?;
    let stateful = client(&env("EMU_STATEFUL")?)?;
    let cancel: ChannelCancelFlowRequest = serde_json::from_value(fx["cancel"].clone())?;
    let create: ChannelCreateFlowByFilesRequest = serde_json::from_value(fx["create"].clone())?;
    let describe: DescribeFlowDetailInfoRequest = serde_json::from_value(json!({
        "Agent": fx["agent"], "FlowIds": flow_ids()?
    }))?;
    let tiny = sequential(|| async {
        black_box(stateless.channel_cancel_flow(&cancel).await?);
        Ok(())
    })
    .await?;
    let medium = sequential(|| async {
        black_box(stateless.channel_create_flow_by_files(&create).await?);
        Ok(())
    })
    .await?;
    let large = sequential(|| async {
        let r = stateful.describe_flow_detail_info(&describe).await?;
        assert!(!r.flow_info.unwrap_or_default().is_empty());
        Ok(())
    })
    .await?;
    Ok(json!({"cancel": tiny, "create": medium, "describe": large}))
}

/// Scenario 3: 64 calls in flight at all times (64 tasks on one thread, like Node's and
/// Python's event loops), ChannelCancelFlow, for `secs()` seconds after a warm-up.
async fn conc() -> Res<Value> {
    let fx = fixtures()?;
    let c = Arc::new(client(&env("EMU_STATELESS")?)?);
    let cancel: Arc<ChannelCancelFlowRequest> =
        Arc::new(serde_json::from_value(fx["cancel"].clone())?);
    let round = |deadline: Instant| {
        let mut tasks = Vec::new();
        for _ in 0..64 {
            let (c, req) = (c.clone(), cancel.clone());
            tasks.push(tokio::spawn(async move {
                let mut n = 0u64;
                while Instant::now() < deadline {
                    c.channel_cancel_flow(&req).await.expect("call");
                    n += 1;
                }
                n
            }));
        }
        tasks
    };
    for t in round(Instant::now() + Duration::from_millis(300)) {
        t.await?;
    }
    let start = Instant::now();
    let mut n = 0;
    for t in round(start + Duration::from_secs_f64(secs())) {
        n += t.await?;
    }
    let total = start.elapsed().as_secs_f64();
    Ok(json!({"calls": n, "calls_per_s": n as f64 / total}))
}

/// VmHWM (peak resident set) of this process, in KiB.
fn vm_hwm_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Scenario 5: `n` sequential ChannelCancelFlow calls; the peak RSS after 1,000, after
/// n / 2 and at the end.
async fn rss(n: u64) -> Res<Value> {
    let fx = fixtures()?;
    let c = client(&env("EMU_STATELESS")?)?;
    let cancel: ChannelCancelFlowRequest = serde_json::from_value(fx["cancel"].clone())?;
    let mut marks = serde_json::Map::new();
    for i in 1..=n {
        black_box(c.channel_cancel_flow(&cancel).await?);
        if i == 1000 || i == n / 2 {
            marks.insert(i.to_string(), json!(vm_hwm_kb()));
        }
    }
    marks.insert("end".into(), json!(vm_hwm_kb()));
    Ok(json!({"hwm_kb": marks}))
}

/// Scenario 4: what a cold process does: make a client, make one call.
async fn cold() -> Res<Value> {
    let fx = fixtures()?;
    let c = client(&env("EMU_STATELESS")?)?;
    let cancel: ChannelCancelFlowRequest = serde_json::from_value(fx["cancel"].clone())?;
    c.channel_cancel_flow(&cancel).await?;
    Ok(json!({}))
}

/// Fills the stateful emulator: one uploaded file, then `describe.flows` flows with
/// `describe.approvers_per_flow` approvers each, so that DescribeFlowDetailInfo over all of
/// them answers about 1 MB. Prints `{flow_ids, response_bytes}`.
async fn setup() -> Res<Value> {
    let fx = fixtures()?;
    let c = client(&env("EMU_STATEFUL")?)?;
    let agent = fx["agent"].clone();
    let file = c
        .call(
            "UploadFiles",
            &json!({
                "Agent": agent, "BusinessType": "DOCUMENT",
                "FileInfos": [{"FileBody": "JVBERi0xLjQKJSBiZW5jaAo=", "FileName": "bench.pdf"}]
            }),
        )
        .await?;
    let file_id = file["FileIds"][0].as_str().ok_or("no FileId")?.to_owned();
    let flows = fx["describe"]["flows"].as_u64().ok_or("describe.flows")?;
    let per_flow = fx["describe"]["approvers_per_flow"]
        .as_u64()
        .ok_or("describe.approvers_per_flow")?;
    let mut ids = Vec::new();
    for f in 0..flows {
        let approvers: Vec<Value> = (0..per_flow)
            .map(|a| {
                json!({
                    "ApproverType": "ORGANIZATION",
                    "Name": format!("签署人 {f:02}-{a:03}"),
                    "Mobile": format!("13{:09}", f * 1000 + a),
                    "OrganizationName": format!("典子谷科技有限公司 第{a:03}分公司"),
                    "OrganizationOpenId": format!("org_bench_{f:02}_{a:03}"),
                    "OpenId": format!("user_bench_{f:02}_{a:03}"),
                    "ApproverRoleName": format!("签署方 {a:03}"),
                })
            })
            .collect();
        let r = c
            .call(
                "ChannelCreateFlowByFiles",
                &json!({
                    "Agent": agent,
                    "FlowName": format!("采购合同 bench #{f:04}"),
                    "FlowType": "采购合同",
                    "FileIds": [file_id],
                    "CustomerData": format!("bench-order-{f:06}"),
                    "FlowApprovers": approvers,
                }),
            )
            .await?;
        ids.push(r["FlowId"].as_str().ok_or("no FlowId")?.to_owned());
    }
    let answer = c
        .call(
            "DescribeFlowDetailInfo",
            &json!({"Agent": agent, "FlowIds": ids}),
        )
        .await?;
    let bytes = serde_json::to_vec(&json!({ "Response": answer }))?.len();
    Ok(json!({"flow_ids": ids, "response_bytes": bytes}))
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let out = match args.get(1).map(String::as_str) {
        Some("sign") => sign()?,
        Some("seq") => rt.block_on(seq())?,
        Some("conc") => rt.block_on(conc())?,
        Some("rss") => rt.block_on(rss(args.get(2).map_or(Ok(10_000), |s| s.parse())?))?,
        Some("cold") => rt.block_on(cold())?,
        Some("setup") => rt.block_on(setup())?,
        _ => return Err("usage: essbasic-bench sign|seq|conc|rss N|cold|setup".into()),
    };
    println!("{out}");
    Ok(())
}
