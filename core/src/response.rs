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

    /// The scan and the serde_json path agree on every body: the vectors' and edge cases.
    #[test]
    fn fast_and_tree_paths_agree() {
        let vectors: Value =
            serde_json::from_str(include_str!("../../tests/vectors/response.json")).unwrap();
        let mut bodies: Vec<Vec<u8>> = vectors["cases"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["body"].as_str().map(|b| b.as_bytes().to_vec()))
            .collect();
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
