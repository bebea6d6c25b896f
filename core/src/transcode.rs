//! The fast path of validation: from parameters as JSON text to the body that is signed, in
//! one pass that validates against the spec table and writes the body as it reads, with no
//! tree built. [`build_request_json`](crate::build_request_json) uses it; so can a server
//! (the emulator) that only needs to know that a body is valid.
//!
//! It answers only "valid, and here is the body" or "take the slow path": any validation
//! failure, a duplicate member or a top-level `null` returns `None`, and the caller runs the
//! tree-based [`validate`](crate::validate::validate) + [`to_body`](crate::body::to_body),
//! which produce the error message (or the merged object). So the bytes and the errors are
//! exactly those of the slow path, which the tests compare on every vector.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::credentials::Credentials;
use crate::decimal;
use crate::json_text::TextDe;
use crate::member_index::member_index;
use crate::mirror::Mirror;
use crate::request::{header_input, target, Config, HttpMethod, HttpRequest, Stamp, Tc3Parts};
use crate::signing::{tc3, SignMethod};
use crate::spec::{MemberSpec, ObjectSpec, Scalar, TypeRef, OBJECTS};
use crate::validate::lookup_action;

/// The body `to_body(params)` would write for valid `json` of `obj`, or `None` when the slow
/// path must decide (invalid, duplicate members, not an object).
pub fn canonical_body(obj: &'static ObjectSpec, strict: bool, json: &[u8]) -> Option<Vec<u8>> {
    canonical_body_cow(obj, strict, json).map(Cow::into_owned)
}

/// [`canonical_body`], borrowing `json` itself when the body is exactly that text (the
/// usual case for compact JSON): then nothing is copied.
pub fn canonical_body_cow<'j>(
    obj: &'static ObjectSpec,
    strict: bool,
    json: &'j [u8],
) -> Option<Cow<'j, [u8]>> {
    canonical_body_seeing(obj, strict, json, &mut |_| {})
}

/// [`canonical_body_cow`], calling `top_key` with the name of every member of the top-level
/// object as it is read (whatever its value), e.g. to learn whether a body names a flow.
pub fn canonical_body_seeing<'j>(
    obj: &'static ObjectSpec,
    strict: bool,
    json: &'j [u8],
    top_key: &mut dyn FnMut(&str),
) -> Option<Cow<'j, [u8]>> {
    // One UTF-8 check of the whole text, instead of one per string.
    let text = std::str::from_utf8(json).ok()?;
    let mut out = Mirror::over(json);
    let mut de = TextDe::new(text);
    let seed = Element {
        ty: Ty::Object(obj),
        strict,
        out: &mut out,
        comma: false,
        key: None,
        top_key: Some(top_key),
    };
    match seed.deserialize(&mut de) {
        Ok(true) => {}
        _ => return None,
    }
    de.end().ok()?;
    Some(out.finish())
}

/// [`canonical_body`] over any serde [`Deserializer`] instead of JSON text, e.g. one that
/// walks a host language's objects (the Python binding's dicts and lists), so the parameters
/// are validated and the body written in one walk with no JSON text in between. The same
/// answer as [`canonical_body`] of the JSON text those values would be written as, provided
/// the deserializer reports them as serde_json's does: an integer by `visit_u64` when it is
/// not negative and by `visit_i64` when it is, a map's keys as strings, `null` as unit. A
/// string may be given with `visit_borrowed_str` only when it holds no `"`, `\` or control
/// character (it is copied as it is); otherwise by `visit_str` (escaped as `to_body` does).
/// The body is written into `buffer` (cleared first): `Vec::with_capacity(n)` for a body of
/// about `n` bytes, or the body of an earlier request to use its memory again.
pub fn canonical_body_from<'de, D: Deserializer<'de>>(
    obj: &'static ObjectSpec,
    strict: bool,
    params: D,
    buffer: Vec<u8>,
) -> Option<Vec<u8>> {
    let mut out = Mirror::into_buffer(buffer);
    let seed = Element {
        ty: Ty::Object(obj),
        strict,
        out: &mut out,
        comma: false,
        key: None,
        top_key: None,
    };
    match seed.deserialize(params) {
        Ok(true) => Some(out.finish().into_owned()),
        _ => None,
    }
}

/// [`build_request_json`](crate::build_request_json) from parameters read by a serde
/// [`Deserializer`] (see [`canonical_body_from`] for what it must report): the signed request
/// when the configuration signs with TC3 over a POST body and the parameters are valid (the
/// body is the one `build_request_json` writes for their JSON text), `None` otherwise, and
/// the caller then builds from the JSON text, which gives the same request or the error.
/// The body is written into `buffer`, as [`canonical_body_from`] does.
pub fn build_request_from<'de, D: Deserializer<'de>>(
    action: &str,
    params: D,
    buffer: Vec<u8>,
    config: &Config,
    credentials: &Credentials,
    stamp: &Stamp,
) -> Option<HttpRequest> {
    if config.sign_method != SignMethod::Tc3HmacSha256 || config.http_method != HttpMethod::Post {
        return None;
    }
    let spec = lookup_action(action).ok()?;
    let target = target(spec, config).ok()?;
    let body = canonical_body_from(spec.input(), config.strict, params, buffer)?;
    let parts = Tc3Parts {
        content_type: "application/json",
        body,
        query: String::new(),
    };
    let input = parts.input(&target, config, stamp);
    let hdr = header_input(spec, config, credentials.token(), stamp);
    let (_, headers) = tc3::signed_headers(&input, &hdr, credentials);
    Some(HttpRequest {
        method: config.http_method.as_str(),
        url: target.url(),
        headers,
        body: parts.body,
    })
}

/// The member name serde_json's `Value` (feature `raw_value`) reads as embedded JSON text.
const RAW_VALUE_KEY: &str = "$serde_json::private::RawValue";

/// Any error: the slow path will say what it is.
#[derive(Debug)]
struct Fallback;

impl fmt::Display for Fallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("fallback")
    }
}

impl std::error::Error for Fallback {}

impl de::Error for Fallback {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Fallback
    }
}

/// What a value must be.
#[derive(Clone, Copy)]
enum Ty {
    /// An object of the spec.
    Object(&'static ObjectSpec),
    /// A scalar of the spec.
    Scalar(Scalar),
    /// A list of elements of this type.
    List(TypeRef),
    /// Anything (a member the spec does not know): copied, `null` members dropped.
    Any,
}

impl Ty {
    fn of(ty: TypeRef) -> Ty {
        match ty {
            TypeRef::Object(id) => Ty::Object(&OBJECTS[id as usize]),
            TypeRef::Scalar(s) => Ty::Scalar(s),
        }
    }

    fn of_member(m: &MemberSpec) -> Ty {
        if m.list {
            Ty::List(m.ty)
        } else {
            Ty::of(m.ty)
        }
    }
}

/// A JSON object key, borrowed from the input when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }
}

/// One value to check and write. Before the value go a `,` when `comma` (an element or
/// member after the first) and the `"name":` of `key` (an object member), once the value is
/// known not to be a `null` member; the seed answers whether it wrote.
struct Element<'o, 'i, 'k> {
    ty: Ty,
    strict: bool,
    out: &'o mut Mirror<'i>,
    comma: bool,
    key: Option<&'k Key<'k>>,
    /// Told each member name of the top-level object (`None` below it).
    top_key: Option<&'o mut dyn FnMut(&str)>,
}

impl Element<'_, '_, '_> {
    /// Writes the pending `,` and `"key":`.
    #[inline]
    fn prefix(&mut self) {
        if self.comma {
            self.out.push(b',');
        }
        if let Some(key) = self.key {
            match key {
                Key::Borrowed(k) => self.out.quoted(k),
                Key::Owned(k) => write_str(self.out, k),
            }
            self.out.push(b':');
        }
    }

    fn scalar_ok(&self, got: Scalar) -> bool {
        match self.ty {
            Ty::Any => true,
            Ty::Scalar(want) => want == got,
            _ => false,
        }
    }
}

/// Writes `s` quoted and escaped, as `to_body` does.
fn write_str(out: &mut Mirror<'_>, s: &str) {
    // Writing a string into a Mirror cannot fail; the same writer as `to_body`.
    let written = serde_json::to_writer(&mut *out, s);
    debug_assert!(written.is_ok());
}

/// Writes the decimal digits of `v` (with `-` when `negative`), as `Display` would, without
/// the formatting machinery.
fn write_int(out: &mut Mirror<'_>, negative: bool, mut v: u64) {
    let mut buf = [0u8; 21];
    let mut pos = buf.len();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if negative {
        pos -= 1;
        buf[pos] = b'-';
    }
    out.extend(&buf[pos..]);
}

/// Writes `v` as serde_json does: the input's own text when that is it (decided without
/// formatting), else formatted through a buffer on the stack.
fn write_f64(out: &mut Mirror<'_>, v: f64) {
    if let Some(n) = out.ahead().and_then(|text| decimal::canonical_len(text, v)) {
        out.keep(n);
        return;
    }
    let mut buf = [0u8; 40];
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    match serde_json::to_writer(&mut cursor, &v) {
        Ok(()) => {
            let n = cursor.position() as usize;
            out.extend(&buf[..n]);
        }
        // Longer than any float serde_json writes: write it directly.
        Err(_) => {
            let written = serde_json::to_writer(&mut *out, &v);
            debug_assert!(written.is_ok());
        }
    }
}

fn fallback<T, E: de::Error>() -> Result<T, E> {
    Err(E::custom(Fallback))
}

impl<'de> DeserializeSeed<'de> for Element<'_, '_, '_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Element<'_, '_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value of the spec")
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<bool, E> {
        // `null`: an object member is left out (absent); elsewhere only `Any` keeps it.
        if self.key.is_some() {
            return Ok(false);
        }
        match self.ty {
            Ty::Any => {
                self.prefix();
                self.out.extend(b"null");
                Ok(true)
            }
            _ => fallback(),
        }
    }

    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<bool, E> {
        if !self.scalar_ok(Scalar::Bool) {
            return fallback();
        }
        self.prefix();
        self.out.extend(if v { b"true" } else { b"false" });
        Ok(true)
    }

    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<bool, E> {
        // serde_json calls this for negative integers only.
        match self.ty {
            Ty::Any | Ty::Scalar(Scalar::Int64 | Scalar::Float) => {}
            _ => return fallback(),
        }
        self.prefix();
        write_int(self.out, v < 0, v.unsigned_abs());
        Ok(true)
    }

    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<bool, E> {
        match self.ty {
            Ty::Any | Ty::Scalar(Scalar::Uint64 | Scalar::Float) => {}
            Ty::Scalar(Scalar::Int64) if i64::try_from(v).is_ok() => {}
            _ => return fallback(),
        }
        self.prefix();
        write_int(self.out, false, v);
        Ok(true)
    }

    fn visit_f64<E: de::Error>(mut self, v: f64) -> Result<bool, E> {
        if !self.scalar_ok(Scalar::Float) {
            return fallback();
        }
        self.prefix();
        write_f64(self.out, v);
        Ok(true)
    }

    fn visit_borrowed_str<E: de::Error>(mut self, v: &'de str) -> Result<bool, E> {
        if !self.scalar_ok(Scalar::String) {
            return fallback();
        }
        self.prefix();
        // Borrowed from the text: it had no escape sequence there, so it holds no `"`,
        // `\\` or control character, and serde_json would write it as it is.
        self.out.quoted(v);
        Ok(true)
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<bool, E> {
        if !self.scalar_ok(Scalar::String) {
            return fallback();
        }
        self.prefix();
        write_str(self.out, v);
        Ok(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<bool, A::Error> {
        let item = match self.ty {
            Ty::List(ty) => Ty::of(ty),
            Ty::Any => Ty::Any,
            _ => return fallback(),
        };
        self.prefix();
        self.out.push(b'[');
        let mut first = true;
        loop {
            let seed = Element {
                ty: item,
                strict: self.strict,
                out: self.out,
                comma: !first,
                key: None,
                top_key: None,
            };
            // An element always writes (a `null` one of a typed list falls back).
            match seq.next_element_seed(seed)? {
                Some(_) => first = false,
                None => break,
            }
        }
        self.out.push(b']');
        Ok(true)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<bool, A::Error> {
        let obj = match self.ty {
            Ty::Object(obj) => Some(obj),
            Ty::Any => None,
            _ => return fallback(),
        };
        self.prefix();
        self.out.push(b'{');
        let mut first = true;
        // Members seen (duplicates go to the slow path, which merges them) and members
        // present with a value (for `required`), as bit sets over the spec's member index.
        let members = obj.map_or(0, |o| o.members.len());
        if members > 256 {
            return fallback();
        }
        let mut seen = [0u64; 4];
        let mut present = [0u64; 4];
        let mut others: Vec<Key<'de>> = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let name = key.as_str();
            if name == RAW_VALUE_KEY {
                // serde_json's tree reads this member as embedded JSON text: its path.
                return fallback();
            }
            if let Some(seen_key) = self.top_key.as_mut() {
                seen_key(name);
            }
            let member = obj.and_then(|o| member_index(o, name));
            let ty = match (obj, member) {
                (Some(o), Some(i)) => {
                    let bit = 1u64 << (i % 64);
                    if seen[i / 64] & bit != 0 {
                        return fallback();
                    }
                    seen[i / 64] |= bit;
                    Ty::of_member(&o.members[i])
                }
                _ => {
                    if self.strict && obj.is_some() {
                        return fallback();
                    }
                    if others.iter().any(|k| k.as_str() == name) {
                        return fallback();
                    }
                    Ty::Any
                }
            };
            let seed = Element {
                ty,
                strict: self.strict,
                out: self.out,
                comma: !first,
                key: Some(&key),
                top_key: None,
            };
            let wrote = map.next_value_seed(seed)?;
            if wrote {
                first = false;
                if let Some(i) = member {
                    present[i / 64] |= 1u64 << (i % 64);
                }
            }
            if member.is_none() {
                others.push(key);
            }
        }
        if let Some(o) = obj {
            for (i, m) in o.members.iter().enumerate() {
                if m.required && present[i / 64] & (1u64 << (i % 64)) == 0 {
                    return fallback();
                }
            }
        }
        self.out.push(b'}');
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::to_body;
    use crate::validate::{lookup_action, validate};
    use serde_json::Value;

    /// The fast path must give exactly the slow path's body, or defer to it.
    fn check(action: &str, json: &str, strict: bool) -> Option<Vec<u8>> {
        let spec = lookup_action(action).unwrap();
        let fast = canonical_body(spec.input(), strict, json.as_bytes());
        let slow = serde_json::from_str::<Value>(json)
            .ok()
            .filter(|v| validate(action, v, strict).is_ok())
            .map(|v| to_body(&v));
        if let Some(body) = &fast {
            assert_eq!(Some(body), slow.as_ref(), "{json}");
        }
        fast
    }

    const AGENT: &str =
        r#"{"AppId":"a","ProxyOrganizationOpenId":"o","ProxyOperator":{"OpenId":"u"}}"#;

    #[test]
    fn valid_compact_input_passes_through() {
        let json = format!(r#"{{"FlowId":"f","Agent":{AGENT},"CancelMessageFormat":1}}"#);
        assert_eq!(
            check("ChannelCancelFlow", &json, true).unwrap(),
            json.as_bytes()
        );
    }

    #[test]
    fn a_canonical_text_is_borrowed_and_any_other_rewritten() {
        let spec = lookup_action("ChannelCancelFlow").unwrap().input();
        let compact = format!(
            r#"{{"FlowId":"f","Agent":{AGENT},"CancelMessageFormat":-3,"X":[1.5,146.0,true,null,"é"]}}"#
        );
        let body = canonical_body_cow(spec, false, compact.as_bytes()).unwrap();
        assert!(matches!(body, Cow::Borrowed(_)));
        assert_eq!(body.as_ref(), compact.as_bytes());
        // The same parameters written otherwise: a decimal with a trailing zero, a member
        // that is null, a space; each gives the compact body, newly written.
        for other in [
            compact.replace("1.5", "1.50"),
            compact.replace(r#""FlowId":"f","#, r#""FlowId":"f","CancelMessage":null,"#),
            compact.replace(r#""X":"#, r#""X": "#),
        ] {
            let body = canonical_body_cow(spec, false, other.as_bytes()).unwrap();
            assert!(matches!(body, Cow::Owned(_)), "{other}");
            assert_eq!(body.as_ref(), compact.as_bytes(), "{other}");
        }
    }

    #[test]
    fn output_is_the_canonical_body() {
        let json = format!(
            "{{ \"FlowId\" : \"f\\u00e9\\/\", \"CancelMessage\": null, \"Agent\": {AGENT}, \"X\": {{\"a\": null, \"b\": [1, null, 2.50, -3, \"\\n\"]}} }}"
        );
        let body = check("ChannelCancelFlow", &json, false).unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            format!(r#"{{"FlowId":"fé/","Agent":{AGENT},"X":{{"b":[1,null,2.5,-3,"\n"]}}}}"#)
        );
    }

    #[test]
    fn anything_doubtful_defers_to_the_slow_path() {
        for json in [
            r#"{"FlowId":5}"#.to_owned(),
            r#"{"FlowId":null}"#.to_owned(),
            r#"{}"#.to_owned(),
            r#"null"#.to_owned(),
            r#"[1]"#.to_owned(),
            r#"{"FlowId":"f","FlowId":"g"}"#.to_owned(),
            r#"{"FlowId":"f","X":1,"X":2}"#.to_owned(),
            r#"{"FlowId":"f","CancelMessageFormat":1.5}"#.to_owned(),
            r#"{"FlowId":"f","CancelMessageFormat":18446744073709551615}"#.to_owned(),
            r#"{"FlowId":"f"} x"#.to_owned(),
            r#"{"FlowId":"f""#.to_owned(),
            format!(r#"{{"FlowId":"f","Agent":{AGENT},"Extra":1}}"#),
        ] {
            let strict = json.contains("Extra");
            assert!(
                check("ChannelCancelFlow", &json, strict).is_none(),
                "{json}"
            );
        }
        // Typed lists: a null element or a wrong element type.
        let upload = |files: &str| {
            format!(r#"{{"Agent":{AGENT},"BusinessType":"DOCUMENT","FileInfos":{files}}}"#)
        };
        assert!(check("UploadFiles", &upload("[null]"), false).is_none());
        assert!(check("UploadFiles", &upload("[{\"FileName\":\"a\"}]"), false).is_none());
        assert!(check("UploadFiles", &upload("{}"), false).is_none());
        let ok = upload(r#"[{"FileBody":"x","FileName":"a.pdf"},{"FileBody":"y"}]"#);
        assert!(check("UploadFiles", &ok, false).is_some());
        assert!(check("UploadFiles", &upload("[]"), false).is_some());
    }

    #[test]
    fn duplicates_odd_texts_and_bytes_agree_or_defer() {
        let agent = r#"{"AppId":"a"}"#;
        for (json, fast) in [
            (r#"{"FlowId":"f","FlowId":"g"}"#.to_owned(), false),
            (
                format!(r#"{{"FlowId":"f","Agent":{agent},"FlowId":null}}"#),
                false,
            ),
            (
                r#"{"FlowId":"f","Agent":{"AppId":"a","AppId":1}}"#.to_owned(),
                false,
            ),
            (r#"{"FlowId":"f","X":1,"X":[]}"#.to_owned(), false),
            (
                r#"{"$serde_json::private::RawValue":"{\"FlowId\":\"f\"}"}"#.to_owned(),
                false,
            ),
            (
                r#"{"FlowId":"f","X":{"$serde_json::private::RawValue":"1"}}"#.to_owned(),
                false,
            ),
            (format!(r#"{{"FlowId":"f","Agent":{agent}}}  "#), true),
            (
                format!(r#"{{"FlowId":"f","Agent":{agent},"X":"\ud800"}}"#),
                false,
            ),
            (
                format!(r#"{{"FlowId":"f","Agent":{agent},"X":1e400}}"#),
                false,
            ),
            (format!(r#"{{"Flow\u0049d":"f","Agent":{agent}}}"#), true),
            (
                format!(r#"{{"FlowId":"f\n","Agent":{agent},"X":[[[[[]]]]]}}"#),
                true,
            ),
        ] {
            for strict in [false, true] {
                let got = check("ChannelCancelFlow", &json, strict).is_some();
                assert_eq!(
                    got,
                    fast && !(strict && json.contains("\"X\"")),
                    "{json} {strict}"
                );
            }
        }
        let spec = lookup_action("ChannelCancelFlow").unwrap().input();
        for bytes in [
            &b"{\"FlowId\":\"\xff\"}"[..],
            b"{\"FlowId\":\"f\"}\xff",
            b"\xef\xbb\xbf{\"FlowId\":\"f\"}",
        ] {
            assert!(canonical_body(spec, false, bytes).is_none());
        }
    }

    #[test]
    fn top_level_member_names_are_seen() {
        let spec = lookup_action("ChannelCancelFlow").unwrap().input();
        let json = format!(r#"{{"FlowId":"f","Agent":{AGENT},"X":{{"FlowIds":1}},"Y":null}}"#);
        let mut names = Vec::new();
        let body = canonical_body_seeing(spec, false, json.as_bytes(), &mut |k| {
            names.push(k.to_owned())
        });
        assert!(body.is_some());
        assert_eq!(names, ["FlowId", "Agent", "X", "Y"]);
    }

    #[test]
    fn another_deserializer_gives_the_body_of_the_text() {
        // serde_json's `Value` reports values as its text deserializer does (owned strings).
        let spec = lookup_action("ChannelCancelFlow").unwrap().input();
        for json in [
            format!(r#"{{"FlowId":"f","Agent":{AGENT}}}"#),
            format!(
                r#"{{"FlowId":"f\"\u0001é","Agent":{AGENT},"CancelMessageFormat":-3,"X":{{"a":null,"b":[1.5,-0.0,18446744073709551615,[]]}}}}"#
            ),
        ] {
            let value: Value = serde_json::from_str(&json).unwrap();
            let text = canonical_body(spec, false, json.as_bytes()).unwrap();
            let walked =
                canonical_body_from(spec, false, value.clone(), b"stale".to_vec()).unwrap();
            assert_eq!(walked, text, "{json}");
        }
        for json in [r#"{"FlowId":5}"#, r#"{"Agent":{}}"#, r#"[1]"#, r#"null"#] {
            let value: Value = serde_json::from_str(json).unwrap();
            assert!(
                canonical_body_from(spec, false, value.clone(), Vec::new()).is_none(),
                "{json}"
            );
        }
    }

    #[test]
    fn build_request_from_signs_what_build_request_json_signs() {
        use crate::request::{Config, Stamp};
        let json = format!(r#"{{"FlowId":"f","Agent":{AGENT}}}"#);
        let value: Value = serde_json::from_str(&json).unwrap();
        let config = Config::default();
        let creds = Credentials::new("AKIDtest", "secret");
        let stamp = Stamp {
            timestamp: 1_700_000_000,
            nonce: 1,
            trace_id: Some("t".into()),
        };
        let from = build_request_from(
            "ChannelCancelFlow",
            value.clone(),
            Vec::with_capacity(64),
            &config,
            &creds,
            &stamp,
        )
        .expect("valid");
        let text = crate::build_request_json(
            "ChannelCancelFlow",
            json.as_bytes(),
            &config,
            &creds,
            &stamp,
        )
        .unwrap();
        assert_eq!(
            (from.method, &from.url, &from.headers, &from.body),
            (text.method, &text.url, &text.headers, &text.body)
        );
        let bad: Value = serde_json::from_str(r#"{"FlowId":1}"#).unwrap();
        assert!(build_request_from(
            "ChannelCancelFlow",
            bad,
            Vec::new(),
            &config,
            &creds,
            &stamp
        )
        .is_none());
        assert!(
            build_request_from("NoSuchAction", value, Vec::new(), &config, &creds, &stamp)
                .is_none()
        );
    }

    #[test]
    fn integer_ranges_match_the_slow_path() {
        for (v, ok) in [
            ("-9223372036854775808", true),
            ("9223372036854775807", true),
            ("9223372036854775808", false),
            ("-1", true),
            ("0", true),
        ] {
            let json = format!(r#"{{"FlowId":"f","CancelMessageFormat":{v}}}"#);
            assert_eq!(
                check("ChannelCancelFlow", &json, false).is_some(),
                ok,
                "{v}"
            );
        }
        let limit = |v: &str| format!(r#"{{"Agent":{AGENT},"Limit":{v}}}"#);
        assert!(check("DescribeTemplates", &limit("18446744073709551615"), false).is_some());
        assert!(check("DescribeTemplates", &limit("-1"), false).is_none());
    }
}
