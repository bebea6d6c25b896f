//! A fast path for the most common case: a JSON body that is a valid parameter object.
//!
//! [`check`] walks the body with serde_json's parser against core's spec table and answers
//! "valid" without building a `serde_json::Value` (no allocation for keys, strings or
//! numbers). It only ever says yes when core's validator ([`essbasic::validate::validate`]
//! over `serde_json::from_slice`) would accept the same body; on anything else (invalid
//! JSON, a schema error, a duplicate member, a non-object body) it says "don't know" and
//! the caller takes the slow path, which produces the exact error.
//!
//! The rules mirrored from core (`core/src/validate.rs`): `required` members present and not
//! `null` at any depth; a `null` member counts as absent; list members are arrays whose
//! elements have the element type (no `null` elements); int64 takes JSON integers in `i64`
//! range, uint64 in `u64` range, float any number, bool and string only their own types;
//! unknown members pass unless `strict`.

use std::fmt;

use essbasic::spec::{MemberSpec, ObjectSpec, Scalar, TypeRef, OBJECTS};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// What the fast path learned about a valid body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checked {
    /// Whether the top-level object has a `FlowId` or a `FlowIds` member (any value).
    pub names_flows: bool,
}

/// `Some` when `body` is certainly a JSON object that core's validator accepts for the
/// request object `input`; `None` when the slow path must decide (and explain).
pub fn check(input: &'static ObjectSpec, body: &[u8], strict: bool) -> Option<Checked> {
    // A body that parses as JSON is UTF-8 (bytes above 0x7f can only be inside strings,
    // which serde_json checks): checking it whole once spares a check per string.
    // A body that parses as JSON is UTF-8 (bytes above 0x7f can only be inside strings,
    // which serde_json checks): checking it whole once spares a check per string.
    let text = std::str::from_utf8(body).ok()?;
    let mut top = Checked::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = ObjectSeed {
        obj: input,
        strict,
        top: Some(&mut top),
    };
    seed.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(top)
}

/// The error every visitor returns for "not certainly valid" (its message is never shown).
fn unsure<E: de::Error>() -> E {
    E::custom("not certainly valid")
}

/// An object of the spec.
struct ObjectSeed<'t> {
    obj: &'static ObjectSpec,
    strict: bool,
    /// Set for the top-level object only.
    top: Option<&'t mut Checked>,
}

impl<'de> DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let members = self.obj.members;
        if members.len() > 64 {
            return Err(unsure());
        }
        let mut seen: u64 = 0;
        let mut required_present = 0usize;
        let mut top = self.top;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let name = key.as_str();
            if name.starts_with('$') {
                // serde_json reads `$serde_json::private::RawValue` as a raw value marker.
                return Err(unsure());
            }
            if let Some(t) = top.as_deref_mut() {
                if name == "FlowId" || name == "FlowIds" {
                    t.names_flows = true;
                }
            }
            let Some(i) = members.iter().position(|m| m.name == name) else {
                if self.strict {
                    return Err(unsure());
                }
                map.next_value_seed(Anything)?;
                continue;
            };
            let bit = 1u64 << i;
            if seen & bit != 0 {
                // A duplicate member: the last one wins in a Value; let the slow path judge.
                return Err(unsure());
            }
            seen |= bit;
            let m = &members[i];
            let present = map.next_value_seed(MemberSeed {
                member: m,
                strict: self.strict,
            })?;
            if m.required {
                if !present {
                    return Err(unsure());
                }
                required_present += 1;
            }
        }
        if required_present != required_count(self.obj) {
            return Err(unsure());
        }
        Ok(())
    }
}

fn required_count(obj: &ObjectSpec) -> usize {
    obj.members.iter().filter(|m| m.required).count()
}

/// A map key, borrowed from the body when it has no escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

/// A member's value; yields whether it is present (not `null`).
struct MemberSeed {
    member: &'static MemberSpec,
    strict: bool,
}

impl<'de> DeserializeSeed<'de> for MemberSeed {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        if self.member.list {
            d.deserialize_any(ListVisitor {
                ty: self.member.ty,
                strict: self.strict,
            })
        } else {
            d.deserialize_any(ElementVisitor {
                ty: self.member.ty,
                strict: self.strict,
                null_ok: true,
            })
        }
    }
}

/// A list member: `null` (absent) or an array of elements.
struct ListVisitor {
    ty: TypeRef,
    strict: bool,
}

impl<'de> Visitor<'de> for ListVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq
            .next_element_seed(ElementSeed {
                ty: self.ty,
                strict: self.strict,
            })?
            .is_some()
        {}
        Ok(true)
    }
}

/// One list element (never `null`).
struct ElementSeed {
    ty: TypeRef,
    strict: bool,
}

impl<'de> DeserializeSeed<'de> for ElementSeed {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(ElementVisitor {
            ty: self.ty,
            strict: self.strict,
            null_ok: false,
        })
    }
}

/// A value of an element type; `null` is "absent" for a member, an error for an element.
struct ElementVisitor {
    ty: TypeRef,
    strict: bool,
    null_ok: bool,
}

impl ElementVisitor {
    fn scalar<E: de::Error>(&self, ok: impl FnOnce(Scalar) -> bool) -> Result<bool, E> {
        match self.ty {
            TypeRef::Scalar(s) if ok(s) => Ok(true),
            _ => Err(unsure()),
        }
    }
}

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value of the member's type")
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        if self.null_ok {
            Ok(false)
        } else {
            Err(unsure())
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        self.scalar(|s| s == Scalar::Bool)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        self.scalar(|s| match s {
            Scalar::Int64 => v <= i64::MAX as u64,
            Scalar::Uint64 | Scalar::Float => true,
            _ => false,
        })
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        // serde_json calls this for negative integers only; a Value holds them as i64.
        self.scalar(|s| match s {
            Scalar::Int64 | Scalar::Float => true,
            Scalar::Uint64 => v >= 0,
            _ => false,
        })
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        self.scalar(|s| s == Scalar::Float)
    }
    fn visit_borrowed_str<E: de::Error>(self, _: &'de str) -> Result<bool, E> {
        self.scalar(|s| s == Scalar::String)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
        self.scalar(|s| s == Scalar::String)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<bool, A::Error> {
        Err(unsure())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        let TypeRef::Object(id) = self.ty else {
            return Err(unsure());
        };
        ObjectSeed {
            obj: &OBJECTS[id as usize],
            strict: self.strict,
            top: None,
        }
        .visit_map(map)?;
        Ok(true)
    }
}

/// Any JSON value, parsed as strictly as a `Value` (strings and keys decoded and checked),
/// and dropped.
struct Anything;

impl<'de> DeserializeSeed<'de> for Anything {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Anything {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_borrowed_str<E: de::Error>(self, _: &'de str) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Anything)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(KeySeed)?.is_some() {
            map.next_value_seed(Anything)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn input(action: &str) -> &'static ObjectSpec {
        essbasic::spec::action(action).unwrap().input()
    }

    /// The fast path must never say "valid" where core says otherwise, and should say it
    /// for what core accepts (unless the body has a duplicate member).
    fn agree(action: &str, body: &str, strict: bool) {
        agree_or_decline(action, body, strict, false)
    }

    /// With `may_decline` (a duplicate member, serde_json's raw-value key), the fast path may say "don't
    /// know" for a valid body, but never "valid" for an invalid one.
    fn agree_or_decline(action: &str, body: &str, strict: bool, may_decline: bool) {
        let fast = check(input(action), body.as_bytes(), strict);
        let slow = serde_json::from_slice::<Value>(body.as_bytes())
            .ok()
            .filter(Value::is_object)
            .map(|v| essbasic::validate::validate(action, &v, strict).is_ok());
        if fast.is_some() {
            assert_eq!(slow, Some(true), "{action} strict={strict}: {body}");
        }
        if !may_decline {
            assert_eq!(
                fast.is_some(),
                slow == Some(true),
                "{action} strict={strict}: {body}"
            );
        }
        if let Some(c) = fast {
            let v: Value = serde_json::from_str(body).unwrap();
            assert_eq!(
                c.names_flows,
                v.get("FlowId").is_some() || v.get("FlowIds").is_some()
            );
        }
    }

    #[test]
    fn agrees_with_core() {
        let agent =
            json!({"AppId": "a", "ProxyOrganizationOpenId": "o", "ProxyOperator": {"OpenId": "u"}});
        let bodies = [
            json!({"FlowId": "f", "Agent": agent, "CancelMessageFormat": 1}),
            json!({"FlowId": "f", "Agent": agent, "CancelMessageFormat": -1}),
            json!({"FlowId": "f", "Agent": agent, "CancelMessageFormat": 1.5}),
            json!({"FlowId": "f", "Agent": agent, "CancelMessageFormat": u64::MAX}),
            json!({"FlowId": "f", "Agent": agent, "CancelMessageFormat": "1"}),
            json!({"FlowId": "f", "Agent": agent, "CancelMessageFormat": null}),
            json!({"FlowId": null, "Agent": agent}),
            json!({"Agent": agent}),
            json!({"FlowId": 5, "Agent": agent}),
            json!({"FlowId": "f", "Agent": agent, "Unknown": [1, {"a": null}]}),
            json!({"FlowId": "f", "Agent": {"AppId": 1}}),
            json!({"FlowId": "f", "Agent": {"ProxyOperator": {"OpenId": ["u"]}}}),
            json!({"FlowId": "f", "Agent": []}),
            json!({"FlowId": "f", "Agent": null}),
            json!({}),
        ];
        for b in &bodies {
            for strict in [false, true] {
                agree("ChannelCancelFlow", &b.to_string(), strict);
            }
        }
        let lists = [
            json!({"Agent": agent, "FlowIds": ["a", "b"]}),
            json!({"Agent": agent, "FlowIds": ["a", null]}),
            json!({"Agent": agent, "FlowIds": "a"}),
            json!({"Agent": agent, "FlowIds": null}),
            json!({"Agent": agent, "FlowIds": []}),
            json!({"Agent": agent, "FlowIds": [1]}),
        ];
        for b in &lists {
            for strict in [false, true] {
                agree("DescribeFlowDetailInfo", &b.to_string(), strict);
            }
        }
        let duplicates = [
            r#"{"FlowId":"f","FlowId":"g"}"#,
            r#"{"FlowId":"f","FlowId":5}"#,
            r#"{"FlowId":5,"FlowId":"f"}"#,
            r#"{"FlowId":"f","Agent":{"AppId":"a"},"FlowId":null}"#,
            r#"{"FlowId":"f","Agent":{"AppId":"a","AppId":1}}"#,
            r#"{"FlowId":"f","X":1,"X":[]}"#,
            r#"{"$serde_json::private::RawValue":"{\"FlowId\":\"f\"}"}"#,
        ];
        for t in duplicates {
            for strict in [false, true] {
                agree_or_decline("ChannelCancelFlow", t, strict, true);
            }
        }
        let texts = [
            r#"{"FlowId":"f","Agent":{"AppId":"a"}} x"#,
            r#"{"FlowId":"f","Agent":{"AppId":"a"}}  "#,
            r#"{"FlowId":"f","Agent":{"AppId":"a"},"X":"\ud800"}"#,
            r#"{"FlowId":"f","Agent":{"AppId":"a"},"X":1e400}"#,
            r#"{"Flow\u0049d":"f","Agent":{"AppId":"a"}}"#,
            r#"{"FlowId":"f\n","Agent":{"AppId":"a"}}"#,
            r#"[]"#,
            r#"null"#,
            r#"{"FlowId":"f","Agent":{"AppId":"a"},"X":[[[[[]]]]]}"#,
        ];
        for t in texts {
            for strict in [false, true] {
                agree("ChannelCancelFlow", t, strict);
            }
        }
    }

    #[test]
    fn declines_bodies_that_are_not_utf8() {
        let input = input("ChannelCancelFlow");
        assert!(check(input, b"{\"FlowId\":\"f\"}", false).is_some());
        for body in [
            &b"{\"FlowId\":\"\xff\"}"[..],
            b"{\"FlowId\":\"f\"}\xff",
            b"\xef\xbb\xbf{}",
        ] {
            assert!(check(input, body, false).is_none());
            assert!(serde_json::from_slice::<Value>(body).is_err());
        }
    }

    const BENCH_CREATE: &str = r#"{"Agent": {"AppId": "yDwhxUUckp3gl8j5UuFX33LSNozpRsbi", "ProxyOrganizationOpenId": "org_bench_0001", "ProxyOperator": {"OpenId": "n9527"}}, "FlowName": "采购合同 2024-Q3 #000123", "FlowDescription": "Benchmark flow: three approvers, one PDF, components on two pages", "FlowType": "采购合同", "FileIds": ["yDwFmUUckpstqfvzUE1h3jo1f3cqjkGm"], "Deadline": 1893456000, "Unordered": false, "CustomerData": "bench-order-000123", "FlowApprovers": [{"ApproverType": "ORGANIZATION", "OrganizationName": "典子谷科技有限公司", "OrganizationOpenId": "org_bench_0001", "OpenId": "n9527", "Name": "张三", "Mobile": "13200000000", "RecipientId": "yDRS4UUgygqdcj38UuO4zjEp", "NotifyType": "NONE", "ApproverRoleName": "甲方", "SignComponents": [{"ComponentType": "SIGN_SIGNATURE", "ComponentRecipientId": "yDRS4UUgygqdcj38UuO4zjEp", "FileIndex": 0, "ComponentPage": 1, "ComponentPosX": 146.5, "ComponentPosY": 472.5, "ComponentWidth": 112.5, "ComponentHeight": 40.5, "GenerateMode": "NORMAL"}]}, {"ApproverType": "PERSON", "Name": "李四", "Mobile": "13300000000", "RecipientId": "yDRS4UUgygqdcj38UuO4zjEq", "NotifyType": "SMS", "ApproverRoleName": "乙方", "PreReadTime": 10, "SignComponents": [{"ComponentType": "SIGN_SIGNATURE", "ComponentRecipientId": "yDRS4UUgygqdcj38UuO4zjEq", "FileIndex": 0, "ComponentPage": 1, "ComponentPosX": 147.5, "ComponentPosY": 472.5, "ComponentWidth": 112.5, "ComponentHeight": 40.5, "GenerateMode": "NORMAL"}]}, {"ApproverType": "PERSON", "Name": "王五", "Mobile": "13400000000", "RecipientId": "yDRS4UUgygqdcj38UuO4zjEr", "NotifyType": "SMS", "ApproverRoleName": "丙方", "ApproverVerifyTypes": [1], "ApproverSignTypes": [1, 2], "SignComponents": [{"ComponentType": "SIGN_SIGNATURE", "ComponentRecipientId": "yDRS4UUgygqdcj38UuO4zjEr", "FileIndex": 0, "ComponentPage": 2, "ComponentPosX": 148.5, "ComponentPosY": 472.5, "ComponentWidth": 112.5, "ComponentHeight": 40.5, "GenerateMode": "NORMAL"}]}], "Components": [{"ComponentType": "TEXT", "ComponentName": "合同编号", "FileIndex": 0, "ComponentPage": 1, "ComponentPosX": 80.5, "ComponentPosY": 100.5, "ComponentWidth": 160.5, "ComponentHeight": 20.5, "ComponentValue": "HT-2024-000123", "GenerateMode": "NORMAL"}]}"#;

    #[test]
    fn agrees_on_the_bench_body() {
        // The benchmark's 2 KB ChannelCreateFlowByFiles body (bench/fixtures.json `create`).
        let create: Value = serde_json::from_str(BENCH_CREATE).unwrap();
        let body = create.to_string();
        assert!(check(input("ChannelCreateFlowByFiles"), body.as_bytes(), false).is_some());
        agree("ChannelCreateFlowByFiles", &body, false);
        agree("ChannelCreateFlowByFiles", &body, true);
        // Break one nested member at a time: the fast path must decline each.
        let mut v = create.clone();
        v["FlowApprovers"][1]["SignComponents"][0]["FileIndex"] = json!("0");
        agree("ChannelCreateFlowByFiles", &v.to_string(), false);
        let mut v = create.clone();
        v["FlowApprovers"][2]
            .as_object_mut()
            .unwrap()
            .remove("ApproverType");
        agree("ChannelCreateFlowByFiles", &v.to_string(), false);
    }
}
