//! From what the server sent to what the caller gets: the `Response` object or a typed error.
//!
//! The envelope is `{"Response": {..., "RequestId": "..."}}`; an API error is
//! `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`, usually with HTTP 200. The
//! `Content-Type` is not trusted for classification (a charset parameter, or a gateway's
//! wrong type, changes nothing); the body decides.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::error::Error;

/// The default largest body accepted (64 MiB): a larger one is a `decode` error.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 << 20;

/// The start of the message of a `decode` error for a body over the size limit (its code
/// is `DecodeError.TooLarge`, never retried: the same answer would come again).
pub const TOO_LARGE: &str = "the body exceeds the size limit";

/// How many bytes of a non-JSON error body an [`Error::Http`] keeps.
const EXCERPT_CHARS: usize = 200;

/// A successful response, not yet turned into a tree: hosts parse `raw` with their own JSON
/// parser (lossless where it is), Rust callers use [`parse_response`] or [`parse_typed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseView<'a> {
    /// The JSON text of the `Response` object, exactly as sent.
    pub raw: &'a str,
    /// `Response.RequestId`, when present.
    pub request_id: Option<String>,
    /// Whether `raw` holds an integer literal beyond ±(2^53 − 1): JavaScript hosts run
    /// [`quote_big_integers`](crate::bigint::quote_big_integers) only then.
    pub big_integers: bool,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Response", borrow, default)]
    response: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Peek {
    #[serde(rename = "Error", default)]
    error: Option<ApiError>,
    #[serde(rename = "RequestId", default)]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: Option<String>,
}

/// Classifies a response without building a tree: success (a [`ResponseView`]) or one of
/// the remote errors `api`, `http` or `decode`.
pub fn classify_response(
    status: u16,
    body: &[u8],
    max_body_bytes: usize,
) -> Result<ResponseView<'_>, Error> {
    let success = (200..300).contains(&status);
    if body.len() > max_body_bytes {
        let message = format!(
            "{TOO_LARGE}: {} bytes, more than {max_body_bytes}",
            body.len()
        );
        return Err(if success {
            Error::decode(message)
        } else {
            Error::Http {
                status,
                body_excerpt: message,
            }
        });
    }
    let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if let Some(fast) = classify_scanned(status, success, body, text) {
        return fast;
    }
    classify_tree(status, success, body, text)
}

/// [`classify_response`] by its serde_json path only, for differential tests and fuzzing:
/// the result must always equal [`classify_response`]'s.
#[doc(hidden)]
pub fn classify_response_tree(
    status: u16,
    body: &[u8],
    max_body_bytes: usize,
) -> Result<ResponseView<'_>, Error> {
    if body.len() > max_body_bytes {
        return classify_response(status, body, max_body_bytes);
    }
    let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    classify_tree(status, (200..300).contains(&status), body, text)
}

/// The serde_json path of [`classify_response`]: every case the scan leaves to it.
fn classify_tree<'a>(
    status: u16,
    success: bool,
    body: &[u8],
    text: &'a [u8],
) -> Result<ResponseView<'a>, Error> {
    let envelope = match serde_json::from_slice::<Envelope<'_>>(text) {
        Ok(e) => e,
        Err(_) if !success => return Err(http_error(status, body)),
        Err(e) => {
            return Err(Error::decode(format!(
                "the body is not the JSON envelope: {e}"
            )))
        }
    };
    let Some(raw) = envelope.response else {
        return Err(if success {
            Error::decode("the body has no Response object")
        } else {
            http_error(status, body)
        });
    };
    if !raw.get().starts_with('{') {
        return Err(if success {
            Error::decode("Response is not a JSON object")
        } else {
            http_error(status, body)
        });
    }
    let peek: Peek = match serde_json::from_str(raw.get()) {
        Ok(p) => p,
        Err(_) if !success => return Err(http_error(status, body)),
        Err(e) => {
            return Err(Error::decode(format!(
                "Response is not a valid object: {e}"
            )))
        }
    };
    if let Some(err) = peek.error {
        return Err(Error::Api {
            code: err.code,
            message: err.message.unwrap_or_default(),
            request_id: peek.request_id,
        });
    }
    if !success {
        return Err(http_error(status, body));
    }
    Ok(ResponseView {
        raw: raw.get(),
        request_id: peek.request_id,
        big_integers: crate::bigint::quote_big_integers(raw.get()).is_some(),
    })
}

/// The fast path of [`classify_response`]: one validating scan ([`envelope_scan`]), then
/// only `Error` and `RequestId` deserialized. `None` when the serde_json path must decide
/// (it then gives the same answer, or the exact error).
///
/// [`envelope_scan`]: crate::envelope_scan
fn classify_scanned<'a>(
    status: u16,
    success: bool,
    body: &[u8],
    text: &'a [u8],
) -> Option<Result<ResponseView<'a>, Error>> {
    let text = std::str::from_utf8(text).ok()?;
    let env = crate::envelope_scan::scan(text.as_bytes())?;
    // `"Response": null` counts as absent, as serde reads an `Option`.
    let Some(range) = env.response.filter(|r| &text[r.clone()] != "null") else {
        return Some(Err(if success {
            Error::decode("the body has no Response object")
        } else {
            http_error(status, body)
        }));
    };
    let raw = &text[range];
    if !raw.starts_with('{') {
        return Some(Err(if success {
            Error::decode("Response is not a JSON object")
        } else {
            http_error(status, body)
        }));
    }
    let error: Option<ApiError> = match env.error {
        Some(r) => serde_json::from_str(&text[r]).ok()?,
        None => None,
    };
    let request_id: Option<String> = match env.request_id {
        Some(r) => serde_json::from_str(&text[r]).ok()?,
        None => None,
    };
    if let Some(err) = error {
        return Some(Err(Error::Api {
            code: err.code,
            message: err.message.unwrap_or_default(),
            request_id,
        }));
    }
    if !success {
        return Some(Err(http_error(status, body)));
    }
    Some(Ok(ResponseView {
        raw,
        request_id,
        big_integers: env.big_integers,
    }))
}

/// A successful response located for a JavaScript host ([`classify_response_js`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsResponse {
    /// Byte offset of the `Response` object's JSON text in the body.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// `Response.RequestId`, when present.
    pub request_id: Option<String>,
    /// Whether the text holds an integer literal beyond ±(2^53 − 1): then `ascii` has it
    /// quoted with the [`BIGINT_SENTINEL`](crate::bigint::BIGINT_SENTINEL), and the host
    /// parses with a reviver that turns such strings into `BigInt`s.
    pub big_integers: bool,
    /// The `Response` text as ASCII JSON of the same value: each non-ASCII character as
    /// `\uXXXX` escapes (they can only be inside strings), each big integer quoted. `None`
    /// when `body[start..end]` is that already (ASCII, no big integer): the host can make a
    /// one-byte string of those bytes without decoding UTF-8.
    pub ascii: Option<Vec<u8>>,
}

/// [`classify_response`] for hosts that parse the `Response` text with their own validating
/// JSON parser (JavaScript's `JSON.parse`): the same errors, RequestId and big-integer
/// verdict, the text handed over in ASCII.
///
/// A 2xx body is read by one light pass that checks the envelope and
/// the names of `Response`'s members strictly but only tokenizes their values, rewriting
/// the text for the host in the same pass: invalid JSON inside a member value is left to
/// the host's parser, which then refuses the whole text (the host reports a `decode`
/// error). Everything else — a status that is not 2xx, an `Error` member, anything the
/// light pass does not accept — takes [`classify_response`]'s validating path.
pub fn classify_response_js(
    status: u16,
    body: &[u8],
    max_body_bytes: usize,
) -> Result<JsResponse, Error> {
    if let Some((offset, env, request_id)) = classify_light(status, body, max_body_bytes, true) {
        return Ok(JsResponse {
            start: offset + env.response.start,
            end: offset + env.response.end,
            request_id,
            big_integers: env.big_integers,
            ascii: env.ascii,
        });
    }
    let view = classify_response(status, body, max_body_bytes)?;
    let start = view.raw.as_ptr() as usize - body.as_ptr() as usize;
    let quoted = if view.big_integers {
        crate::bigint::quote_big_integers(view.raw)
    } else {
        None
    };
    let text = quoted.as_deref().unwrap_or(view.raw);
    Ok(JsResponse {
        start,
        end: start + view.raw.len(),
        request_id: view.request_id,
        big_integers: view.big_integers,
        ascii: (quoted.is_some() || !text.is_ascii()).then(|| ascii_json(text)),
    })
}

/// JSON text with every non-ASCII character written as `\uXXXX` escapes (UTF-16 code
/// units): the same JSON value, in ASCII. Such characters can only be inside strings.
fn ascii_json(text: &str) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(text.len() + text.len() / 4);
    let mut units = [0u16; 2];
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        for &u in c.encode_utf16(&mut units).iter() {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                HEX[usize::from(u >> 12)],
                HEX[usize::from((u >> 8) & 0xf)],
                HEX[usize::from((u >> 4) & 0xf)],
                HEX[usize::from(u & 0xf)],
            ]);
        }
    }
    out
}

/// The light pass of [`classify_response_js`] and [`classify_response_located`]: for a 2xx
/// body within the limit whose envelope the light scan accepts, with no `Error` and a
/// string (or no) `RequestId`: the BOM's length, what the scan found, and the RequestId.
fn classify_light(
    status: u16,
    body: &[u8],
    max_body_bytes: usize,
    rewrite: bool,
) -> Option<(usize, crate::envelope_scan::LightEnvelope, Option<String>)> {
    if !(200..300).contains(&status) || body.len() > max_body_bytes {
        return None;
    }
    let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let env = crate::envelope_scan::scan_light(text, rewrite)?;
    if env.error.is_some() {
        return None;
    }
    let request_id = match &env.request_id {
        Some(r) => serde_json::from_slice::<Option<String>>(&text[r.clone()]).ok()?,
        None => None,
    };
    Some((body.len() - text.len(), env, request_id))
}

/// A successful response located for a host that parses it itself
/// ([`classify_response_located`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedResponse {
    /// Byte offset of the `Response` object's JSON text in the body.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// `Response.RequestId`, when present.
    pub request_id: Option<String>,
}

/// [`classify_response`] for hosts that parse the `Response` text with a validating JSON
/// parser of their own: the same errors and RequestId, and where the text is.
///
/// A 2xx body is read by one light pass that checks the envelope and the names of
/// `Response`'s members strictly but only tokenizes their values (and does not decode
/// UTF-8): the host must then parse `body[start..end]` with a parser that refuses whatever
/// is not JSON text (invalid UTF-8 included), and when it refuses, call [`classify_response`],
/// whose validating path says what is wrong. Everything else — a status that is not 2xx, an
/// `Error` member, anything the light pass does not accept — takes that path here.
pub fn classify_response_located(
    status: u16,
    body: &[u8],
    max_body_bytes: usize,
) -> Result<LocatedResponse, Error> {
    if let Some((offset, env, request_id)) = classify_light(status, body, max_body_bytes, false) {
        return Ok(LocatedResponse {
            start: offset + env.response.start,
            end: offset + env.response.end,
            request_id,
        });
    }
    let view = classify_response(status, body, max_body_bytes)?;
    let start = view.raw.as_ptr() as usize - body.as_ptr() as usize;
    Ok(LocatedResponse {
        start,
        end: start + view.raw.len(),
        request_id: view.request_id,
    })
}

/// Parses a response into the `Response` object (RequestId included, unknown members kept,
/// integers exact) or a typed error.
pub fn parse_response(status: u16, body: &[u8]) -> Result<Value, Error> {
    let view = classify_response(status, body, DEFAULT_MAX_BODY_BYTES)?;
    serde_json::from_str(view.raw).map_err(|e| Error::decode(e.to_string()))
}

/// Parses a response into a generated response struct (unknown members are ignored).
pub fn parse_typed<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    let view = classify_response(status, body, DEFAULT_MAX_BODY_BYTES)?;
    serde_json::from_str(view.raw)
        .map_err(|e| Error::decode(format!("the Response does not fit the model: {e}")))
}

fn http_error(status: u16, body: &[u8]) -> Error {
    let text = String::from_utf8_lossy(body);
    let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        excerpt.push('…');
    }
    Error::Http {
        status,
        body_excerpt: excerpt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bodies of the response vectors.
    fn vector_bodies() -> Vec<Vec<u8>> {
        let vectors: Value =
            serde_json::from_str(include_str!("../../tests/vectors/response.json")).unwrap();
        vectors["cases"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["body"].as_str().map(|b| b.as_bytes().to_vec()))
            .collect()
    }

    /// The scan and the serde_json path agree on every body: the vectors' and edge cases.
    #[test]
    fn fast_and_tree_paths_agree() {
        let mut bodies = vector_bodies();
        for extra in [
            r#"{"Response":{"RequestId":"r","N":9007199254740993}}"#,
            r#"{"Response":{"RequestId":null,"Error":null}}"#,
            r#"{"Response":{"Error":{"Code":"A"},"RequestId":"r"}}"#,
            r#"{"Response":{"Error":{"Message":"no code"},"RequestId":"r"}}"#,
            r#"{"Response":{"Error":"text","RequestId":"r"}}"#,
            r#"{"Response":{"RequestId":5}}"#,
            r#"{"Response":{"RequestId":"\ud800"}}"#,
            r#"{"Response":[]}"#,
            r#"{"Response":{"  \udde2 K":""}}"#,
            r#"{"\ud800":1,"Response":{}}"#,
            r#"{"Response":null}"#,
            r#"{"Other":1}"#,
            r#"[]"#,
            r#"[{"FlowId":"f"}]"#,
            r#"{"Response":{"A":1},"Response":{"B":2}}"#,
            r#"{"Response":{"A":tru}}"#,
            "\u{feff}{\"Response\":{}}",
            "",
            "<html>502</html>",
        ] {
            bodies.push(extra.as_bytes().to_vec());
        }
        bodies.push(b"{\"Response\":{\"A\":\"\xff\"}}".to_vec());
        bodies.push(b"{\"Other\xff\":1,\"Response\":{\"A\":1}}".to_vec());
        bodies.push(b"{\"Response\":{\"A\":1},\"Other\":\"\xe9\"}".to_vec());
        for body in &bodies {
            for status in [200, 404, 500] {
                let success = status == 200;
                let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
                let tree = classify_tree(status, success, body, text);
                assert_eq!(
                    classify_response(status, body, DEFAULT_MAX_BODY_BYTES),
                    tree,
                    "{status} {:?}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }

    /// What a JavaScript host parses after [`classify_response_js`]: the ASCII text as a
    /// serde_json value (`None` when it is not JSON), checking that it is ASCII.
    fn js_value(body: &[u8], js: &JsResponse) -> Option<Value> {
        let text = js.ascii.as_deref().unwrap_or(&body[js.start..js.end]);
        assert!(text.is_ascii(), "{:?}", String::from_utf8_lossy(text));
        serde_json::from_slice(text).ok()
    }

    /// The light path against the validating one: on a body the validating path accepts,
    /// the same RequestId, big-integer verdict and value (big integers quoted as core's
    /// `quote_big_integers` does); on one it refuses, the same error, or a text the host's
    /// parser refuses (a `decode` error either way, for a 2xx).
    fn assert_js_agrees(status: u16, body: &[u8]) {
        let full = classify_response(status, body, DEFAULT_MAX_BODY_BYTES);
        let js = classify_response_js(status, body, DEFAULT_MAX_BODY_BYTES);
        let shown = String::from_utf8_lossy(body);
        match (&full, &js) {
            (Ok(view), Ok(js)) => {
                assert_eq!(view.request_id, js.request_id, "{status} {shown}");
                assert_eq!(view.big_integers, js.big_integers, "{status} {shown}");
                let quoted = crate::bigint::quote_big_integers(view.raw);
                let quoted = quoted.as_deref().unwrap_or(view.raw);
                match serde_json::from_str::<Value>(quoted) {
                    Ok(expected) => {
                        assert_eq!(js_value(body, js), Some(expected), "{status} {shown}")
                    }
                    // Too deep for a tree: the same text then.
                    Err(_) => assert_eq!(
                        js.ascii.as_deref().unwrap_or(&body[js.start..js.end]),
                        ascii_json(quoted),
                        "{status} {shown}"
                    ),
                }
            }
            (Err(e), Ok(js)) => {
                assert_eq!(e.kind(), "decode", "{status} {shown}");
                assert_eq!(js_value(body, js), None, "{status} {shown}");
            }
            _ => assert_eq!(full.as_ref().err(), js.as_ref().err(), "{status} {shown}"),
        }
    }

    /// A small deterministic generator of JSON values (xorshift), with the shapes that
    /// matter: non-ASCII text (also outside the BMP), escapes, integers around 2^53,
    /// floats, nesting, whitespace.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }

        fn ws(&mut self) -> &'static str {
            ["", "", "", " ", "\n  ", "\t"][(self.next() % 6) as usize]
        }

        fn string(&mut self) -> String {
            let parts = [
                "a",
                "FlowId",
                "采购合同",
                "é",
                "😀",
                r#"\""#,
                r"\\",
                r"\n",
                r"\u00e9",
                r"\ud83d\ude00",
                "bench #0001",
                " ",
                "/",
                r"\/",
                "Error",
                "RequestId",
                "9007199254740993",
            ];
            let n = self.next() % 5;
            let mut s = String::from("\"");
            for _ in 0..n {
                s.push_str(self.pick(&parts));
            }
            s.push('"');
            s
        }

        fn number(&mut self) -> String {
            self.pick(&[
                "0",
                "-1",
                "42",
                "1.5",
                "-2.5e-3",
                "1E+2",
                "9007199254740991",
                "-9007199254740991",
                "9007199254740992",
                "-9007199254740993",
                "18446744073709551615",
                "123456789012345678901234567890",
                "9007199254740993.0",
                "1e300",
                "1795923145",
            ])
            .to_owned()
        }

        fn value(&mut self, depth: u32) -> String {
            match self.next() % if depth > 4 { 4 } else { 7 } {
                0 => self.string(),
                1 => self.number(),
                2 => self.pick(&["true", "false", "null"]).to_owned(),
                3 => self.number(),
                4 | 5 => {
                    let n = self.next() % 4;
                    let items: Vec<String> = (0..n)
                        .map(|_| format!("{}{}{}", self.ws(), self.value(depth + 1), self.ws()))
                        .collect();
                    format!("[{}]", items.join(","))
                }
                _ => self.object(depth + 1, false),
            }
        }

        fn object(&mut self, depth: u32, response: bool) -> String {
            let n = self.next() % 5;
            let mut members: Vec<String> = (0..n)
                .map(|_| {
                    let (ws1, key, ws2) = (self.ws(), self.string(), self.ws());
                    format!("{ws1}{key}{ws2}:{}{}", self.ws(), self.value(depth))
                })
                .collect();
            if response {
                match self.next() % 6 {
                    0 => members.push(format!("\"RequestId\":{}", self.string())),
                    1 => members.push("\"RequestId\":null".to_owned()),
                    2 => members
                        .push(r#""Error":{"Code":"InvalidParameter","Message":"坏"}"#.to_owned()),
                    3 => members.insert(0, "\"RequestId\":\"r-1\"".to_owned()),
                    _ => {}
                }
            }
            format!("{{{}}}", members.join(","))
        }
    }

    /// The located path against the validating one, with serde_json as the host's parser:
    /// on a body the validating path accepts, the same RequestId and exactly its `Response`
    /// text; on one it refuses, the same error, or a text the host's parser refuses.
    fn assert_located_agrees(status: u16, body: &[u8]) {
        let full = classify_response(status, body, DEFAULT_MAX_BODY_BYTES);
        let located = classify_response_located(status, body, DEFAULT_MAX_BODY_BYTES);
        let shown = String::from_utf8_lossy(body);
        match (&full, &located) {
            (Ok(view), Ok(loc)) => {
                assert_eq!(view.request_id, loc.request_id, "{status} {shown}");
                assert_eq!(
                    view.raw.as_bytes(),
                    &body[loc.start..loc.end],
                    "{status} {shown}"
                );
            }
            (Err(e), Ok(loc)) => {
                assert_eq!(e.kind(), "decode", "{status} {shown}");
                // A validating host parser: UTF-8, then the JSON grammar.
                let host = std::str::from_utf8(&body[loc.start..loc.end])
                    .map_err(|_| ())
                    .and_then(|t| serde_json::from_str::<serde::de::IgnoredAny>(t).map_err(|_| ()));
                assert!(host.is_err(), "{status} {shown}");
            }
            _ => assert_eq!(
                full.as_ref().err(),
                located.as_ref().err(),
                "{status} {shown}"
            ),
        }
    }

    /// The light paths, for JavaScript hosts and for hosts that only need the place of the
    /// text, agree with the validating one on every body: the vectors, edge cases, and
    /// 10,000 generated envelopes.
    #[test]
    fn light_paths_agree_with_the_validating_path() {
        let mut bodies = vector_bodies();
        for extra in [
            r#"{"Response":{"RequestId":"r","N":9007199254740993}}"#,
            r#"{"Response":{"RequestId":null,"Error":null}}"#,
            r#"{"Response":{"Error":{"Code":"A"},"RequestId":"r"}}"#,
            r#"{"Response":{"RequestId":5}}"#,
            r#"{"Response":{"RequestId":"\ud800"}}"#,
            r#"{"Response":{"RequestId":"a","RequestId":"b"}}"#,
            r#"{"Response":[]}"#,
            r#"{"Response":"x"}"#,
            r#"{"Response":{"  \udde2 K":""}}"#,
            r#"{"Response":{"K\u0041":1}}"#,
            r#"{"\ud800":1,"Response":{}}"#,
            r#"{"Response":null}"#,
            r#"{"Other":1}"#,
            r#"{"Other":tru,"Response":{}}"#,
            r#"{"Response":{}} x"#,
            r#"{"Response":{"A":1},"Response":{"B":2}}"#,
            r#"{"Response":{"A":tru}}"#,
            r#"{"Response":{"A":[1}}}"#,
            r#"{"Response":{"A":[1,]}}"#,
            r#"{"Response":{"A":01}}"#,
            r#"{"Response":{"A":"x
y"}}"#,
            r#"{"Response":{"A":"\x"}}"#,
            r#"{"Response":{"A":{"B":1,}}}"#,
            r#"{"Response":{"A":1,}}"#,
            r#"{"Response":{"A" 1}}"#,
            r#"{"Response":{"A":1 2}}"#,
            r#"{"Response":{"A":-}}"#,
            "{\"Response\":{\"Temp*07}]t\":0,\t",
            r#"{"Response":{"A":1,"#,
            r#"{"Response":{A":1}}"#,
            r#"{"Response":{"Huge":000000000014083847773837265617}}"#,
            r#"{"Response":{"Huge":-09007199254740993}}"#,
            r#"{"Response":{"Huge":9007199254740993-1}}"#,
            r#"{"Response":{xError":{"Code":"X"}}}"#,
            "\u{feff}{\"Response\":{\"采购\":\"合同\",\"N\":-18446744073709551615}}",
            "",
            "<html>502</html>",
        ] {
            bodies.push(extra.as_bytes().to_vec());
        }
        bodies.push(b"{\"Response\":{\"A\":\"\xff\"}}".to_vec());
        bodies.push(b"{\"Response\":{\"A\":\"\xe9\x87\"}}".to_vec());
        bodies.push(b"{\"Response\":{\"A\":\"\\\xe9\x87\x87\"}}".to_vec());
        bodies.push(b"{\"Response\":{\"A\":\xe9\x87\x87}}".to_vec());
        for depth in [124, 125, 126, 127, 128] {
            let deep = format!(
                "{{\"Response\":{{\"A\":{}{}}}}}",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            bodies.push(deep.into_bytes());
        }
        let mut gen = Gen(0x9e37_79b9_7f4a_7c15);
        for _ in 0..10_000 {
            let response = gen.object(1, true);
            let body = match gen.next() % 8 {
                0 => format!("{{\"Other\":{},\"Response\":{response}}}", gen.value(1)),
                1 => format!(" {{ \"Response\" : {response} }} \n"),
                2 => format!("\u{feff}{{\"Response\":{response}}}"),
                _ => format!("{{\"Response\":{response}}}"),
            };
            bodies.push(body.into_bytes());
        }
        for body in &bodies {
            for status in [200, 404, 500] {
                assert_js_agrees(status, body);
                assert_located_agrees(status, body);
            }
        }
    }

    #[test]
    fn js_path_rewrites_text_and_big_integers() {
        let ascii = br#"{"Response":{"FlowId":"f","N":1,"RequestId":"r"}}"#;
        let js = classify_response_js(200, ascii, 1 << 20).unwrap();
        assert_eq!(&ascii[js.start..js.end], &ascii[12..ascii.len() - 1]);
        assert_eq!((js.ascii, js.big_integers), (None, false));
        assert_eq!(js.request_id.as_deref(), Some("r"));

        let text =
            "{\"Response\":{\"Name\":\"采购😀\",\"Id\":9007199254740993,\"F\":9007199254740993.5}}";
        let js = classify_response_js(200, text.as_bytes(), 1 << 20).unwrap();
        assert!(js.big_integers);
        assert_eq!(
            String::from_utf8(js.ascii.unwrap()).unwrap(),
            r#"{"Name":"\u91c7\u8d2d\ud83d\ude00","Id":"\u0000bigint:9007199254740993","F":9007199254740993.5}"#
        );
        // Invalid text inside a value is the host parser's to refuse.
        let js = classify_response_js(200, br#"{"Response":{"A":[1,]}}"#, 1 << 20).unwrap();
        assert_eq!(js.ascii, None);
        // An API error is typed, by the validating path.
        let err = classify_response_js(
            200,
            "{\"Response\":{\"Error\":{\"Code\":\"X\",\"Message\":\"坏\"},\"RequestId\":\"r\"}}"
                .as_bytes(),
            1 << 20,
        )
        .unwrap_err();
        assert_eq!((err.code(), err.request_id()), ("X", Some("r")));
        assert_eq!(
            classify_response_js(200, b"not json", 1 << 20)
                .unwrap_err()
                .kind(),
            "decode"
        );
    }

    #[test]
    fn success_and_errors() {
        let ok = br#"{"Response":{"FlowId":"f","N":18446744073709551615,"RequestId":"r"}}"#;
        let v = parse_response(200, ok).unwrap();
        assert_eq!(v["N"].as_u64(), Some(u64::MAX));
        let view = classify_response(200, ok, 1 << 20).unwrap();
        assert_eq!(view.request_id.as_deref(), Some("r"));
        assert!(view.raw.starts_with(r#"{"FlowId""#));

        let api =
            br#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r2"}}"#;
        assert_eq!(
            parse_response(200, api).unwrap_err(),
            Error::Api {
                code: "InvalidParameter".into(),
                message: "m".into(),
                request_id: Some("r2".into())
            }
        );
        // A gateway's 5xx with the API error shape is still an API error.
        assert_eq!(parse_response(503, api).unwrap_err().kind(), "api");
        assert_eq!(
            parse_response(502, b"<html>bad gateway</html>")
                .unwrap_err()
                .kind(),
            "http"
        );
        assert_eq!(parse_response(200, b"<html>").unwrap_err().kind(), "decode");
        assert_eq!(parse_response(200, b"{}").unwrap_err().kind(), "decode");
        assert_eq!(parse_response(200, b"").unwrap_err().kind(), "decode");
        assert_eq!(
            parse_response(200, br#"{"Response":[]}"#)
                .unwrap_err()
                .kind(),
            "decode"
        );
    }

    #[test]
    fn limits_and_bom() {
        assert!(parse_response(200, b"\xEF\xBB\xBF {\"Response\":{}}\r\n").is_ok());
        let big = br#"{"Response":{"RequestId":"r"}}"#;
        assert_eq!(
            classify_response(200, big, 10).unwrap_err().kind(),
            "decode"
        );
        let deep = format!(
            "{{\"Response\":{{\"A\":{}{}}}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(
            parse_response(200, deep.as_bytes()).unwrap_err().kind(),
            "decode"
        );
    }

    #[test]
    fn long_excerpt_is_cut() {
        let body = "x".repeat(1000);
        match parse_response(500, body.as_bytes()).unwrap_err() {
            Error::Http {
                status,
                body_excerpt,
            } => {
                assert_eq!(status, 500);
                assert_eq!(body_excerpt.chars().count(), EXCERPT_CHARS + 1);
            }
            other => panic!("{other:?}"),
        }
    }
}
