//! The per-call hot path of the façade, kept off Python's `json` module:
//!
//! - [`RequestBuilder`]: one per client, holding the parsed core `Config` (and static
//!   credentials), so a call does not convert a configuration dict; it takes the parameters
//!   as Python objects — a plain dict read by the core's one-pass validator itself
//!   ([`crate::pyde`], no JSON text), anything else written as JSON text in Rust first — or
//!   as JSON text.
//! - [`parse_response`]: the core's classification, then the `Response` object built as
//!   Python objects from the body in one pass (what `json.loads` of it would give).
//! - [`Tc3Signer`]: the bare TC3 `Authorization` of a POST body (the signing key cached per
//!   date).
//!
//! Whatever the fast conversions do not cover exactly the way `json.dumps` / `json.loads`
//! would (integers beyond 64 bits, non-string keys, NaN, subclasses of dict or list, lone
//! surrogates, ...) is handed back to Python, which takes its `json` path, so the results are
//! the same either way.

use std::collections::HashMap;
use std::sync::Mutex;

use essbasic::signing::tc3;
use essbasic::{Config, Credentials, Stamp};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};

use crate::pyde::PyParams;
use crate::{config_from, text_bytes, to_py_err};

/// Deepest nesting converted in Rust; deeper parameters take `json.dumps`' path.
const MAX_DEPTH: usize = 100;

extern "C" {
    // In every CPython 3 (only declared for the limited API from 3.10): the UTF-8 view a `str`
    // caches, without copying it into a new `bytes` as `PyUnicode_AsUTF8String` does.
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut pyo3::ffi::PyObject,
        size: *mut pyo3::ffi::Py_ssize_t,
    ) -> *const std::os::raw::c_char;
}

/// The UTF-8 text of a `str` (or subclass); `None` for a lone surrogate.
fn utf8<'a>(s: &'a Bound<'_, PyString>) -> Option<&'a [u8]> {
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a live `str` for 'a (the borrow keeps it alive), so the buffer the
    // interpreter caches on it lives as long; the GIL is held.
    let data = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
    if data.is_null() {
        // The UnicodeEncodeError: json.dumps' path will report it its own way.
        drop(PyErr::take(s.py()));
        return None;
    }
    let len = usize::try_from(size).ok()?;
    // SAFETY: the interpreter returned `len` valid bytes at `data`.
    Some(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) })
}

fn write_str(out: &mut Vec<u8>, text: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(text.len() + 2);
    out.push(b'"');
    let mut start = 0;
    loop {
        let i = find_special(text, start);
        out.extend_from_slice(&text[start..i]);
        let Some(&b) = text.get(i) else {
            break;
        };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]),
        }
        start = i + 1;
    }
    out.push(b'"');
}

fn write_i64(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut pos = buf.len();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[pos..]);
}

/// Writes Python parameters as JSON text meaning what `json.dumps` of them means; `false`
/// when something needs `json.dumps`' own rules (non-string keys, NaN, subclasses of dict
/// or list, objects with `_serialize`, lone surrogates, deep nesting).
fn write_json(out: &mut Vec<u8>, obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<bool> {
    if depth > MAX_DEPTH {
        return Ok(false);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let Some(text) = utf8(s) else {
            return Ok(false);
        };
        write_str(out, text);
        return Ok(true);
    }
    if obj.is_exact_instance_of::<PyDict>() {
        let dict = obj.cast::<PyDict>()?;
        out.push(b'{');
        let mut first = true;
        for (k, v) in dict.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Ok(false);
            };
            let Some(key) = utf8(key) else {
                return Ok(false);
            };
            if !first {
                out.push(b',');
            }
            first = false;
            write_str(out, key);
            out.push(b':');
            if !write_json(out, &v, depth + 1)? {
                return Ok(false);
            }
        }
        out.push(b'}');
        return Ok(true);
    }
    if obj.is_exact_instance_of::<PyBool>() {
        out.extend_from_slice(if obj.is_truthy()? { b"true" } else { b"false" });
        return Ok(true);
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            write_i64(out, i);
        } else {
            // Beyond 64 bits: the digits json.dumps writes (int.__repr__).
            let digits = py_int_repr(obj)?;
            out.extend_from_slice(digits.as_bytes());
        }
        return Ok(true);
    }
    if obj.is_none() {
        out.extend_from_slice(b"null");
        return Ok(true);
    }
    if obj.is_exact_instance_of::<PyList>() || obj.is_exact_instance_of::<PyTuple>() {
        out.push(b'[');
        let mut first = true;
        for item in obj.try_iter()? {
            if !first {
                out.push(b',');
            }
            first = false;
            if !write_json(out, &item?, depth + 1)? {
                return Ok(false);
            }
        }
        out.push(b']');
        return Ok(true);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        if !v.is_finite() {
            return Ok(false);
        }
        // Shortest digits that read back as the same double (as float.__repr__'s do).
        serde_json::to_writer(&mut *out, &v)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        return Ok(true);
    }
    Ok(false)
}

fn py_int_repr(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let int_type = obj.py().get_type::<PyInt>();
    let text = int_type.getattr("__repr__")?.call1((obj,))?;
    text.extract::<String>()
}

/// The JSON text of Python parameters (see `write_json`), or `None`.
pub(crate) fn params_text(obj: &Bound<'_, PyAny>) -> PyResult<Option<Vec<u8>>> {
    let mut out = Vec::with_capacity(2048);
    Ok(if write_json(&mut out, obj, 0)? {
        Some(out)
    } else {
        None
    })
}

/// The core configuration and, when they do not change, the credentials of one client:
/// validates, builds and signs its requests without converting them again for every call.
#[pyclass(frozen, module = "essbasic._core")]
pub(crate) struct RequestBuilder {
    config: Config,
    credentials: Option<Credentials>,
    /// The memory of the last body built from a dict, written again by the next one.
    body_buffer: Mutex<Vec<u8>>,
    /// `(name, value)` tuples of the headers that are the same on every request (`Host`,
    /// `Content-Type`, `X-TC-Action`, ...), made once and shared by the requests.
    same_headers: Mutex<Vec<(String, String, Py<PyTuple>)>>,
    /// The URL of the last request without a query, and its `str`.
    last_url: Mutex<Option<(String, Py<PyString>)>>,
    /// The façade's request type (a subclass of `tuple`) and the `max_body_bytes` its
    /// requests carry, for `build_request`.
    request_type: Option<(Py<PyType>, Py<PyAny>)>,
}

/// Headers whose value changes from one request to the next: never kept.
const CHANGING_HEADERS: [&str; 4] = [
    "Authorization",
    "X-TC-Timestamp",
    "X-TC-TraceId",
    "X-TC-Token",
];

/// The largest body memory a builder keeps for the next request (an upload's is dropped).
const BODY_BUFFER_MAX: usize = 64 * 1024;

/// How many header tuples a builder keeps at most.
const SAME_HEADERS_MAX: usize = 32;

/// What `RequestBuilder.build` returns: method, URL, `[(name, value)]` and body.
pub(crate) type BuiltList<'py> = (
    Bound<'py, PyString>,
    Bound<'py, PyString>,
    Bound<'py, PyList>,
    Bound<'py, PyBytes>,
);

impl RequestBuilder {
    /// The request as Python values, the headers that never change as shared tuples; and
    /// the body's memory, for the next request.
    fn built<'py>(
        &self,
        py: Python<'py>,
        req: essbasic::HttpRequest,
    ) -> (PyResult<BuiltList<'py>>, Vec<u8>) {
        let body = PyBytes::new(py, &req.body);
        let method = match req.method {
            "POST" => pyo3::intern!(py, "POST").clone(),
            "GET" => pyo3::intern!(py, "GET").clone(),
            other => PyString::new(py, other),
        };
        let url = self.url_of(py, req.url);
        match self.header_list(py, &req.headers) {
            Ok(headers) => (Ok((method, url, headers, body)), req.body),
            Err(e) => (Err(e), req.body),
        }
    }

    /// `url` as a `str`: the last one made again when it is the same (a POST's always is).
    /// A URL with a query (a GET's, which may carry a v1 signature) is never kept.
    fn url_of<'py>(&self, py: Python<'py>, url: String) -> Bound<'py, PyString> {
        if url.contains('?') {
            return PyString::new(py, &url);
        }
        let mut last = lock(&self.last_url);
        if let Some((text, s)) = &*last {
            if *text == url {
                return s.bind(py).clone();
            }
        }
        let s = PyString::new(py, &url);
        *last = Some((url, s.clone().unbind()));
        s
    }

    fn header_list<'py>(
        &self,
        py: Python<'py>,
        pairs: &[(String, String)],
    ) -> PyResult<Bound<'py, PyList>> {
        let headers = PyList::empty(py);
        let mut same = lock(&self.same_headers);
        // The core writes the headers in the same order every time: the next one kept is
        // looked for where the last one was found first.
        let mut next = 0;
        for (name, value) in pairs {
            if CHANGING_HEADERS.contains(&name.as_str()) {
                headers.append(PyTuple::new(py, [name, value])?)?;
                continue;
            }
            let is = |(n, v, _): &(String, String, Py<PyTuple>)| n == name && v == value;
            let found = match same.get(next..).and_then(|rest| rest.iter().position(is)) {
                Some(i) => Some(next + i),
                None => same.iter().position(is),
            };
            if let Some(i) = found {
                headers.append(same[i].2.bind(py))?;
                next = i + 1;
                continue;
            }
            let pair = PyTuple::new(py, [name, value])?;
            if same.len() < SAME_HEADERS_MAX {
                same.push((name.clone(), value.clone(), pair.clone().unbind()));
                next = same.len();
            }
            headers.append(pair)?;
        }
        Ok(headers)
    }
}

/// The value behind `m` (a panic while it was held left it usable: it is plain data).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[pymethods]
impl RequestBuilder {
    /// `config` is the configuration dict of `build_request`; `secret_id` and `secret_key`
    /// (and `token`) are the credentials of every request, or `None` when each `build` passes
    /// its own. `request_type` (a class derived from `tuple`, such as a `NamedTuple`) is the
    /// type `build_request` makes, with `max_body_bytes` as its fifth item.
    #[new]
    #[pyo3(signature = (
        config, secret_id = None, secret_key = None, token = None, *, request_type = None,
        max_body_bytes = None
    ))]
    fn new(
        py: Python<'_>,
        config: &Bound<'_, PyDict>,
        secret_id: Option<&str>,
        secret_key: Option<&str>,
        token: Option<&str>,
        request_type: Option<Bound<'_, PyType>>,
        max_body_bytes: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let config = config_from(py, config)?;
        let request_type = match request_type {
            None => None,
            Some(ty) => {
                // SAFETY: `ty` is a live type object; the GIL is held.
                let heap = unsafe { ffi::PyType_GetFlags(ty.as_ptr().cast()) }
                    & ffi::Py_TPFLAGS_HEAPTYPE
                    != 0;
                if !heap || !ty.is_subclass_of::<PyTuple>()? || ty.is(py.get_type::<PyTuple>()) {
                    return Err(pyo3::exceptions::PyTypeError::new_err(
                        "request_type must be a class derived from tuple",
                    ));
                }
                let limit = match max_body_bytes {
                    Some(limit) => limit.unbind(),
                    None => py.None(),
                };
                Some((ty.unbind(), limit))
            }
        };
        let credentials = match (secret_id, secret_key) {
            (Some(id), Some(key)) => {
                let c = Credentials::new(id, key);
                Some(match token {
                    Some(t) => c.with_token(t),
                    None => c,
                })
            }
            _ => None,
        };
        Ok(Self {
            config,
            credentials,
            body_buffer: Mutex::new(Vec::with_capacity(1024)),
            same_headers: Mutex::new(Vec::new()),
            last_url: Mutex::new(None),
            request_type,
        })
    }

    /// Validates `params` of `action` against the spec, then builds and signs the request:
    /// `(method, url, headers, body)`. `params` is a dict of plain values (read by the core
    /// itself, or written as JSON text here as `json.dumps` would) or its JSON text. Returns
    /// `None` when the objects need Python's `json` rules (the caller then passes their JSON
    /// text). `credentials` is `(secret_id, secret_key,
    /// token)` when the builder holds none.
    #[pyo3(signature = (action, params, timestamp, nonce, trace_id, credentials = None))]
    #[allow(clippy::too_many_arguments)]
    fn build<'py>(
        &self,
        py: Python<'py>,
        action: &str,
        params: &Bound<'py, PyAny>,
        timestamp: i64,
        nonce: u32,
        trace_id: Option<String>,
        credentials: Option<(String, String, Option<String>)>,
    ) -> PyResult<Option<BuiltList<'py>>> {
        let given;
        let creds = match (&self.credentials, credentials) {
            (_, Some((id, key, token))) => {
                let c = Credentials::new(id, key);
                given = match token {
                    Some(t) => c.with_token(t),
                    None => c,
                };
                &given
            }
            (Some(c), None) => c,
            (None, None) => {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "this RequestBuilder holds no credentials: pass them",
                ))
            }
        };
        let stamp = Stamp {
            timestamp,
            nonce,
            trace_id: trace_id.filter(|t| !t.is_empty()),
        };
        if params.is_exact_instance_of::<PyDict>() {
            // The dict itself read by the core's one-pass validator (no JSON text); `None`
            // when the JSON text path must decide (an error, or values it writes its way).
            let buffer = std::mem::take(&mut *lock(&self.body_buffer));
            // SAFETY: the GIL is held, `params` is alive for this call, and nothing runs
            // Python code while the core reads it (`PyParams` reads exact built-in types).
            let de = unsafe { PyParams::new(params.as_ptr()) };
            if let Some(req) = essbasic::transcode::build_request_from(
                action,
                de,
                buffer,
                &self.config,
                creds,
                &stamp,
            ) {
                let (built, body) = self.built(py, req);
                if body.capacity() <= BODY_BUFFER_MAX {
                    *lock(&self.body_buffer) = body;
                }
                return built.map(Some);
            }
        }
        let written;
        let text: &[u8] =
            if params.is_instance_of::<PyString>() || params.is_instance_of::<PyBytes>() {
                written = text_bytes(params, "params")?;
                &written
            } else {
                match params_text(params)? {
                    Some(t) => {
                        written = std::borrow::Cow::Owned(t);
                        &written
                    }
                    None => return Ok(None),
                }
            };
        let built =
            py.detach(|| essbasic::build_request_json(action, text, &self.config, creds, &stamp));
        let req = built.map_err(|e| to_py_err(py, e))?;
        self.built(py, req).0.map(Some)
    }

    /// [`build`](Self::build) with the builder's credentials, as an instance of its
    /// `request_type`: `(method, url, headers, body, max_body_bytes)`, made here as
    /// `tuple.__new__(request_type, ...)` would make it (one object, no argument tuple).
    /// `None` as `build` answers it.
    #[pyo3(signature = (action, params, timestamp, nonce, trace_id))]
    fn build_request<'py>(
        &self,
        py: Python<'py>,
        action: &str,
        params: &Bound<'py, PyAny>,
        timestamp: i64,
        nonce: u32,
        trace_id: Option<String>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let Some((ty, limit)) = &self.request_type else {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "this RequestBuilder was made without a request_type",
            ));
        };
        if self.credentials.is_none() {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "this RequestBuilder holds no credentials: use build",
            ));
        }
        let Some((method, url, headers, body)) =
            self.build(py, action, params, timestamp, nonce, trace_id, None)?
        else {
            return Ok(None);
        };
        let items = [
            method.into_any(),
            url.into_any(),
            headers.into_any(),
            body.into_any(),
            limit.bind(py).clone(),
        ];
        // SAFETY: the GIL is held. `ty` is a heap type derived from tuple (checked in `new`),
        // whose `tp_alloc` makes an instance with room for five items, as `tuple.__new__`
        // does; the items exist before it is made, so no code runs (no collection sees it)
        // before `PyTuple_SetItem` (which accepts a subclass with one reference) fills it,
        // stealing each item's reference.
        unsafe {
            let alloc = ffi::PyType_GetSlot(ty.as_ptr().cast(), ffi::Py_tp_alloc);
            if alloc.is_null() {
                return Err(PyErr::fetch(py));
            }
            let alloc: ffi::allocfunc = std::mem::transmute(alloc);
            let obj = alloc(ty.as_ptr().cast(), items.len() as ffi::Py_ssize_t);
            if obj.is_null() {
                return Err(PyErr::fetch(py));
            }
            let obj = Bound::from_owned_ptr(py, obj);
            for (i, item) in items.into_iter().enumerate() {
                if ffi::PyTuple_SetItem(obj.as_ptr(), i as ffi::Py_ssize_t, item.into_ptr()) != 0 {
                    return Err(PyErr::fetch(py));
                }
            }
            Ok(Some(obj))
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "RequestBuilder(sign_method=\"{}\", endpoint={:?}, credentials={})",
            self.config.sign_method,
            self.config.endpoint,
            if self.credentials.is_some() {
                "held"
            } else {
                "per call"
            }
        )
    }
}

/// The body the core's one-pass validator writes for `params` of `action` reading the Python
/// objects themselves (what `RequestBuilder.build` signs for a dict), or `None` when the JSON
/// text path must decide. For tests: the same body as the JSON text's, or `None`.
#[pyfunction]
#[pyo3(signature = (action, params, strict = false))]
pub(crate) fn canonical_body_of<'py>(
    py: Python<'py>,
    action: &str,
    params: &Bound<'py, PyAny>,
    strict: bool,
) -> PyResult<Option<Bound<'py, PyBytes>>> {
    let spec = essbasic::validate::lookup_action(action).map_err(|e| to_py_err(py, e))?;
    // SAFETY: the GIL is held, `params` is alive for this call, and nothing runs Python code
    // while the core reads it.
    let de = unsafe { PyParams::new(params.as_ptr()) };
    let buffer = Vec::with_capacity(1024);
    let body = essbasic::transcode::canonical_body_from(spec.input(), strict, de, buffer);
    Ok(body.map(|b| PyBytes::new(py, &b)))
}

// --- JSON text to Python objects ------------------------------------------------------------

/// Gives up on the fast parse (the caller uses `json.loads`).
struct Bail;

/// FxHash (rustc's): the key cache's hasher, much cheaper than SipHash for short keys.
#[derive(Default)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// The index of the first `"`, `\` or control character at or after `i` (or `len`):
/// sixteen bytes at a time (SSE2, part of every x86-64), else eight (SWAR). The last,
/// partial block is read as the full block that ends the text (overlapping bytes already
/// known clean, whose hits are masked off), so no short rest is copied anywhere: most
/// strings of a request are shorter than sixteen bytes, and a padded copy of their rest
/// (a `memcpy` call, then a load that cannot be forwarded from its stores) cost more than
/// the scan itself.
pub(crate) fn find_special(bytes: &[u8], i: usize) -> usize {
    let len = bytes.len();
    if i >= len {
        return len;
    }
    #[cfg(target_arch = "x86_64")]
    if len >= 16 {
        return find_special_sse2(bytes, i);
    }
    let mut i = i;
    while i + 8 <= len {
        if let Some(at) = special_in(load8(bytes, i)) {
            return i + at;
        }
        i += 8;
    }
    if i == len {
        return len;
    }
    if len >= 8 {
        // The eight bytes that end the text; those before `i` are clean.
        let base = len - 8;
        let skip = (i - base) * 8;
        let hits = special_mask(load8(bytes, base)) & (u64::MAX << skip);
        return if hits == 0 {
            len
        } else {
            base + (hits.trailing_zeros() / 8) as usize
        };
    }
    // A text of fewer than eight bytes.
    bytes[i..]
        .iter()
        .position(|&b| is_special(b))
        .map_or(len, |at| i + at)
}

/// [`find_special`] for a text of at least sixteen bytes.
#[cfg(target_arch = "x86_64")]
fn find_special_sse2(bytes: &[u8], mut i: usize) -> usize {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    let len = bytes.len();
    debug_assert!(len >= 16 && i < len);
    // SAFETY: SSE2 is in the x86-64 baseline; every load reads 16 bytes inside `bytes`
    // (`len >= 16`, and each load starts at most `len - 16`).
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        let control = _mm_set1_epi8(0x1f);
        let mask_at = |at: usize| -> u32 {
            let x = _mm_loadu_si128(bytes.as_ptr().add(at).cast::<__m128i>());
            // x <= 0x1f (unsigned) exactly when max(x, 0x1f) == 0x1f.
            let hits = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                _mm_cmpeq_epi8(_mm_max_epu8(x, control), control),
            );
            _mm_movemask_epi8(hits) as u32
        };
        while i + 16 <= len {
            let mask = mask_at(i);
            if mask != 0 {
                return i + mask.trailing_zeros() as usize;
            }
            i += 16;
        }
        if i == len {
            return len;
        }
        // The sixteen bytes that end the text; those before `i` are clean.
        let base = len - 16;
        let mask = mask_at(base) & (u32::MAX << (i - base));
        if mask == 0 {
            len
        } else {
            base + mask.trailing_zeros() as usize
        }
    }
}

/// The eight bytes at `i` as a little-endian word (`i + 8 <= bytes.len()`).
fn load8(bytes: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[i..i + 8]);
    u64::from_le_bytes(w)
}

fn is_special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// The index of the first special byte of eight (little-endian), if any.
fn special_in(w: u64) -> Option<usize> {
    let hits = special_mask(w);
    (hits != 0).then(|| (hits.trailing_zeros() / 8) as usize)
}

/// The high bit of each special byte of `w` set, exactly (no borrow or carry crosses from
/// one byte to the next, so the bytes before a start that are masked off cannot leak).
fn special_mask(w: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    /// The high bit of each zero byte of `x`.
    fn zeros(x: u64) -> u64 {
        !(((x & LOW7) + LOW7) | x | LOW7)
    }
    zeros(w ^ (LO * u64::from(b'"'))) | zeros(w ^ (LO * u64::from(b'\\'))) | zeros(w & (LO * 0xe0))
}

struct Parser<'a, 'py> {
    py: Python<'py>,
    text: &'a [u8],
    /// `text` as the `str` it is (slices of it at ASCII delimiters need no validation).
    src: &'a str,
    pos: usize,
    keys: HashMap<&'a [u8], Bound<'py, PyString>, FxBuild>,
    /// Whether keys go through `keys` (not for a small answer: its table would cost more
    /// than the strings it saves).
    cache_keys: bool,
    hook: Option<&'a Bound<'py, PyAny>>,
    scratch: String,
}

type Parsed<'py> = Result<Bound<'py, PyAny>, Bail>;

impl<'a, 'py> Parser<'a, 'py> {
    fn ws(&mut self) {
        while let Some(&b) = self.text.get(self.pos) {
            if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Result<u8, Bail> {
        self.text.get(self.pos).copied().ok_or(Bail)
    }

    fn expect(&mut self, b: u8) -> Result<(), Bail> {
        self.ws();
        if self.peek()? == b {
            self.pos += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    fn value(&mut self, depth: usize) -> Parsed<'py> {
        if depth > 512 {
            return Err(Bail);
        }
        self.ws();
        let py = self.py;
        match self.peek()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => {
                self.pos += 1;
                self.string(false)
            }
            b't' => self.literal(b"true", PyBool::new(py, true).to_owned().into_any()),
            b'f' => self.literal(b"false", PyBool::new(py, false).to_owned().into_any()),
            b'n' => self.literal(b"null", py.None().into_bound(py)),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &[u8], value: Bound<'py, PyAny>) -> Parsed<'py> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(Bail)
        }
    }

    fn object(&mut self, depth: usize) -> Parsed<'py> {
        self.pos += 1;
        let dict = PyDict::new(self.py);
        self.ws();
        if self.peek()? == b'}' {
            self.pos += 1;
        } else {
            loop {
                self.expect(b'"')?;
                let key = self.string(true)?;
                self.expect(b':')?;
                let value = self.value(depth + 1)?;
                dict.set_item(key, value).map_err(|_| Bail)?;
                self.ws();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(Bail),
                }
            }
        }
        match self.hook {
            Some(hook) => hook.call1((dict,)).map_err(|_| Bail),
            None => Ok(dict.into_any()),
        }
    }

    fn array(&mut self, depth: usize) -> Parsed<'py> {
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek()? == b']' {
            self.pos += 1;
        } else {
            loop {
                items.push(self.value(depth + 1)?);
                self.ws();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(Bail),
                }
            }
        }
        PyList::new(self.py, items)
            .map(Bound::into_any)
            .map_err(|_| Bail)
    }

    /// A string after its opening quote.
    fn string(&mut self, key: bool) -> Parsed<'py> {
        let start = self.pos;
        let text = self.text;
        let i = find_special(text, start);
        match text.get(i) {
            Some(b'"') => {}
            Some(b'\\') => return self.escaped(start),
            _ => return Err(Bail),
        }
        self.pos = i + 1;
        let raw = &text[start..i];
        let s = self.src.get(start..i).ok_or(Bail)?;
        if key && self.cache_keys && raw.len() <= 64 {
            if let Some(k) = self.keys.get(raw) {
                return Ok(k.clone().into_any());
            }
            let k = PyString::new(self.py, s);
            self.keys.insert(raw, k.clone());
            return Ok(k.into_any());
        }
        Ok(PyString::new(self.py, s).into_any())
    }

    fn hex4(&mut self) -> Result<u32, Bail> {
        let s = self.src.get(self.pos..self.pos + 4).ok_or(Bail)?;
        if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Bail);
        }
        let v = u32::from_str_radix(s, 16).map_err(|_| Bail)?;
        self.pos += 4;
        Ok(v)
    }

    /// A string with escapes; a lone surrogate (which `json.loads` keeps) gives up.
    fn escaped(&mut self, start: usize) -> Parsed<'py> {
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        self.pos = start;
        loop {
            let stop = find_special(self.text, self.pos);
            out.push_str(self.src.get(self.pos..stop).ok_or(Bail)?);
            self.pos = stop;
            match self.text.get(self.pos).copied().ok_or(Bail)? {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    self.pos += 1;
                    let c = self.peek()?;
                    self.pos += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.text.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(Bail);
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(Bail);
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).ok_or(Bail)?);
                        }
                        _ => return Err(Bail),
                    }
                }
                _ => return Err(Bail),
            }
        }
        let s = PyString::new(self.py, &out);
        self.scratch = out;
        Ok(s.into_any())
    }

    fn number(&mut self) -> Parsed<'py> {
        let start = self.pos;
        let text = self.text;
        let mut i = start;
        if text.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = i;
        while text.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == digits || (text[digits] == b'0' && i - digits > 1) {
            return Err(Bail);
        }
        let mut float = false;
        if text.get(i) == Some(&b'.') {
            float = true;
            i += 1;
            let f = i;
            while text.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == f {
                return Err(Bail);
            }
        }
        if matches!(text.get(i), Some(b'e' | b'E')) {
            float = true;
            i += 1;
            if matches!(text.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let e = i;
            while text.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == e {
                return Err(Bail);
            }
        }
        self.pos = i;
        let s = self.src.get(start..i).ok_or(Bail)?;
        let py = self.py;
        if float {
            let f: f64 = s.parse().map_err(|_| Bail)?;
            return Ok(PyFloat::new(py, f).into_any());
        }
        if i - digits <= 18 {
            let v: i64 = s.parse().map_err(|_| Bail)?;
            return v.into_pyobject(py).map(Bound::into_any).map_err(|_| Bail);
        }
        py.get_type::<PyInt>().call1((s,)).map_err(|_| Bail)
    }
}

/// Answers up to this many bytes are parsed without the key cache.
const SMALL_ANSWER: usize = 2048;

/// Classifies an answer with the core: returns `(response, request_id)`, `response` being
/// the `Response` object as Python objects (`object_hook` applied to every object, as
/// `json.loads` does), or its JSON text when it needs `json.loads` itself; raises
/// `ApiError`, `HttpError` or `DecodeError` as `classify_response` does.
///
/// The core only locates the `Response` text (`classify_response_located`: the envelope is
/// checked, the member values are not); the parser here validates what it reads. When it
/// gives up (invalid JSON, or a form it leaves to `json.loads`, such as a lone surrogate),
/// the core's validating `classify_response` decides: it raises the `DecodeError`, or the
/// text goes to `json.loads`.
#[pyfunction]
#[pyo3(signature = (status, body, max_body_bytes = essbasic::response::DEFAULT_MAX_BODY_BYTES, object_hook = None))]
pub(crate) fn parse_response<'py>(
    py: Python<'py>,
    status: u16,
    body: &Bound<'py, PyBytes>,
    max_body_bytes: usize,
    object_hook: Option<Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyAny>, Option<String>)> {
    let bytes = body.as_bytes();
    let located = if bytes.len() > 64 * 1024 {
        py.detach(|| essbasic::response::classify_response_located(status, bytes, max_body_bytes))
    } else {
        essbasic::response::classify_response_located(status, bytes, max_body_bytes)
    }
    .map_err(|e| to_py_err(py, e))?;
    if let Ok(raw) = std::str::from_utf8(&bytes[located.start..located.end]) {
        if let Ok(value) = parse_text(py, raw, object_hook.as_ref()) {
            return Ok((value, located.request_id));
        }
    }
    let view =
        essbasic::classify_response(status, bytes, max_body_bytes).map_err(|e| to_py_err(py, e))?;
    Ok((PyString::new(py, view.raw).into_any(), view.request_id))
}

/// `raw` as Python objects, all of it, or `Bail`.
fn parse_text<'py>(
    py: Python<'py>,
    raw: &str,
    hook: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>, Bail> {
    let mut parser = Parser {
        py,
        text: raw.as_bytes(),
        src: raw,
        pos: 0,
        keys: HashMap::default(),
        cache_keys: raw.len() > SMALL_ANSWER,
        hook,
        scratch: String::new(),
    };
    let value = parser.value(0)?;
    parser.ws();
    if parser.pos == parser.text.len() {
        Ok(value)
    } else {
        Err(Bail)
    }
}

// --- the bare TC3 signer --------------------------------------------------------------------

/// The TC3-HMAC-SHA256 `Authorization` of a POST to `/` of the essbasic service, from the
/// body's bytes: the core's `essbasic::signing::tc3::Tc3Signer` (the signing key derived once
/// per UTC date).
#[pyclass(frozen, module = "essbasic._core")]
pub(crate) struct Tc3Signer {
    inner: tc3::Tc3Signer,
}

#[pymethods]
impl Tc3Signer {
    #[new]
    fn new(secret_id: &str, secret_key: &str) -> Self {
        Self {
            inner: tc3::Tc3Signer::new(secret_id, secret_key),
        }
    }

    /// The `Authorization` header value of a POST of `body` to `https://{host}/` signed at
    /// `timestamp` (Unix seconds) with `content_type`.
    #[pyo3(signature = (body, host, timestamp, content_type = "application/json"))]
    fn authorization(
        &self,
        body: &Bound<'_, PyAny>,
        host: &str,
        timestamp: i64,
        content_type: &str,
    ) -> PyResult<String> {
        let payload = text_bytes(body, "body")?;
        Ok(self.inner.authorization(&tc3::Tc3Input {
            method: "POST",
            host,
            path: "/",
            query: "",
            content_type,
            payload: &payload,
            unsigned_payload: false,
            service: essbasic::spec::SERVICE,
            timestamp,
        }))
    }

    /// The SecretId (public: it is in every `Authorization`).
    #[getter]
    fn secret_id(&self) -> &str {
        self.inner.secret_id()
    }

    fn __repr__(&self) -> String {
        format!("Tc3Signer(secret_id={:?})", self.inner.secret_id())
    }
}

// --- randomness for trace ids and nonces ----------------------------------------------------

/// A fast generator (wyrand) for trace ids and nonces, seeded by the façade from
/// `os.urandom` (and re-seeded in a forked child); thread-safe without a lock.
#[pyclass(frozen, module = "essbasic._core")]
pub(crate) struct Entropy {
    state: std::sync::atomic::AtomicU64,
}

impl Entropy {
    fn next(&self) -> u64 {
        let s = self
            .state
            .fetch_add(0xa076_1d64_78bd_642f, std::sync::atomic::Ordering::Relaxed)
            .wrapping_add(0xa076_1d64_78bd_642f);
        let t = u128::from(s) * u128::from(s ^ 0xe703_7ed1_a0b4_28db);
        ((t >> 64) as u64) ^ (t as u64)
    }
}

#[pymethods]
impl Entropy {
    #[new]
    fn new(seed: u64) -> Self {
        Self {
            state: std::sync::atomic::AtomicU64::new(seed),
        }
    }

    /// Starts over from `seed`.
    fn reseed(&self, seed: u64) {
        self.state.store(seed, std::sync::atomic::Ordering::Relaxed);
    }

    /// A random UUID (version 4) in its text form.
    fn trace_id<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let hi = self.next();
        let lo = self.next();
        let v = (u128::from(hi) << 64) | u128::from(lo);
        let v = (v & !(0xF_u128 << 76 | 0x3_u128 << 62)) | (0x4_u128 << 76) | (0x2_u128 << 62);
        let mut text = [b'-'; 36];
        let mut nibble = 32;
        for (i, c) in text.iter_mut().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                continue;
            }
            nibble -= 1;
            *c = HEX[((v >> (nibble * 4)) & 0xF) as usize];
        }
        // ASCII by construction.
        PyString::new(py, std::str::from_utf8(&text).unwrap_or_default())
    }

    /// A random nonce in `[1, 2**32 - 1]`.
    fn nonce(&self) -> u32 {
        (self.next() as u32).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::find_special;

    fn naive(bytes: &[u8], i: usize) -> usize {
        (i..bytes.len())
            .find(|&j| matches!(bytes[j], b'"' | b'\\') || bytes[j] < 0x20)
            .unwrap_or(bytes.len())
    }

    #[test]
    fn find_special_agrees_with_a_byte_loop() {
        // Every length up to 70, every start, one special byte (of each kind) at every
        // place or none; bytes >= 0x80 and 0x20 / 0x7f around it.
        for len in 0..70usize {
            let plain: Vec<u8> = (0..len)
                .map(|j| [b'a', 0xe5, b' ', 0x7f, b'#', 0x80][j % 6])
                .collect();
            for special in [
                None,
                Some(b'"'),
                Some(b'\\'),
                Some(0x00),
                Some(0x1f),
                Some(b'\n'),
            ] {
                for at in 0..len.max(1) {
                    let mut text = plain.clone();
                    if let Some(b) = special {
                        if at < len {
                            text[at] = b;
                        }
                    }
                    for i in 0..=len + 1 {
                        assert_eq!(
                            find_special(&text, i),
                            naive(&text, i).max(i.min(len)),
                            "len {len} special {special:?} at {at} from {i}"
                        );
                    }
                }
            }
        }
    }
}
