//! Masking of secrets and personal data in anything that may be printed or logged:
//! headers, URLs and JSON bodies. Every binding's debug logging goes through here.
//!
//! The documented rule for bodies ([`body_for_log`]):
//! - secrets are replaced whole: members named `SecretKey`, `Token`, `Signature`,
//!   `Authorization`, `Password`, `PinCode`, `CallbackKey` (any case);
//! - personal data is masked, keeping a little for debugging:
//!   - phone numbers: members whose name ends in `Mobile` or `Phone`, and any string, or
//!     digit run inside free text, that looks like a mainland mobile number (`1[3-9]` + 9
//!     digits): `138****0000`;
//!   - identity documents and accounts: members ending in `IdCardNumber`, `CardNumber`,
//!     `LicenseNumber` or `BankAccountNumber`, and any 18-character resident ID pattern:
//!     first 3 and last 2 kept;
//!   - names of people: members named `Name` or ending in one of [`PERSON_NAME_SUFFIXES`]
//!     (`ApproverName`, `ApproveName`, `AdminName`, `OperatorName`, ...): the first
//!     character kept;
//!   - e-mail addresses (`Email` members): the domain kept;
//! - file contents (`FileBody`, `*Base64`, `ImageData`) are replaced by their length;
//! - the whole text is cut to `max_bytes` (on a character boundary) with a note.

use serde_json::{Map, Value};

const MASK: &str = "** REDACTED **";

/// The value to print for a header: the Authorization and the token are masked.
pub fn header_value<'a>(name: &str, value: &'a str) -> &'a str {
    if name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("x-tc-token") {
        MASK
    } else {
        value
    }
}

/// The URL to print: the `Signature` and `Token` query values are masked.
pub fn url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if k == "Signature" || k == "Token" || k == "SecretId" => {
                format!("{k}={MASK}")
            }
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", masked.join("&"))
}

/// A JSON (or form) body made safe to log: secrets removed, personal data masked, cut to
/// `max_bytes`. A body that is not JSON is logged as its length only when it looks like a
/// form with secrets, else as lossy text.
pub fn body_for_log(body: &[u8], max_bytes: usize) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => {
            mask_value(None, &mut v);
            v.to_string()
        }
        Err(_) => mask_form(&String::from_utf8_lossy(body)),
    };
    truncate(text, max_bytes)
}

fn truncate(mut text: String, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text;
    }
    let total = text.len();
    let mut cut = max_bytes;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text.push_str(&format!("… ({total} bytes in all)"));
    text
}

fn mask_form(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => {
                let mut value = Value::String(v.to_owned());
                mask_value(Some(k.rsplit('.').next().unwrap_or(k)), &mut value);
                match value {
                    Value::String(s) => format!("{k}={s}"),
                    other => format!("{k}={other}"),
                }
            }
            None => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Clone, Copy)]
enum Class {
    Secret,
    Phone,
    IdNumber,
    PersonName,
    Email,
    FileContent,
}

fn classify(name: &str) -> Option<Class> {
    let lower = name.to_ascii_lowercase();
    let ends = |list: &[&str]| list.iter().any(|s| lower.ends_with(s));
    if ends(&SECRET_SUFFIXES) {
        Some(Class::Secret)
    } else if ends(&["mobile", "phone"]) {
        Some(Class::Phone)
    } else if ends(&[
        "idcardnumber",
        "cardnumber",
        "licensenumber",
        "bankaccountnumber",
    ]) {
        Some(Class::IdNumber)
    } else if lower == "name" || ends(&PERSON_NAME_SUFFIXES) {
        Some(Class::PersonName)
    } else if ends(&["email"]) {
        Some(Class::Email)
    } else if lower == "filebody" || lower == "imagedata" || ends(&["base64"]) {
        Some(Class::FileContent)
    } else {
        None
    }
}

/// Members replaced whole (matched as name suffixes, any case).
const SECRET_SUFFIXES: [&str; 7] = [
    "secretkey",
    "token",
    "signature",
    "authorization",
    "password",
    "pincode",
    "callbackkey",
];

/// Members that hold a person's name in the essbasic spec (suffixes, any case):
/// `ApproverName`, `ApproveName`, `AdminName`, `NewAdminName`, `LegalName`, `OperatorName`,
/// `ProxyOperatorName`, `SignerName`, `UserName`, `DisplayName`, `SelfName`; organization,
/// flow, file, seal and template names are not personal and stay readable.
pub const PERSON_NAME_SUFFIXES: [&str; 9] = [
    "approvername",
    "approvename",
    "adminname",
    "legalname",
    "operatorname",
    "signername",
    "username",
    "displayname",
    "selfname",
];

fn mask_value(name: Option<&str>, value: &mut Value) {
    match value {
        Value::Object(map) => mask_object(map),
        Value::Array(items) => items.iter_mut().for_each(|v| mask_value(name, v)),
        Value::String(s) => {
            let class = name.and_then(classify).or_else(|| looks_personal(s));
            if let Some(c) = class {
                *s = mask_string(c, s);
            } else if let Some(masked) = mask_embedded(s) {
                *s = masked;
            }
        }
        Value::Number(_) => {
            if let Some(Class::Phone | Class::IdNumber | Class::Secret) = name.and_then(classify) {
                *value = Value::String(MASK.to_owned());
            }
        }
        _ => {}
    }
}

fn mask_object(map: &mut Map<String, Value>) {
    for (k, v) in map.iter_mut() {
        mask_value(Some(k), v);
    }
}

/// Strings that are personal data whatever member holds them.
fn looks_personal(s: &str) -> Option<Class> {
    let b = s.as_bytes();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && digits(b) {
        return Some(Class::Phone);
    }
    if b.len() == 18
        && digits(&b[..17])
        && (b[17].is_ascii_digit() || b[17] == b'X' || b[17] == b'x')
    {
        return Some(Class::IdNumber);
    }
    None
}

/// Masks mobile and ID numbers inside free text (runs of digits standing alone).
fn mask_embedded(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len()
            && (b[i].is_ascii_digit() || (i - start == 17 && matches!(b[i], b'X' | b'x')))
        {
            i += 1;
        }
        if let Some(class) = looks_personal(&s[start..i]) {
            let o = out.get_or_insert_with(String::new);
            o.push_str(&s[copied..start]);
            o.push_str(&mask_string(class, &s[start..i]));
            copied = i;
        }
    }
    out.map(|mut o| {
        o.push_str(&s[copied..]);
        o
    })
}

fn mask_string(class: Class, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let keep = |head: usize, tail: usize| -> String {
        if chars.len() <= head + tail {
            return "*".repeat(chars.len().max(1));
        }
        let mut out: String = chars[..head].iter().collect();
        out.push_str(&"*".repeat(chars.len() - head - tail));
        out.extend(&chars[chars.len() - tail..]);
        out
    };
    match class {
        Class::Secret => MASK.to_owned(),
        Class::Phone => keep(3, 4),
        Class::IdNumber => keep(3, 2),
        Class::PersonName => keep(1, 0),
        Class::Email => match s.split_once('@') {
            Some((_, domain)) => format!("***@{domain}"),
            None => keep(1, 0),
        },
        Class::FileContent => format!("<{} bytes>", s.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secrets_in_headers_and_urls() {
        assert_eq!(header_value("Authorization", "TC3 x"), MASK);
        assert_eq!(header_value("x-tc-token", "t"), MASK);
        assert_eq!(header_value("Host", "h"), "h");
        assert_eq!(
            url("https://h/?A=1&Signature=abc&Token=t"),
            format!("https://h/?A=1&Signature={MASK}&Token={MASK}")
        );
    }

    #[test]
    fn masks_personal_data_in_bodies() {
        let body = r#"{"FlowName":"租房合同","FlowInfo":[{"ApproveName":"王五","IdCardType":"ID_CARD"}],"FlowApprovers":[{"Name":"张三丰","Mobile":"13800001234","IdCardNumber":"11010519491231002X","ApproverEmail":"a@b.cn"}],"Note":"call 13912345678","FileInfos":[{"FileBody":"JVBERi0xLjQK"}],"Token":"tok"}"#;
        let out = body_for_log(body.as_bytes(), 10_000);
        for secret in [
            "张三丰",
            "13800001234",
            "11010519491231002X",
            "a@b.cn",
            "JVBERi0xLjQK",
            "\"tok\"",
        ] {
            assert!(!out.contains(secret), "{secret} leaked: {out}");
        }
        assert!(out.contains("租房合同"), "{out}");
        assert!(out.contains("张**"), "{out}");
        assert!(out.contains("138****1234"), "{out}");
        assert!(out.contains("110*************2X"), "{out}");
        assert!(out.contains("<12 bytes>"), "{out}");
        // Numbers inside free text are masked too.
        assert!(out.contains("call 139****5678"), "{out}");
    }

    #[test]
    fn masks_forms_and_truncates() {
        let out = body_for_log(b"Action=X&Mobile=13800001234&Signature=abc&Token=t", 1000);
        assert_eq!(
            out,
            format!("Action=X&Mobile=138****1234&Signature={MASK}&Token={MASK}")
        );
        let long = format!("{{\"A\":\"{}\"}}", "中".repeat(100));
        let cut = body_for_log(long.as_bytes(), 20);
        assert!(cut.starts_with("{\"A\":\"中"));
        assert!(cut.ends_with("bytes in all)"));
    }
}
