//! Where the transcoder writes a body. While everything written is byte for byte the input
//! text (the usual case: parameters written compactly by `JSON.stringify`, `json.dumps` or
//! serde_json), nothing is copied: only the length of the input that matched is kept, and a
//! string that is itself a slice of the input at that place is matched in O(1). At the first
//! byte that differs, the matched input is copied into a buffer and writing goes on there.

use std::borrow::Cow;

/// The body being written (see the module documentation).
pub(crate) struct Mirror<'i> {
    /// The text being mirrored (empty when there is none).
    input: &'i [u8],
    /// While mirroring: the output so far is `input[..matched]`.
    matched: usize,
    /// Whether the output is still `input[..matched]` (else it is `buf`).
    mirroring: bool,
    buf: Vec<u8>,
}

impl<'i> Mirror<'i> {
    /// An output that mirrors `input` for as long as it can.
    pub(crate) fn over(input: &'i [u8]) -> Self {
        Mirror {
            input,
            matched: 0,
            mirroring: true,
            buf: Vec::new(),
        }
    }

    /// A plain output into `buf` (cleared), with no input to mirror.
    pub(crate) fn into_buffer(mut buf: Vec<u8>) -> Mirror<'static> {
        buf.clear();
        Mirror {
            input: &[],
            matched: 0,
            mirroring: false,
            buf,
        }
    }

    /// Stops mirroring: the output so far is copied into the buffer.
    #[cold]
    fn diverge(&mut self) {
        self.buf.reserve(self.input.len() + 16);
        self.buf.extend_from_slice(&self.input[..self.matched]);
        self.mirroring = false;
    }

    /// Writes one byte.
    #[inline]
    pub(crate) fn push(&mut self, b: u8) {
        if self.mirroring {
            if self.input.get(self.matched) == Some(&b) {
                self.matched += 1;
                return;
            }
            self.diverge();
        }
        self.buf.push(b);
    }

    /// Writes `bytes`.
    #[inline]
    pub(crate) fn extend(&mut self, bytes: &[u8]) {
        if self.mirroring {
            let end = self.matched + bytes.len();
            if self.input.get(self.matched..end) == Some(bytes) {
                self.matched = end;
                return;
            }
            self.diverge();
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Writes `s` between double quotes, as it is (the caller knows it needs no escape).
    /// When `s` is the input's own text at this place (a string the reader borrowed from
    /// it), nothing is compared.
    #[inline]
    pub(crate) fn quoted(&mut self, s: &str) {
        if self.mirroring {
            let start = self.matched + 1;
            let end = start + s.len();
            if let Some(inside) = self.input.get(start..end) {
                if self.input[self.matched] == b'"'
                    && self.input.get(end) == Some(&b'"')
                    && (std::ptr::eq(inside.as_ptr(), s.as_ptr()) || inside == s.as_bytes())
                {
                    self.matched = end + 1;
                    return;
                }
            }
            self.diverge();
        }
        self.buf.push(b'"');
        self.buf.extend_from_slice(s.as_bytes());
        self.buf.push(b'"');
    }

    /// While the output is still the input: the input's text from here on, which the next
    /// write would be compared with.
    #[inline]
    pub(crate) fn ahead(&self) -> Option<&'i [u8]> {
        self.mirroring.then(|| &self.input[self.matched..])
    }

    /// Writes the next `n` bytes of the input as they are (`n` at most what [`ahead`]
    /// returned).
    ///
    /// [`ahead`]: Mirror::ahead
    #[inline]
    pub(crate) fn keep(&mut self, n: usize) {
        debug_assert!(self.mirroring && self.matched + n <= self.input.len());
        self.matched += n;
    }

    /// The body: the input itself (borrowed) when it was mirrored to its end, else what
    /// was written.
    pub(crate) fn finish(mut self) -> Cow<'i, [u8]> {
        if self.mirroring {
            if self.matched == self.input.len() {
                return Cow::Borrowed(self.input);
            }
            self.diverge();
        }
        Cow::Owned(self.buf)
    }
}

impl std::io::Write for Mirror<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.extend(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(input: &[u8], steps: impl FnOnce(&mut Mirror)) -> (Vec<u8>, bool) {
        let mut m = Mirror::over(input);
        steps(&mut m);
        let out = m.finish();
        let borrowed = matches!(out, Cow::Borrowed(_));
        (out.into_owned(), borrowed)
    }

    #[test]
    fn the_same_bytes_borrow_the_input() {
        let input = br#"{"a":"xyz"}"#;
        let text = std::str::from_utf8(input).unwrap();
        let (out, borrowed) = written(input, |m| {
            m.extend(b"{");
            m.quoted(&text[2..3]);
            m.push(b':');
            m.quoted(&text[6..9]);
            m.push(b'}');
        });
        assert_eq!((out.as_slice(), borrowed), (&input[..], true));
        // Equal bytes from elsewhere match too.
        let (out, borrowed) = written(input, |m| {
            m.push(b'{');
            m.quoted("a");
            m.extend(b":");
            m.quoted("xyz");
            m.push(b'}');
        });
        assert_eq!((out.as_slice(), borrowed), (&input[..], true));
    }

    #[test]
    fn a_difference_copies_what_matched_and_goes_on() {
        let input = br#"{"a": "x"}"#;
        let (out, borrowed) = written(input, |m| {
            m.push(b'{');
            m.quoted("a");
            m.push(b':');
            m.quoted("x");
            m.push(b'}');
        });
        assert_eq!((out.as_slice(), borrowed), (&br#"{"a":"x"}"#[..], false));
        // A prefix of the input only, and more than the input.
        assert_eq!(
            written(b"{} ", |m| m.extend(b"{}")),
            (b"{}".to_vec(), false)
        );
        assert_eq!(
            written(b"{}", |m| m.extend(b"{}]")),
            (b"{}]".to_vec(), false)
        );
        assert_eq!(
            written(b"\"ab", |m| m.quoted("ab")),
            (b"\"ab\"".to_vec(), false)
        );
        assert_eq!(written(b"", |m| m.quoted("")), (b"\"\"".to_vec(), false));
    }

    #[test]
    fn a_plain_buffer_is_cleared_and_written() {
        let mut m = Mirror::into_buffer(b"stale".to_vec());
        m.push(b'[');
        m.quoted("q");
        std::io::Write::write_all(&mut m, b"]").unwrap();
        assert_eq!(m.finish().into_owned(), b"[\"q\"]");
    }
}
