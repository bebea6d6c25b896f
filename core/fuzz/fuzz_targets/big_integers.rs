//! Quoting big integers for JavaScript keeps valid JSON valid and changes only those numbers.
#![no_main]
use essbasic::bigint::{quote_big_integers, BIGINT_SENTINEL};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn same(original: &Value, quoted: &Value) -> bool {
    match (original, quoted) {
        (Value::Number(n), Value::String(s)) => match s.strip_prefix(BIGINT_SENTINEL) {
            // Integers in i64/u64 keep their exact digits; larger ones at least their value.
            Some(digits) if n.is_i64() || n.is_u64() => digits == n.to_string(),
            Some(digits) => digits.parse::<f64>().ok() == n.as_f64(),
            None => false,
        },
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Value::Object(a), Value::Object(b)) => a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w))),
        _ => original == quoted,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(original) = serde_json::from_str::<Value>(text) else { return };
    if let Some(quoted) = quote_big_integers(text) {
        let q: Value = serde_json::from_str(&quoted).expect("still JSON");
        assert!(same(&original, &q), "{text} -> {quoted}");
    }
});
