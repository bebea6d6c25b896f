//! Loads `core/spec/api.json` and models the parts the emitters need.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The whole spec file (only the fields the generator uses).
#[derive(Debug, Deserialize)]
pub struct Spec {
    pub service: String,
    pub version: String,
    pub actions: BTreeMap<String, Action>,
    pub objects: BTreeMap<String, Object>,
}

/// One action.
#[derive(Debug, Deserialize)]
pub struct Action {
    pub title: String,
    pub input: String,
    pub output: String,
    pub status: Status,
    #[serde(default)]
    pub replaced_by: Option<String>,
}

/// An action's lifecycle status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Online,
    Deprecated,
}

/// One object (request, response or shared structure).
#[derive(Debug, Deserialize)]
pub struct Object {
    pub members: Vec<Member>,
}

/// The spec's `type` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    String,
    Int,
    Float,
    Bool,
    Object,
    List,
}

/// One member of an object.
#[derive(Debug, Deserialize)]
pub struct Member {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    /// The scalar type name or the object name (element type for lists).
    pub member: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    #[allow(dead_code)]
    pub output_required: bool,
    #[serde(default)]
    pub value_allowed_null: bool,
    #[serde(default)]
    pub disabled: bool,
}

/// A resolved scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Int64,
    Uint64,
    Float,
    Bool,
}

/// A member's resolved element type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty<'a> {
    Scalar(Scalar),
    /// `date` is a string on the wire; kept apart only for documentation.
    Date,
    Object(&'a str),
}

impl Member {
    /// Whether the member is a JSON array.
    pub fn is_list(&self) -> bool {
        self.kind == Kind::List
    }

    /// The element type.
    pub fn ty(&self) -> Ty<'_> {
        match self.member.as_str() {
            "string" => Ty::Scalar(Scalar::String),
            "date" => Ty::Date,
            "int64" => Ty::Scalar(Scalar::Int64),
            "uint64" => Ty::Scalar(Scalar::Uint64),
            "float" => Ty::Scalar(Scalar::Float),
            "bool" => Ty::Scalar(Scalar::Bool),
            other => Ty::Object(other),
        }
    }

    /// The spec type as written, for documentation: `string`, `list<Component>`, ...
    pub fn spec_type(&self) -> String {
        if self.is_list() {
            format!("list<{}>", self.member)
        } else {
            self.member.clone()
        }
    }

    /// The notes every generated doc comment starts with: the spec type, whether the member
    /// is required (requests) or always sent (responses), and whether it may be null.
    pub fn doc_notes(&self, is_response: bool) -> Vec<String> {
        let presence = match (is_response, self.output_required, self.required) {
            (true, true, _) => "always sent",
            (true, false, _) => "may be absent",
            (false, _, true) => "required",
            (false, _, false) => "optional",
        };
        let mut notes = vec![format!("`{}`", self.spec_type()), presence.to_string()];
        if self.value_allowed_null {
            notes.push("may be null".to_string());
        }
        notes
    }
}

/// Whether an object is an action's request, an action's response or shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role<'a> {
    Request(&'a str),
    Response(&'a str),
    Shared,
}

impl Spec {
    /// Reads and checks the spec.
    pub fn load(path: &Path) -> Result<Spec, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let spec: Spec = serde_json::from_str(&text)
            .map_err(|e| format!("cannot parse {}: {e}", path.display()))?;
        spec.check()?;
        Ok(spec)
    }

    fn check(&self) -> Result<(), String> {
        for (name, a) in &self.actions {
            for o in [&a.input, &a.output] {
                if !self.objects.contains_key(o) {
                    return Err(format!("action {name}: unknown object {o}"));
                }
            }
            if a.input != format!("{name}Request") || a.output != format!("{name}Response") {
                return Err(format!("action {name}: unexpected request/response names"));
            }
            if let Some(r) = &a.replaced_by {
                if !self.actions.contains_key(r) {
                    return Err(format!("action {name}: replaced_by unknown action {r}"));
                }
            }
        }
        for (name, o) in &self.objects {
            let mut seen = BTreeSet::new();
            for m in &o.members {
                if !seen.insert(crate::naming::snake_case(&m.name)) {
                    return Err(format!("object {name}: duplicate member {}", m.name));
                }
                let scalar_kind = match m.kind {
                    Kind::String => matches!(m.ty(), Ty::Scalar(Scalar::String) | Ty::Date),
                    Kind::Int => matches!(m.ty(), Ty::Scalar(Scalar::Int64 | Scalar::Uint64)),
                    Kind::Float => m.ty() == Ty::Scalar(Scalar::Float),
                    Kind::Bool => m.ty() == Ty::Scalar(Scalar::Bool),
                    Kind::Object => matches!(m.ty(), Ty::Object(_)),
                    Kind::List => true,
                };
                if !scalar_kind {
                    return Err(format!("object {name}.{}: type/member mismatch", m.name));
                }
                if let Ty::Object(t) = m.ty() {
                    if !self.objects.contains_key(t) {
                        return Err(format!("object {name}.{}: unknown object {t}", m.name));
                    }
                }
            }
        }
        Ok(())
    }

    /// The role of the object named `name`.
    pub fn role<'a>(&'a self, name: &str) -> Role<'a> {
        if let Some(a) = name.strip_suffix("Request") {
            if let Some((k, _)) = self.actions.get_key_value(a) {
                return Role::Request(k);
            }
        }
        if let Some(a) = name.strip_suffix("Response") {
            if let Some((k, _)) = self.actions.get_key_value(a) {
                return Role::Response(k);
            }
        }
        Role::Shared
    }

    /// Shared objects (neither a request nor a response), sorted by name.
    pub fn shared_objects(&self) -> impl Iterator<Item = (&String, &Object)> {
        self.objects
            .iter()
            .filter(|(n, _)| self.role(n) == Role::Shared)
    }

    /// Objects reachable from some response (they may arrive from the service, so every
    /// member is optional in the generated types), including the responses themselves.
    pub fn output_objects(&self) -> BTreeSet<&str> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = self.actions.values().map(|a| a.output.as_str()).collect();
        while let Some(cur) = stack.pop() {
            if !seen.insert(cur) {
                continue;
            }
            for m in &self.objects[cur].members {
                if let Ty::Object(t) = m.ty() {
                    stack.push(t);
                }
            }
        }
        seen
    }

    /// Whether a member of object `object` is optional in the generated types: always for
    /// objects that may come from the service, otherwise unless the spec requires it.
    pub fn is_optional(&self, outputs: &BTreeSet<&str>, object: &str, member: &Member) -> bool {
        outputs.contains(object) || !member.required
    }

    /// Whether the object `name` can reach itself through plain (non-list) object members,
    /// which would need a `Box` in Rust.
    pub fn needs_box(&self, from: &str, member: &Member) -> bool {
        if member.is_list() {
            return false;
        }
        let Ty::Object(target) = member.ty() else {
            return false;
        };
        // Does `target` reach `from` through non-list object members?
        let mut stack = vec![target];
        let mut seen = BTreeSet::new();
        while let Some(cur) = stack.pop() {
            if cur == from {
                return true;
            }
            if !seen.insert(cur) {
                continue;
            }
            for m in &self.objects[cur].members {
                if let (false, Ty::Object(t)) = (m.is_list(), m.ty()) {
                    stack.push(t);
                }
            }
        }
        false
    }
}
