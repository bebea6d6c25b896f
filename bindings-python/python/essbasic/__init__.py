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

from . import errors, models, transport
from ._base import AttrDict, Settings
from ._core import API_VERSION, SERVICE
from ._core import __version__ as __version__
from .aio import AsyncClient
from .client import Client
from .errors import (
    ApiError,
    DecodeError,
    EssbasicError,
    HttpError,
    SigningError,
    TencentCloudSDKException,
    TimeoutError,
    TransportError,
    ValidationError,
)
from .remote import sign_remote
from .retry import Retry

__all__ = [
    "API_VERSION",
    "SERVICE",
    "ApiError",
    "AsyncClient",
    "AttrDict",
    "Client",
    "DecodeError",
    "EssbasicError",
    "HttpError",
    "Retry",
    "Settings",
    "SigningError",
    "TencentCloudSDKException",
    "TimeoutError",
    "TransportError",
    "ValidationError",
    "errors",
    "models",
    "sign_remote",
    "transport",
]
