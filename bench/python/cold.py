"""Cold start (bench/run.sh): a new process that loads a client and makes one call.

    python bench/python/cold.py ours|official

Environment: EMU_STATELESS (the emulator's base URL).
"""

import os
import sys
from urllib.parse import urlparse

URL = os.environ["EMU_STATELESS"]
SECRET_ID = os.environ.get("EMU_SECRET_ID", "AKIDessbasicEmulator")
SECRET_KEY = os.environ.get("EMU_SECRET_KEY", "essbasic-emulator-secret-key")
PARAMS = {
    "Agent": {"AppId": "yDwhxUUckp3gl8j5UuFX33LSNozpRsbi"},
    "FlowId": "yDwFmUUckpstqfvzUE1h3jo1f3cqjkGm",
}

if sys.argv[1] == "ours":
    import essbasic

    essbasic.Client(SECRET_ID, SECRET_KEY, endpoint=URL).channel_cancel_flow(**PARAMS)
elif sys.argv[1] == "official":
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.essbasic.v20210526 import essbasic_client, models

    http = HttpProfile(protocol="http", endpoint=urlparse(URL).netloc)
    client = essbasic_client.EssbasicClient(
        credential.Credential(SECRET_ID, SECRET_KEY), "", ClientProfile(httpProfile=http)
    )
    req = models.ChannelCancelFlowRequest()
    req._deserialize(PARAMS)
    client.ChannelCancelFlow(req)
else:
    raise SystemExit(f"unknown implementation {sys.argv[1]}")
