//! Remote signing: the caller (a browser, say) builds the request and its canonical form
//! without the secret key; a server that holds the key checks the canonical request and
//! returns the TC3 signature.
//!
//! Remote requests also sign the `X-TC-Action` header (`SignedHeaders=content-type;host;
//! x-tc-action`), so the server sees, and can restrict, which action it signs. The server
//! helper [`sign_remote`] refuses anything but a well-formed canonical request of that shape,
//! for an allowed host and action, within ±300 s of its own clock.
//!
//! ```
//! use essbasic::{remote, Config, Stamp};
//! use serde_json::json;
//!
//! // In the browser: no secret key.
//! let stamp = Stamp { timestamp: 1_700_000_000, nonce: 1, trace_id: None };
//! let prepared = remote::prepare("ChannelCancelFlow", &json!({"FlowId": "f"}),
//!     &Config::default(), "AKIDexample", None, &stamp)?;
//! // On the server, which holds the key and decides what it signs:
//! let signature = remote::sign_remote("secret", &prepared.canonical_request,
//!     prepared.timestamp, 1_700_000_010, Some(&["ChannelCancelFlow"]))?;
//! // Back in the browser:
//! let request = prepared.finish(&signature)?;
//! assert!(request.header("Authorization").unwrap().contains("SignedHeaders=content-type;host;x-tc-action"));
//! # Ok::<(), essbasic::Error>(())
//! ```

use serde_json::Value;

use crate::endpoint::{API_HOST, FILE_HOST, TEST_API_HOST, TEST_FILE_HOST};
use crate::error::Error;
use crate::request::{header_input, target, tc3_parts, with_query, Config, HttpRequest, Stamp};
use crate::signing::{tc3, utc_date, SignMethod};
use crate::spec;
use crate::validate::validate;

/// The headers a remote signature covers.
pub const REMOTE_SIGNED_HEADERS: &str = "content-type;host;x-tc-action";

/// How far (seconds) a request's timestamp may be from the signing server's clock.
pub const MAX_SKEW_SECONDS: i64 = 300;

/// A request waiting for its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// The request without `Authorization`.
    pub request: HttpRequest,
    /// The TC3 canonical request, to send to the signing server.
    pub canonical_request: String,
    /// The TC3 string to sign (what the signature is an HMAC of).
    pub string_to_sign: String,
    /// The request time (`X-TC-Timestamp`), to send to the signing server.
    pub timestamp: i64,
    credential_scope: String,
    secret_id: String,
}

impl PreparedRequest {
    /// Rebuilds a prepared request from the parts a binding carried across its boundary
    /// (the request without `Authorization`, the canonical request, the timestamp and the
    /// SecretId), so that [`PreparedRequest::finish`] stays the one place that signs.
    pub fn from_parts(
        request: HttpRequest,
        canonical_request: String,
        timestamp: i64,
        secret_id: impl Into<String>,
    ) -> Self {
        let credential_scope = tc3::credential_scope(timestamp, spec::SERVICE);
        let string_to_sign = tc3::string_to_sign(timestamp, &credential_scope, &canonical_request);
        PreparedRequest {
            request,
            canonical_request,
            string_to_sign,
            timestamp,
            credential_scope,
            secret_id: secret_id.into(),
        }
    }

    /// Adds the `Authorization` header from the server's hex signature.
    pub fn finish(mut self, signature: &str) -> Result<HttpRequest, Error> {
        let valid = signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_hexdigit());
        if !valid {
            return Err(Error::Signing {
                message: "the remote signature is not 64 hexadecimal digits".to_owned(),
            });
        }
        let auth = tc3::authorization(
            &self.secret_id,
            &self.credential_scope,
            REMOTE_SIGNED_HEADERS,
            &signature.to_ascii_lowercase(),
        );
        self.request
            .headers
            .insert(0, ("Authorization".to_owned(), auth));
        Ok(self.request)
    }
}

/// Validates and builds a TC3 request for remote signing (the key stays on the server).
pub fn prepare(
    action: &str,
    params: &Value,
    config: &Config,
    secret_id: &str,
    token: Option<&str>,
    stamp: &Stamp,
) -> Result<PreparedRequest, Error> {
    if config.sign_method != SignMethod::Tc3HmacSha256 {
        return Err(Error::Signing {
            message: "remote signing supports TC3-HMAC-SHA256 only".to_owned(),
        });
    }
    let spec = validate(action, params, config.strict)?;
    let target = target(spec, config)?;
    let parts = tc3_parts(params, config.http_method);
    let input = parts.input(&target, config, stamp);
    let canonical_request = canonical_request(&input, spec.name);
    let credential_scope = tc3::credential_scope(stamp.timestamp, spec::SERVICE);
    let string_to_sign =
        tc3::string_to_sign(stamp.timestamp, &credential_scope, &canonical_request);
    let hdr = header_input(spec, config, token, stamp);
    let placeholder = tc3::Tc3Signature {
        canonical_request: String::new(),
        string_to_sign: String::new(),
        credential_scope: String::new(),
        signature: String::new(),
        authorization: String::new(),
    };
    let mut headers = tc3::headers(&input, &hdr, token, &placeholder);
    headers.retain(|(k, _)| k != "Authorization");
    Ok(PreparedRequest {
        request: HttpRequest {
            method: config.http_method.as_str(),
            url: with_query(target.url(), &parts.query),
            headers,
            body: parts.body,
        },
        canonical_request,
        string_to_sign,
        timestamp: stamp.timestamp,
        credential_scope,
        secret_id: secret_id.to_owned(),
    })
}

/// The canonical request of a remote-signed request: the TC3 one with `x-tc-action` (its
/// value lower-cased) among the signed headers.
pub fn canonical_request(input: &tc3::Tc3Input, action: &str) -> String {
    format!(
        "{}\n{}\n{}\n{}x-tc-action:{}\n\n{}\n{}",
        input.method.to_ascii_uppercase(),
        if input.path.is_empty() {
            "/"
        } else {
            input.path
        },
        input.query,
        tc3::canonical_headers(input),
        action.to_ascii_lowercase(),
        REMOTE_SIGNED_HEADERS,
        tc3::hashed_payload(input)
    )
}

/// The server side: checks a canonical request from [`prepare`] and returns its signature.
///
/// Refuses (with [`Error::Signing`]) a canonical request that is not of the remote shape,
/// names a host other than the essbasic API and file hosts (production or test) or a
/// loopback emulator, names an action outside `allowed_actions` (compared
/// case-insensitively; `None` allows every action of the spec), or carries a `timestamp`
/// more than [`MAX_SKEW_SECONDS`] from `now`.
pub fn sign_remote(
    secret_key: &str,
    canonical_request: &str,
    timestamp: i64,
    now: i64,
    allowed_actions: Option<&[&str]>,
) -> Result<String, Error> {
    let refuse = |why: &str| Error::Signing {
        message: format!("refusing to sign: {why}"),
    };
    if (timestamp - now).abs() > MAX_SKEW_SECONDS {
        return Err(refuse(
            "the timestamp is more than 300 s from the server clock",
        ));
    }
    let lines: Vec<&str> = canonical_request.split('\n').collect();
    let [method, _path, _query, ct, host, action, blank, signed, hash] = lines.as_slice() else {
        return Err(refuse("not a remote canonical request"));
    };
    let well_formed = matches!(*method, "POST" | "GET")
        && ct.starts_with("content-type:")
        && blank.is_empty()
        && *signed == REMOTE_SIGNED_HEADERS
        && hash.len() == 64
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let (Some(host), Some(action)) = (
        host.strip_prefix("host:"),
        action.strip_prefix("x-tc-action:"),
    ) else {
        return Err(refuse("not a remote canonical request"));
    };
    if !well_formed {
        return Err(refuse("not a remote canonical request"));
    }
    let hostname = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let known = [API_HOST, FILE_HOST, TEST_API_HOST, TEST_FILE_HOST].contains(&host)
        || matches!(hostname, "127.0.0.1" | "localhost" | "[::1]");
    if !known {
        return Err(refuse("the host is not an essbasic host"));
    }
    let in_spec = spec::ACTIONS
        .iter()
        .any(|a| a.name.eq_ignore_ascii_case(action));
    let allowed =
        allowed_actions.is_none_or(|list| list.iter().any(|a| a.eq_ignore_ascii_case(action)));
    if !in_spec || !allowed {
        return Err(refuse("the action is not allowed"));
    }
    let scope = tc3::credential_scope(timestamp, spec::SERVICE);
    let sts = tc3::string_to_sign(timestamp, &scope, canonical_request);
    let key = tc3::derive_signing_key(secret_key, &utc_date(timestamp), spec::SERVICE);
    Ok(tc3::signature(&key, &sts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::tc3::Tc3Input;
    use serde_json::json;

    fn prepared(action: &str) -> PreparedRequest {
        let stamp = Stamp {
            timestamp: 1_700_000_000,
            nonce: 1,
            trace_id: Some("t".into()),
        };
        let config = Config {
            endpoint: Some("http://127.0.0.1:9000".into()),
            ..Config::default()
        };
        prepare(
            action,
            &json!({"FlowId": "f"}),
            &config,
            "AKIDx",
            Some("tok"),
            &stamp,
        )
        .unwrap()
    }

    #[test]
    fn remote_signature_equals_a_local_one_over_the_same_canonical_request() {
        let p = prepared("ChannelCancelFlow");
        let sig = sign_remote("key", &p.canonical_request, p.timestamp, p.timestamp, None).unwrap();
        let key = tc3::derive_signing_key("key", "2023-11-14", "essbasic");
        assert_eq!(sig, tc3::signature(&key, &p.string_to_sign));
        let input = Tc3Input {
            method: "POST",
            host: "127.0.0.1:9000",
            path: "/",
            query: "",
            content_type: "application/json",
            payload: br#"{"FlowId":"f"}"#,
            unsigned_payload: false,
            service: "essbasic",
            timestamp: 1_700_000_000,
        };
        assert!(p
            .canonical_request
            .starts_with(&tc3::canonical_request(&input)[..30]));
        assert!(p
            .canonical_request
            .contains("\nx-tc-action:channelcancelflow\n"));
        let req = p.finish(&sig).unwrap();
        assert_eq!(req.header("X-TC-Token"), Some("tok"));
        assert!(req.header("Authorization").unwrap().ends_with(&sig));
    }

    #[test]
    fn from_parts_round_trips() {
        let p = prepared("ChannelCancelFlow");
        let q = PreparedRequest::from_parts(
            p.request.clone(),
            p.canonical_request.clone(),
            p.timestamp,
            "AKIDx",
        );
        assert_eq!(p, q);
    }

    #[test]
    fn refuses_what_it_should() {
        let p = prepared("ChannelCancelFlow");
        let cr = &p.canonical_request;
        assert!(sign_remote("k", cr, p.timestamp, p.timestamp + 301, None).is_err());
        assert!(sign_remote(
            "k",
            cr,
            p.timestamp,
            p.timestamp,
            Some(&["DescribeTemplates"])
        )
        .is_err());
        assert!(sign_remote(
            "k",
            &cr.replace("127.0.0.1", "evil.example"),
            p.timestamp,
            p.timestamp,
            None
        )
        .is_err());
        assert!(sign_remote("k", "POST\n/\n\n", p.timestamp, p.timestamp, None).is_err());
        assert!(sign_remote(
            "k",
            cr,
            p.timestamp,
            p.timestamp,
            Some(&["channelcancelflow"])
        )
        .is_ok());
        assert!(p.clone().finish("nothex").is_err());
    }
}
