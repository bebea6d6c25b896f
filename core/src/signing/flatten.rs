//! A JSON parameter object as the flat `A.B.0.C = value` pairs of GET and v1 requests.

use serde_json::Value;

/// Flattens parameters: object members join with `.` (`Agent.AppId`), list items by index
/// (`FlowIds.0`, `Filters.0.Values.1`).
///
/// Values: strings raw, booleans `true` / `false` (as the Node SDK sends them; the Python SDK
/// sends `True` / `False`), integers in decimal, other numbers in JavaScript's shortest
/// round-trip form (`100.5`, `1e+21`). `null` members and empty objects or lists produce
/// nothing. A scalar at the root yields one pair with an empty key.
pub fn flatten(params: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut key = String::new();
    walk(params, &mut key, &mut out);
    out
}

fn walk(value: &Value, key: &mut String, out: &mut Vec<(String, String)>) {
    let scalar = match value {
        Value::Null => return,
        Value::Object(members) => {
            for (name, member) in members {
                descend(key, name, member, out);
            }
            return;
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                descend(key, &index.to_string(), item, out);
            }
            return;
        }
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::String(s) => s.clone(),
    };
    out.push((key.clone(), scalar));
}

fn descend(key: &mut String, segment: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let len = key.len();
    if len > 0 {
        key.push('.');
    }
    key.push_str(segment);
    walk(value, key, out);
    key.truncate(len);
}

/// A JSON number as JavaScript's `String(n)` prints it.
fn number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let x = n.as_f64().unwrap_or(f64::NAN);
    if x == 0.0 {
        return "0".to_owned();
    }
    let magnitude = x.abs();
    if (1e-6..1e21).contains(&magnitude) {
        // Rust's Display is the shortest round-trip digits without an exponent, and prints
        // integral values without `.0`, like JavaScript in this range.
        return x.to_string();
    }
    // Exponent form, `1e+21` / `1.5e-7`.
    let s = format!("{x:e}");
    match s.split_once('e') {
        Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::v1::{encode, FormEncoding};
    use serde_json::json;

    fn strs(p: &[(String, String)]) -> Vec<(&str, &str)> {
        p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn nested_objects_and_lists() {
        let p = json!({
            "Agent": {"AppId": "app", "ProxyOperator": {"OpenId": "op"}},
            "FlowIds": ["f1", "f2"],
            "Filters": [{"Key": "name", "Values": ["a", "b"]}],
            "Empty": {}, "None": null, "List": [], "Blank": "",
            "Limit": 10, "WithDetail": true, "Off": false,
        });
        let mut got = flatten(&p);
        got.sort();
        assert_eq!(
            strs(&got),
            [
                ("Agent.AppId", "app"),
                ("Agent.ProxyOperator.OpenId", "op"),
                ("Blank", ""),
                ("Filters.0.Key", "name"),
                ("Filters.0.Values.0", "a"),
                ("Filters.0.Values.1", "b"),
                ("FlowIds.0", "f1"),
                ("FlowIds.1", "f2"),
                ("Limit", "10"),
                ("Off", "false"),
                ("WithDetail", "true"),
            ]
        );
    }

    #[test]
    fn numbers_like_javascript() {
        let p = json!({
            "a": 100.5, "b": 20.25, "c": 1.0, "d": -0.0, "e": 1783415184,
            "f": 9223372036854775807i64, "g": 18446744073709551615u64,
            "h": 1e21, "i": 1.5e-7, "j": 0.000001, "k": -3, "l": 1e300,
        });
        let got: std::collections::BTreeMap<String, String> = flatten(&p).into_iter().collect();
        let want = [
            ("a", "100.5"),
            ("b", "20.25"),
            ("c", "1"),
            ("d", "0"),
            ("e", "1783415184"),
            ("f", "9223372036854775807"),
            ("g", "18446744073709551615"),
            ("h", "1e+21"),
            ("i", "1.5e-7"),
            ("j", "0.000001"),
            ("k", "-3"),
            ("l", "1e+300"),
        ];
        for (k, v) in want {
            assert_eq!(got[k], v, "{k}");
        }
    }

    #[test]
    fn root_scalars() {
        assert_eq!(strs(&flatten(&json!("x"))), [("", "x")]);
        assert!(flatten(&json!(null)).is_empty());
        assert_eq!(strs(&flatten(&json!(["a"]))), [("0", "a")]);
    }

    #[test]
    fn reproduces_the_node_get_query_of_the_vectors() {
        // tc3_get_nested.node: the same pairs (the SDK keeps insertion order; any order signs).
        let p = json!({
            "Agent": {
                "AppId": "yDwhxUUckp3gl8j5UuFX33LSNozpRsbi",
                "ProxyOrganizationOpenId": "org_dianziqian",
                "ProxyOperator": {"OpenId": "n9527"}
            },
            "FlowIds": ["yDwFkUUckpsbd1", "yDwFkUUckpsbd2"],
            "Filters": [{"Key": "name", "Values": ["a b&c/d=e", "测试~*'()!"]}],
            "Limit": 10,
            "WithDetail": true
        });
        let want = "Agent.AppId=yDwhxUUckp3gl8j5UuFX33LSNozpRsbi&Agent.ProxyOrganizationOpenId=org_dianziqian&Agent.ProxyOperator.OpenId=n9527&FlowIds.0=yDwFkUUckpsbd1&FlowIds.1=yDwFkUUckpsbd2&Filters.0.Key=name&Filters.0.Values.0=a%20b%26c%2Fd%3De&Filters.0.Values.1=%E6%B5%8B%E8%AF%95~*%27()!&Limit=10&WithDetail=true";
        let got = encode(&flatten(&p), FormEncoding::QuerystringUrl);
        let mut got: Vec<&str> = got.split('&').collect();
        let mut want: Vec<&str> = want.split('&').collect();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want);
    }
}
