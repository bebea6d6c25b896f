//! `core/src/generated/table.rs`: the compact static spec table (types in `core/src/spec.rs`).

use crate::naming::rust_str;
use crate::spec::{Scalar, Spec, Status, Ty};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Renders the table module.
pub fn emit(spec: &Spec, header: &str) -> String {
    // BTreeMap iteration is byte-wise sorted, the same order `str::cmp` uses at run time.
    let ids: BTreeMap<&str, usize> = spec
        .objects
        .keys()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    assert!(
        ids.len() <= u16::MAX as usize,
        "too many objects for ObjectId"
    );

    let mut s = String::new();
    s.push_str(header);
    s.push_str(
        "//! The spec table: every action and object, sorted by name (see `crate::spec`).\n\
         #![allow(clippy::too_many_arguments)]\n\
         \n\
         use crate::spec::{ActionSpec, Host, MemberSpec, ObjectSpec, Scalar, TypeRef};\n\
         \n\
         /// The service name.\n",
    );
    let _ = writeln!(s, "pub const SERVICE: &str = {};", rust_str(&spec.service));
    s.push_str("/// The API version.\n");
    let _ = writeln!(
        s,
        "pub const API_VERSION: &str = {};",
        rust_str(&spec.version)
    );
    s.push_str(
        "\n\
         const S: TypeRef = TypeRef::Scalar(Scalar::String);\n\
         const I: TypeRef = TypeRef::Scalar(Scalar::Int64);\n\
         const U: TypeRef = TypeRef::Scalar(Scalar::Uint64);\n\
         const F: TypeRef = TypeRef::Scalar(Scalar::Float);\n\
         const B: TypeRef = TypeRef::Scalar(Scalar::Bool);\n\
         /// List.\n\
         const L: u8 = 1;\n\
         /// Required.\n\
         const R: u8 = 2;\n\
         /// Nullable.\n\
         const N: u8 = 4;\n\
         /// Disabled.\n\
         const D: u8 = 8;\n\
         \n\
         const fn o(id: u16) -> TypeRef {\n\
         \x20   TypeRef::Object(id)\n\
         }\n\
         \n\
         const fn m(name: &'static str, ty: TypeRef, flags: u8) -> MemberSpec {\n\
         \x20   MemberSpec {\n\
         \x20       name,\n\
         \x20       ty,\n\
         \x20       list: flags & L != 0,\n\
         \x20       required: flags & R != 0,\n\
         \x20       nullable: flags & N != 0,\n\
         \x20       disabled: flags & D != 0,\n\
         \x20   }\n\
         }\n\
         \n\
         const fn a(\n\
         \x20   name: &'static str,\n\
         \x20   title: &'static str,\n\
         \x20   input: u16,\n\
         \x20   output: u16,\n\
         \x20   host: Host,\n\
         \x20   deprecated: bool,\n\
         \x20   replaced_by: Option<&'static str>,\n\
         \x20   read_only: bool,\n\
         ) -> ActionSpec {\n\
         \x20   ActionSpec {\n\
         \x20       name,\n\
         \x20       title,\n\
         \x20       input,\n\
         \x20       output,\n\
         \x20       host,\n\
         \x20       deprecated,\n\
         \x20       replaced_by,\n\
         \x20       read_only,\n\
         \x20   }\n\
         }\n\
         \n\
         /// Every action, sorted by name.\n\
         pub static ACTIONS: &[ActionSpec] = &[\n",
    );
    for (name, action) in &spec.actions {
        let host = if name == "UploadFiles" {
            "Host::File"
        } else {
            "Host::Api"
        };
        let replaced = match &action.replaced_by {
            Some(r) => format!("Some({})", rust_str(r)),
            None => "None".to_string(),
        };
        let _ = writeln!(
            s,
            "    a({}, {}, {}, {}, {host}, {}, {replaced}, {}),",
            rust_str(name),
            rust_str(&action.title),
            ids[action.input.as_str()],
            ids[action.output.as_str()],
            action.status == Status::Deprecated,
            is_read_only(name),
        );
    }
    s.push_str("];\n\n/// Every object, sorted by name.\npub static OBJECTS: &[ObjectSpec] = &[\n");
    for (i, (name, object)) in spec.objects.iter().enumerate() {
        let _ = writeln!(s, "    // {i}");
        if object.members.is_empty() {
            let _ = writeln!(
                s,
                "    ObjectSpec {{ name: {}, members: &[] }},",
                rust_str(name)
            );
            continue;
        }
        let _ = writeln!(
            s,
            "    ObjectSpec {{\n        name: {},\n        members: &[",
            rust_str(name)
        );
        for member in &object.members {
            let ty = match member.ty() {
                Ty::Scalar(Scalar::String) | Ty::Date => "S".to_string(),
                Ty::Scalar(Scalar::Int64) => "I".to_string(),
                Ty::Scalar(Scalar::Uint64) => "U".to_string(),
                Ty::Scalar(Scalar::Float) => "F".to_string(),
                Ty::Scalar(Scalar::Bool) => "B".to_string(),
                Ty::Object(t) => format!("o({})", ids[t]),
            };
            let mut flags = Vec::new();
            if member.is_list() {
                flags.push("L");
            }
            if member.required {
                flags.push("R");
            }
            if member.value_allowed_null {
                flags.push("N");
            }
            if member.disabled {
                flags.push("D");
            }
            let flags = if flags.is_empty() {
                "0".to_string()
            } else {
                flags.join(" | ")
            };
            let _ = writeln!(
                s,
                "            m({}, {ty}, {flags}),",
                rust_str(&member.name)
            );
        }
        s.push_str("        ],\n    },\n");
    }
    s.push_str("];\n");
    s
}

/// Read-only actions: after stripping a leading `Channel`, the name starts with
/// `Describe`, `Get` or `Verify`.
pub fn is_read_only(action: &str) -> bool {
    let rest = action.strip_prefix("Channel").unwrap_or(action);
    ["Describe", "Get", "Verify"]
        .iter()
        .any(|p| rest.starts_with(p))
}
