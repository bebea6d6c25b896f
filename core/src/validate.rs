//! Parameter validation: one walker over the spec table serves every action.
//!
//! Rules: action names match exactly; `required` members must be present and not `null`, at
//! any depth (inside objects and list elements); members have their spec type (int64 and
//! uint64 take only in-range JSON integers, float takes any number, bool and string only
//! their own JSON types; nothing is coerced). A `null` member counts as absent. Unknown
//! members pass through unless `strict` is set.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::spec::{self, ActionSpec, MemberSpec, ObjectSpec, Scalar, TypeRef, OBJECTS};

/// Checks `params` against the request object of `action`.
///
/// Returns the action's spec entry, or an [`Error::Validation`] naming the action and the
/// path of the first offending member (`FlowApprovers[0].ApproverType`).
pub fn validate(action: &str, params: &Value, strict: bool) -> Result<&'static ActionSpec, Error> {
    let spec = lookup_action(action)?;
    let walker = Walker { action, strict };
    match params {
        Value::Object(map) => walker.object(spec.input(), map, &mut String::new())?,
        Value::Null => walker.object(spec.input(), &Map::new(), &mut String::new())?,
        other => {
            return Err(Error::validation(
                action,
                String::new(),
                format!("parameters must be a JSON object, got {}", json_type(other)),
            ))
        }
    }
    Ok(spec)
}

/// Looks the action up, or returns a validation error that names it.
pub fn lookup_action(action: &str) -> Result<&'static ActionSpec, Error> {
    spec::action(action).ok_or_else(|| {
        Error::validation(
            action,
            String::new(),
            format!(
                "unknown action {action:?}: not an action of {} {}",
                spec::SERVICE,
                spec::API_VERSION
            ),
        )
    })
}

struct Walker<'a> {
    action: &'a str,
    strict: bool,
}

impl Walker<'_> {
    fn error(&self, path: &str, message: String) -> Error {
        Error::validation(self.action, path.to_owned(), message)
    }

    fn object(
        &self,
        obj: &ObjectSpec,
        map: &Map<String, Value>,
        path: &mut String,
    ) -> Result<(), Error> {
        for member in obj.members {
            let len = path.len();
            push_key(path, member.name);
            match map.get(member.name) {
                None | Some(Value::Null) if member.required => {
                    return Err(self.error(path, "missing required member".to_owned()));
                }
                None | Some(Value::Null) => {}
                Some(value) => self.member(member, value, path)?,
            }
            path.truncate(len);
        }
        if self.strict {
            if let Some(unknown) = map.keys().find(|k| obj.member(k).is_none()) {
                let len = path.len();
                push_key(path, unknown);
                let err = self.error(
                    path,
                    format!("unknown member of {} (strict validation)", obj.name),
                );
                path.truncate(len);
                return Err(err);
            }
        }
        Ok(())
    }

    fn member(&self, member: &MemberSpec, value: &Value, path: &mut String) -> Result<(), Error> {
        if !member.list {
            return self.element(member.ty, value, path);
        }
        let Value::Array(items) = value else {
            return Err(self.error(
                path,
                format!(
                    "expected a list of {}, got {}",
                    type_name(member.ty),
                    json_type(value)
                ),
            ));
        };
        for (i, item) in items.iter().enumerate() {
            let len = path.len();
            let _ = write!(path, "[{i}]");
            self.element(member.ty, item, path)?;
            path.truncate(len);
        }
        Ok(())
    }

    fn element(&self, ty: TypeRef, value: &Value, path: &mut String) -> Result<(), Error> {
        let ok = match (ty, value) {
            (TypeRef::Object(id), Value::Object(map)) => {
                return self.object(&OBJECTS[id as usize], map, path);
            }
            (TypeRef::Scalar(Scalar::String), Value::String(_)) => true,
            (TypeRef::Scalar(Scalar::Bool), Value::Bool(_)) => true,
            (TypeRef::Scalar(Scalar::Float), Value::Number(_)) => true,
            (TypeRef::Scalar(Scalar::Int64), Value::Number(n)) => n.is_i64(),
            (TypeRef::Scalar(Scalar::Uint64), Value::Number(n)) => n.is_u64(),
            _ => false,
        };
        if ok {
            return Ok(());
        }
        let numeric = matches!(ty, TypeRef::Scalar(Scalar::Int64 | Scalar::Uint64));
        let got = match value {
            Value::Number(n) if numeric && n.is_f64() => "a non-integer or out-of-range number",
            Value::Number(_) if numeric => "an out-of-range integer",
            other => json_type(other),
        };
        Err(self.error(path, format!("expected {}, got {got}", type_name(ty))))
    }
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// The spec type of an element, for messages: `string`, `int64`, `object FlowInfo`, ...
fn type_name(ty: TypeRef) -> String {
    match ty {
        TypeRef::Scalar(s) => s.name().to_owned(),
        TypeRef::Object(id) => format!("object {}", OBJECTS[id as usize].name),
    }
}

/// The JSON type of a value, for messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path_of(action: &str, params: Value, strict: bool) -> (String, String) {
        match validate(action, &params, strict) {
            Err(Error::Validation { path, message, .. }) => (path, message),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    fn agent() -> Value {
        json!({"AppId": "a", "ProxyOrganizationOpenId": "o", "ProxyOperator": {"OpenId": "u"}})
    }

    #[test]
    fn accepts_valid_params() {
        let p = json!({"FlowId": "f", "Agent": agent(), "CancelMessageFormat": 1});
        assert_eq!(
            validate("ChannelCancelFlow", &p, true).unwrap().name,
            "ChannelCancelFlow"
        );
    }

    #[test]
    fn null_counts_as_absent() {
        let (path, msg) = path_of("ChannelCancelFlow", json!({"FlowId": null}), false);
        assert_eq!(path, "FlowId");
        assert!(msg.starts_with("missing required member"));
        assert!(validate(
            "ChannelCancelFlow",
            &json!({"FlowId": "f", "CancelMessage": null}),
            false
        )
        .is_ok());
    }

    #[test]
    fn nested_paths_and_types() {
        let p = json!({"Agent": agent(), "BusinessType": "DOCUMENT",
            "FileInfos": [{"FileBody": "x", "FileName": "a.pdf"}, {"FileName": "b.pdf"}]});
        assert_eq!(path_of("UploadFiles", p, false).0, "FileInfos[1].FileBody");
        let (path, msg) = path_of("ChannelCancelFlow", json!({"FlowId": 5}), false);
        assert_eq!(
            (path.as_str(), msg.as_str()),
            ("FlowId", "expected string, got a number")
        );
        let (path, msg) = path_of(
            "ChannelCancelFlow",
            json!({"FlowId": "f", "CancelMessageFormat": 1.5}),
            false,
        );
        assert_eq!(path, "CancelMessageFormat");
        assert!(msg.starts_with("expected int64"));
    }

    #[test]
    fn integer_ranges() {
        let limit = |v: Value| {
            validate(
                "DescribeTemplates",
                &json!({"Agent": agent(), "Limit": v}),
                false,
            )
        };
        assert!(limit(json!(u64::MAX)).is_ok());
        assert!(limit(json!(-1)).is_err());
        let fmt = |v: Value| {
            validate(
                "ChannelCancelFlow",
                &json!({"FlowId": "f", "CancelMessageFormat": v}),
                false,
            )
        };
        assert!(fmt(json!(i64::MIN)).is_ok());
        assert!(fmt(json!(u64::MAX)).is_err());
    }

    #[test]
    fn strict_rejects_unknown_members() {
        let p = json!({"FlowId": "f", "Agent": {"AppId": "a", "Extra": 1}});
        assert!(validate("ChannelCancelFlow", &p, false).is_ok());
        assert_eq!(path_of("ChannelCancelFlow", p, true).0, "Agent.Extra");
    }

    #[test]
    fn unknown_action_and_non_object() {
        let (path, msg) = path_of("ChannelCancelFlows", json!({}), false);
        assert_eq!(path, "");
        assert!(msg.contains("ChannelCancelFlows"));
        assert_eq!(path_of("ChannelCancelFlow", json!([1]), false).0, "");
    }
}
