//! Signing canonicalisation: flattening and form encoding are lossless (percent-decoding the
//! RFC 3986 form gives back every key and value), and TC3 signing is deterministic.
#![no_main]
use essbasic::signing::{flatten::flatten, tc3, v1};
use libfuzzer_sys::fuzz_target;

fn decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("hex"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let pairs = flatten(&value);
        let encoded = v1::encode(&pairs, v1::FormEncoding::Rfc3986);
        if !pairs.is_empty() {
            let decoded: Vec<(Vec<u8>, Vec<u8>)> = encoded
                .split('&')
                .map(|p| {
                    let (k, v) = p.split_once('=').expect("k=v");
                    (decode(k), decode(v))
                })
                .collect();
            let want: Vec<(Vec<u8>, Vec<u8>)> =
                pairs.iter().map(|(k, v)| (k.clone().into_bytes(), v.clone().into_bytes())).collect();
            assert_eq!(decoded, want);
        }
    }
    let input = tc3::Tc3Input {
        method: "POST",
        host: "essbasic.tencentcloudapi.com",
        path: "/",
        query: "",
        content_type: "application/json",
        payload: data,
        unsigned_payload: false,
        service: "essbasic",
        timestamp: i64::from(data.first().copied().unwrap_or(0)) * 86_400,
    };
    let a = tc3::sign(&input, "AKIDfuzz", "key");
    let b = tc3::sign(&input, "AKIDfuzz", "key");
    assert_eq!(a.authorization, b.authorization);
    assert_eq!(a.signature.len(), 64);
});
