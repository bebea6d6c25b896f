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
    // The pure helpers of issue #8: callbacks, the encryption envelope, uploads, waiters,
    // pagination and the profile file.
    let key = "0123456789abcdef0123456789abcdef";
    let e = essbasic::callback::open_value(bytes, Some(key), Some("t"), Some("sha256=00"))
        .map_or(0, |v| v.to_string().len());
    let f = essbasic::encryption::EncryptionKeys::new(
        essbasic::encryption::Algorithm::Sm4Cbc,
        &bytes[..bytes.len().min(16)],
        b"hmac",
    )
    .map_or(0, |k| {
        let env = essbasic::encryption::seal(bytes, &k, [ts as u8; 16]);
        essbasic::encryption::open(&env, &k).map_or(0, |p| p.len())
    });
    let g = essbasic::upload::prepare_files(&[("f.pdf", bytes)], "DOCUMENT")
        .map_or(0, |v| v.to_string().len());
    let h = match essbasic::waiter::classify(essbasic::waiter::TaskKind::FileConvert, &params) {
        essbasic::waiter::Progress::Done(_) => 1,
        _ => essbasic::waiter::decide(&Default::default(), ts as u32, 0).unwrap_or(0) as usize,
    };
    let i = essbasic::paginate::next_page("DescribeTemplates", &params, &params)
        .map_or(0, |n| n.map_or(1, |v| v.to_string().len()));
    let j = essbasic::profile::parse_profile(std::str::from_utf8(bytes).unwrap_or(""), "default")
        .map_or(0, |c| c.map_or(1, |c| c.secret_id().len()));
    (a + b + c + d + e + f + g + h + i + j) as u32
}
