//! Masking of secrets in anything that may be printed: headers and URLs.

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
            Some((k, _)) if k == "Signature" || k == "Token" => format!("{k}={MASK}"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", masked.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secrets() {
        assert_eq!(header_value("Authorization", "TC3 x"), MASK);
        assert_eq!(header_value("x-tc-token", "t"), MASK);
        assert_eq!(header_value("Host", "h"), "h");
        assert_eq!(
            url("https://h/?A=1&Signature=abc&Token=t"),
            format!("https://h/?A=1&Signature={MASK}&Token={MASK}")
        );
    }
}
