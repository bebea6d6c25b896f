//! One strict pass over a response body that finds what classification needs: where the
//! `Response` object is, its `Error` and `RequestId` members, and whether any integer
//! literal in it is beyond ±(2^53 − 1) (so that JavaScript hosts quote only when needed).
//!
//! It validates the JSON grammar as it goes, without building anything. Any doubt (invalid
//! JSON, a duplicate member, nesting deeper than serde_json allows) returns `None`, and
//! [`classify_response`](crate::response::classify_response) falls back to its serde_json
//! path, which gives the exact error. Only the small `Error` and `RequestId` values are then
//! deserialized.

use crate::json_text::special_offset;
use std::ops::Range;

/// serde_json's nesting limit: deeper input goes to the slow path (which refuses it).
const MAX_DEPTH: usize = 127;

/// What the scan found in `{"Response": {...}}`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Envelope {
    /// The `Response` value's bytes (any JSON type).
    pub(crate) response: Option<Range<usize>>,
    /// `Response.Error`'s value, when `Response` is an object that has one.
    pub(crate) error: Option<Range<usize>>,
    /// `Response.RequestId`'s value.
    pub(crate) request_id: Option<Range<usize>>,
    /// An integer literal inside `Response` is outside ±(2^53 − 1).
    pub(crate) big_integers: bool,
}

/// Scans `text` (already valid UTF-8); `None` when the slow path must decide.
pub(crate) fn scan(text: &[u8]) -> Option<Envelope> {
    let mut s = Scanner {
        b: text,
        i: 0,
        big: false,
    };
    let mut env = Envelope::default();
    s.ws();
    if s.peek()? != b'{' {
        return None;
    }
    s.i += 1;
    s.ws();
    if s.peek()? == b'}' {
        s.i += 1;
    } else {
        loop {
            let key = s.plain_key()?;
            s.colon()?;
            if &text[key.start + 1..key.end - 1] == b"Response" {
                if env.response.is_some() {
                    return None;
                }
                let start = s.i;
                if s.peek()? == b'{' {
                    s.big = false;
                    s.response_object(&mut env)?;
                    env.big_integers = s.big;
                } else {
                    s.value(1)?;
                }
                env.response = Some(start..s.i);
            } else {
                s.value(1)?;
            }
            if !s.next_member(b'}')? {
                break;
            }
        }
    }
    s.ws();
    (s.i == text.len()).then_some(env)
}

/// What [`scan_light`] found: the `Response` object's place, its `Error` and `RequestId`
/// members, and its text for a JavaScript parser.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct LightEnvelope {
    /// The `Response` object's bytes (always an object here).
    pub(crate) response: Range<usize>,
    /// `Response.Error`'s value, when present.
    pub(crate) error: Option<Range<usize>>,
    /// `Response.RequestId`'s value, when present.
    pub(crate) request_id: Option<Range<usize>>,
    /// An integer literal inside `Response` is outside ±(2^53 − 1).
    pub(crate) big_integers: bool,
    /// The `Response` text rewritten in ASCII (each non-ASCII character as `\uXXXX`
    /// escapes, each big integer quoted with the BigInt sentinel), or `None` when the text
    /// is ASCII with no big integer already.
    pub(crate) ascii: Option<Vec<u8>>,
}

/// The light scan for hosts that parse the `Response` text with a validating parser of
/// their own (JavaScript's `JSON.parse`, the Python binding's parser): the envelope around
/// `Response` and the member names of `Response` are checked strictly, the member values
/// only tokenized (strings, numbers, brackets). With `rewrite`, the text is rewritten for a
/// JavaScript host in the same pass (`ascii`); without it, non-ASCII bytes inside strings
/// are skipped, not decoded (the host's parser checks the UTF-8), and `ascii` stays `None`.
///
/// On valid JSON it finds what [`scan`] finds; invalid text inside a member value is left
/// to the host's parser, which refuses the whole `Response` text. `None` (the caller then
/// takes the validating path) for anything else: invalid UTF-8, a `Response` that is not an
/// object, a member name with an escape, a duplicate `Error` or `RequestId`, nesting deeper
/// than serde_json allows; with `rewrite`, invalid UTF-8 in a string.
pub(crate) fn scan_light(text: &[u8], rewrite: bool) -> Option<LightEnvelope> {
    let mut s = Scanner {
        b: text,
        i: 0,
        big: false,
    };
    let mut found: Option<LightEnvelope> = None;
    s.ws();
    if s.peek()? != b'{' {
        return None;
    }
    s.i += 1;
    s.ws();
    if s.peek()? == b'}' {
        return None;
    }
    loop {
        let key = s.plain_key()?;
        s.colon()?;
        if &text[key.start + 1..key.end - 1] == b"Response" {
            if found.is_some() || s.peek()? != b'{' {
                return None;
            }
            let mut light = Light {
                b: text,
                i: s.i,
                copied: s.i,
                out: None,
                big: false,
                rewrite,
            };
            let mut env = LightEnvelope::default();
            light.response_object(&mut env)?;
            env.response = s.i..light.i;
            env.big_integers = light.big;
            env.ascii = light.out.map(|mut out| {
                out.extend_from_slice(&text[light.copied..light.i]);
                out
            });
            s.i = light.i;
            found = Some(env);
        } else {
            s.value(1)?;
        }
        if !s.next_member(b'}')? {
            break;
        }
    }
    s.ws();
    if s.i != text.len() {
        return None;
    }
    // The envelope's own bytes (other members' names and values) are UTF-8 too: they are
    // not the host's to parse.
    let r = &found.as_ref()?.response;
    (std::str::from_utf8(&text[..r.start]).is_ok() && std::str::from_utf8(&text[r.end..]).is_ok())
        .then_some(())?;
    found
}

/// The tokenizing, rewriting half of [`scan_light`].
struct Light<'a> {
    b: &'a [u8],
    i: usize,
    /// `b[copied..i]` is not in `out` yet.
    copied: usize,
    /// The rewritten text, from the first rewrite on.
    out: Option<Vec<u8>>,
    big: bool,
    /// Whether to rewrite (else `out` stays `None`).
    rewrite: bool,
}

impl Light<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// The output with what was not copied up to `at` written (the caller writes what
    /// replaces the bytes from `at` on, and moves `copied` past them).
    fn flush(&mut self, at: usize) -> &mut Vec<u8> {
        let out = self.out.get_or_insert_with(|| {
            let n = self.b.len();
            Vec::with_capacity(n + n / 4)
        });
        out.extend_from_slice(&self.b[self.copied..at]);
        out
    }

    /// The `Response` object: strict member names (`Error` and `RequestId` recorded once
    /// each), tokenized values.
    fn response_object(&mut self, env: &mut LightEnvelope) -> Option<()> {
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            (self.peek()? == b'"').then_some(())?;
            let key = self.string()?;
            let name = &self.b[key.start + 1..key.end - 1];
            if name.contains(&b'\\') {
                return None;
            }
            self.ws();
            (self.peek()? == b':').then_some(())?;
            self.i += 1;
            self.ws();
            let start = self.i;
            if self.rewrite {
                self.value()?;
            } else {
                self.skip_value()?;
            }
            let slot = match name {
                b"Error" => Some(&mut env.error),
                b"RequestId" => Some(&mut env.request_id),
                _ => None,
            };
            if let Some(slot) = slot {
                if slot.is_some() {
                    return None;
                }
                *slot = Some(start..self.i);
            }
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// One value, skipped for a host that validates it: strings read to their end (a
    /// bracket inside one is text), brackets counted, every other byte stepped over in
    /// bulk (a scalar ends at the first `,`, `}`, `]` or whitespace).
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' | b'[' => {
                self.i = skip_container(self.b, self.i)?;
                Some(())
            }
            _ => {
                let start = self.i;
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.i += 1;
                }
                (self.i > start).then_some(())
            }
        }
    }

    /// One value, tokenized: brackets counted, strings and numbers read (and rewritten),
    /// the bytes between tokens only required to be JSON punctuation or whitespace.
    fn value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    // As `Scanner::value`: a member value's container is at depth 2.
                    if depth + 1 > MAX_DEPTH {
                        return None;
                    }
                    self.i += 1;
                    continue;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.i += 1;
                }
                b'-' | b'0'..=b'9' => self.number()?,
                b't' | b'f' | b'n' => {
                    while let Some(b'a'..=b'z') = self.peek() {
                        self.i += 1;
                    }
                }
                b',' | b':' | b' ' | b'\t' | b'\n' | b'\r' if depth > 0 => {
                    self.i += 1;
                    continue;
                }
                _ => return None,
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    /// A number; an integer literal beyond ±(2^53 − 1) is rewritten as the sentinel string
    /// (as [`quote_big_integers`](crate::bigint::quote_big_integers) does). `None` for such a
    /// literal with a leading zero: quoted, it would become a valid string of invalid JSON.
    fn number(&mut self) -> Option<()> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits_start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        let end = self.i;
        let integer = !matches!(self.peek(), Some(b'.' | b'e' | b'E'));
        if integer && end - digits_start >= 16 {
            // ASCII digits (and a sign): valid UTF-8.
            let literal = std::str::from_utf8(&self.b[start..end]).unwrap_or("");
            if !crate::bigint::is_safe(literal) {
                if self.b[digits_start] == b'0' {
                    return None;
                }
                self.big = true;
                if self.rewrite {
                    let out = self.flush(start);
                    out.extend_from_slice(b"\"\\u0000bigint:");
                    out.extend_from_slice(literal.as_bytes());
                    out.push(b'"');
                    self.copied = end;
                }
            }
        }
        while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = self.peek() {
            self.i += 1;
        }
        Some(())
    }

    /// A string token (its range, quotes included). With `rewrite`, each non-ASCII character
    /// is rewritten as `\uXXXX` escapes (UTF-16 code units) and invalid UTF-8 gives `None`;
    /// without, non-ASCII bytes are stepped over (a `"` or `\\` byte is never part of a
    /// multi-byte UTF-8 character).
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.i;
        self.i += 1;
        loop {
            self.i += if self.rewrite {
                quote_escape_or_high(&self.b[self.i..])?
            } else {
                quote_or_escape(&self.b[self.i..])?
            };
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Some(start..self.i);
                }
                b'\\' => {
                    // The escaped byte is ASCII in valid JSON; anything else is the host
                    // parser's to refuse (a non-ASCII byte there fails as UTF-8 below).
                    self.i += 2;
                    if self.i > self.b.len() {
                        return None;
                    }
                }
                _ => {
                    // A run of non-ASCII characters (CJK text comes in runs), escaped in
                    // one loop.
                    let b = self.b;
                    let at = self.i;
                    let out = self.flush(at);
                    let mut i = at;
                    while b.get(i).is_some_and(|&x| x >= 0x80) {
                        let (len, c) = utf8_char(&b[i..])?;
                        i += len;
                        if c < 0x1_0000 {
                            push_escape(out, c);
                        } else {
                            let c = c - 0x1_0000;
                            push_escape(out, 0xd800 | (c >> 10));
                            push_escape(out, 0xdc00 | (c & 0x3ff));
                        }
                    }
                    self.i = i;
                    self.copied = i;
                }
            }
        }
    }
}

/// Appends `\uXXXX` for one UTF-16 code unit.
#[inline]
fn push_escape(out: &mut Vec<u8>, unit: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let hex = |shift: u32| HEX[((unit >> shift) & 0xf) as usize];
    out.extend_from_slice(&[b'\\', b'u', hex(12), hex(8), hex(4), hex(0)]);
}

/// The UTF-8 character at the start of `b` (its first byte is not ASCII): its length and
/// scalar value, `None` when it is not valid UTF-8 (overlong, surrogate, beyond U+10FFFF,
/// cut short), by the table of RFC 3629.
#[inline]
fn utf8_char(b: &[u8]) -> Option<(usize, u32)> {
    let cont = |i: usize| {
        b.get(i)
            .filter(|&&x| x & 0xc0 == 0x80)
            .map(|&x| u32::from(x & 0x3f))
    };
    let lead = *b.first()?;
    match lead {
        0xc2..=0xdf => Some((2, (u32::from(lead & 0x1f) << 6) | cont(1)?)),
        0xe0..=0xef => {
            let second = *b.get(1)?;
            let ok = match lead {
                0xe0 => (0xa0..=0xbf).contains(&second),
                0xed => (0x80..=0x9f).contains(&second),
                _ => (0x80..=0xbf).contains(&second),
            };
            ok.then_some(())?;
            Some((
                3,
                (u32::from(lead & 0x0f) << 12) | (cont(1)? << 6) | cont(2)?,
            ))
        }
        0xf0..=0xf4 => {
            let second = *b.get(1)?;
            let ok = match lead {
                0xf0 => (0x90..=0xbf).contains(&second),
                0xf4 => (0x80..=0x8f).contains(&second),
                _ => (0x80..=0xbf).contains(&second),
            };
            ok.then_some(())?;
            Some((
                4,
                (u32::from(lead & 0x07) << 18) | (cont(1)? << 12) | (cont(2)? << 6) | cont(3)?,
            ))
        }
        _ => None,
    }
}

/// The offset of the first byte of `rest` that `is` accepts, finding candidates sixteen
/// bytes at a time where SSE2 is (every x86-64): `needles` are the bytes `is` accepts.
#[inline(always)]
fn find_any<const N: usize>(
    rest: &[u8],
    needles: [u8; N],
    is: impl Fn(u8) -> bool,
) -> Option<usize> {
    // Where the bytewise search takes over.
    #[cfg(target_arch = "x86_64")]
    let i = {
        let mut i = 0;
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8, _mm_setzero_si128,
        };
        // SAFETY: SSE2 is in the x86-64 baseline; every load reads 16 bytes inside `rest`.
        unsafe {
            while i + 16 <= rest.len() {
                let x = _mm_loadu_si128(rest.as_ptr().add(i).cast::<__m128i>());
                let mut hits = _mm_setzero_si128();
                for n in needles {
                    hits = _mm_or_si128(hits, _mm_cmpeq_epi8(x, _mm_set1_epi8(n as i8)));
                }
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
    let i = {
        let _ = needles;
        0
    };
    rest[i..].iter().position(|&b| is(b)).map(|p| i + p)
}

/// The offset of the first `"` or `\\` byte.
fn quote_or_escape(rest: &[u8]) -> Option<usize> {
    find_any(rest, *b"\"\\", |b| b == b'"' || b == b'\\')
}

/// Just past the container that opens at `b[start]`, found 64 bytes at a time (simdjson's
/// first stage): bit masks of the quotes, backslashes and brackets of a block, the escaped
/// bytes worked out from runs of backslashes, the bytes inside strings as the prefix XOR of
/// the unescaped quotes, and the brackets outside strings counted. `None` when the text
/// ends first, or nests deeper than serde_json allows (a member value's container is at
/// depth 2). On invalid JSON the answer is only some place: the host's parser refuses.
fn skip_container(b: &[u8], start: usize) -> Option<usize> {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    let mut depth = 0usize;
    // Carried between blocks: inside a string, and "the next byte is escaped".
    let mut in_string = 0u64;
    let mut prev_escaped = 0u64;
    let mut at = start;
    while at < b.len() {
        let m = Masks::of(&b[at..]);
        // Escaped bytes: an odd-length run of backslashes escapes the byte after it.
        let backslash = m.backslash & !prev_escaped;
        let follows_escape = (backslash << 1) | prev_escaped;
        let odd_starts = backslash & !EVEN & !follows_escape;
        let (even_starts, overflow) = odd_starts.overflowing_add(backslash);
        prev_escaped = u64::from(overflow);
        let escaped = (EVEN ^ (even_starts << 1)) & follows_escape;
        // Inside a string: from an unescaped quote up to (not including) the next one.
        let mut inside = m.quote & !escaped;
        for shift in [1, 2, 4, 8, 16, 32] {
            inside ^= inside << shift;
        }
        inside ^= in_string;
        in_string = 0u64.wrapping_sub(inside >> 63);
        let open = m.open & !inside;
        let mut brackets = open | (m.close & !inside);
        while brackets != 0 {
            let bit = brackets.trailing_zeros();
            if (open >> bit) & 1 == 1 {
                depth += 1;
                if depth + 1 > MAX_DEPTH {
                    return None;
                }
            } else {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at + bit as usize + 1);
                }
            }
            brackets &= brackets - 1;
        }
        at += 64;
    }
    None
}

/// Bit masks of one 64-byte block (bit `i` for byte `i`; a short block is padded with
/// spaces).
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

impl Masks {
    fn of(rest: &[u8]) -> Masks {
        match rest.get(..64) {
            Some(full) => Masks::of_block(full.try_into().expect("64 bytes")),
            None => {
                let mut block = [b' '; 64];
                block[..rest.len()].copy_from_slice(rest);
                Masks::of_block(&block)
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    fn of_block(bytes: &[u8; 64]) -> Masks {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        let mut m = Masks {
            quote: 0,
            backslash: 0,
            open: 0,
            close: 0,
        };
        for part in 0..4 {
            // SAFETY: SSE2 is in the x86-64 baseline; the load reads 16 of the 64 bytes.
            unsafe {
                let x = _mm_loadu_si128(bytes.as_ptr().add(part * 16).cast::<__m128i>());
                let eq = |c: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8));
                let bits = |v: __m128i| u64::from(_mm_movemask_epi8(v) as u16) << (part * 16);
                m.quote |= bits(eq(b'"'));
                m.backslash |= bits(eq(b'\\'));
                m.open |= bits(_mm_or_si128(eq(b'{'), eq(b'[')));
                m.close |= bits(_mm_or_si128(eq(b'}'), eq(b']')));
            }
        }
        m
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn of_block(bytes: &[u8; 64]) -> Masks {
        Masks::of_block_bytewise(bytes)
    }

    /// [`Masks::of_block`] a byte at a time (other targets; on x86-64, the tests' reference).
    #[cfg(any(test, not(target_arch = "x86_64")))]
    fn of_block_bytewise(bytes: &[u8; 64]) -> Masks {
        let mut m = Masks {
            quote: 0,
            backslash: 0,
            open: 0,
            close: 0,
        };
        for (i, &c) in bytes.iter().enumerate() {
            let bit = 1u64 << i;
            match c {
                b'"' => m.quote |= bit,
                b'\\' => m.backslash |= bit,
                b'{' | b'[' => m.open |= bit,
                b'}' | b']' => m.close |= bit,
                _ => {}
            }
        }
        m
    }
}

/// The offset of the first `"`, `\\` or non-ASCII byte: eight bytes at a time, then bytewise.
fn quote_escape_or_high(rest: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut i = 0;
    while i + 8 <= rest.len() {
        let word = u64::from_le_bytes(rest[i..i + 8].try_into().expect("8 bytes"));
        let quote = has_zero(word ^ (ONES * u64::from(b'"')));
        let backslash = has_zero(word ^ (ONES * u64::from(b'\\')));
        if quote | backslash | (word & HIGH) != 0 {
            break;
        }
        i += 8;
    }
    rest[i..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b >= 0x80)
        .map(|p| i + p)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    big: bool,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn colon(&mut self) -> Option<()> {
        self.ws();
        (self.peek()? == b':').then_some(())?;
        self.i += 1;
        self.ws();
        Some(())
    }

    /// After a member or element: `true` at a comma (and the next item's start), `false` at
    /// the closing byte (consumed).
    fn next_member(&mut self, close: u8) -> Option<bool> {
        self.ws();
        let b = self.peek()?;
        self.i += 1;
        if b == b',' {
            self.ws();
            Some(true)
        } else if b == close {
            Some(false)
        } else {
            None
        }
    }

    /// The members of `Response`: records `Error` and `RequestId`, refuses duplicates.
    fn response_object(&mut self, env: &mut Envelope) -> Option<()> {
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            let key = self.plain_key()?;
            self.colon()?;
            let start = self.i;
            self.value(2)?;
            let slot = match &self.b[key.start + 1..key.end - 1] {
                b"Error" => Some(&mut env.error),
                b"RequestId" => Some(&mut env.request_id),
                _ => None,
            };
            if let Some(slot) = slot {
                if slot.is_some() {
                    return None;
                }
                *slot = Some(start..self.i);
            }
            if !self.next_member(b'}')? {
                return Some(());
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' => {
                self.i += 1;
                self.ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.string()?;
                    self.colon()?;
                    self.value(depth + 1)?;
                    if !self.next_member(b'}')? {
                        return Some(());
                    }
                }
            }
            b'[' => {
                self.i += 1;
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.value(depth + 1)?;
                    if !self.next_member(b']')? {
                        return Some(());
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.b[self.i..].starts_with(word).then_some(())?;
        self.i += word.len();
        Some(())
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; notes unsafe integers.
    fn number(&mut self) -> Option<()> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits_start = self.i;
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let int_digits = self.i - digits_start;
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.i += 1;
            self.first_digit()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            integer = false;
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.first_digit()?;
        }
        if integer && int_digits >= 16 && !self.big {
            let literal = std::str::from_utf8(&self.b[start..self.i]).ok()?;
            self.big = !crate::bigint::is_safe(literal);
        }
        Some(())
    }

    fn first_digit(&mut self) -> Option<()> {
        self.peek()?.is_ascii_digit().then_some(())?;
        self.digits();
        Some(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    /// A member name of the envelope or of `Response`, which serde decodes to match field
    /// names: one with an escape (where decoding can fail) goes to the slow path.
    fn plain_key(&mut self) -> Option<Range<usize>> {
        let key = self.string()?;
        (!self.b[key.clone()].contains(&b'\\')).then_some(key)
    }

    /// A string token; returns its range, quotes included.
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.i;
        (self.peek()? == b'"').then_some(())?;
        self.i += 1;
        loop {
            // The common bytes of a string in one tight loop.
            self.i += special_offset(&self.b[self.i..])?;
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Some(start..self.i);
                }
                b'\\' => {
                    self.i += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                        b'u' => {
                            let hex = self.b.get(self.i + 1..self.i + 5)?;
                            hex.iter().all(u8::is_ascii_hexdigit).then_some(())?;
                            self.i += 5;
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// `skip_container` against a byte-at-a-time state machine with the same rules (a
    /// backslash escapes the next quote or backslash, an unescaped quote toggles "inside a string",
    /// brackets outside strings counted) on random texts across block boundaries.
    #[test]
    fn skip_container_agrees_with_a_bytewise_scan() {
        fn bytewise(b: &[u8], start: usize) -> Option<usize> {
            let (mut depth, mut inside, mut escape) = (0usize, false, false);
            for (i, &c) in b.iter().enumerate().skip(start) {
                if escape {
                    escape = false;
                    // An escaped quote or backslash is text; an escaped bracket (invalid
                    // JSON) still counts.
                    if c == b'"' || c == b'\\' {
                        continue;
                    }
                }
                match c {
                    b'\\' => escape = true,
                    b'"' => inside = !inside,
                    b'{' | b'[' if !inside => {
                        depth += 1;
                        if depth + 1 > super::MAX_DEPTH {
                            return None;
                        }
                    }
                    b'}' | b']' if !inside => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        let alphabet = b"\"\\{}[]a\xe9 ";
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for round in 0..20_000 {
            let len = 1 + round % 300;
            let mut text = vec![b'{'];
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Mostly plain bytes, so that containers close now and then.
                let pick = (x % 40) as usize;
                text.push(if pick < alphabet.len() {
                    alphabet[pick]
                } else {
                    b'a'
                });
            }
            assert_eq!(
                super::skip_container(&text, 0),
                bytewise(&text, 0),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
        // The block masks of both implementations agree.
        let mut block = [b'a'; 64];
        for i in 0..64 {
            for &c in b"\"\\{}[]a" {
                block[i] = c;
                let (fast, slow) = (
                    super::Masks::of_block(&block),
                    super::Masks::of_block_bytewise(&block),
                );
                assert_eq!(
                    (fast.quote, fast.backslash, fast.open, fast.close),
                    (slow.quote, slow.backslash, slow.open, slow.close)
                );
            }
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(super::skip_container(deep.as_bytes(), 0), None);
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(super::skip_container(ok.as_bytes(), 0), Some(200));
    }

    #[test]
    fn finders_agree_with_a_bytewise_search_at_every_place() {
        for len in 0..70 {
            for at in 0..=len {
                for &b in b"\"\\{}[]" {
                    let mut text = vec![b'a'; len];
                    text.extend_from_slice(&[0xe9, 0x87, 0x87, b'1', b',', b':', b' ']);
                    if at < len {
                        text[at] = b;
                    }
                    let slow = |is: &dyn Fn(u8) -> bool| text.iter().position(|&c| is(c));
                    assert_eq!(
                        super::quote_or_escape(&text),
                        slow(&|c| c == b'"' || c == b'\\')
                    );
                }
            }
        }
    }

    use super::*;

    fn slice<'a>(text: &'a str, r: &Option<Range<usize>>) -> Option<&'a str> {
        r.clone().map(|r| &text[r])
    }

    #[test]
    fn finds_the_members() {
        let text = r#" {"Other":[1,{"Response":2}], "Response" : {"A":{"Error":1},"Error":{"Code":"X","Message":"m\"\u00e9"},"RequestId":"r-1","N":-1.5e+3} } "#;
        let env = scan(text.as_bytes()).unwrap();
        assert!(slice(text, &env.response).unwrap().starts_with(r#"{"A""#));
        assert!(slice(text, &env.response).unwrap().ends_with(r#"-1.5e+3}"#));
        assert_eq!(
            slice(text, &env.error),
            Some(r#"{"Code":"X","Message":"m\"\u00e9"}"#)
        );
        assert_eq!(slice(text, &env.request_id), Some(r#""r-1""#));
        assert!(!env.big_integers);
    }

    #[test]
    fn notes_big_integers_inside_response_only() {
        let big = |t: &str| scan(t.as_bytes()).unwrap().big_integers;
        assert!(!big(
            r#"{"Response":{"a":9007199254740991,"b":-9007199254740991}}"#
        ));
        assert!(big(r#"{"Response":{"a":[9007199254740992]}}"#));
        assert!(big(r#"{"Response":{"a":-9007199254740992}}"#));
        assert!(big(r#"{"Response":{"a":123456789012345678901234567890}}"#));
        assert!(!big(
            r#"{"Response":{"a":9007199254740993.0,"b":1e300,"c":"9007199254740993"}}"#
        ));
        assert!(!big(r#"{"X":9007199254740993,"Response":{}}"#));
    }

    #[test]
    fn refuses_anything_serde_json_would_refuse() {
        for text in [
            "",
            "[]",
            r#"{"Response":{}"#,
            r#"{"Response":{}} x"#,
            r#"{"Response":{"a":tru}}"#,
            r#"{"Response":{"a":01}}"#,
            r#"{"Response":{"a":1.}}"#,
            r#"{"Response":{"a":-}}"#,
            r#"{"Response":{"a":1e}}"#,
            r#"{"Response":{"a":"\x"}}"#,
            r#"{"Response":{"a":"\u12g4"}}"#,
            "{\"Response\":{\"a\":\"\u{1}\"}}",
            r#"{"Response":{"a":[1,]}}"#,
            r#"{"Response":{"a":1,}}"#,
            r#"{"Response":{,}}"#,
            r#"{"Response":{} "Response":{}}"#,
            r#"{"Response":{},"Response":{}}"#,
            r#"{"Response":{"Error":{},"Error":{}}}"#,
            r#"{"Response":{"RequestId":"a","RequestId":"b"}}"#,
            r#"{"Response" {}}"#,
            r#"{Response:{}}"#,
        ] {
            assert!(scan(text.as_bytes()).is_none(), "{text:?}");
        }
        let deep = format!("{{\"Response\":{}{}}}", "[".repeat(200), "]".repeat(200));
        assert!(scan(deep.as_bytes()).is_none());
    }

    #[test]
    fn special_bytes_are_found_at_every_offset() {
        for len in 0..20 {
            for (at, byte) in (0..len).flat_map(|at| [(at, b'"'), (at, b'\\'), (at, 0x1f), (at, 0)])
            {
                let mut v = vec![b'a'; len];
                v[at] = byte;
                if at > 0 {
                    v[at - 1] = 0xe9;
                }
                assert_eq!(special_offset(&v), Some(at), "{len} {at} {byte}");
            }
            let plain: Vec<u8> = (0..len)
                .map(|i| [b'a', 0x7f, 0x80, 0xff, b' '][i % 5])
                .collect();
            assert_eq!(special_offset(&plain), None);
        }
    }

    #[test]
    fn utf8_char_decodes_as_std_does() {
        for c in ('\u{80}'..='\u{10ffff}').step_by(7).chain([
            '\u{80}',
            '\u{7ff}',
            '\u{800}',
            '\u{ffff}',
            '\u{10000}',
            '\u{10ffff}',
        ]) {
            let mut buf = [0u8; 4];
            let text = c.encode_utf8(&mut buf);
            assert_eq!(
                utf8_char(text.as_bytes()),
                Some((text.len(), u32::from(c))),
                "{c:?}"
            );
            assert_eq!(
                utf8_char(&text.as_bytes()[..text.len() - 1]),
                None,
                "{c:?} cut short"
            );
        }
        for bad in [
            &[0x80][..],
            &[0xbf],
            &[0xc0, 0x80],
            &[0xc1, 0xbf],
            &[0xe0, 0x80, 0x80],
            &[0xed, 0xa0, 0x80],
            &[0xf0, 0x80, 0x80, 0x80],
            &[0xf4, 0x90, 0x80, 0x80],
            &[0xf5, 0x80, 0x80, 0x80],
            &[0xff],
            &[0xe9, 0x87, 0x41],
            &[0xc3, 0x28],
        ] {
            assert_eq!(utf8_char(bad), None, "{bad:x?}");
            assert!(std::str::from_utf8(bad).is_err());
        }
    }

    #[test]
    fn other_shapes() {
        let env = scan(br#"{"Response":"text"}"#).unwrap();
        assert_eq!(env.response, Some(12..18));
        assert_eq!(env.error, None);
        assert_eq!(scan(br#"{}"#).unwrap(), Envelope::default());
        assert_eq!(scan(br#"{"Response":{}}"#).unwrap().response, Some(12..14));
    }
}
