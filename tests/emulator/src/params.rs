//! Form and query parameters (`A.B.0.C=v`, as GET and v1 requests send them) turned back
//! into the JSON object the spec describes, with strings converted to the members' types.

use serde_json::{Map, Number, Value};

use crate::spec_data::{Kind, SPEC};

/// Decodes an `application/x-www-form-urlencoded` string (or a query) into pairs, in order.
pub fn parse_form(raw: &[u8]) -> Vec<(String, String)> {
    raw.split(|b| *b == b'&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Percent-decodes, `+` as space; invalid escapes are kept as they are.
pub fn percent_decode(s: &[u8]) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < s.len() => match (hex(s[i + 1]), hex(s[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Rebuilds the parameter object of `input` (a request object name) from flattened pairs.
pub fn unflatten<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>, input: &str) -> Value {
    let mut root = Value::Object(Map::new());
    for (key, value) in pairs {
        let mut node = &mut root;
        let mut segments = key.split('.').peekable();
        while let Some(seg) = segments.next() {
            let Value::Object(map) = node else { break };
            if segments.peek().is_none() {
                map.insert(seg.to_owned(), Value::String(value.to_owned()));
                break;
            }
            node = map
                .entry(seg.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
        }
    }
    let root = arrays(root);
    coerce_object(root, input)
}

/// Objects whose keys are all indexes become arrays (the spec has no numeric member names).
fn arrays(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let numeric = !map.is_empty() && map.keys().all(|k| k.parse::<usize>().is_ok());
            if numeric {
                let mut items: Vec<(usize, Value)> = map
                    .into_iter()
                    .map(|(k, v)| (k.parse().expect("checked"), arrays(v)))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                Value::Array(items.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(map.into_iter().map(|(k, v)| (k, arrays(v))).collect())
            }
        }
        other => other,
    }
}

fn coerce_object(v: Value, object: &str) -> Value {
    let Value::Object(map) = v else { return v };
    let members = SPEC.members(object);
    Value::Object(
        map.into_iter()
            .map(|(k, v)| {
                let v = match members.iter().find(|m| m.name == k) {
                    Some(m) if m.list => match v {
                        Value::Array(items) => {
                            Value::Array(items.into_iter().map(|i| coerce(i, &m.kind)).collect())
                        }
                        other => other,
                    },
                    Some(m) => coerce(v, &m.kind),
                    None => v,
                };
                (k, v)
            })
            .collect(),
    )
}

fn coerce(v: Value, kind: &Kind) -> Value {
    let s = match (&v, kind) {
        (_, Kind::Object(name)) => return coerce_object(v, name),
        (Value::String(s), _) => s.as_str(),
        _ => return v,
    };
    let converted = match kind {
        Kind::Int => s.parse::<i64>().ok().map(Value::from),
        Kind::Uint => s.parse::<u64>().ok().map(Value::from),
        Kind::Float => s
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
        Kind::Bool => match s {
            "true" | "True" | "TRUE" | "1" => Some(Value::Bool(true)),
            "false" | "False" | "FALSE" | "0" => Some(Value::Bool(false)),
            _ => None,
        },
        Kind::String | Kind::Object(_) => None,
    };
    converted.unwrap_or(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_decoding() {
        let pairs = parse_form(b"a=1&b=x+y%20z&c=%E4%BD%A0&d&e=%zz");
        assert_eq!(pairs[0], ("a".into(), "1".into()));
        assert_eq!(pairs[1].1, "x y z");
        assert_eq!(pairs[2].1, "你");
        assert_eq!(pairs[3], ("d".into(), "".into()));
        assert_eq!(pairs[4].1, "%zz");
    }

    #[test]
    fn unflatten_with_types() {
        let pairs = [
            ("Agent.AppId", "app"),
            ("Agent.ProxyOperator.OpenId", "op"),
            ("FlowIds.1", "b"),
            ("FlowIds.0", "a"),
            ("CancelMessageFormat", "2"),
            ("Unknown", "7"),
        ];
        let v = unflatten(pairs, "ChannelBatchCancelFlowsRequest");
        assert_eq!(
            v,
            json!({"Agent": {"AppId": "app", "ProxyOperator": {"OpenId": "op"}},
                   "FlowIds": ["a", "b"], "CancelMessageFormat": 2, "Unknown": "7"})
        );
        let v = unflatten(
            [("Unordered", "True"), ("Deadline", "x")],
            "ChannelCreateFlowByFilesRequest",
        );
        assert_eq!(v, json!({"Unordered": true, "Deadline": "x"}));
    }
}
