//! Which host and URL an action goes to.
//!
//! Production: `essbasic.tencentcloudapi.com`; the joint-debug test environment:
//! `essbasic.test.ess.tencent.cn`. `UploadFiles` goes to the file host
//! (`file.ess.tencent.cn`, test `file.test.ess.tencent.cn`) on its own, which the official
//! SDKs leave to the user. An explicit endpoint overrides: a known API host keeps the
//! file-host mapping, any other endpoint (an emulator, a proxy) serves every action unless a
//! separate file endpoint is given. Plain `http` is accepted only in an explicit endpoint.

use crate::error::Error;
use crate::spec::{ActionSpec, Host};

/// The production API host.
pub const API_HOST: &str = "essbasic.tencentcloudapi.com";
/// The production file host (`UploadFiles`).
pub const FILE_HOST: &str = "file.ess.tencent.cn";
/// The test-environment API host.
pub const TEST_API_HOST: &str = "essbasic.test.ess.tencent.cn";
/// The test-environment file host.
pub const TEST_FILE_HOST: &str = "file.test.ess.tencent.cn";

/// Where a request goes: scheme, authority (`host[:port]`, sent as `Host`) and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `https` or (explicit endpoints only) `http`.
    pub scheme: &'static str,
    /// `host` or `host:port`; the `Host` header and the signed host.
    pub authority: String,
    /// The path, `/` unless the endpoint gave one.
    pub path: String,
}

impl Target {
    /// The URL without a query: `https://essbasic.tencentcloudapi.com/`.
    pub fn url(&self) -> String {
        format!("{}://{}{}", self.scheme, self.authority, self.path)
    }
}

/// Resolves the target of `action` from the configured endpoints.
pub fn resolve(
    action: &ActionSpec,
    endpoint: Option<&str>,
    file_endpoint: Option<&str>,
    test_environment: bool,
) -> Result<Target, Error> {
    let file = action.host == Host::File;
    if file {
        if let Some(e) = file_endpoint.filter(|e| !e.is_empty()) {
            return parse(e);
        }
    }
    match endpoint.filter(|e| !e.is_empty()) {
        Some(e) => {
            let mut target = parse(e)?;
            if file {
                if target.authority == API_HOST {
                    target.authority = FILE_HOST.to_owned();
                } else if target.authority == TEST_API_HOST {
                    target.authority = TEST_FILE_HOST.to_owned();
                }
            }
            Ok(target)
        }
        None => {
            let host = match (file, test_environment) {
                (false, false) => API_HOST,
                (true, false) => FILE_HOST,
                (false, true) => TEST_API_HOST,
                (true, true) => TEST_FILE_HOST,
            };
            Ok(Target {
                scheme: "https",
                authority: host.to_owned(),
                path: "/".to_owned(),
            })
        }
    }
}

/// Parses `host`, `host:port`, `https://host[:port][/path]` or `http://...`.
pub fn parse(endpoint: &str) -> Result<Target, Error> {
    let (scheme, rest) = if let Some(rest) = endpoint.strip_prefix("https://") {
        ("https", rest)
    } else if let Some(rest) = endpoint.strip_prefix("http://") {
        ("http", rest)
    } else if endpoint.contains("://") {
        return Err(Error::Signing {
            message: format!("endpoint {endpoint:?}: only http and https are supported"),
        });
    } else {
        ("https", endpoint)
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let bad = authority.is_empty()
        || authority
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '?' | '#' | '@'))
        || path.contains(['?', '#']);
    if bad {
        return Err(Error::Signing {
            message: format!("endpoint {endpoint:?} is not a host or an http(s) URL"),
        });
    }
    Ok(Target {
        scheme,
        authority: authority.to_ascii_lowercase(),
        path: path.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::action;

    fn host(name: &str, endpoint: Option<&str>, test: bool) -> String {
        resolve(action(name).unwrap(), endpoint, None, test)
            .unwrap()
            .url()
    }

    #[test]
    fn default_hosts() {
        assert_eq!(
            host("ChannelCancelFlow", None, false),
            "https://essbasic.tencentcloudapi.com/"
        );
        assert_eq!(
            host("UploadFiles", None, false),
            "https://file.ess.tencent.cn/"
        );
        assert_eq!(
            host("ChannelCancelFlow", None, true),
            "https://essbasic.test.ess.tencent.cn/"
        );
        assert_eq!(
            host("UploadFiles", None, true),
            "https://file.test.ess.tencent.cn/"
        );
    }

    #[test]
    fn explicit_endpoints() {
        let local = Some("http://127.0.0.1:8080");
        assert_eq!(host("UploadFiles", local, false), "http://127.0.0.1:8080/");
        assert_eq!(
            host("UploadFiles", Some(TEST_API_HOST), false),
            "https://file.test.ess.tencent.cn/"
        );
        let t = resolve(
            action("UploadFiles").unwrap(),
            local,
            Some("files.example"),
            false,
        )
        .unwrap();
        assert_eq!(t.url(), "https://files.example/");
        assert!(parse("ftp://x").is_err());
        assert!(parse("").is_err());
        assert!(parse("a b").is_err());
        assert_eq!(
            parse("https://Proxy.Example:8443/api/").unwrap().authority,
            "proxy.example:8443"
        );
    }
}
