//! `bindings-node/types/models.d.ts`: one interface per object, plus the `Actions` map.

use crate::naming::doc_text;
use crate::spec::{Member, Role, Scalar, Spec, Status, Ty};
use std::fmt::Write;

/// Renders the declaration file.
pub fn emit(spec: &Spec, header: &str) -> String {
    let outputs = spec.output_objects();
    let mut s = String::new();
    s.push_str(header);
    let _ = write!(
        s,
        "/**\n \
         * Request, response and structure types of every action of {} {}.\n \
         *\n \
         * Member names are the PascalCase wire names of the spec. Request members the spec\n \
         * requires are mandatory; everything that may come from the service is optional.\n \
         */\n\n",
        spec.service, spec.version
    );
    s.push_str(
        "/**\n \
         * A signed 64-bit integer (`int64` in the spec). On input a `number` or a `bigint` (sent\n \
         * as its exact digits; strings are refused, as the service does); on output, values\n \
         * beyond 2^53 (`Number.MAX_SAFE_INTEGER`) arrive as a `bigint` so that no digit is\n \
         * lost, smaller ones as a `number`.\n \
         */\n\
         export type Int64 = number | bigint;\n\n\
         /**\n \
         * An unsigned 64-bit integer (`uint64` in the spec). On input a `number` or a `bigint`;\n \
         * on output, values beyond 2^53 arrive as a `bigint`,\n \
         * smaller ones as a `number`.\n \
         */\n\
         export type Uint64 = number | bigint;\n",
    );

    s.push_str("\n// Shared structures.\n");
    for (name, _) in spec.shared_objects() {
        let usage = if outputs.contains(name.as_str()) {
            "it may come from the service, so every member is optional"
        } else {
            "request-only"
        };
        s.push('\n');
        emit_interface(
            &mut s,
            spec,
            &outputs,
            name,
            &[format!("The spec object `{name}` ({usage}).")],
        );
    }

    s.push_str("\n// Requests and responses.\n");
    for (name, action) in &spec.actions {
        let title = doc_text(&action.title);
        let mut extra = Vec::new();
        if action.status == Status::Deprecated {
            extra.push(deprecated_tag(action.replaced_by.as_deref()));
        }
        for (object, what) in [(&action.input, "Request"), (&action.output, "Response")] {
            let mut doc = vec![format!("{what} of `{name}` ({title}).")];
            doc.extend(extra.iter().cloned());
            s.push('\n');
            emit_interface(&mut s, spec, &outputs, object, &doc);
        }
    }

    s.push_str(
        "\n/** Every action: its request and response types, keyed by the action name. */\n\
         export interface Actions {\n",
    );
    for (name, action) in &spec.actions {
        let title = doc_text(&action.title);
        if action.status == Status::Deprecated {
            let _ = writeln!(
                s,
                "  /**\n   * {title}\n   * {}\n   */",
                deprecated_tag(action.replaced_by.as_deref())
            );
        } else {
            let _ = writeln!(s, "  /** {title} */");
        }
        let _ = writeln!(
            s,
            "  {name}: {{ request: {}; response: {} }};",
            action.input, action.output
        );
    }
    s.push_str(
        "}\n\n\
         /** The name of an action. */\n\
         export type ActionName = keyof Actions;\n\n\
         /** The request type of action `A`. */\n\
         export type ActionRequest<A extends ActionName> = Actions[A][\"request\"];\n\n\
         /** The response type of action `A`. */\n\
         export type ActionResponse<A extends ActionName> = Actions[A][\"response\"];\n",
    );
    s
}

fn deprecated_tag(replaced_by: Option<&str>) -> String {
    match replaced_by {
        Some(r) => format!("@deprecated Use `{r}`."),
        None => "@deprecated Deprecated in the spec.".to_string(),
    }
}

fn ts_type(m: &Member) -> String {
    let elem = match m.ty() {
        Ty::Scalar(Scalar::String) | Ty::Date => "string".to_string(),
        Ty::Scalar(Scalar::Int64) => "Int64".to_string(),
        Ty::Scalar(Scalar::Uint64) => "Uint64".to_string(),
        Ty::Scalar(Scalar::Float) => "number".to_string(),
        Ty::Scalar(Scalar::Bool) => "boolean".to_string(),
        Ty::Object(t) => t.to_string(),
    };
    if m.is_list() {
        format!("{elem}[]")
    } else {
        elem
    }
}

fn emit_interface(
    s: &mut String,
    spec: &Spec,
    outputs: &std::collections::BTreeSet<&str>,
    name: &str,
    doc: &[String],
) {
    let object = &spec.objects[name];
    let is_response = matches!(spec.role(name), Role::Response(_));
    if doc.len() == 1 {
        let _ = writeln!(s, "/** {} */", doc[0]);
    } else {
        s.push_str("/**\n");
        for line in doc {
            let _ = writeln!(s, " * {line}");
        }
        s.push_str(" */\n");
    }
    if object.members.is_empty() {
        let _ = writeln!(s, "export interface {name} {{}}");
        return;
    }
    let _ = writeln!(s, "export interface {name} {{");
    for m in &object.members {
        let optional = spec.is_optional(outputs, name, m);
        let notes = m.doc_notes(is_response);
        let line = format!("`{}`: {}.", m.name, notes.join(", "));
        if m.disabled {
            let _ = writeln!(
                s,
                "  /**\n   * {line}\n   * @deprecated Disabled in the spec.\n   */"
            );
        } else {
            let _ = writeln!(s, "  /** {line} */");
        }
        let null = if m.value_allowed_null && outputs.contains(name) {
            " | null"
        } else {
            ""
        };
        let q = if optional { "?" } else { "" };
        let _ = writeln!(s, "  {}{q}: {}{null};", m.name, ts_type(m));
    }
    s.push_str("}\n");
}
