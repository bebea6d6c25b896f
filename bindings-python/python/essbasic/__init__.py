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

from . import callbacks, encryption, errors, models, transport
from ._base import AttrDict, HookContext, ResponseMeta, Result, Settings, response_meta
from ._core import API_VERSION, SERVICE
from ._core import __version__ as __version__
from ._features import WaitPolicy, WaitUpdate
from .aio import AsyncClient
from .client import Client
from .errors import (
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
from .remote import sign_remote
from .retry import DEFAULT_RETRY, NO_RETRY, Retry

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
