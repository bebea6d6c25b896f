//! `bindings-python/python/essbasic/_actions.py`: one typed method per action for the Python
//! clients, in two mixins (`SyncActions` for `essbasic.Client`, `AsyncActions` for
//! `essbasic.AsyncClient`).
//!
//! Each action gets the boto3-style `snake_case(**params)` method, typed with
//! `Unpack[<Action>Request]` and returning `<Action>Response` (the `TypedDict`s of
//! `models.py`), and the official SDK's `PascalCase(request)` method.

use crate::naming::{doc_text, snake_case};
use crate::spec::{Spec, Status};
use std::fmt::Write;

/// The path of the generated module, relative to the workspace root.
pub const PATH: &str = "bindings-python/python/essbasic/_actions.py";

/// Text safe inside a Python triple-quoted docstring.
fn py_doc(s: &str) -> String {
    doc_text(s)
        .replace('\\', "\\\\")
        .replace("\"\"\"", "\\\"\\\"\\\"")
}

/// Renders the Python module.
pub fn emit(spec: &Spec, header: &str) -> String {
    let mut s = String::new();
    s.push_str(header);
    let _ = write!(
        s,
        r#""""Every action of {service} {version} as a client method.

:class:`SyncActions` is mixed into :class:`essbasic.Client` and :class:`AsyncActions` into
:class:`essbasic.AsyncClient` (whose methods are coroutines). Each action has two methods:

- ``snake_case(**params)``, in the boto3 manner: the keyword arguments are the request members
  with their PascalCase wire names, and ``trace_id=`` (the call's ``X-TC-TraceId``, a fresh
  UUID when omitted); returns the ``Response`` object as a dict, RequestId included, whose
  :class:`~essbasic.ResponseMeta` :func:`essbasic.response_meta` reads.
- ``PascalCase(request)``, the official SDK's shape: ``request`` is a dict or a model object
  with ``_serialize()``; the returned dict also reads its keys as attributes
  (``resp.RequestId``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Mapping, Optional, Protocol, Union, cast

from . import models

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from typing import Unpack
    else:
        from typing_extensions import Unpack

__all__ = ["SyncActions", "AsyncActions", "Serializable", "RequestLike"]


class Serializable(Protocol):
    """An official SDK model object: anything with ``_serialize()``."""

    def _serialize(self) -> Any: ...


#: What the official-shaped methods accept: a dict, a model object, or nothing.
RequestLike = Union[Mapping[str, Any], Serializable, None]
"#,
        service = spec.service,
        version = spec.version
    );

    for asynchronous in [false, true] {
        emit_class(&mut s, spec, asynchronous);
    }
    s
}

fn emit_class(s: &mut String, spec: &Spec, asynchronous: bool) {
    let (class, client, def, awaiting) = if asynchronous {
        ("AsyncActions", "AsyncClient", "async def", "await ")
    } else {
        ("SyncActions", "Client", "def", "")
    };
    let _ = write!(
        s,
        r#"

class {class}:
    """The action methods of :class:`essbasic.{client}` (generated)."""

    __slots__ = ()

    {def} _action(
        self, action: str, params: Mapping[str, Any], trace_id: Optional[str] = None
    ) -> Any:
        """Calls ``action``; returns the ``Response`` object (implemented by the client)."""
        raise NotImplementedError

    {def} _action_compat(self, action: str, request: Optional[Any]) -> Any:
        """Calls ``action`` the official SDK's way (implemented by the client)."""
        raise NotImplementedError
"#
    );
    for (name, action) in &spec.actions {
        let snake = snake_case(name);
        let title = py_doc(&action.title);
        let note = match (action.status, &action.replaced_by) {
            (Status::Deprecated, Some(r)) => {
                format!(
                    "\n\n        Deprecated: use ``{r}`` (:meth:`{}`).",
                    snake_case(r)
                )
            }
            (Status::Deprecated, None) => "\n\n        Deprecated in the spec.".to_string(),
            _ => String::new(),
        };
        let required: Vec<String> = spec.objects[&action.input]
            .members
            .iter()
            .filter(|m| m.required)
            .map(|m| format!("``{}``", m.name))
            .collect();
        let required = if required.is_empty() {
            "No member is required.".to_string()
        } else {
            format!("Required: {}.", required.join(", "))
        };
        // A one-line docstring unless there is a deprecation note.
        let pascal_end = if note.is_empty() {
            "\"\"\"".to_string()
        } else {
            format!("{note}\n        \"\"\"")
        };
        let input = &action.input;
        let output = &action.output;
        let _ = write!(
            s,
            r#"
    {def} {snake}(self, *, trace_id: Optional[str] = None, **params: Unpack[models.{input}]) -> models.{output}:
        """{title} (``{name}``).

        Keyword arguments: the members of :class:`~essbasic.models.{input}`. {required}
        ``trace_id``: the ``X-TC-TraceId`` of the call (default: a fresh UUID).
        Returns the ``Response`` object, :class:`~essbasic.models.{output}`.{note}
        """
        return cast("models.{output}", {awaiting}self._action("{name}", params, trace_id))

    {def} {name}(self, request: RequestLike = None) -> models.{output}:
        """{title} (``{name}``), the official SDK's shape of :meth:`{snake}`.{pascal_end}
        return cast("models.{output}", {awaiting}self._action_compat("{name}", request))
"#
        );
    }
}

#[cfg(test)]
mod tests {
    use super::py_doc;

    #[test]
    fn docstrings_are_escaped() {
        assert_eq!(py_doc("a \"\"\" b\\c\n d"), "a \\\"\\\"\\\" b\\\\c d");
    }
}
