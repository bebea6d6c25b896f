//! One typed method per action on the Rust `Client`: `core/src/generated/client_methods.rs`.

use std::fmt::Write;

use crate::naming::{rust_ident, snake_case};
use crate::spec::{Spec, Status};

/// The file's contents.
pub fn emit(spec: &Spec, header: &str) -> String {
    let mut s = String::from(header);
    s.push_str(
        "//! One method per action on [`Client`], each a typed shortcut for [`Client::send`].\n\
         #![allow(deprecated)]\n\n\
         use crate::client::Client;\n\
         use crate::generated::actions::*;\n\
         use crate::Error;\n\n\
         impl Client {\n",
    );
    let mut first = true;
    for (name, action) in &spec.actions {
        if !first {
            s.push('\n');
        }
        first = false;
        let method = rust_ident(&snake_case(name));
        let _ = writeln!(s, "    /// {} (`{name}`).", action.title.replace('\n', " "));
        if action.status == Status::Deprecated {
            let note = match &action.replaced_by {
                Some(next) => format!("use {next}"),
                None => "deprecated in the spec".to_owned(),
            };
            let _ = writeln!(s, "    #[deprecated(note = \"{note}\")]");
        }
        let _ = writeln!(
            s,
            "    pub async fn {method}(&self, request: &{input}) -> Result<{output}, Error> {{\n        self.send(request).await\n    }}",
            input = action.input,
            output = action.output,
        );
    }
    s.push_str("}\n");
    s
}
