//! Response parsing never panics; when classification succeeds, the full parse yields an
//! object or (for JSON that serde cannot represent, e.g. a number beyond f64) a decode
//! error, never another kind; the fast scan and the serde_json path always agree.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data.split_first() {
        Some((s, rest)) => (if *s < 128 { 200 } else { 400 + u16::from(*s) }, rest),
        None => (200, data),
    };
    let classified = essbasic::classify_response(status, body, 1 << 20);
    // The one-pass scan and the serde_json path give the same answer.
    assert_eq!(
        classified,
        essbasic::response::classify_response_tree(status, body, 1 << 20)
    );
    let parsed = essbasic::parse_response(status, body);
    if classified.is_ok() {
        match parsed {
            Ok(v) => assert!(v.is_object(), "a success is an object"),
            Err(e) => assert_eq!(e.kind(), "decode", "{e:?}"),
        }
    } else {
        assert_eq!(classified.unwrap_err(), parsed.unwrap_err());
    }
});
