"""Model classes in the official SDK's manner, for every object of the spec:
``models.ChannelCancelFlowRequest()``, ``req.from_json_string(...)``, ``req.FlowId = ...``,
``req._serialize()``, ``resp.to_json_string()``.

The classes are made on first use from the names of :mod:`essbasic.models`; they hold any
attribute (an unset PascalCase member reads as ``None``) and leave validation to the client,
which checks every request against the spec before sending it.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Type

from .. import models as _typed

__all__ = ["AbstractModel"]


def _plain(value: Any, allow_none: bool) -> Any:
    if isinstance(value, AbstractModel):
        return value._serialize(allow_none)
    if isinstance(value, Mapping):
        return {k: _plain(v, allow_none) for k, v in value.items() if allow_none or v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v, allow_none) for v in value]
    return value


class AbstractModel:
    """The base of every model: attributes in, a JSON object out."""

    _headers: Optional[Dict[str, str]] = None

    def __init__(self, **members: Any) -> None:
        self.__dict__.update(members)

    def __getattr__(self, name: str) -> Any:
        if name[:1].isupper():
            return None
        raise AttributeError(name)

    @property
    def headers(self) -> Optional[Dict[str, str]]:
        """Extra headers sent with this request."""
        return self._headers

    @headers.setter
    def headers(self, headers: Optional[Dict[str, str]]) -> None:
        self._headers = headers

    def _serialize(self, allow_none: bool = False) -> Dict[str, Any]:
        return {
            k: _plain(v, allow_none)
            for k, v in vars(self).items()
            if not k.startswith("_") and (allow_none or v is not None)
        }

    def _deserialize(self, params: Mapping[str, Any]) -> None:
        self.__dict__.update(params)

    def to_json_string(self, *args: Any, **kwargs: Any) -> str:
        """The JSON text (``ensure_ascii=False`` unless given)."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self._serialize(allow_none=True), *args, **kwargs)

    def from_json_string(self, jsonStr: str) -> None:
        """Sets the members from JSON text."""
        self._deserialize(json.loads(jsonStr))

    def __repr__(self) -> str:
        return self.to_json_string()


_classes: Dict[str, Type[AbstractModel]] = {}


def __getattr__(name: str) -> Type[AbstractModel]:
    if name.startswith("_") or not isinstance(getattr(_typed, name, None), type):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    cls = _classes.get(name)
    if cls is None:
        cls = type(name, (AbstractModel,), {"__module__": __name__, "__qualname__": name})
        _classes[name] = cls
    return cls
