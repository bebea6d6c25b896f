//! The per-call hot path of the façade, kept off Python's `json` module:
//!
//! - [`RequestBuilder`]: one per client, holding the parsed core `Config` (and static
//!   credentials), so a call does not convert a configuration dict; it takes the parameters
//!   as Python objects and converts them straight into the core's `serde_json::Value`
//!   (no JSON text in between), or as JSON text.
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
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::{config_from, text_bytes, to_py_err, Built};

/// Deepest nesting converted in Rust; deeper parameters take the JSON text path.
const MAX_DEPTH: usize = 100;

/// Python parameters as a `Value`; `None` when something needs `json.dumps`' own rules.
fn to_value(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Option<Value>> {
    if depth > MAX_DEPTH {
        return Ok(None);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(match s.to_cow() {
            Ok(text) => Some(Value::String(text.into_owned())),
            Err(_) => None,
        });
    }
    if obj.is_exact_instance_of::<PyDict>() {
        let dict = obj.cast::<PyDict>()?;
        let mut map = Map::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Ok(None);
            };
            let Ok(key) = key.to_cow() else {
                return Ok(None);
            };
            let Some(value) = to_value(&v, depth + 1)? else {
                return Ok(None);
            };
            map.insert(key.into_owned(), value);
        }
        return Ok(Some(Value::Object(map)));
    }
    if obj.is_exact_instance_of::<PyBool>() {
        return Ok(Some(Value::Bool(obj.is_truthy()?)));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Some(Value::Number(i.into())));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Some(Value::Number(u.into())));
        }
        return Ok(None);
    }
    if obj.is_none() {
        return Ok(Some(Value::Null));
    }
    if obj.is_exact_instance_of::<PyList>() || obj.is_exact_instance_of::<PyTuple>() {
        let mut items = Vec::with_capacity(obj.len()?);
        for item in obj.try_iter()? {
            let Some(value) = to_value(&item?, depth + 1)? else {
                return Ok(None);
            };
            items.push(value);
        }
        return Ok(Some(Value::Array(items)));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Number::from_f64(f.value()).map(Value::Number));
    }
    Ok(None)
}

/// The core configuration and, when they do not change, the credentials of one client:
/// validates, builds and signs its requests without converting them again for every call.
#[pyclass(frozen, module = "essbasic._core")]
pub(crate) struct RequestBuilder {
    config: Config,
    credentials: Option<Credentials>,
}

#[pymethods]
impl RequestBuilder {
    /// `config` is the configuration dict of `build_request`; `secret_id` and `secret_key`
    /// (and `token`) are the credentials of every request, or `None` when each `build` passes
    /// its own.
    #[new]
    #[pyo3(signature = (config, secret_id = None, secret_key = None, token = None))]
    fn new(
        py: Python<'_>,
        config: &Bound<'_, PyDict>,
        secret_id: Option<&str>,
        secret_key: Option<&str>,
        token: Option<&str>,
    ) -> PyResult<Self> {
        let config = config_from(py, config)?;
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
        })
    }

    /// Validates `params` of `action` against the spec, then builds and signs the request:
    /// `(method, url, headers, body)`. `params` is a dict (or list/str/number tree of plain
    /// values) or its JSON text. Returns `None` when the objects need Python's `json` rules
    /// (the caller then passes their JSON text). `credentials` is `(secret_id, secret_key,
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
    ) -> PyResult<Option<Built<'py>>> {
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
        let built = if params.is_instance_of::<PyString>() || params.is_instance_of::<PyBytes>() {
            let text = text_bytes(params, "params")?;
            let text: &[u8] = &text;
            py.detach(|| essbasic::build_request_json(action, text, &self.config, creds, &stamp))
        } else {
            let Some(value) = to_value(params, 0)? else {
                return Ok(None);
            };
            py.detach(|| essbasic::build_request(action, &value, &self.config, creds, &stamp))
        };
        let req = built.map_err(|e| to_py_err(py, e))?;
        let body = PyBytes::new(py, &req.body);
        Ok(Some((req.method, req.url, req.headers, body)))
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

// --- JSON text to Python objects ------------------------------------------------------------

/// Gives up on the fast parse (the caller uses `json.loads`).
struct Bail;

struct Parser<'a, 'py> {
    py: Python<'py>,
    text: &'a [u8],
    pos: usize,
    keys: HashMap<&'a [u8], Bound<'py, PyString>>,
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
        let mut i = start;
        loop {
            match text.get(i) {
                None => return Err(Bail),
                Some(b'"') => break,
                Some(b'\\') => return self.escaped(start),
                Some(&b) if b < 0x20 => return Err(Bail),
                Some(_) => i += 1,
            }
        }
        self.pos = i + 1;
        let raw = &text[start..i];
        let s = std::str::from_utf8(raw).map_err(|_| Bail)?;
        if key && raw.len() <= 64 {
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
        let digits = self.text.get(self.pos..self.pos + 4).ok_or(Bail)?;
        let s = std::str::from_utf8(digits).map_err(|_| Bail)?;
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
            let rest = &self.text[self.pos..];
            let stop = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .ok_or(Bail)?;
            out.push_str(std::str::from_utf8(&rest[..stop]).map_err(|_| Bail)?);
            self.pos += stop;
            match self.text[self.pos] {
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
        let s = std::str::from_utf8(&text[start..i]).map_err(|_| Bail)?;
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

/// Classifies an answer with the core: returns `(response, request_id)`, `response` being
/// the `Response` object as Python objects (`object_hook` applied to every object, as
/// `json.loads` does), or its JSON text when it needs `json.loads` itself; raises
/// `ApiError`, `HttpError` or `DecodeError` as `classify_response` does.
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
    let view = if bytes.len() > 64 * 1024 {
        py.detach(|| essbasic::classify_response(status, bytes, max_body_bytes))
    } else {
        essbasic::classify_response(status, bytes, max_body_bytes)
    }
    .map_err(|e| to_py_err(py, e))?;
    let raw = view.raw;
    let mut parser = Parser {
        py,
        text: raw.as_bytes(),
        pos: 0,
        keys: HashMap::new(),
        hook: object_hook.as_ref(),
        scratch: String::new(),
    };
    let parsed = parser.value(0).and_then(|v| {
        parser.ws();
        if parser.pos == parser.text.len() {
            Ok(v)
        } else {
            Err(Bail)
        }
    });
    let value = match parsed {
        Ok(v) => v,
        Err(Bail) => PyString::new(py, raw).into_any(),
    };
    Ok((value, view.request_id))
}

// --- the bare TC3 signer --------------------------------------------------------------------

/// The TC3-HMAC-SHA256 `Authorization` of a POST to `/` of the essbasic service, from the
/// body's bytes (the core's `essbasic::signing::tc3`); the signing key is derived once per
/// UTC date.
#[pyclass(frozen, module = "essbasic._core")]
pub(crate) struct Tc3Signer {
    secret_id: String,
    secret_key: String,
    key: Mutex<Option<(String, [u8; 32])>>,
}

#[pymethods]
impl Tc3Signer {
    #[new]
    fn new(secret_id: &str, secret_key: &str) -> Self {
        Self {
            secret_id: secret_id.to_owned(),
            secret_key: secret_key.to_owned(),
            key: Mutex::new(None),
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
        let input = tc3::Tc3Input {
            method: "POST",
            host,
            path: "/",
            query: "",
            content_type,
            payload: &payload,
            unsigned_payload: false,
            service: essbasic::spec::SERVICE,
            timestamp,
        };
        let pre = tc3::presign(&input);
        let date = pre
            .credential_scope
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let key = {
            let mut cached = self.key.lock().unwrap_or_else(|e| e.into_inner());
            match &*cached {
                Some((d, k)) if *d == date => *k,
                _ => {
                    let k = tc3::derive_signing_key(&self.secret_key, &date, input.service);
                    *cached = Some((date, k));
                    k
                }
            }
        };
        let signature = tc3::signature(&key, &pre.string_to_sign);
        Ok(tc3::authorization(
            &self.secret_id,
            &pre.credential_scope,
            tc3::SIGNED_HEADERS,
            &signature,
        ))
    }

    /// The SecretId (public: it is in every `Authorization`).
    #[getter]
    fn secret_id(&self) -> &str {
        &self.secret_id
    }

    fn __repr__(&self) -> String {
        format!("Tc3Signer(secret_id={:?})", self.secret_id)
    }
}
