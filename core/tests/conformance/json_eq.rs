//! JSON equality as the vectors define it: key order free, numbers by exact value.

use serde_json::{Number, Value};

/// Whether two JSON values are equal, comparing numbers by mathematical value.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => number_eq(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn number_eq(x: &Number, y: &Number) -> bool {
    if let (Some(p), Some(q)) = (x.as_i64(), y.as_i64()) {
        return p == q;
    }
    if let (Some(p), Some(q)) = (x.as_u64(), y.as_u64()) {
        return p == q;
    }
    if x.is_f64() || y.is_f64() {
        // An integer-valued float equals the integer only if the integer is exactly
        // representable; compare through f64 and reject lossy conversions.
        let (p, q) = (
            x.as_f64().unwrap_or(f64::NAN),
            y.as_f64().unwrap_or(f64::NAN),
        );
        let exact =
            |n: &Number| n.is_f64() || n.as_f64().is_some_and(|f| f.abs() < 9007199254740992.0);
        return p == q && exact(x) && exact(y);
    }
    false
}
