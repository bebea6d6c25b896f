//! Legacy signature v1 (`HmacSHA256`, `HmacSHA1`): the parameters themselves are signed.
//!
//! ```text
//! StringToSign = HTTPMethod + Host + Path + '?' + join('&', sorted_by_key(key + '=' + value))
//! Signature    = Base64(HMAC_<alg>(SecretKey, StringToSign))
//! ```
//!
//! Values are signed raw (not encoded); the request then carries every parameter plus
//! `Signature`, form-encoded into the POST body or the GET query by one of the
//! [`FormEncoding`]s. There is no Authorization header and no `X-TC-*` header.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::{hmac_sha1, hmac_sha256, SignMethod};
use crate::credentials::Credentials;
use crate::error::Error;

/// `StringToSign = HTTPMethod + Host + Path + '?' + k1=v1&k2=v2...`, pairs sorted by key
/// (stable, byte order), values raw. An empty path counts as `/`.
pub fn string_to_sign(method: &str, host: &str, path: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let path = if path.is_empty() { "/" } else { path };
    let mut out = format!("{}{host}{path}?", method.to_ascii_uppercase());
    for (i, (k, v)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// `Signature = Base64(HMAC(SecretKey, StringToSign))` with SHA-256 or SHA-1.
///
/// Fails for [`SignMethod::Tc3HmacSha256`], which is not a v1 method.
pub fn signature(
    method: SignMethod,
    secret_key: &str,
    string_to_sign: &str,
) -> Result<String, Error> {
    let key = secret_key.as_bytes();
    let msg = string_to_sign.as_bytes();
    match method {
        SignMethod::HmacSha256 => Ok(STANDARD.encode(hmac_sha256(key, msg))),
        SignMethod::HmacSha1 => Ok(STANDARD.encode(hmac_sha1(key, msg))),
        SignMethod::Tc3HmacSha256 => Err(Error::Signing {
            message: "TC3-HMAC-SHA256 is not a v1 signature method (use HmacSHA256 or HmacSHA1)"
                .to_owned(),
        }),
    }
}

/// How parameters are form-encoded on the wire; all three are accepted by the service.
///
/// Bytes outside the kept set are percent-encoded UTF-8 with upper-case hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FormEncoding {
    /// `urlencode`: Python `urllib.parse.quote_plus`; keeps `A-Za-z0-9-._~`, space as `+`.
    #[default]
    Urlencode,
    /// `querystring`: Node `querystring.escape`; keeps `A-Za-z0-9-_.!~*'()`, space as `%20`.
    Querystring,
    /// `querystring+url`: `querystring` then the WHATWG URL query re-encoding (`'` as `%27`),
    /// which is what a Node GET puts on the wire.
    QuerystringUrl,
    /// `rfc3986`: keeps only the RFC 3986 unreserved `A-Za-z0-9-._~`, space as `%20`; the
    /// most conservative form (no URL parser re-encodes it), recommended for TC3 GET queries.
    Rfc3986,
}

impl FormEncoding {
    /// The name the vectors use: `urlencode`, `querystring` or `querystring+url`.
    pub fn name(&self) -> &'static str {
        match self {
            FormEncoding::Urlencode => "urlencode",
            FormEncoding::Querystring => "querystring",
            FormEncoding::QuerystringUrl => "querystring+url",
            FormEncoding::Rfc3986 => "rfc3986",
        }
    }

    fn keeps(&self, b: u8) -> bool {
        b.is_ascii_alphanumeric()
            || match self {
                FormEncoding::Urlencode | FormEncoding::Rfc3986 => {
                    matches!(b, b'-' | b'.' | b'_' | b'~')
                }
                FormEncoding::Querystring => {
                    matches!(
                        b,
                        b'-' | b'.' | b'_' | b'~' | b'!' | b'*' | b'\'' | b'(' | b')'
                    )
                }
                FormEncoding::QuerystringUrl => {
                    matches!(b, b'-' | b'.' | b'_' | b'~' | b'!' | b'*' | b'(' | b')')
                }
            }
    }

    /// Appends one key or value, encoded.
    fn escape_into(&self, out: &mut String, s: &str) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for &b in s.as_bytes() {
            if self.keeps(b) {
                out.push(char::from(b));
            } else if b == b' ' && *self == FormEncoding::Urlencode {
                out.push('+');
            } else {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
}

impl fmt::Display for FormEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for FormEncoding {
    type Err = Error;

    /// Parses `urlencode`, `querystring`, `querystring+url` or `rfc3986`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "urlencode" => Ok(FormEncoding::Urlencode),
            "querystring" => Ok(FormEncoding::Querystring),
            "querystring+url" => Ok(FormEncoding::QuerystringUrl),
            "rfc3986" => Ok(FormEncoding::Rfc3986),
            other => Err(Error::Signing {
                message: format!(
                    "unknown form encoding {other:?} (expected urlencode, querystring, querystring+url or rfc3986)"
                ),
            }),
        }
    }
}

/// `k1=v1&k2=v2...` in the given order, keys and values encoded with `encoding`.
pub fn encode(params: &[(String, String)], encoding: FormEncoding) -> String {
    let mut out = String::new();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encoding.escape_into(&mut out, k);
        out.push('=');
        encoding.escape_into(&mut out, v);
    }
    out
}

/// What a v1 request signs besides its own parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V1Input<'a> {
    /// The HTTP method, `POST` or `GET`.
    pub method: &'a str,
    /// The host, e.g. `essbasic.tencentcloudapi.com`.
    pub host: &'a str,
    /// The request path, `/`.
    pub path: &'a str,
    /// `Action`.
    pub action: &'a str,
    /// `Version`, `2021-05-26`.
    pub version: &'a str,
    /// `Region`; `None` or empty: not sent.
    pub region: Option<&'a str>,
    /// `Language`; `None` or empty: not sent.
    pub language: Option<&'a str>,
    /// `Timestamp`, Unix seconds.
    pub timestamp: i64,
    /// `Nonce`, a random positive integer chosen by the caller.
    pub nonce: u32,
    /// `SignatureMethod`: [`SignMethod::HmacSha256`] or [`SignMethod::HmacSha1`].
    pub sign_method: SignMethod,
    /// `RequestClient` (a signed parameter in v1); `None` or empty: not sent.
    pub request_client: Option<&'a str>,
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// The common parameters of a v1 request, in this order: Action, Nonce, Timestamp, Version,
/// Region?, SecretId, SignatureMethod, Token?, Language?, RequestClient?
/// (`Signature` excluded; the service does not care about the order).
pub fn common_params(input: &V1Input, credentials: &Credentials) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(10);
    let mut push = |k: &str, v: &str| out.push((k.to_owned(), v.to_owned()));
    push("Action", input.action);
    push("Nonce", &input.nonce.to_string());
    push("Timestamp", &input.timestamp.to_string());
    push("Version", input.version);
    if let Some(region) = non_empty(input.region) {
        push("Region", region);
    }
    push("SecretId", credentials.secret_id());
    push("SignatureMethod", input.sign_method.name());
    if let Some(token) = credentials.token() {
        push("Token", token);
    }
    if let Some(language) = non_empty(input.language) {
        push("Language", language);
    }
    if let Some(client) = non_empty(input.request_client) {
        push("RequestClient", client);
    }
    out
}

/// Signs a v1 request and returns the POST body or GET query string: `params` (flattened
/// business parameters, see [`super::flatten::flatten`]), then each of the
/// [`common_params`] that `params` does not already hold, then `Signature`, encoded with
/// `encoding`.
///
/// `params` may already include the common parameters (e.g. built with [`common_params`]);
/// they must then carry the same values. Fails for a non-v1 method, for a key given twice,
/// for a common parameter with a different value, and for a parameter named `Signature`.
pub fn sign_params(
    input: &V1Input,
    credentials: &Credentials,
    params: Vec<(String, String)>,
    encoding: FormEncoding,
) -> Result<String, Error> {
    if !input.sign_method.is_v1() {
        return Err(Error::Signing {
            message: format!("{} is not a v1 signature method", input.sign_method),
        });
    }
    let mut all = params;
    for (key, value) in common_params(input, credentials) {
        match all.iter().find(|(k, _)| *k == key) {
            None => all.push((key, value)),
            Some((_, v)) if *v == value => {}
            // No value in the message: the key may be SecretId or Token.
            Some(_) => {
                return Err(Error::Signing {
                    message: format!(
                        "parameter {key:?} differs from the request's own value for it"
                    ),
                })
            }
        }
    }
    let mut keys: Vec<&str> = all.iter().map(|(k, _)| k.as_str()).collect();
    keys.push("Signature");
    keys.sort_unstable();
    if let Some(dup) = keys.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::Signing {
            message: format!("parameter {:?} is given twice", dup[0]),
        });
    }
    let sts = string_to_sign(input.method, input.host, input.path, &all);
    let sig = signature(input.sign_method, credentials.secret_key(), &sts)?;
    all.push(("Signature".to_owned(), sig));
    Ok(encode(&all, encoding))
}

/// The headers the SDK sets for a v1 request: Host, and Content-Type.
///
/// `content_type: None` means the default: `application/x-www-form-urlencoded` for POST,
/// none for GET (the Python SDK sends the form type on GET too; pass it to reproduce that).
pub fn headers(method: &str, host: &str, content_type: Option<&str>) -> Vec<(String, String)> {
    let mut out = vec![("Host".to_owned(), host.to_owned())];
    let content_type = content_type.or_else(|| {
        (!method.eq_ignore_ascii_case("GET")).then_some("application/x-www-form-urlencoded")
    });
    if let Some(ct) = non_empty(content_type) {
        out.push(("Content-Type".to_owned(), ct.to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn string_to_sign_sorts_by_key_and_keeps_raw_values() {
        let p = pairs(&[("b", "2 +"), ("A.1", "x"), ("A.0", "y&z"), ("a", "")]);
        assert_eq!(
            string_to_sign("get", "h.example", "/", &p),
            "GETh.example/?A.0=y&z&A.1=x&a=&b=2 +"
        );
        assert_eq!(string_to_sign("POST", "h", "", &[]), "POSTh/?");
    }

    #[test]
    fn signature_methods() {
        // Published v1 example of the Tencent Cloud API documentation (CVM DescribeInstances).
        let sts = "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12";
        assert_eq!(
            signature(
                SignMethod::HmacSha1,
                "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                sts
            )
            .unwrap(),
            "EliP9YW3pW28FpsEdkXt/+WcGeI="
        );
        assert!(signature(SignMethod::HmacSha256, "k", "s").is_ok());
        let err = signature(SignMethod::Tc3HmacSha256, "k", "s").unwrap_err();
        assert_eq!(err.kind(), "signing");
    }

    #[test]
    fn encodings_of_special_characters() {
        let p = pairs(&[("K y", "a b+c/d=e&f'g(h)*!~-._测")]);
        assert_eq!(
            encode(&p, FormEncoding::Urlencode),
            "K+y=a+b%2Bc%2Fd%3De%26f%27g%28h%29%2A%21~-._%E6%B5%8B"
        );
        assert_eq!(
            encode(&p, FormEncoding::Querystring),
            "K%20y=a%20b%2Bc%2Fd%3De%26f'g(h)*!~-._%E6%B5%8B"
        );
        assert_eq!(
            encode(&p, FormEncoding::QuerystringUrl),
            "K%20y=a%20b%2Bc%2Fd%3De%26f%27g(h)*!~-._%E6%B5%8B"
        );
        assert_eq!(
            encode(&p, FormEncoding::Rfc3986),
            "K%20y=a%20b%2Bc%2Fd%3De%26f%27g%28h%29%2A%21~-._%E6%B5%8B"
        );
        let controls = pairs(&[("x", "\n\t%\u{7f}\u{0}#?\"<>`{}|\\^[]")]);
        assert_eq!(
            encode(&controls, FormEncoding::QuerystringUrl),
            "x=%0A%09%25%7F%00%23%3F%22%3C%3E%60%7B%7D%7C%5C%5E%5B%5D"
        );
        assert_eq!(encode(&[], FormEncoding::Urlencode), "");
        for e in [
            FormEncoding::Urlencode,
            FormEncoding::Querystring,
            FormEncoding::QuerystringUrl,
            FormEncoding::Rfc3986,
        ] {
            assert_eq!(e.name().parse::<FormEncoding>().unwrap(), e);
        }
        assert!("form".parse::<FormEncoding>().is_err());
    }

    fn input() -> V1Input<'static> {
        V1Input {
            method: "POST",
            host: "essbasic.tencentcloudapi.com",
            path: "/",
            action: "DescribeTemplates",
            version: "2021-05-26",
            region: Some("ap-guangzhou"),
            language: None,
            timestamp: 1_551_113_065,
            nonce: 12_345,
            sign_method: SignMethod::HmacSha256,
            request_client: Some(""),
        }
    }

    #[test]
    fn common_params_in_order() {
        let creds = Credentials::new("AKID", "key").with_token("tok");
        let mut i = input();
        i.language = Some("zh-CN");
        let keys: Vec<String> = common_params(&i, &creds)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            keys,
            [
                "Action",
                "Nonce",
                "Timestamp",
                "Version",
                "Region",
                "SecretId",
                "SignatureMethod",
                "Token",
                "Language"
            ]
        );
    }

    #[test]
    fn sign_params_rejects_duplicates_and_tc3() {
        let creds = Credentials::new("AKID", "very-secret-key");
        let err = sign_params(
            &input(),
            &creds,
            pairs(&[("Action", "x")]),
            FormEncoding::Urlencode,
        )
        .unwrap_err();
        assert_eq!(err.kind(), "signing");
        let err = sign_params(
            &input(),
            &creds,
            pairs(&[("Limit", "1"), ("Limit", "2")]),
            FormEncoding::Urlencode,
        )
        .unwrap_err();
        assert_eq!(err.kind(), "signing");
        assert!(!err.to_string().contains("very-secret-key"));
        assert!(sign_params(
            &input(),
            &creds,
            pairs(&[("Signature", "x")]),
            FormEncoding::Urlencode
        )
        .is_err());
        let mut tc3 = input();
        tc3.sign_method = SignMethod::Tc3HmacSha256;
        assert!(sign_params(&tc3, &creds, vec![], FormEncoding::Urlencode).is_err());
        let body = sign_params(
            &input(),
            &creds,
            pairs(&[("Limit", "20")]),
            FormEncoding::Urlencode,
        )
        .unwrap();
        assert!(body.starts_with("Limit=20&Action=DescribeTemplates&Nonce=12345&"));
        assert!(body.contains("&Signature="));
        assert!(!body.contains("very-secret-key"));

        // Common parameters already in `params` are kept where they are, not repeated.
        let mut all = pairs(&[("Limit", "20")]);
        all.extend(common_params(&input(), &creds));
        let again = sign_params(&input(), &creds, all, FormEncoding::Urlencode).unwrap();
        assert_eq!(again, body);
    }

    #[test]
    fn v1_headers() {
        let h = headers("POST", "h", None);
        assert_eq!(
            h,
            pairs(&[
                ("Host", "h"),
                ("Content-Type", "application/x-www-form-urlencoded")
            ])
        );
        assert_eq!(headers("GET", "h", None), pairs(&[("Host", "h")]));
        assert_eq!(
            headers("GET", "h", Some("application/x-www-form-urlencoded")).len(),
            2
        );
    }
}
