"""essbasic: the Tencent E-Sign partner API (腾讯电子签 第三方应用集成, service ``essbasic``,
version ``2021-05-26``) for Python, on the essbasic Rust core.

>>> import essbasic
>>> client = essbasic.Client(secret_id="AKID...", secret_key="...")      # doctest: +SKIP
>>> resp = client.channel_cancel_flow(FlowId="yDw...", Agent={"AppId": "..."})  # doctest: +SKIP
>>> resp["RequestId"]                                                     # doctest: +SKIP

Every action is a method of :class:`Client` (and a coroutine of :class:`AsyncClient`), typed
with the :mod:`essbasic.models` ``TypedDict``s. Parameters are validated against the spec
before anything is sent; every error is a :class:`TencentCloudSDKException`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, List


def _lazy_module(name: str) -> None:
    """Registers submodule ``name`` so that importing it is cheap and running it waits for
    the first attribute read (``importlib.util.LazyLoader``): the generated ``models``
    (hundreds of ``TypedDict`` classes) are only annotations for the methods."""
    import importlib.util

    full = f"{__name__}.{name}"
    if full in sys.modules:
        return
    spec = importlib.util.find_spec(full)
    if spec is None or spec.loader is None:
        return
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[full] = module
    loader.exec_module(module)
    # Found by `from . import models` without an import (which would read, and so load, it).
    globals()[name] = module


_lazy_module("models")

from ._base import AttrDict, HookContext, ResponseMeta, Result, Settings, response_meta  # noqa: E402
from ._core import API_VERSION, SERVICE, Tc3Signer  # noqa: E402
from ._core import __version__ as __version__  # noqa: E402
from .client import Client  # noqa: E402
from .errors import (  # noqa: E402
    ApiError,
    CallbackError,
    CryptoError,
    DecodeError,
    EssbasicError,
    HttpError,
    SigningError,
    TaskError,
    TencentCloudSDKException,
    TimeoutError,
    TransportError,
    ValidationError,
)
from .retry import DEFAULT_RETRY, NO_RETRY, Retry  # noqa: E402

if TYPE_CHECKING:
    from . import callbacks, encryption, errors, models, transport
    from ._features import WaitPolicy, WaitUpdate
    from .aio import AsyncClient
    from .remote import sign_remote

#: Names imported on first use: ``(module, attribute)``, the attribute ``None`` for the
#: module itself.
_LAZY = {
    "AsyncClient": ("aio", "AsyncClient"),
    "WaitPolicy": ("_features", "WaitPolicy"),
    "WaitUpdate": ("_features", "WaitUpdate"),
    "sign_remote": ("remote", "sign_remote"),
    "callbacks": ("callbacks", None),
    "encryption": ("encryption", None),
    "errors": ("errors", None),
    "models": ("models", None),
    "transport": ("transport", None),
}


def __getattr__(name: str) -> Any:
    """Imports the lazily exposed names (PEP 562) on first use."""
    found = _LAZY.get(name)
    if found is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f"{__name__}.{found[0]}")
    value = module if found[1] is None else getattr(module, found[1])
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "API_VERSION",
    "DEFAULT_RETRY",
    "NO_RETRY",
    "SERVICE",
    "ApiError",
    "AsyncClient",
    "AttrDict",
    "CallbackError",
    "Client",
    "CryptoError",
    "DecodeError",
    "EssbasicError",
    "HookContext",
    "HttpError",
    "ResponseMeta",
    "Result",
    "Retry",
    "Settings",
    "SigningError",
    "TaskError",
    "Tc3Signer",
    "TencentCloudSDKException",
    "TimeoutError",
    "TransportError",
    "ValidationError",
    "WaitPolicy",
    "WaitUpdate",
    "callbacks",
    "encryption",
    "errors",
    "models",
    "response_meta",
    "sign_remote",
    "transport",
]
