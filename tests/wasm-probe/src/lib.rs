//! Links every entry point of the core into one wasm module. `tests/check-wasm-core.sh`
//! reads the module's import section and fails on any import: a clock, an RNG, a socket or
//! a print would show up there.

use essbasic::{build_request_json, classify_response, remote, Config, Credentials, Stamp};

fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    // SAFETY: the caller passes a valid buffer of `len` bytes (the probe is never run).
    unsafe { std::slice::from_raw_parts(ptr, len) }
}

/// Builds, remotely prepares and classifies with bytes from the host.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn probe(ptr: *const u8, len: usize, ts: i64) -> u32 {
    let bytes = input(ptr, len);
    let creds = Credentials::new("id", "key");
    let stamp = Stamp {
        timestamp: ts,
        nonce: 1,
        trace_id: None,
    };
    let config = Config::default();
    let a = build_request_json("ChannelCancelFlow", bytes, &config, &creds, &stamp)
        .map_or(0, |r| r.body.len());
    let b = classify_response(200, bytes, 1 << 20).map_or(0, |v| v.raw.len());
    let params: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
    let c = remote::prepare("DescribeTemplates", &params, &config, "id", None, &stamp)
        .and_then(|p| remote::sign_remote("key", &p.canonical_request, ts, ts, None))
        .map_or(0, |s| s.len());
    let d = essbasic::bigint::quote_big_integers(std::str::from_utf8(bytes).unwrap_or(""))
        .map_or(0, |s| s.len());
    (a + b + c + d) as u32
}
