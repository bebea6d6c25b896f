"""``ClientProfile`` and ``HttpProfile``, in the official SDK's shape."""

from __future__ import annotations

from typing import Any, Optional

from ..errors import TencentCloudSDKException

__all__ = ["ClientProfile", "HttpProfile"]


class HttpProfile:
    """The HTTP settings: ``endpoint``, ``protocol`` (``https``/``http``), ``reqMethod``
    (``POST``/``GET``) and ``reqTimeout`` (seconds) are honoured; ``keepAlive`` is always on;
    ``proxy``, ``rootDomain`` and ``certification`` are kept but not used (pass a
    ``requests.Session`` or an ``httpx.Client`` as ``transport`` for those)."""

    def __init__(
        self,
        protocol: Optional[str] = None,
        endpoint: Optional[str] = None,
        reqMethod: str = "POST",
        reqTimeout: Optional[float] = 60,
        keepAlive: bool = False,
        proxy: Optional[str] = None,
        rootDomain: Optional[str] = None,
        certification: Any = None,
    ) -> None:
        self.protocol = protocol or "https"
        self.scheme = self.protocol
        self.endpoint = endpoint
        self.reqMethod = reqMethod or "POST"
        self.reqTimeout = 60 if reqTimeout is None else reqTimeout
        self.keepAlive = keepAlive
        self.proxy = proxy
        self.rootDomain = rootDomain or "tencentcloudapi.com"
        self.certification = certification


class ClientProfile:
    """The client settings: ``signMethod``, ``httpProfile``, ``language`` and
    ``request_client`` are honoured; the region breaker and ``retryer`` are not (essbasic
    has one region; see :class:`essbasic.Retry` for safe retries)."""

    unsignedPayload = False

    def __init__(
        self,
        signMethod: Optional[str] = None,
        httpProfile: Optional[HttpProfile] = None,
        language: str = "zh-CN",
        disable_region_breaker: bool = True,
        region_breaker_profile: Any = None,
        request_client: Optional[str] = None,
        retryer: Any = None,
    ) -> None:
        if language not in ("zh-CN", "en-US"):
            raise TencentCloudSDKException(
                "ClientError", "Language invalid, choices: ['zh-CN', 'en-US']"
            )
        self.httpProfile = httpProfile if httpProfile is not None else HttpProfile()
        self.signMethod = signMethod or "TC3-HMAC-SHA256"
        self.language = language
        self.disable_region_breaker = disable_region_breaker
        self.region_breaker_profile = region_breaker_profile
        self.request_client = request_client
        self.retryer = retryer
