//! Name conversions shared by the emitters.

/// `ChannelCreateFlowByFiles` → `channel_create_flow_by_files`, `QRCodeUrl` → `qr_code_url`,
/// `IV` → `iv`, `Sha256Hash` → `sha256_hash`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                Some(_) => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// What serde's `rename_all = "PascalCase"` makes of a snake_case field name.
pub fn serde_pascal_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut capitalize = true;
    for c in field.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether the PascalCase wire name needs an explicit `#[serde(rename)]` next to its
/// snake_case field under `rename_all = "PascalCase"`.
pub fn needs_rename(wire: &str) -> bool {
    serde_pascal_case(&snake_case(wire)) != wire
}

const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A Rust identifier for a snake_case name (`type` → `r#type`).
pub fn rust_ident(snake: &str) -> String {
    match snake {
        // These cannot be raw identifiers.
        "self" | "super" | "crate" => format!("{snake}_"),
        s if RUST_KEYWORDS.contains(&s) => format!("r#{s}"),
        s => s.to_string(),
    }
}

/// A Rust module name for a snake_case name (keywords get a trailing underscore).
pub fn rust_module(snake: &str) -> String {
    if RUST_KEYWORDS.contains(&snake) {
        format!("{snake}_")
    } else {
        snake.to_string()
    }
}

/// Names of the Rust prelude a generated struct must not shadow (users glob-import
/// `models::*`).
const RUST_PRELUDE_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "TryFrom",
    "TryInto",
    "Debug",
    "Serialize",
    "Deserialize",
    "Action",
];

/// The Rust struct name of a spec object: the spec name, except that names of the Rust
/// prelude (the spec has an object `Option`) get an `Item` suffix.
pub fn rust_type(spec_name: &str) -> String {
    if RUST_PRELUDE_TYPES.contains(&spec_name) {
        format!("{spec_name}Item")
    } else {
        spec_name.to_string()
    }
}

/// Escapes text for a Rust string literal.
pub fn rust_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Makes text safe inside a doc comment or a JSDoc block (one line, no comment terminator).
pub fn doc_text(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("*/", "*\u{2215}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake() {
        assert_eq!(
            snake_case("ChannelCreateFlowByFiles"),
            "channel_create_flow_by_files"
        );
        assert_eq!(snake_case("QRCodeUrl"), "qr_code_url");
        assert_eq!(snake_case("IV"), "iv");
        assert_eq!(snake_case("FlowIds"), "flow_ids");
        assert_eq!(snake_case("Sha256Hash"), "sha256_hash");
        assert_eq!(snake_case("Type"), "type");
    }

    #[test]
    fn renames() {
        assert!(!needs_rename("FlowId"));
        assert!(needs_rename("QRCodeUrl"));
        assert!(needs_rename("IV"));
        assert!(!needs_rename("Sha256Hash"));
        assert_eq!(rust_ident("type"), "r#type");
        assert_eq!(rust_ident("flow_id"), "flow_id");
        assert_eq!(rust_type("Option"), "OptionItem");
        assert_eq!(rust_type("Agent"), "Agent");
    }
}
