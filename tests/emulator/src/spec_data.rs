//! The vendored spec (`core/spec/api.json`), embedded and indexed for what the compact
//! table in core does not carry: the examples, which the synthesizer turns into values.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// The spec JSON, as vendored.
const API_JSON: &str = include_str!("../../../core/spec/api.json");

/// The parsed and indexed spec.
pub static SPEC: LazyLock<Spec> = LazyLock::new(|| Spec::parse(API_JSON));

/// The element type of a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A JSON string (`string` and `date`).
    String,
    /// A signed integer.
    Int,
    /// An unsigned integer.
    Uint,
    /// Any number.
    Float,
    /// `true` / `false`.
    Bool,
    /// A structure, by name.
    Object(String),
}

/// One member of an object, with its example.
#[derive(Debug, Clone)]
pub struct Member {
    /// The wire name.
    pub name: String,
    /// The element type.
    pub kind: Kind,
    /// Whether it is a list of `kind`.
    pub list: bool,
    /// The spec's example, verbatim (a JSON array as text for lists of scalars).
    pub example: Option<String>,
}

/// One action.
#[derive(Debug, Clone)]
pub struct Action {
    /// The action name.
    pub name: String,
    /// The request object's name.
    pub input: String,
    /// The response object's name.
    pub output: String,
}

/// The whole spec: actions sorted by name, objects by name.
#[derive(Debug)]
pub struct Spec {
    /// Every action, sorted by name (the index is the stats slot).
    pub actions: Vec<Action>,
    objects: HashMap<String, Vec<Member>>,
}

#[derive(Deserialize)]
struct RawSpec {
    actions: std::collections::BTreeMap<String, RawAction>,
    objects: HashMap<String, RawObject>,
}

#[derive(Deserialize)]
struct RawAction {
    input: String,
    output: String,
}

#[derive(Deserialize)]
struct RawObject {
    members: Vec<RawMember>,
}

#[derive(Deserialize)]
struct RawMember {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    member: String,
    example: Option<String>,
}

impl Spec {
    fn parse(text: &str) -> Spec {
        let raw: RawSpec = serde_json::from_str(text).expect("the embedded api.json parses");
        let actions = raw
            .actions
            .into_iter()
            .map(|(name, a)| Action {
                name,
                input: a.input,
                output: a.output,
            })
            .collect();
        let objects = raw
            .objects
            .into_iter()
            .map(|(name, o)| {
                let members = o
                    .members
                    .into_iter()
                    .map(|m| Member {
                        kind: match m.member.as_str() {
                            "string" | "date" | "datetime" => Kind::String,
                            "int64" | "int" => Kind::Int,
                            "uint64" => Kind::Uint,
                            "float" | "double" => Kind::Float,
                            "bool" => Kind::Bool,
                            other => Kind::Object(other.to_owned()),
                        },
                        list: m.ty == "list",
                        name: m.name,
                        example: m.example,
                    })
                    .collect();
                (name, members)
            })
            .collect();
        Spec { actions, objects }
    }

    /// The index of an action in [`Spec::actions`].
    pub fn action_index(&self, name: &str) -> Option<usize> {
        self.actions
            .binary_search_by(|a| a.name.as_str().cmp(name))
            .ok()
    }

    /// The action named `name`.
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.action_index(name).map(|i| &self.actions[i])
    }

    /// The members of the object named `name` (empty for an unknown name).
    pub fn members(&self, name: &str) -> &[Member] {
        self.objects.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The member `member` of object `object`.
    pub fn member(&self, object: &str, member: &str) -> Option<&Member> {
        self.members(object).iter().find(|m| m.name == member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_spec_has_every_action() {
        assert_eq!(SPEC.actions.len(), 101);
        let a = SPEC.action("UploadFiles").unwrap();
        assert_eq!(a.output, "UploadFilesResponse");
        let m = SPEC.member("UploadFilesResponse", "FileIds").unwrap();
        assert!(m.list);
        assert_eq!(m.kind, Kind::String);
    }
}
