"""``Credential``, in the official SDK's shape (``credential.Credential(id, key, token)``)."""

from __future__ import annotations

import os
from typing import Optional, Tuple

from ..errors import TencentCloudSDKException

__all__ = ["Credential", "EnvironmentVariableCredential"]


def _check(value: Optional[str], what: str) -> str:
    if value is None or value.strip() == "":
        raise TencentCloudSDKException("InvalidCredential", f"{what} should not be none or empty")
    if value.strip() != value:
        raise TencentCloudSDKException("InvalidCredential", f"{what} should not contain spaces")
    return value


class Credential:
    """A SecretId, a SecretKey and an optional token. ``repr()`` shows none of the secrets."""

    def __init__(self, secret_id: str, secret_key: str, token: Optional[str] = None) -> None:
        self.secret_id = _check(secret_id, "secret id")
        self.secret_key = _check(secret_key, "secret key")
        self.token = token

    @property
    def secretId(self) -> str:
        """The SecretId (official spelling)."""
        return self.secret_id

    @property
    def secretKey(self) -> str:
        """The SecretKey (official spelling)."""
        return self.secret_key

    def get_credential_info(self) -> Tuple[str, str, Optional[str]]:
        """``(secret_id, secret_key, token)``."""
        return self.secret_id, self.secret_key, self.token

    def __repr__(self) -> str:
        return f"Credential(secret_id={self.secret_id[:4]!r}..., secret_key=<hidden>)"


class EnvironmentVariableCredential:
    """Credentials from ``TENCENTCLOUD_SECRET_ID`` / ``TENCENTCLOUD_SECRET_KEY``."""

    def get_credential(self) -> Optional[Credential]:
        """The credential, or ``None`` when the variables are not set."""
        secret_id = os.environ.get("TENCENTCLOUD_SECRET_ID")
        secret_key = os.environ.get("TENCENTCLOUD_SECRET_KEY")
        if not secret_id or not secret_key:
            return None
        return Credential(secret_id, secret_key, os.environ.get("TENCENTCLOUD_SESSION_TOKEN"))
