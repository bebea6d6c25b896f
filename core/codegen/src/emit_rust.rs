//! The Rust models: `core/src/generated/{mod.rs, objects/, actions/}`.

use crate::naming::{
    doc_text, needs_rename, rust_ident, rust_module, rust_str, rust_type, snake_case,
};
use crate::spec::{Member, Role, Scalar, Spec, Status, Ty};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Renders every Rust model file as `(path relative to core/src/generated, contents)`.
pub fn emit(spec: &Spec, header: &str) -> Vec<(String, String)> {
    let outputs = spec.output_objects();
    let mut files = Vec::new();

    // objects/
    let mut objects_mod = String::new();
    objects_mod.push_str(header);
    objects_mod.push_str(
        "//! The shared structures of the spec (everything but requests and responses).\n\
         #![allow(deprecated)]\n\n",
    );
    let shared: Vec<&String> = spec.shared_objects().map(|(n, _)| n).collect();
    for name in &shared {
        let ty = rust_type(name);
        let module = rust_module(&snake_case(&ty));
        let _ = writeln!(objects_mod, "mod {module};");
        let _ = writeln!(objects_mod, "pub use {module}::{ty};");
        let mut s = String::new();
        s.push_str(header);
        s.push_str("#![allow(deprecated)]\n\n");
        s.push_str(&imports(spec, &[name.as_str()], "super"));
        let usage = if outputs.contains(name.as_str()) {
            "it may come from the service, so every member is optional"
        } else {
            "request-only"
        };
        let mut doc = format!("The spec object `{name}` ({usage}).");
        if ty != **name {
            let _ = write!(
                doc,
                " Named `{ty}` in Rust so that it does not shadow the prelude's `{name}`."
            );
        }
        emit_struct(&mut s, spec, &outputs, name, &doc, None);
        files.push((format!("objects/{module}.rs"), s));
    }
    files.push(("objects/mod.rs".to_string(), objects_mod));

    // actions/
    let mut actions_mod = String::new();
    actions_mod.push_str(header);
    actions_mod.push_str(
        "//! The request and response of every action, and their [`Action`](super::Action) impls.\n\
         #![allow(deprecated)]\n\n",
    );
    for (name, action) in &spec.actions {
        let module = rust_module(&snake_case(name));
        let _ = writeln!(actions_mod, "mod {module};");
        let _ = writeln!(
            actions_mod,
            "pub use {module}::{{{}, {}}};",
            action.input, action.output
        );
        let deprecated = (action.status == Status::Deprecated).then(|| match &action.replaced_by {
            Some(r) => format!("use {r}"),
            None => "deprecated in the spec".to_string(),
        });
        let title = doc_text(&action.title);
        let mut s = String::new();
        s.push_str(header);
        s.push_str("#![allow(deprecated)]\n\n");
        s.push_str(&imports(
            spec,
            &[action.input.as_str(), action.output.as_str()],
            "crate::generated::objects",
        ));
        let doc = format!("Request of `{name}` ({title}).");
        emit_struct(
            &mut s,
            spec,
            &outputs,
            &action.input,
            &doc,
            deprecated.as_deref(),
        );
        s.push('\n');
        let doc = format!("Response of `{name}` ({title}).");
        emit_struct(
            &mut s,
            spec,
            &outputs,
            &action.output,
            &doc,
            deprecated.as_deref(),
        );
        let _ = write!(
            s,
            "\nimpl crate::generated::Action for {} {{\n    \
             const NAME: &'static str = {};\n    \
             type Output = {};\n}}\n",
            action.input,
            rust_str(name),
            action.output
        );
        files.push((format!("actions/{module}.rs"), s));
    }
    files.push(("actions/mod.rs".to_string(), actions_mod));

    files.push(("mod.rs".to_string(), emit_root(header)));
    files
}

/// `use` lines for the shared objects the given objects' members refer to.
fn imports(spec: &Spec, objects: &[&str], from: &str) -> String {
    let mut used = BTreeSet::new();
    for o in objects {
        for m in &spec.objects[*o].members {
            if let Ty::Object(t) = m.ty() {
                if !objects.contains(&t) {
                    used.insert(rust_type(t));
                }
            }
        }
    }
    let mut s = String::new();
    match used.len() {
        0 => {}
        1 => {
            let _ = writeln!(s, "use {from}::{};", used.iter().next().unwrap());
        }
        _ => {
            let list: Vec<&str> = used.iter().map(String::as_str).collect();
            let line = format!("use {from}::{{{}}};", list.join(", "));
            if line.len() <= 100 {
                let _ = writeln!(s, "{line}");
            } else {
                let _ = writeln!(s, "use {from}::{{");
                for u in &list {
                    let _ = writeln!(s, "    {u},");
                }
                s.push_str("};\n");
            }
        }
    }
    s.push_str("use serde::{Deserialize, Serialize};\n\n");
    s
}

fn scalar_type(s: Scalar) -> &'static str {
    match s {
        Scalar::String => "String",
        Scalar::Int64 => "i64",
        Scalar::Uint64 => "u64",
        Scalar::Float => "f64",
        Scalar::Bool => "bool",
    }
}

fn field_type(spec: &Spec, object: &str, m: &Member, optional: bool) -> String {
    let elem = match m.ty() {
        Ty::Scalar(s) => scalar_type(s).to_string(),
        Ty::Date => "String".to_string(),
        Ty::Object(t) => rust_type(t),
    };
    let base = if m.is_list() {
        format!("Vec<{elem}>")
    } else if spec.needs_box(object, m) {
        format!("Box<{elem}>")
    } else {
        elem
    };
    if optional {
        format!("Option<{base}>")
    } else {
        base
    }
}

fn emit_struct(
    s: &mut String,
    spec: &Spec,
    outputs: &BTreeSet<&str>,
    name: &str,
    doc: &str,
    deprecated: Option<&str>,
) {
    let object = &spec.objects[name];
    let is_response = matches!(spec.role(name), Role::Response(_));
    let _ = writeln!(s, "/// {doc}");
    if let Some(note) = deprecated {
        let _ = writeln!(s, "#[deprecated(note = {})]", rust_str(note));
    }
    s.push_str("#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]\n");
    s.push_str("#[serde(rename_all = \"PascalCase\")]\n");
    let ty = rust_type(name);
    if object.members.is_empty() {
        let _ = writeln!(s, "pub struct {ty} {{}}");
        return;
    }
    let _ = writeln!(s, "pub struct {ty} {{");
    for (i, m) in object.members.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        let optional = spec.is_optional(outputs, name, m);
        let mut notes = m.doc_notes(is_response);
        if m.disabled {
            notes.push("disabled in the spec".to_string());
        }
        let _ = writeln!(s, "    /// `{}`: {}.", m.name, notes.join(", "));
        if m.disabled {
            s.push_str("    #[deprecated(note = \"disabled in the spec\")]\n");
        }
        let snake = snake_case(&m.name);
        let ident = rust_ident(&snake);
        let mut attrs = Vec::new();
        if needs_rename(&m.name) || ident != snake {
            attrs.push(format!("rename = {}", rust_str(&m.name)));
        }
        if optional {
            attrs.push("default".to_string());
            attrs.push("skip_serializing_if = \"Option::is_none\"".to_string());
        }
        if !attrs.is_empty() {
            let _ = writeln!(s, "    #[serde({})]", attrs.join(", "));
        }
        let _ = writeln!(
            s,
            "    pub {ident}: {},",
            field_type(spec, name, m, optional)
        );
    }
    s.push_str("}\n");
}

fn emit_root(header: &str) -> String {
    let mut s = String::new();
    s.push_str(header);
    s.push_str(
        r#"//! Generated from `core/spec/api.json` by `essbasic-codegen`: the spec table and the typed
//! models of every action.

#[rustfmt::skip]
pub mod actions;
#[cfg(feature = "client")]
#[rustfmt::skip]
pub mod client_methods;
#[rustfmt::skip]
pub mod objects;
#[rustfmt::skip]
pub mod table;

/// An action of the API, implemented by its request type.
///
/// ```
/// use essbasic::generated::models::{Action, ChannelCancelFlowRequest};
/// assert_eq!(ChannelCancelFlowRequest::NAME, "ChannelCancelFlow");
/// ```
pub trait Action: serde::Serialize {
    /// The action name sent in `X-TC-Action`, e.g. `ChannelCancelFlow`.
    const NAME: &'static str;
    /// The response type.
    type Output: serde::de::DeserializeOwned;
}

/// Every request, response and shared structure, flat, plus the [`Action`] trait.
pub mod models {
    pub use super::actions::*;
    pub use super::objects::*;
    pub use super::Action;
}
"#,
    );
    s
}
