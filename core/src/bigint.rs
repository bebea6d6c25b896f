//! Help for hosts whose JSON parser rounds integers beyond 2^53 (JavaScript).
//!
//! [`quote_big_integers`] rewrites every integer literal outside ±(2^53 − 1) of a JSON text
//! into a string `"<BIGINT_SENTINEL><digits>"`, so `JSON.parse` with a small reviver can turn
//! exactly those back into `BigInt`s. It returns `None` when there is none, the common case,
//! and the host parses the original text as it is.

/// The prefix of a quoted big integer: a NUL character cannot appear unescaped in JSON
/// text, and the service never sends it in a string.
pub const BIGINT_SENTINEL: &str = "\u{0}bigint:";

const MAX_SAFE: u64 = (1 << 53) - 1;

/// Rewrites big integer literals of valid JSON `text` into sentinel strings, or returns
/// `None` when every integer is safe in an IEEE double.
pub fn quote_big_integers(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i),
            b'-' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                let is_integer = !matches!(bytes.get(i), Some(b'.' | b'e' | b'E'));
                if is_integer && !is_safe(&text[start..i]) {
                    let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 32));
                    o.push_str(&text[copied..start]);
                    o.push('"');
                    // JSON text cannot hold a raw NUL; `\u0000` is its escaped form.
                    o.push_str("\\u0000bigint:");
                    o.push_str(&text[start..i]);
                    o.push('"');
                    copied = i;
                }
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out.map(|mut o| {
        o.push_str(&text[copied..]);
        o
    })
}

fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

pub(crate) fn is_safe(literal: &str) -> bool {
    let digits = literal.strip_prefix('-').unwrap_or(literal);
    digits.len() < 16 || digits.parse::<u64>().is_ok_and(|n| n <= MAX_SAFE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_unsafe_integers() {
        assert_eq!(
            quote_big_integers(r#"{"a":1,"b":9007199254740991,"c":1.5e300}"#),
            None
        );
        let got = quote_big_integers(
            r#"{"a":9007199254740993,"s":"12345678901234567890","n":[-9223372036854775808,2.5]}"#,
        )
        .unwrap();
        assert_eq!(
            got,
            r#"{"a":"\u0000bigint:9007199254740993","s":"12345678901234567890","n":["\u0000bigint:-9223372036854775808",2.5]}"#
        );
        let v: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(
            v["a"].as_str().unwrap(),
            format!("{BIGINT_SENTINEL}9007199254740993")
        );
        assert_eq!(
            quote_big_integers(r#"{"k\"1":"x\\","b":18446744073709551615}"#).unwrap(),
            r#"{"k\"1":"x\\","b":"\u0000bigint:18446744073709551615"}"#
        );
    }
}
