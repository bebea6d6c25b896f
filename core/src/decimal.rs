//! Whether a decimal's text is exactly what serde_json writes for a given `f64`, decided
//! from the text alone: the transcoder then keeps the input's bytes instead of formatting
//! the number to compare.
//!
//! serde_json writes the shortest digits that read back as the same `f64`, in plain
//! notation for 1e-5 ≤ |v| < 1e16 (`146.5`, `0.00001`, `146.0` for an integral value) and in
//! exponent notation outside. A text `[-]I.F` with at most 15 significant digits names a
//! decimal that no other decimal of at most 15 digits shares an `f64` with (15 is
//! `f64::DIGITS`), so those digits, without trailing zeros, are the shortest; the rest is the
//! notation.

/// Exact powers of ten (every one up to 10^22 is an `f64`).
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// The length of the decimal at the start of `text` when it is serde_json's text for `v`
/// (see the module documentation); `None` when that is not sure (then format and compare).
pub(crate) fn canonical_len(text: &[u8], v: f64) -> Option<usize> {
    let negative = text.first() == Some(&b'-');
    let mut i = usize::from(negative);
    let int_start = i;
    while text.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_digits = i - int_start;
    // One digit, or no leading zero; then a point.
    if int_digits == 0 || (int_digits > 1 && text[int_start] == b'0') || text.get(i) != Some(&b'.')
    {
        return None;
    }
    i += 1;
    let frac_start = i;
    while text.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let frac = &text[frac_start..i];
    // Not followed by an exponent (nor by anything else a number could go on with).
    if frac.is_empty() || matches!(text.get(i), Some(b'e' | b'E' | b'.')) {
        return None;
    }
    let int = &text[int_start..frac_start - 1];
    let integral = frac == b"0";
    if !integral && frac.last() == Some(&b'0') {
        // `1.50`: serde_json writes `1.5`.
        return None;
    }
    // The significant digits: those of the integer part when it is integral (`.0` is
    // notation), else all of them but the leading zeros of `0.000x`.
    let (digits, small) = if integral {
        (int.len(), false)
    } else if int == b"0" {
        let zeros = frac.iter().take_while(|&&d| d == b'0').count();
        // Below 1e-5, serde_json writes an exponent.
        (frac.len() - zeros, zeros > 4)
    } else {
        (int.len() + frac.len(), false)
    };
    if digits > 15 || small {
        return None;
    }
    // The text must name `v` itself: its value computed exactly (mantissa below 2^53,
    // divided by an exact power of ten: one correct rounding, as the reader does).
    let mut mantissa: u64 = 0;
    for &d in int.iter().chain(frac) {
        mantissa = mantissa * 10 + u64::from(d - b'0');
    }
    let scale = *POW10.get(frac.len())?;
    let magnitude = mantissa as f64 / scale;
    let value = if negative { -magnitude } else { magnitude };
    (value.to_bits() == v.to_bits()).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_text(v: f64) -> String {
        serde_json::to_string(&v).unwrap()
    }

    /// Whatever the text, an answer means serde_json writes exactly that text for `v`.
    fn agrees(text: &str, v: f64) -> bool {
        match canonical_len(text.as_bytes(), v) {
            Some(n) => {
                assert_eq!(&text[..n], serde_text(v), "{text} as {v:e}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn common_decimals_are_recognised() {
        for (text, v) in [
            ("146.5", 146.5),
            ("146.0", 146.0),
            ("-0.5", -0.5),
            ("0.0", 0.0),
            ("-0.0", -0.0),
            ("0.1", 0.1),
            ("0.00001", 0.00001),
            ("0.0000125", 0.0000125),
            ("123456789012345.0", 123456789012345.0),
            ("12345.6789012345", 12345.6789012345),
            ("146.5,", 146.5),
            ("146.5}", 146.5),
        ] {
            assert!(agrees(text, v), "{text}");
        }
    }

    #[test]
    fn anything_else_is_left_to_formatting() {
        for (text, v) in [
            ("146.50", 146.5),
            ("146", 146.0),
            ("146.5", 146.25),
            ("-146.5", 146.5),
            ("146.5", -146.5),
            ("0.000001", 0.000001),
            ("1.5e2", 150.0),
            ("01.5", 1.5),
            ("1.", 1.0),
            (".5", 0.5),
            ("1234567890123456.0", 1234567890123456.0),
            ("0.1234567890123456", 0.1234567890123456),
            ("1.5.", 1.5),
            (" 1.5", 1.5),
            ("", 0.0),
        ] {
            assert!(!agrees(text, v), "{text}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_many_decimals() {
        // A fixed pseudo-random walk over mantissas and scales (no RNG dependency).
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut accepted = 0;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = 1 + (x % 17) as u32;
            let mantissa = (x >> 8) % 10u64.pow(digits);
            let frac = 1 + ((x >> 40) % 16) as usize;
            let s = format!("{:0>width$}", mantissa, width = frac + 1);
            let (int, f) = s.split_at(s.len() - frac);
            let text = format!("{}{int}.{f}", if x & 1 == 1 { "-" } else { "" });
            let v: f64 = text.parse().unwrap();
            if agrees(&text, v) {
                accepted += 1;
            }
            // A neighbouring value is never taken for this text.
            let next = f64::from_bits(v.to_bits() + 1);
            assert!(canonical_len(text.as_bytes(), next).is_none(), "{text}");
        }
        // Most texts of at most 15 digits without a trailing zero are recognised.
        assert!(accepted > 50_000, "{accepted}");
    }
}
