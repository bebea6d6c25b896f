//! The core's sans-I/O HTTP/1.1 framing (`essbasic::http1`) for the façade's socket
//! transport: the request's bytes, and a reader the bytes received are fed to. Python owns
//! the sockets, TLS, timeouts and the pool; no HTTP is parsed in Python.

use essbasic::http1::{self, Progress};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes};

use crate::to_py_err;

/// The bytes of one HTTP/1.1 request (request line, `Host`, the headers, `Content-Length`,
/// the body). Raises `TransportError` (not sent) for a URL or header that cannot be framed.
#[pyfunction]
pub(crate) fn http1_encode<'py>(
    py: Python<'py>,
    method: &str,
    url: &str,
    headers: Vec<(String, String)>,
    body: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let wire = http1::encode_request(method, url, &headers, body).map_err(|e| to_py_err(py, e))?;
    Ok(PyBytes::new(py, &wire))
}

/// Where a request to `url` connects: `(secure, host, port)`.
#[pyfunction]
pub(crate) fn http1_origin(py: Python<'_>, url: &str) -> PyResult<(bool, String, u16)> {
    let o = http1::origin(url).map_err(|e| to_py_err(py, e))?;
    Ok((o.secure, o.host, o.port))
}

thread_local! {
    /// The memory of the last body read on this thread, for the next reader: an answer's
    /// body is copied into a `bytes` object, so its buffer can serve the next one (no fresh
    /// pages, and no page faults, for every large answer).
    static SPARE_BODY: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The largest body buffer kept for the next reader.
const MAX_SPARE_BODY: usize = 8 << 20;

/// One HTTP/1.1 response read from the bytes of a connection (`essbasic::http1::ResponseReader`):
/// `feed` the bytes as they come, `eof` when the peer closed; then `finish`.
#[pyclass(module = "essbasic._core")]
pub(crate) struct ResponseReader {
    inner: http1::ResponseReader,
}

/// `feed` and `eof` results.
const NEED_MORE: u8 = 0;
const DONE: u8 = 1;
const TOO_LARGE: u8 = 2;

fn progress(p: Progress) -> u8 {
    match p {
        Progress::NeedMore => NEED_MORE,
        Progress::Done => DONE,
        Progress::TooLarge => TOO_LARGE,
    }
}

#[pymethods]
impl ResponseReader {
    /// A reader whose body may not exceed `max_body_bytes` (`None`: no limit).
    #[new]
    #[pyo3(signature = (max_body_bytes = None))]
    fn new(max_body_bytes: Option<u64>) -> Self {
        let spare = SPARE_BODY.with(std::cell::Cell::take);
        Self {
            inner: http1::ResponseReader::new(max_body_bytes).with_body_buffer(spare),
        }
    }

    /// Feeds bytes read from the connection: 0 (need more), 1 (done) or 2 (the body is over
    /// the limit: stop reading, close the connection). Raises `TransportError` for a
    /// malformed answer.
    fn feed(&mut self, py: Python<'_>, data: &[u8]) -> PyResult<u8> {
        self.inner
            .feed(data)
            .map(progress)
            .map_err(|e| to_py_err(py, e))
    }

    /// [`feed`](Self::feed) of the first `n` bytes of `buf` (a receive buffer the caller
    /// reuses with `socket.recv_into`, so no `bytes` object is made per read).
    fn feed_from(
        &mut self,
        py: Python<'_>,
        buf: &Bound<'_, PyByteArray>,
        n: usize,
    ) -> PyResult<u8> {
        // SAFETY: the GIL is held and no Python code runs while the bytes are read, so the
        // bytearray is neither resized nor changed meanwhile.
        let bytes = unsafe { buf.as_bytes() };
        let data = bytes.get(..n).ok_or_else(|| {
            pyo3::exceptions::PyValueError::new_err("n is larger than the buffer")
        })?;
        self.inner
            .feed(data)
            .map(progress)
            .map_err(|e| to_py_err(py, e))
    }

    /// The peer closed the connection: 1 (a close-delimited body is complete) or 2; raises
    /// `TransportError` when the answer is incomplete.
    fn eof(&mut self, py: Python<'_>) -> PyResult<u8> {
        self.inner.eof().map(progress).map_err(|e| to_py_err(py, e))
    }

    /// Whether any byte of an answer arrived.
    fn received_any(&self) -> bool {
        self.inner.received_any()
    }

    /// The status code (0 until the head is read).
    #[getter]
    fn status(&self) -> u16 {
        self.inner.status()
    }

    /// The declared `Content-Length`, if any.
    #[getter]
    fn content_length(&self) -> Option<u64> {
        self.inner.content_length()
    }

    /// `(status, headers, body, keep_alive)` of a complete answer (the body moved out).
    fn finish<'py>(
        &mut self,
        py: Python<'py>,
    ) -> (u16, Vec<(String, String)>, Bound<'py, PyBytes>, bool) {
        let body = self.inner.take_body();
        let bytes = PyBytes::new(py, &body);
        if body.capacity() <= MAX_SPARE_BODY {
            SPARE_BODY.with(|spare| spare.set(body));
        }
        (
            self.inner.status(),
            self.inner.headers().to_vec(),
            bytes,
            self.inner.keep_alive(),
        )
    }
}
