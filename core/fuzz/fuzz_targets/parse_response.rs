//! Response parsing never panics; when classification succeeds, the full parse yields an
//! object or (for JSON that serde cannot represent, e.g. a number beyond f64) a decode
//! error, never another kind; the fast scan and the serde_json path always agree; the
//! light paths for hosts with their own parser (`classify_response_located`,
//! `classify_response_js`) agree with them wherever they accept.
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
    // The light paths: where the validating path accepts, the same RequestId and (located)
    // the same text; where it refuses, the same error, or a text a validating parser refuses.
    // A validating host parser (the JSON grammar, not the range of f64: JSON.parse gives
    // Infinity where serde_json refuses).
    let host_refuses = |text: &[u8]| {
        std::str::from_utf8(text)
            .ok()
            .and_then(|t| serde_json::from_str::<serde::de::IgnoredAny>(t).ok())
            .is_none()
    };
    let located = essbasic::response::classify_response_located(status, body, 1 << 20);
    match (&classified, &located) {
        (Ok(view), Ok(loc)) => {
            assert_eq!(view.raw.as_bytes(), &body[loc.start..loc.end]);
            assert_eq!(view.request_id, loc.request_id);
        }
        (Err(e), Ok(loc)) => {
            assert_eq!(e.kind(), "decode");
            assert!(host_refuses(&body[loc.start..loc.end]));
        }
        (Err(e), Err(l)) => assert_eq!(e, l),
        (Ok(_), Err(l)) => panic!("located refuses what the validating path accepts: {l:?}"),
    }
    let js = essbasic::response::classify_response_js(status, body, 1 << 20);
    match (&classified, &js) {
        (Ok(view), Ok(js)) => {
            assert_eq!(view.request_id, js.request_id);
            assert_eq!(view.big_integers, js.big_integers);
            assert!(!host_refuses(js.ascii.as_deref().unwrap_or(&body[js.start..js.end])));
        }
        (Err(e), Ok(js)) => {
            assert_eq!(e.kind(), "decode");
            assert!(host_refuses(js.ascii.as_deref().unwrap_or(&body[js.start..js.end])));
        }
        (Err(e), Err(j)) => assert_eq!(e, j),
        (Ok(_), Err(j)) => panic!("the JS path refuses what the validating path accepts: {j:?}"),
    }
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
