"""The official SDK's shapes, for scripts migrating from ``tencentcloud-sdk-python``.

Change only the imports::

    # from tencentcloud.common import credential
    # from tencentcloud.common.profile.client_profile import ClientProfile
    # from tencentcloud.common.profile.http_profile import HttpProfile
    # from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    # from tencentcloud.essbasic.v20210526 import essbasic_client, models
    from essbasic.compat import credential, ClientProfile, HttpProfile, TencentCloudSDKException
    from essbasic.compat import essbasic_client, models

``essbasic_client.EssbasicClient(cred, region, profile)`` is an :class:`essbasic.Client`:
its ``ChannelCancelFlow(req)``-style methods take these models, the official SDK's own models
or dicts, and return dicts that also read their keys as attributes (``resp.FlowId``,
``resp.to_json_string()``). ``models`` has a class for every request, response and object of
the spec. The official ``retryer`` is not honoured (see :class:`essbasic.Retry`).
"""

from __future__ import annotations

from ..errors import TencentCloudSDKException
from . import credential, essbasic_client, models
from .credential import Credential
from .essbasic_client import CommonClient, EssbasicClient
from .profile import ClientProfile, HttpProfile

__all__ = [
    "ClientProfile",
    "CommonClient",
    "Credential",
    "EssbasicClient",
    "HttpProfile",
    "TencentCloudSDKException",
    "credential",
    "essbasic_client",
    "models",
]
