//! `bindings-python/python/essbasic/models.py`: `TypedDict`s for every object and the
//! action → method name map.

use crate::naming::{doc_text, snake_case};
use crate::spec::{Member, Scalar, Spec, Status, Ty};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Renders the Python module.
pub fn emit(spec: &Spec, header: &str) -> String {
    let outputs = spec.output_objects();
    let mut s = String::new();
    s.push_str(header);
    let _ = write!(
        s,
        "\"\"\"Typed dictionaries for every request, response and structure of {} {}.\n\
         \n\
         Keys are the PascalCase wire names of the spec. Request keys the spec requires are\n\
         required; everything that may come from the service is optional (``total=False``).\n\
         Works on Python 3.9+ with the standard library only: a class with required keys and\n\
         optional ones derives from a private base holding the required ones.\n\
         \"\"\"\n\
         \n\
         from __future__ import annotations\n\
         \n\
         from typing import Dict, List, Optional, TypedDict\n",
        spec.service, spec.version
    );

    // Shared objects first, each after the objects it refers to.
    let mut order = Vec::new();
    let mut visited = BTreeSet::new();
    for (name, _) in spec.shared_objects() {
        visit(spec, name, &mut visited, &mut order);
    }
    for name in &order {
        let usage = if outputs.contains(name) {
            "It may come from the service, so every key is optional."
        } else {
            "Request-only."
        };
        emit_class(
            &mut s,
            spec,
            &outputs,
            name,
            &format!("The spec object ``{name}``. {usage}"),
        );
    }
    for (name, action) in &spec.actions {
        let title = doc_text(&action.title);
        let note = match (action.status, &action.replaced_by) {
            (Status::Deprecated, Some(r)) => format!(" Deprecated: use ``{r}``."),
            (Status::Deprecated, None) => " Deprecated in the spec.".to_string(),
            _ => String::new(),
        };
        emit_class(
            &mut s,
            spec,
            &outputs,
            &action.input,
            &format!("Request of ``{name}`` ({title}).{note}"),
        );
        emit_class(
            &mut s,
            spec,
            &outputs,
            &action.output,
            &format!("Response of ``{name}`` ({title}).{note}"),
        );
    }

    s.push_str(
        "\n\n#: The snake_case client method name of every action.\n\
         METHOD_NAMES: Dict[str, str] = {\n",
    );
    for name in spec.actions.keys() {
        let _ = writeln!(s, "    \"{name}\": \"{}\",", snake_case(name));
    }
    s.push_str("}\n");
    s
}

/// Post-order walk so that every class is defined after the classes it refers to.
fn visit<'a>(
    spec: &'a Spec,
    name: &'a str,
    visited: &mut BTreeSet<&'a str>,
    order: &mut Vec<&'a str>,
) {
    if !visited.insert(name) {
        return;
    }
    for m in &spec.objects[name].members {
        if let Ty::Object(t) = m.ty() {
            visit(spec, t, visited, order);
        }
    }
    order.push(name);
}

fn py_type(m: &Member) -> String {
    let elem = match m.ty() {
        Ty::Scalar(Scalar::String) | Ty::Date => "str".to_string(),
        Ty::Scalar(Scalar::Int64 | Scalar::Uint64) => "int".to_string(),
        Ty::Scalar(Scalar::Float) => "float".to_string(),
        Ty::Scalar(Scalar::Bool) => "bool".to_string(),
        Ty::Object(t) => t.to_string(),
    };
    if m.is_list() {
        format!("List[{elem}]")
    } else {
        elem
    }
}

fn emit_fields(s: &mut String, members: &[&Member], nullable_ok: bool) {
    for m in members {
        let mut notes = vec![m.spec_type()];
        if m.disabled {
            notes.push("disabled in the spec".to_string());
        }
        let _ = writeln!(s, "    #: {}", notes.join(", "));
        let ty = py_type(m);
        if m.value_allowed_null && nullable_ok {
            let _ = writeln!(s, "    {}: Optional[{ty}]", m.name);
        } else {
            let _ = writeln!(s, "    {}: {ty}", m.name);
        }
    }
}

fn emit_class(s: &mut String, spec: &Spec, outputs: &BTreeSet<&str>, name: &str, doc: &str) {
    let object = &spec.objects[name];
    let (optional, required): (Vec<&Member>, Vec<&Member>) = object
        .members
        .iter()
        .partition(|m| spec.is_optional(outputs, name, m));
    let nullable_ok = outputs.contains(name);
    s.push_str("\n\n");
    if required.is_empty() {
        let _ = writeln!(s, "class {name}(TypedDict, total=False):");
        let _ = writeln!(s, "    \"\"\"{doc}\"\"\"");
        if !optional.is_empty() {
            s.push('\n');
        }
        emit_fields(s, &optional, nullable_ok);
    } else if optional.is_empty() {
        let _ = writeln!(s, "class {name}(TypedDict):");
        let _ = writeln!(s, "    \"\"\"{doc}\"\"\"\n");
        emit_fields(s, &required, nullable_ok);
    } else {
        let base = format!("_{name}Required");
        let _ = writeln!(s, "class {base}(TypedDict):");
        let _ = writeln!(s, "    \"\"\"The required keys of :class:`{name}`.\"\"\"\n");
        emit_fields(s, &required, nullable_ok);
        let _ = writeln!(s, "\n\nclass {name}({base}, total=False):");
        let _ = writeln!(s, "    \"\"\"{doc}\"\"\"\n");
        emit_fields(s, &optional, nullable_ok);
    }
}
