"""``EssbasicClient`` and ``CommonClient``, in the official SDK's shape."""

from __future__ import annotations

from typing import Any, Dict, Optional

from .. import _core
from ..client import Client
from ..errors import TencentCloudSDKException
from .profile import ClientProfile

__all__ = ["EssbasicClient", "CommonClient"]


def _options(region: Optional[str], profile: Optional[ClientProfile]) -> Dict[str, Any]:
    profile = profile if profile is not None else ClientProfile()
    http = profile.httpProfile
    endpoint = http.endpoint
    scheme = str(getattr(http, "scheme", None) or http.protocol)
    if endpoint and "://" not in endpoint and scheme.lower() == "http":
        endpoint = f"http://{endpoint}"
    return {
        "region": region or None,
        "endpoint": endpoint,
        "timeout": float(http.reqTimeout),
        "http_method": http.reqMethod,
        "sign_method": profile.signMethod,
        "language": profile.language,
        "request_client": profile.request_client,
        "unsigned_payload": bool(profile.unsignedPayload),
    }


class EssbasicClient(Client):
    """``EssbasicClient(credential, region, profile)``: an :class:`essbasic.Client` made from
    the official SDK's credential and profiles. Extra keyword arguments are
    :class:`essbasic.Client` options (``transport``, ``retry``, ``strict``, ...)."""

    def __init__(
        self,
        credential: Any,
        region: Optional[str] = None,
        profile: Optional[ClientProfile] = None,
        **options: Any,
    ) -> None:
        settings = _options(region, profile)
        settings.update(options)
        super().__init__(credential=credential, **settings)


class CommonClient(EssbasicClient):
    """``CommonClient("essbasic", "2021-05-26", credential, region, profile)``: the generic
    client of the official SDK, for this service and version only."""

    def __init__(
        self,
        service: str,
        version: str,
        credential: Any,
        region: Optional[str] = None,
        profile: Optional[ClientProfile] = None,
        **options: Any,
    ) -> None:
        if service != _core.SERVICE or version != _core.API_VERSION:
            raise TencentCloudSDKException(
                "ClientError",
                f"this client serves {_core.SERVICE} {_core.API_VERSION} only, "
                f"not {service} {version}",
            )
        super().__init__(credential, region, profile, **options)
