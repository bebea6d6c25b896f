//! The JSON body that is signed and sent: compact UTF-8, `null` members left out.

use serde_json::Value;

/// Serializes `params` compactly, leaving out object members whose value is `null` (at any
/// depth). Integers keep their exact value; strings are written as raw UTF-8.
pub fn to_body(params: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_value(params, &mut out);
    out
}

fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            out.push(b'{');
            let mut first = true;
            for (key, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                if !first {
                    out.push(b',');
                }
                first = false;
                write_json(key, out);
                out.push(b':');
                write_value(v, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(v, out);
            }
            out.push(b']');
        }
        scalar => write_json(scalar, out),
    }
}

fn write_json<T: serde::Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    // Writing a string or a scalar into a Vec cannot fail.
    let written = serde_json::to_writer(&mut *out, value);
    debug_assert!(written.is_ok());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compact_and_without_nulls() {
        let v = json!({"A": null, "B": {"C": null, "D": [1, null, "x"]}, "E": "中文\"", "F": 9007199254740993u64, "G": 1.5});
        assert_eq!(
            String::from_utf8(to_body(&v)).unwrap(),
            r#"{"B":{"D":[1,null,"x"]},"E":"中文\"","F":9007199254740993,"G":1.5}"#
        );
        assert_eq!(to_body(&json!({})), b"{}");
    }
}
