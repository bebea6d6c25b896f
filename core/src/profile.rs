//! The credentials profile file (`~/.tencentcloud/credentials`), parsed from its text.
//!
//! The format is INI: a section per profile (`[default]` or a name), with `secret_id`,
//! `secret_key` and an optional `token`. Lines starting with `#` or `;` are comments; keys and
//! section names are case-insensitive; values are trimmed and may be quoted. The host reads
//! the file; this parses its text (no file system access here).
//!
//! ```
//! use essbasic::profile::parse_profile;
//!
//! let text = "[default]\nsecret_id = AKIDdefault\nsecret_key = k1\n\n[prod]\nsecret_id=AKIDprod\nsecret_key=k2\ntoken=t\n";
//! let creds = parse_profile(text, "prod")?.expect("the section exists");
//! assert_eq!(creds.secret_id(), "AKIDprod");
//! assert_eq!(creds.token(), Some("t"));
//! assert!(parse_profile(text, "missing")?.is_none());
//! # Ok::<(), essbasic::Error>(())
//! ```

use crate::credentials::Credentials;
use crate::error::Error;

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// The file's path relative to the home directory.
pub const RELATIVE_PATH: &str = ".tencentcloud/credentials";

/// The credentials of profile `name` in `text`: `Ok(None)` when the section is absent, an
/// [`Error::Signing`] naming the section (never a value) when it lacks `secret_id` or
/// `secret_key`.
pub fn parse_profile(text: &str, name: &str) -> Result<Option<Credentials>, Error> {
    let mut in_section = false;
    let mut found = false;
    let (mut id, mut key, mut token) = (None, None, None);
    for line in text.lines() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_section = section.trim().eq_ignore_ascii_case(name);
            found |= in_section;
            continue;
        }
        if !in_section {
            continue;
        }
        let Some((k, v)) = line.split_once('=').or_else(|| line.split_once(':')) else {
            continue;
        };
        let v = unquote(v.trim()).to_owned();
        match k.trim().to_ascii_lowercase().as_str() {
            "secret_id" | "secretid" => id = Some(v),
            "secret_key" | "secretkey" => key = Some(v),
            "token" | "session_token" => token = Some(v),
            _ => {}
        }
    }
    if !found {
        return Ok(None);
    }
    match (id.filter(|s| !s.is_empty()), key.filter(|s| !s.is_empty())) {
        (Some(id), Some(key)) => {
            let mut creds = Credentials::new(id, key);
            if let Some(t) = token.filter(|t| !t.is_empty()) {
                creds = creds.with_token(t);
            }
            Ok(Some(creds))
        }
        _ => Err(Error::Signing {
            message: format!("profile [{name}] needs both secret_id and secret_key"),
        }),
    }
}

/// The profile names in `text`, in order.
pub fn profile_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix('[')
                .and_then(|l| l.strip_suffix(']'))
                .map(|s| s.trim().to_owned())
        })
        .collect()
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    v
}
