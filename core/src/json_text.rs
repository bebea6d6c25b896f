//! A serde [`Deserializer`] over JSON text for the transcoder ([`crate::transcode`]): only
//! what its visitor asks (`deserialize_any`; strings, keys, numbers, containers), with the
//! string scan done sixteen bytes at a time. It reports values exactly as
//! `serde_json::Deserializer` does (a string without escapes borrowed, one with escapes
//! unescaped; an integer by `visit_u64`, a negative one by `visit_i64`; a decimal by
//! `visit_f64` with the same value) and refuses, with an error, whatever it does not handle
//! that way itself: a number with an exponent or beyond the exactly computed range, a
//! surrogate escape, nesting deeper than serde_json's limit, and invalid text. An error only
//! sends the transcoder's caller to the slow path, which decides.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Nesting deeper than serde_json's default recursion limit (127 containers) is refused.
const MAX_DEPTH: usize = 127;

/// Powers of ten that are exact in an `f64` (10^0 ..= 10^22).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Not handled here (or invalid): the slow path decides.
#[derive(Debug)]
pub(crate) struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not handled by the fast path")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Refused
    }
}

/// The reader: the text and a position in it.
pub(crate) struct TextDe<'de> {
    text: &'de str,
    pos: usize,
    depth: usize,
}

impl<'de> TextDe<'de> {
    pub(crate) fn new(text: &'de str) -> Self {
        TextDe {
            text,
            pos: 0,
            depth: 0,
        }
    }

    /// Succeeds when only whitespace is left.
    pub(crate) fn end(&mut self) -> Result<(), Refused> {
        match self.peek_non_ws() {
            None => Ok(()),
            Some(_) => Err(Refused),
        }
    }

    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not JSON whitespace, not consumed.
    #[inline]
    fn peek_non_ws(&mut self) -> Option<u8> {
        let b = self.bytes();
        while let Some(&c) = b.get(self.pos) {
            match c {
                b' ' | b'\n' | b'\t' | b'\r' => self.pos += 1,
                _ => return Some(c),
            }
        }
        None
    }

    /// Past a container's opening bracket, one level deeper.
    fn enter(&mut self) -> Result<(), Refused> {
        self.pos += 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Refused);
        }
        Ok(())
    }

    /// Past the container's closing bracket `close`, one level up.
    fn leave(&mut self, close: u8) -> Result<(), Refused> {
        self.depth -= 1;
        if self.peek_non_ws() != Some(close) {
            return Err(Refused);
        }
        self.pos += 1;
        Ok(())
    }

    /// Before a container's next item: `None` at its closing byte `close`, else the item's
    /// first byte (not consumed), past the `,` that must precede every item but the first.
    #[inline]
    fn next_item(&mut self, first: &mut bool, close: u8) -> Result<Option<u8>, Refused> {
        let mut c = self.peek_non_ws().ok_or(Refused)?;
        if c == close {
            return Ok(None);
        }
        if !*first {
            if c != b',' {
                return Err(Refused);
            }
            self.pos += 1;
            c = self.peek_non_ws().ok_or(Refused)?;
        }
        *first = false;
        Ok(Some(c))
    }

    fn expect_literal(&mut self, lit: &[u8]) -> Result<(), Refused> {
        if self.bytes()[self.pos..].starts_with(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(Refused)
        }
    }

    /// A string starting at the opening quote (at `pos`): borrowed when it has no escape,
    /// else unescaped into a new `String`.
    #[inline]
    fn string(&mut self) -> Result<Text<'de>, Refused> {
        let b = self.bytes();
        let start = self.pos + 1;
        let end = start + special_offset(&b[start..]).ok_or(Refused)?;
        match b[end] {
            b'"' => {
                self.pos = end + 1;
                Ok(Text::Borrowed(&self.text[start..end]))
            }
            b'\\' => {
                let mut out = String::with_capacity(end - start + 16);
                out.push_str(&self.text[start..end]);
                self.pos = end;
                self.unescape_rest(out).map(Text::Owned)
            }
            _ => Err(Refused),
        }
    }

    /// The rest of a string from a backslash at `pos`, appended to `out`.
    fn unescape_rest(&mut self, mut out: String) -> Result<String, Refused> {
        let b = self.bytes();
        loop {
            // At a backslash.
            let esc = *b.get(self.pos + 1).ok_or(Refused)?;
            self.pos += 2;
            match esc {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let hex = b.get(self.pos..self.pos + 4).ok_or(Refused)?;
                    let mut unit = 0u32;
                    for &h in hex {
                        unit = unit * 16 + char::from(h).to_digit(16).ok_or(Refused)?;
                    }
                    self.pos += 4;
                    // Surrogates (pairs or lone) are left to serde_json.
                    out.push(char::from_u32(unit).ok_or(Refused)?);
                }
                _ => return Err(Refused),
            }
            let start = self.pos;
            let end = start + special_offset(&b[start..]).ok_or(Refused)?;
            out.push_str(&self.text[start..end]);
            self.pos = end;
            match b[end] {
                b'"' => {
                    self.pos = end + 1;
                    return Ok(out);
                }
                b'\\' => {}
                _ => return Err(Refused),
            }
        }
    }

    /// A number at `pos`, handed to `visitor` as serde_json would; only integers that fit
    /// (`-0` aside) and decimals without exponent whose digits fit in 2^53 with at most 22
    /// after the point (computed exactly, as serde_json's own fast path does).
    fn number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Refused> {
        let b = self.bytes();
        let negative = b[self.pos] == b'-';
        let mut i = self.pos + usize::from(negative);
        let int_start = i;
        let mut value: u64 = 0;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() {
                break;
            }
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(c - b'0')))
                .ok_or(Refused)?;
            i += 1;
        }
        let int_digits = i - int_start;
        if int_digits == 0 || (int_digits > 1 && b[int_start] == b'0') {
            return Err(Refused);
        }
        match b.get(i) {
            Some(b'.') => {
                i += 1;
                let frac_start = i;
                while let Some(&c) = b.get(i) {
                    if !c.is_ascii_digit() {
                        break;
                    }
                    value = value
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(u64::from(c - b'0')))
                        .ok_or(Refused)?;
                    i += 1;
                }
                let frac_digits = i - frac_start;
                if frac_digits == 0 || frac_digits >= POW10.len() || value >= 1 << 53 {
                    return Err(Refused);
                }
                if matches!(b.get(i), Some(b'e' | b'E')) {
                    return Err(Refused);
                }
                self.pos = i;
                // Both operands exact: one correctly rounded division.
                let v = value as f64 / POW10[frac_digits];
                visitor.visit_f64(if negative { -v } else { v })
            }
            Some(b'e' | b'E') => Err(Refused),
            _ => {
                self.pos = i;
                if !negative {
                    visitor.visit_u64(value)
                } else if value == 0 || value > 1 << 63 {
                    // serde_json reads `-0` and integers below i64::MIN as floats.
                    Err(Refused)
                } else {
                    visitor.visit_i64((value as i64).wrapping_neg())
                }
            }
        }
    }
}

/// A string read from the text.
enum Text<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> Deserializer<'de> for &mut TextDe<'de> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        match self.peek_non_ws().ok_or(Refused)? {
            b'"' => match self.string()? {
                Text::Borrowed(s) => visitor.visit_borrowed_str(s),
                Text::Owned(s) => visitor.visit_str(&s),
            },
            b'{' => {
                self.enter()?;
                let value = visitor.visit_map(Members {
                    de: self,
                    first: true,
                })?;
                self.leave(b'}').map(|()| value)
            }
            b'[' => {
                self.enter()?;
                let value = visitor.visit_seq(Elements {
                    de: self,
                    first: true,
                })?;
                self.leave(b']').map(|()| value)
            }
            b't' => {
                self.expect_literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.expect_literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'n' => {
                self.expect_literal(b"null")?;
                visitor.visit_unit()
            }
            b'-' | b'0'..=b'9' => self.number(visitor),
            _ => Err(Refused),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// An object's members; the closing brace is left for `deserialize_any`.
struct Members<'a, 'de> {
    de: &'a mut TextDe<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Members<'_, 'de> {
    type Error = Refused;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refused> {
        match self.de.next_item(&mut self.first, b'}')? {
            None => return Ok(None),
            Some(b'"') => {}
            Some(_) => return Err(Refused),
        }
        let key = seed.deserialize(&mut *self.de)?;
        if self.de.peek_non_ws() != Some(b':') {
            return Err(Refused);
        }
        self.de.pos += 1;
        Ok(Some(key))
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Refused> {
        seed.deserialize(&mut *self.de)
    }
}

/// An array's elements; the closing bracket is left for `deserialize_any`.
struct Elements<'a, 'de> {
    de: &'a mut TextDe<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Refused;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Refused> {
        if self.de.next_item(&mut self.first, b']')?.is_none() {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}

/// The offset of the first `"`, `\\` or control byte (below 0x20) of `rest`, sixteen bytes
/// at a time where SSE2 is (every x86-64).
#[inline]
pub(crate) fn special_offset(rest: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    let i = {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8,
            _mm_or_si128, _mm_set1_epi8,
        };
        let mut i = 0;
        // SAFETY: SSE2 is in the x86-64 baseline; every load reads 16 bytes inside `rest`.
        unsafe {
            let quote = _mm_set1_epi8(b'"' as i8);
            let backslash = _mm_set1_epi8(b'\\' as i8);
            let below = _mm_set1_epi8(0x1f);
            while i + 16 <= rest.len() {
                let x = _mm_loadu_si128(rest.as_ptr().add(i).cast::<__m128i>());
                // x <= 0x1f (unsigned) exactly when max(x, 0x1f) == 0x1f.
                let control = _mm_cmpeq_epi8(_mm_max_epu8(x, below), below);
                let hits = _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                    control,
                );
                let mask = _mm_movemask_epi8(hits) as u32;
                if mask != 0 {
                    return Some(i + mask.trailing_zeros() as usize);
                }
                i += 16;
            }
        }
        i
    };
    #[cfg(not(target_arch = "x86_64"))]
    let i = 0;
    rest[i..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|p| i + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a visitor was told, in order: to compare with serde_json's own reader.
    #[derive(Debug, PartialEq)]
    enum Event {
        Borrowed(String),
        Copied(String),
        U64(u64),
        I64(i64),
        F64(u64),
        Bool(bool),
        Unit,
        Map(Vec<(Vec<Event>, Vec<Event>)>),
        Seq(Vec<Vec<Event>>),
    }

    struct Record;

    impl<'de> DeserializeSeed<'de> for Record {
        type Value = Vec<Event>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Event>, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Record {
        type Value = Vec<Event>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("anything")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Vec<Event>, E> {
            Ok(vec![Event::Borrowed(v.to_owned())])
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<Event>, E> {
            Ok(vec![Event::Copied(v.to_owned())])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<Event>, E> {
            Ok(vec![Event::U64(v)])
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<Event>, E> {
            Ok(vec![Event::I64(v)])
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<Event>, E> {
            Ok(vec![Event::F64(v.to_bits())])
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<Event>, E> {
            Ok(vec![Event::Bool(v)])
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<Event>, E> {
            Ok(vec![Event::Unit])
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Event>, A::Error> {
            let mut members = Vec::new();
            while let Some(k) = map.next_key_seed(Record)? {
                members.push((k, map.next_value_seed(Record)?));
            }
            Ok(vec![Event::Map(members)])
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Event>, A::Error> {
            let mut items = Vec::new();
            while let Some(v) = seq.next_element_seed(Record)? {
                items.push(v);
            }
            Ok(vec![Event::Seq(items)])
        }
    }

    /// Ours: the events, or `None` when refused.
    fn ours(text: &str) -> Option<Vec<Event>> {
        let mut de = TextDe::new(text);
        let events = Record.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(events)
    }

    fn serde_json_events(text: &str) -> Option<Vec<Event>> {
        let mut de = serde_json::Deserializer::from_str(text);
        let events = Record.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(events)
    }

    /// Accepted texts are reported exactly as serde_json reports them; refused ones are
    /// either invalid for serde_json too or among the documented refusals.
    fn agrees(text: &str) -> bool {
        let mine = ours(text);
        if let Some(m) = &mine {
            assert_eq!(Some(m), serde_json_events(text).as_ref(), "{text:?}");
        }
        mine.is_some()
    }

    #[test]
    fn reports_values_as_serde_json_does() {
        for text in [
            r#"{"A":"x","B":[1,-2,3.25,0.1,-0.5,true,false,null],"C":{}}"#,
            " { \"k\" : [ ] , \"l\" : \"\" } ",
            r#""采购合同 2024-Q3 #000123""#,
            r#""a\"b\\c\/d\b\f\n\r\t\u00e9\u4e2d end""#,
            r#"{"\u0041":1}"#,
            "18446744073709551615",
            "-9223372036854775808",
            "0",
            "146.5",
            "1.50",
            "3.0",
            "0.0000000000000000000001",
            "900719925474099.1",
            "-0.0",
        ] {
            assert!(agrees(text), "refused {text:?}");
        }
    }

    #[test]
    fn refuses_what_it_leaves_to_serde_json() {
        for text in [
            "-0",
            "18446744073709551616",
            "-9223372036854775809",
            "1e3",
            "1.5E2",
            "9007199254740993.5",
            "0.00000000000000000000001",
            r#""\ud83d\ude00""#,
            r#""\ud800""#,
            "01",
            "1.",
            ".5",
            "-",
            "+1",
            "tru",
            "nul",
            "\"a\u{1}b\"",
            "\"open",
            r#"{"a":1,}"#,
            "[1,]",
            "[1 2]",
            r#"{"a" 1}"#,
            r#"{1:2}"#,
            "[1] x",
            "",
        ] {
            assert!(!agrees(text), "accepted {text:?}");
        }
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(agrees(&nested(MAX_DEPTH)));
        assert!(!agrees(&nested(MAX_DEPTH + 1)));
        assert!(serde_json_events(&nested(MAX_DEPTH + 1)).is_none());
    }

    #[test]
    fn random_texts_agree_with_serde_json() {
        // Texts made from JSON-ish pieces: valid ones must be reported as serde_json does,
        // invalid ones refused (checked by `agrees` and by serde_json refusing them too).
        let pieces = [
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"k\"",
            "\"\\u00e9\"",
            "\"\\\"\"",
            "1",
            "-1",
            "0.5",
            "12.75",
            "1e2",
            "true",
            "null",
            " ",
            "\"中\"",
            "-0",
            "\"\\n\"",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut accepted = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            let n = (seed % 9) as usize + 1;
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let mine = ours(&text);
            let theirs = serde_json_events(&text);
            if let Some(m) = mine {
                assert_eq!(Some(m), theirs, "{text:?}");
                accepted += 1;
            }
        }
        assert!(accepted > 1000, "too few valid texts: {accepted}");
    }
}
