//! Schema-valid responses synthesized from the spec: every output member present, with a
//! value of its type taken from the spec's example where one fits.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::{Map, Number, Value};

use crate::spec_data::{Kind, Member, SPEC};

/// How deep nested structures are expanded before lists are left empty.
const MAX_DEPTH: usize = 8;

/// Every action's synthesized `Response` object (without `RequestId`), computed once.
static RESPONSES: LazyLock<HashMap<&'static str, Map<String, Value>>> = LazyLock::new(|| {
    SPEC.actions
        .iter()
        .map(|a| {
            let mut map = object(&a.output, &mut Vec::new());
            map.remove("RequestId");
            (a.name.as_str(), map)
        })
        .collect()
});

/// The synthesized `Response` object of `action` without `RequestId`, or `None` for an
/// unknown action.
pub fn response(action: &str) -> Option<Map<String, Value>> {
    RESPONSES.get(action).cloned()
}

/// A synthesized instance of the object named `name`.
pub fn object_named(name: &str) -> Map<String, Value> {
    object(name, &mut Vec::new())
}

fn object(name: &str, stack: &mut Vec<String>) -> Map<String, Value> {
    stack.push(name.to_owned());
    let map = SPEC
        .members(name)
        .iter()
        .map(|m| (m.name.clone(), member(m, stack)))
        .collect();
    stack.pop();
    map
}

fn member(m: &Member, stack: &mut Vec<String>) -> Value {
    match &m.kind {
        Kind::Object(name) => {
            let recursive = stack.iter().any(|s| s == name) || stack.len() >= MAX_DEPTH;
            match (m.list, recursive) {
                (true, true) => Value::Array(Vec::new()),
                (false, true) => Value::Object(Map::new()),
                (true, false) => Value::Array(vec![Value::Object(object(name, stack))]),
                (false, false) => Value::Object(object(name, stack)),
            }
        }
        kind if m.list => {
            let items: Vec<Value> = m
                .example
                .as_deref()
                .and_then(|e| serde_json::from_str::<Value>(e).ok())
                .map(|v| match v {
                    Value::Array(items) => items,
                    other => vec![other],
                })
                .unwrap_or_default()
                .iter()
                .filter_map(|v| coerce(kind, v))
                .collect();
            if items.is_empty() {
                Value::Array(vec![scalar(kind, &m.name, None)])
            } else {
                Value::Array(items)
            }
        }
        kind => scalar(kind, &m.name, m.example.as_deref()),
    }
}

/// A scalar of `kind`, from the example when it parses as one.
pub fn scalar(kind: &Kind, name: &str, example: Option<&str>) -> Value {
    let example = example.filter(|e| !e.is_empty());
    match kind {
        Kind::String => Value::String(match example {
            Some(e) => e.to_owned(),
            None => default_string(name),
        }),
        Kind::Int => Value::from(
            example
                .and_then(|e| e.trim().parse::<i64>().ok())
                .unwrap_or(0),
        ),
        Kind::Uint => Value::from(
            example
                .and_then(|e| e.trim().parse::<u64>().ok())
                .unwrap_or(0),
        ),
        Kind::Float => example
            .and_then(|e| e.trim().parse::<f64>().ok())
            .and_then(Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::from(0.0)),
        Kind::Bool => Value::Bool(example.is_some_and(|e| e.trim().eq_ignore_ascii_case("true"))),
        Kind::Object(_) => Value::Object(Map::new()),
    }
}

/// A list element from a parsed example, converted to `kind` when it fits.
fn coerce(kind: &Kind, v: &Value) -> Option<Value> {
    match (kind, v) {
        (Kind::String, Value::String(_)) => Some(v.clone()),
        (Kind::String, Value::Number(n)) => Some(Value::String(n.to_string())),
        (Kind::Int, Value::Number(n)) if n.is_i64() => Some(v.clone()),
        (Kind::Uint, Value::Number(n)) if n.is_u64() => Some(v.clone()),
        (Kind::Float, Value::Number(_)) => Some(v.clone()),
        (Kind::Bool, Value::Bool(_)) => Some(v.clone()),
        (_, Value::String(s)) => match scalar(kind, "", Some(s)) {
            Value::String(_) => None,
            other => Some(other),
        },
        _ => None,
    }
}

/// A plausible string for a member without an example, from its name.
fn default_string(name: &str) -> String {
    if name.ends_with("Url") {
        "https://essurl.cn/emulator".to_owned()
    } else if name.ends_with("Id") {
        "yDemulatorUckp0000000000000000000".to_owned()
    } else {
        String::new()
    }
}

/// A response body from a `Response` object without `RequestId`: the object, then the id.
pub fn render(mut response: Map<String, Value>, request_id: &str) -> Vec<u8> {
    response.insert("RequestId".to_owned(), Value::String(request_id.to_owned()));
    let mut outer = Map::new();
    outer.insert("Response".to_owned(), Value::Object(response));
    serde_json::to_vec(&Value::Object(outer)).expect("a JSON value serializes")
}

/// A pre-rendered success body for one action: the bytes around the RequestId, so a
/// stateless answer costs one copy.
#[derive(Debug, Clone)]
pub struct Template {
    head: Vec<u8>,
}

impl Template {
    /// The template of `action`'s synthesized response.
    pub fn new(action: &str) -> Option<Template> {
        let map = response(action)?;
        let mut outer = Map::new();
        outer.insert("Response".to_owned(), Value::Object(map));
        let mut head = serde_json::to_vec(&Value::Object(outer)).expect("serializes");
        head.truncate(head.len() - 2); // drop the closing `}}`
        if head.last() != Some(&b'{') {
            head.push(b',');
        }
        head.extend_from_slice(br#""RequestId":""#);
        Some(Template { head })
    }

    /// The body with `request_id`.
    pub fn render(&self, request_id: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.head.len() + request_id.len() + 4);
        out.extend_from_slice(&self.head);
        out.extend_from_slice(request_id.as_bytes());
        out.extend_from_slice(b"\"}}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_synthesizes_and_templates_parse() {
        for a in &SPEC.actions {
            let t = Template::new(&a.name).unwrap();
            let body: Value = serde_json::from_slice(&t.render("rid")).unwrap();
            assert_eq!(body["Response"]["RequestId"], "rid", "{}", a.name);
            for m in SPEC.members(&a.output) {
                assert!(
                    body["Response"].get(&m.name).is_some(),
                    "{}.{}",
                    a.name,
                    m.name
                );
            }
        }
    }

    #[test]
    fn examples_become_typed_values() {
        let r = response("UploadFiles").unwrap();
        assert_eq!(r["TotalCount"], 20);
        assert_eq!(r["FileIds"][0], "yDwivUUckpo2v2b8Ux8pIP8CvvGGWvIs");
        let r = response("DescribeFlowDetailInfo").unwrap();
        assert!(r["FlowInfo"][0]["FlowApproverInfos"].is_array());
    }
}
