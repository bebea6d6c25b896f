//! HTTP/1.1 framing without I/O, for bindings that drive a socket themselves.
//!
//! The host owns the connection (a TCP or TLS socket of its runtime); this module turns a
//! signed [`HttpRequest`](crate::HttpRequest) into the bytes to write ([`encode_request`])
//! and the bytes read back into a status, headers and body ([`ResponseReader`]), the way
//! `h11` does for Python: no clock, no socket, no buffering policy beyond what framing needs.
//!
//! ```
//! use essbasic::http1::{encode_request, Progress, ResponseReader};
//!
//! let wire = encode_request("POST", "http://127.0.0.1:8080/", &[], b"{}").unwrap();
//! assert!(wire.starts_with(b"POST / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
//!
//! let mut reader = ResponseReader::new(Some(1 << 20));
//! assert_eq!(reader.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n").unwrap(), Progress::NeedMore);
//! assert_eq!(reader.feed(b"{}").unwrap(), Progress::Done);
//! assert_eq!((reader.status(), reader.take_body()), (200, b"{}".to_vec()));
//! assert!(reader.keep_alive());
//! ```

use crate::error::Error;

/// The largest response head accepted (status line and headers).
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The most headers a response head may have.
const MAX_HEADERS: usize = 96;

/// What a request URL says about the connection it needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// `https` (TLS) or `http`.
    pub secure: bool,
    /// The host name or IP literal, without brackets or port.
    pub host: String,
    /// The port, explicit or the scheme's default.
    pub port: u16,
}

/// A URL split for HTTP/1.1: where to connect, the `Host` value, and the request target.
struct Target<'a> {
    origin: Origin,
    authority: &'a str,
    path: &'a str,
}

fn transport_error(message: impl Into<String>, not_sent: bool) -> Error {
    Error::Transport {
        message: message.into(),
        not_sent,
    }
}

fn split(url: &str) -> Result<Target<'_>, Error> {
    let bad = || transport_error(format!("not an http(s) URL: {url:?}"), true);
    let (secure, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(bad());
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let mut path = &rest[end..];
    if let Some(hash) = path.find('#') {
        path = &path[..hash];
    }
    let path = if path.is_empty() { "/" } else { path };
    if authority.is_empty() || authority.contains('@') {
        return Err(bad());
    }
    let default_port = if secure { 443 } else { 80 };
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let close = v6.find(']').ok_or_else(bad)?;
        let host = &v6[..close];
        let port = match &v6[close + 1..] {
            "" => default_port,
            p => p
                .strip_prefix(':')
                .and_then(|p| p.parse().ok())
                .ok_or_else(bad)?,
        };
        (host, port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().map_err(|_| bad())?),
            None => (authority, default_port),
        }
    };
    if host.is_empty() {
        return Err(bad());
    }
    Ok(Target {
        origin: Origin {
            secure,
            host: host.to_ascii_lowercase(),
            port,
        },
        authority,
        path,
    })
}

/// Where a request to `url` connects: scheme, host and port (the key of a connection pool).
pub fn origin(url: &str) -> Result<Origin, Error> {
    split(url).map(|t| t.origin)
}

fn valid_header(name: &str, value: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
        && !value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0)
}

/// The bytes of one HTTP/1.1 request: request line, `Host` (the request's own when it has
/// one, else the URL's authority), the other headers in order, `Content-Length` (always for
/// a body or a non-GET method), a blank line and the body.
///
/// `Content-Length`, `Transfer-Encoding` and `Connection` headers in `headers` are dropped
/// (framing is this function's job); a header name or value that could break the framing
/// (CR, LF, NUL, separators in names) is refused with a transport error marked not sent.
pub fn encode_request(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Vec<u8>, Error> {
    let target = split(url)?;
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(transport_error(
            format!("invalid HTTP method {method:?}"),
            true,
        ));
    }
    let head_len: usize = headers.iter().map(|(n, v)| n.len() + v.len() + 4).sum();
    let mut out = Vec::with_capacity(method.len() + target.path.len() + head_len + 96 + body.len());
    out.extend_from_slice(method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(target.path.as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\n");
    let has_host = headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host"));
    if !has_host {
        out.extend_from_slice(b"Host: ");
        out.extend_from_slice(target.authority.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    for (name, value) in headers {
        if !valid_header(name, value) {
            return Err(transport_error(
                format!("invalid HTTP header {name:?}: names must be tokens, values one line"),
                true,
            ));
        }
        if name.eq_ignore_ascii_case("content-length")
            || name.eq_ignore_ascii_case("transfer-encoding")
            || name.eq_ignore_ascii_case("connection")
        {
            continue;
        }
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.trim().as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if !body.is_empty() || method != "GET" {
        out.extend_from_slice(b"Content-Length: ");
        out.extend_from_slice(body.len().to_string().as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    Ok(out)
}

/// What [`ResponseReader::feed`] made of the bytes so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The response is not complete: read more and feed again (or [`ResponseReader::eof`]).
    NeedMore,
    /// The response is complete: read [`ResponseReader::status`], headers and body.
    Done,
    /// The body is (or is declared to be) larger than the limit; reading stopped there.
    /// The status and headers are known; the connection must be closed, not reused.
    TooLarge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Length(u64),
    Chunked,
    UntilClose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    /// Reading a chunk-size line.
    Size,
    /// Inside chunk data, this many bytes left.
    Data(u64),
    /// The CRLF after chunk data.
    DataEnd,
    /// Trailer lines after the last chunk, until an empty line.
    Trailers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Head,
    Body,
    Done,
    TooLarge,
}

/// An HTTP/1.1 response read incrementally from the bytes of a connection.
///
/// Handles `Content-Length`, `chunked` and close-delimited bodies, skips interim `1xx`
/// answers, and enforces a body size limit while reading (a declared length over it stops
/// at once). Header names are kept lower-cased.
#[derive(Debug, Clone)]
pub struct ResponseReader {
    limit: Option<u64>,
    phase: Phase,
    head: Vec<u8>,
    status: u16,
    headers: Vec<(String, String)>,
    framing: Framing,
    keep_alive: bool,
    declared: Option<u64>,
    body: Vec<u8>,
    chunk: Chunk,
    /// A partial line of chunked framing (size line or trailer) carried between feeds.
    line: Vec<u8>,
    seen: u64,
}

impl ResponseReader {
    /// A reader for one response; `max_body_bytes` of `None` means no limit.
    pub fn new(max_body_bytes: Option<u64>) -> Self {
        ResponseReader {
            limit: max_body_bytes,
            phase: Phase::Head,
            head: Vec::new(),
            status: 0,
            headers: Vec::new(),
            framing: Framing::UntilClose,
            keep_alive: false,
            declared: None,
            body: Vec::new(),
            chunk: Chunk::Size,
            line: Vec::new(),
            seen: 0,
        }
    }

    /// This reader, writing the body into `buf` (cleared, its memory kept): a host that
    /// reads many answers can hand each reader the buffer [`take_body`](Self::take_body)
    /// gave it for the one before, instead of fresh memory for every body.
    pub fn with_body_buffer(mut self, mut buf: Vec<u8>) -> Self {
        buf.clear();
        self.body = buf;
        self
    }

    /// Feeds bytes read from the connection. Bytes past the end of the response (which a
    /// server must not send before the next request) make the connection not reusable.
    pub fn feed(&mut self, data: &[u8]) -> Result<Progress, Error> {
        self.seen += data.len() as u64;
        let mut data = data;
        loop {
            match self.phase {
                Phase::Done => {
                    if !data.is_empty() {
                        self.keep_alive = false;
                    }
                    return Ok(Progress::Done);
                }
                Phase::TooLarge => return Ok(Progress::TooLarge),
                Phase::Head => match self.read_head(data)? {
                    Some(rest) => data = rest,
                    None => return Ok(Progress::NeedMore),
                },
                Phase::Body => {
                    data = self.read_body(data)?;
                    if self.phase == Phase::Body {
                        return Ok(Progress::NeedMore);
                    }
                }
            }
        }
    }

    /// The peer closed the connection (no more bytes will come): completes a close-delimited
    /// body; any other incomplete response is a transport error.
    pub fn eof(&mut self) -> Result<Progress, Error> {
        match self.phase {
            Phase::Done => Ok(Progress::Done),
            Phase::TooLarge => Ok(Progress::TooLarge),
            Phase::Body if self.framing == Framing::UntilClose => {
                self.phase = Phase::Done;
                self.keep_alive = false;
                Ok(Progress::Done)
            }
            _ if self.seen == 0 => Err(transport_error(
                "the connection closed before any answer",
                false,
            )),
            _ => Err(transport_error("the connection closed mid-response", false)),
        }
    }

    /// Whether any byte of an answer has arrived (a pooled connection that the server
    /// closed while idle ends with none).
    pub fn received_any(&self) -> bool {
        self.seen > 0
    }

    /// The status code (0 until the head is read).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers, names lower-cased, in the order received.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The declared `Content-Length`, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.declared
    }

    /// Whether the connection may carry another request once this response is [`Progress::Done`].
    pub fn keep_alive(&self) -> bool {
        self.keep_alive && self.phase == Phase::Done
    }

    /// The body read so far (all of it once done).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body read so far (all of it once done), leaving the reader's copy empty.
    pub fn take_body(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.body)
    }

    /// Parses the head once complete; returns the bytes after it, or `None` to read more.
    fn read_head<'d>(&mut self, data: &'d [u8]) -> Result<Option<&'d [u8]>, Error> {
        let start = self.head.len().saturating_sub(3);
        self.head.extend_from_slice(data);
        let Some(end) = find_blank_line(&self.head, start) else {
            if self.head.len() > MAX_HEAD_BYTES {
                return Err(transport_error(
                    format!("the response head is larger than {MAX_HEAD_BYTES} bytes"),
                    false,
                ));
            }
            return Ok(None);
        };
        if end > MAX_HEAD_BYTES {
            return Err(transport_error(
                format!("the response head is larger than {MAX_HEAD_BYTES} bytes"),
                false,
            ));
        }
        // Bytes of `data` that follow the head.
        let consumed = end - (self.head.len() - data.len());
        let rest = &data[consumed..];
        let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Response::new(&mut slots);
        match parsed.parse(&self.head[..end]) {
            Ok(httparse::Status::Complete(_)) => {}
            Ok(httparse::Status::Partial) => {
                return Err(transport_error("malformed HTTP response head", false))
            }
            Err(e) => {
                return Err(transport_error(
                    format!("malformed HTTP response head: {e}"),
                    false,
                ))
            }
        }
        let status = parsed.code.unwrap_or(0);
        let version = parsed.version.unwrap_or(1);
        if (100..200).contains(&status) {
            if status == 101 {
                return Err(transport_error("unexpected 101 Switching Protocols", false));
            }
            // An interim answer (100 Continue, 103 Early Hints): the real one follows.
            self.head.clear();
            return Ok(Some(rest));
        }
        self.status = status;
        self.headers = parsed
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_ascii_lowercase(),
                    String::from_utf8_lossy(h.value).trim().to_owned(),
                )
            })
            .collect();
        self.head = Vec::new();
        self.frame(version)?;
        Ok(Some(rest))
    }

    /// Picks the body framing and connection reuse from the head.
    fn frame(&mut self, version: u8) -> Result<(), Error> {
        let mut close = version == 0;
        let mut chunked = false;
        let mut length: Option<u64> = None;
        for (name, value) in &self.headers {
            match name.as_str() {
                "connection" => {
                    for token in value.split(',').map(str::trim) {
                        if token.eq_ignore_ascii_case("close") {
                            close = true;
                        } else if token.eq_ignore_ascii_case("keep-alive") && version == 0 {
                            close = false;
                        }
                    }
                }
                "transfer-encoding" => {
                    let last = value.rsplit(',').next().unwrap_or("").trim();
                    if last.eq_ignore_ascii_case("chunked") {
                        chunked = true;
                    } else {
                        return Err(transport_error(
                            format!("unsupported Transfer-Encoding {value:?}"),
                            false,
                        ));
                    }
                }
                "content-length" => {
                    let n: u64 = value.parse().map_err(|_| {
                        transport_error(format!("invalid Content-Length {value:?}"), false)
                    })?;
                    if length.is_some_and(|m| m != n) {
                        return Err(transport_error("conflicting Content-Length headers", false));
                    }
                    length = Some(n);
                }
                _ => {}
            }
        }
        self.framing = if matches!(self.status, 204 | 304) {
            Framing::Length(0)
        } else if chunked {
            Framing::Chunked
        } else if let Some(n) = length {
            self.declared = Some(n);
            Framing::Length(n)
        } else {
            close = true;
            Framing::UntilClose
        };
        self.keep_alive = !close;
        if let (Framing::Length(n), Some(limit)) = (self.framing, self.limit) {
            if n > limit {
                self.phase = Phase::TooLarge;
                return Ok(());
            }
        }
        if let Framing::Length(n) = self.framing {
            self.body.reserve_exact(n.min(64 << 20) as usize);
        }
        self.phase = if self.framing == Framing::Length(0) {
            Phase::Done
        } else {
            Phase::Body
        };
        Ok(())
    }

    /// Appends body bytes, checking the limit; returns the bytes left unread.
    fn append(&mut self, bytes: &[u8]) -> bool {
        if let Some(limit) = self.limit {
            if (self.body.len() + bytes.len()) as u64 > limit {
                self.body = Vec::new();
                self.phase = Phase::TooLarge;
                return false;
            }
        }
        self.body.extend_from_slice(bytes);
        true
    }

    fn read_body<'d>(&mut self, data: &'d [u8]) -> Result<&'d [u8], Error> {
        match self.framing {
            Framing::UntilClose => {
                self.append(data);
                Ok(&[])
            }
            Framing::Length(n) => {
                let want = (n - self.body.len() as u64).min(data.len() as u64) as usize;
                if self.append(&data[..want]) && self.body.len() as u64 == n {
                    self.phase = Phase::Done;
                }
                Ok(&data[want..])
            }
            Framing::Chunked => self.read_chunked(data),
        }
    }

    fn read_chunked<'d>(&mut self, mut data: &'d [u8]) -> Result<&'d [u8], Error> {
        while !data.is_empty() && self.phase == Phase::Body {
            match self.chunk {
                Chunk::Data(left) => {
                    let take = left.min(data.len() as u64) as usize;
                    if !self.append(&data[..take]) {
                        return Ok(&[]);
                    }
                    data = &data[take..];
                    self.chunk = if take as u64 == left {
                        Chunk::DataEnd
                    } else {
                        Chunk::Data(left - take as u64)
                    };
                }
                Chunk::Size | Chunk::DataEnd | Chunk::Trailers => {
                    let Some(nl) = data.iter().position(|&b| b == b'\n') else {
                        self.line.extend_from_slice(data);
                        if self.line.len() > 4096 {
                            return Err(transport_error("malformed chunked body", false));
                        }
                        return Ok(&[]);
                    };
                    self.line.extend_from_slice(&data[..nl]);
                    data = &data[nl + 1..];
                    let line = std::mem::take(&mut self.line);
                    let line = line.strip_suffix(b"\r").unwrap_or(&line);
                    self.chunk_line(line)?;
                }
            }
        }
        Ok(data)
    }

    fn chunk_line(&mut self, line: &[u8]) -> Result<(), Error> {
        let malformed = || transport_error("malformed chunked body", false);
        match self.chunk {
            Chunk::DataEnd => {
                if !line.is_empty() {
                    return Err(malformed());
                }
                self.chunk = Chunk::Size;
            }
            Chunk::Size => {
                let digits = line.split(|&b| b == b';').next().unwrap_or(b"");
                let digits = std::str::from_utf8(digits).map_err(|_| malformed())?.trim();
                if digits.is_empty() || digits.len() > 15 {
                    return Err(malformed());
                }
                let size = u64::from_str_radix(digits, 16).map_err(|_| malformed())?;
                self.chunk = if size == 0 {
                    Chunk::Trailers
                } else {
                    Chunk::Data(size)
                };
            }
            Chunk::Trailers => {
                if line.is_empty() {
                    self.phase = Phase::Done;
                }
            }
            Chunk::Data(_) => unreachable!("data is not read by lines"),
        }
        Ok(())
    }
}

/// The index just past the first `\r\n\r\n` (or bare `\n\n`) at or after `from`.
fn find_blank_line(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < buf.len() {
        if buf[i] == b'\n' {
            if i + 1 < buf.len() && buf[i + 1] == b'\n' {
                return Some(i + 2);
            }
            if i + 2 < buf.len() && buf[i + 1] == b'\r' && buf[i + 2] == b'\n' {
                return Some(i + 3);
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn encodes_a_post_with_its_own_host_and_length() {
        let wire = encode_request(
            "POST",
            "https://essbasic.tencentcloudapi.com",
            &h(&[
                ("Host", "essbasic.tencentcloudapi.com"),
                ("Content-Type", "application/json"),
                ("Content-Length", "999"),
                ("Connection", "close"),
            ]),
            b"{\"a\":1}",
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(wire).unwrap(),
            "POST / HTTP/1.1\r\nHost: essbasic.tencentcloudapi.com\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
        );
    }

    #[test]
    fn a_body_buffer_is_used_again() {
        let mut buf = Vec::with_capacity(4096);
        buf.extend_from_slice(b"stale bytes of an earlier answer");
        let ptr = buf.as_ptr();
        let mut r = ResponseReader::new(None).with_body_buffer(buf);
        let wire = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world";
        assert_eq!(r.feed(wire).unwrap(), Progress::Done);
        let body = r.take_body();
        assert_eq!(body, b"hello world");
        assert_eq!((body.as_ptr(), body.capacity()), (ptr, 4096));
        // Chunked, into a buffer too small at first.
        let mut r = ResponseReader::new(None).with_body_buffer(vec![b'x'; 3]);
        let wire = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        assert_eq!(r.feed(wire).unwrap(), Progress::Done);
        assert_eq!(r.take_body(), b"hello");
    }

    #[test]
    fn encodes_a_get_with_query_and_no_length() {
        let wire = encode_request("GET", "http://[::1]:8080/?A=1&B=2#frag", &[], b"").unwrap();
        assert_eq!(
            String::from_utf8(wire).unwrap(),
            "GET /?A=1&B=2 HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"
        );
    }

    #[test]
    fn refuses_header_injection_and_bad_urls() {
        for (name, value) in [
            ("X-A", "a\r\nX-B: b"),
            ("X A", "v"),
            ("", "v"),
            ("X-A", "\0"),
        ] {
            let err = encode_request("POST", "http://h/", &h(&[(name, value)]), b"").unwrap_err();
            assert!(
                matches!(err, Error::Transport { not_sent: true, .. }),
                "{err:?}"
            );
        }
        for url in [
            "ftp://h/",
            "h/",
            "http://",
            "http://u@h/",
            "http://h:x/",
            "http://[::1/",
        ] {
            assert!(encode_request("GET", url, &[], b"").is_err(), "{url}");
        }
        assert!(encode_request("po st", "http://h/", &[], b"").is_err());
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin("https://Essbasic.TencentCloudAPI.com/").unwrap(),
            Origin {
                secure: true,
                host: "essbasic.tencentcloudapi.com".into(),
                port: 443
            }
        );
        assert_eq!(origin("http://127.0.0.1:9/x").unwrap().port, 9);
        assert_eq!(origin("http://[::1]").unwrap().host, "::1");
        assert_eq!(origin("http://h").unwrap().port, 80);
    }

    const OK: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nX-TC-TraceId: t1\r\n\r\n{\"Response\"";

    #[test]
    fn reads_a_length_response_byte_by_byte() {
        let mut r = ResponseReader::new(None);
        for (i, b) in OK.iter().enumerate() {
            let p = r.feed(std::slice::from_ref(b)).unwrap();
            let expected = if i + 1 == OK.len() {
                Progress::Done
            } else {
                Progress::NeedMore
            };
            assert_eq!(p, expected, "byte {i}");
        }
        assert_eq!(r.status(), 200);
        assert_eq!(r.header("x-tc-traceid"), Some("t1"));
        assert_eq!(r.header("Content-Type"), Some("application/json"));
        assert_eq!(r.content_length(), Some(11));
        assert!(r.keep_alive());
        assert_eq!(r.take_body(), b"{\"Response\"");
    }

    #[test]
    fn reads_chunked_bodies_split_anywhere() {
        let wire: &[u8] = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n";
        for split in 0..wire.len() {
            let mut r = ResponseReader::new(Some(100));
            let first = r.feed(&wire[..split]).unwrap();
            assert_eq!(first, Progress::NeedMore, "split {split}");
            assert_eq!(
                r.feed(&wire[split..]).unwrap(),
                Progress::Done,
                "split {split}"
            );
            assert_eq!(r.take_body(), b"hello world", "split {split}");
            assert!(r.keep_alive());
        }
    }

    #[test]
    fn close_delimited_bodies_end_at_eof_and_are_not_reused() {
        let mut r = ResponseReader::new(None);
        assert_eq!(
            r.feed(b"HTTP/1.0 200 OK\r\n\r\nabc").unwrap(),
            Progress::NeedMore
        );
        assert_eq!(r.feed(b"def").unwrap(), Progress::NeedMore);
        assert_eq!(r.eof().unwrap(), Progress::Done);
        assert_eq!(r.take_body(), b"abcdef");
        assert!(!r.keep_alive());
    }

    #[test]
    fn connection_reuse_rules() {
        let done = |wire: &[u8]| {
            let mut r = ResponseReader::new(None);
            assert_eq!(r.feed(wire).unwrap(), Progress::Done);
            r.keep_alive()
        };
        assert!(!done(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        ));
        assert!(done(
            b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"
        ));
        assert!(!done(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assert!(done(b"HTTP/1.1 204 No Content\r\n\r\n"));
        // Bytes after the end of the answer: the connection is in an unknown state.
        assert!(!done(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy"));
    }

    #[test]
    fn interim_answers_are_skipped() {
        let mut r = ResponseReader::new(None);
        let wire = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Busy\r\nContent-Length: 2\r\n\r\nno";
        assert_eq!(r.feed(wire).unwrap(), Progress::Done);
        assert_eq!((r.status(), r.take_body()), (503, b"no".to_vec()));
    }

    #[test]
    fn the_limit_stops_declared_and_streamed_bodies() {
        let mut r = ResponseReader::new(Some(10));
        assert_eq!(
            r.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n")
                .unwrap(),
            Progress::TooLarge
        );
        assert_eq!(r.status(), 200);
        assert!(!r.keep_alive());

        let mut r = ResponseReader::new(Some(10));
        let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n";
        assert_eq!(r.feed(head).unwrap(), Progress::NeedMore);
        assert_eq!(r.feed(b"8\r\n1234").unwrap(), Progress::TooLarge);
        assert!(r.take_body().is_empty());

        let mut r = ResponseReader::new(Some(10));
        assert_eq!(
            r.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789")
                .unwrap(),
            Progress::Done
        );
    }

    #[test]
    fn truncated_and_malformed_answers_are_errors() {
        let mut r = ResponseReader::new(None);
        assert!(!r.received_any());
        assert!(matches!(
            r.eof(),
            Err(Error::Transport {
                not_sent: false,
                ..
            })
        ));

        let mut r = ResponseReader::new(None);
        r.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab")
            .unwrap();
        assert!(r.received_any());
        let err = r.eof().unwrap_err();
        assert!(err.to_string().contains("mid-response"), "{err}");

        for wire in [
            &b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
            b"NOT HTTP\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        ] {
            assert!(ResponseReader::new(None).feed(wire).is_err(), "{wire:?}");
        }
        let huge = vec![b'a'; MAX_HEAD_BYTES + 10];
        let mut r = ResponseReader::new(None);
        r.feed(b"HTTP/1.1 200 OK\r\nX: ").unwrap();
        assert!(r.feed(&huge).is_err());
    }
}
