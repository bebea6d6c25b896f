//! Validation and request building from arbitrary JSON: no panic; whatever validates builds,
//! the body sent is compact JSON that keeps every non-null member, and building from the
//! JSON text equals building from its tree.
#![no_main]
use essbasic::{build_request, build_request_json, spec::ACTIONS, Config, Credentials, HttpMethod, SignMethod, Stamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, json)) = data.split_first() else { return };
    let action = ACTIONS[pick as usize % ACTIONS.len()].name;
    let creds = Credentials::new("AKIDfuzz", "fuzz-secret").with_token("tok");
    let stamp = Stamp { timestamp: 1_700_000_000, nonce: 7, trace_id: Some("t".into()) };
    for (sign_method, http_method) in [
        (SignMethod::Tc3HmacSha256, HttpMethod::Post),
        (SignMethod::Tc3HmacSha256, HttpMethod::Get),
        (SignMethod::HmacSha1, HttpMethod::Post),
    ] {
        let config = Config { sign_method, http_method, ..Config::default() };
        let built = build_request_json(action, json, &config, &creds, &stamp);
        // The one-pass path over the text equals the tree path (same body, same error).
        match serde_json::from_slice::<serde_json::Value>(json) {
            Ok(tree) => assert_eq!(built, build_request(action, &tree, &config, &creds, &stamp)),
            Err(_) => assert!(built.is_err()),
        }
        let Ok(req) = built else { continue };
        assert!(req.header("Host").is_some());
        if sign_method == SignMethod::Tc3HmacSha256 && http_method == HttpMethod::Post {
            let sent: serde_json::Value = serde_json::from_slice(&req.body).expect("the body is JSON");
            assert_eq!(essbasic::body::to_body(&sent), req.body, "the body is compact");
        }
    }
    let _ = essbasic::validate::validate(action, &serde_json::from_slice(json).unwrap_or_default(), true);
});
