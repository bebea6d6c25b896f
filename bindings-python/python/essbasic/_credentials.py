"""Where the credentials come from: the arguments, the environment, then the credentials
profile file (``~/.tencentcloud/credentials``, parsed by the core's profile parser), or a
provider object asked before each request."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional, Tuple

from . import _core
from .errors import SigningError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "Credentials",
    "resolve_credentials",
    "credentials_file",
    "ENV_SECRET_ID",
    "ENV_SECRET_KEY",
    "ENV_TOKEN",
    "ENV_PROFILE",
]

#: The environment variables of the chain (the official SDK's).
ENV_SECRET_ID = "TENCENTCLOUD_SECRET_ID"
ENV_SECRET_KEY = "TENCENTCLOUD_SECRET_KEY"
ENV_TOKEN = "TENCENTCLOUD_SESSION_TOKEN"
#: The profile (section) of the credentials file to use when none is passed.
ENV_PROFILE = "TENCENTCLOUD_PROFILE"

_TOKEN_FALLBACK = "TENCENTCLOUD_TOKEN"


def _mask(secret_id: str) -> str:
    if len(secret_id) <= 8:
        return "****"
    return f"{secret_id[:4]}****{secret_id[-4:]}"


class Credentials:
    """A SecretId, a SecretKey and a token, or an object that provides them (an official
    ``Credential``, STS or role provider: anything with ``get_credential_info()``).
    ``repr()`` shows the masked SecretId and where it came from, never a secret."""

    __slots__ = ("_static", "_provider", "source")

    def __init__(
        self,
        static: Optional[Tuple[str, str, Optional[str]]],
        provider: Any = None,
        source: str = "arguments",
    ) -> None:
        self._static = static
        self._provider = provider
        #: Where the credentials came from: ``arguments``, ``environment``,
        #: ``profile [NAME] in PATH`` or ``provider``.
        self.source = source

    def get(self) -> Tuple[str, str, Optional[str]]:
        """``(secret_id, secret_key, token)``, asking the provider if there is one."""
        if self._static is not None:
            return self._static
        info = getattr(self._provider, "get_credential_info", None)
        if callable(info):
            secret_id, secret_key, token = info()
        else:
            secret_id = self._provider.secret_id
            secret_key = self._provider.secret_key
            token = getattr(self._provider, "token", None)
        return str(secret_id), str(secret_key), (str(token) if token else None)

    @property
    def static(self) -> Optional[Tuple[str, str, Optional[str]]]:
        """``(secret_id, secret_key, token)`` when they never change (no provider)."""
        return self._static

    def secret_id(self) -> str:
        """The SecretId (public: it is in every Authorization header)."""
        return self.get()[0]

    def __repr__(self) -> str:
        try:
            shown = _mask(self.secret_id())
        except Exception:  # noqa: BLE001 - a failing provider must not break repr()
            shown = "?"
        return f"<credentials {shown} from {self.source}>"


def credentials_file() -> Path:
    """``~/.tencentcloud/credentials`` (the home directory from ``HOME``)."""
    from pathlib import Path

    return Path(os.path.expanduser("~")) / _core.PROFILE_RELATIVE_PATH


def _checked(secret_id: str, secret_key: str, token: Optional[str], source: str) -> Credentials:
    if secret_id.strip() != secret_id or secret_key.strip() != secret_key:
        raise SigningError(
            f"the SecretId and the SecretKey (from {source}) must not have surrounding spaces"
        )
    return Credentials((secret_id, secret_key, token or None), None, source)


def _from_profile(path: Path, name: str) -> Tuple[Optional[Credentials], str]:
    """The credentials of profile ``name`` in ``path``, or ``None`` and why not."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, "no such file"
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"cannot read it: {type(exc).__name__}"
    try:
        found = _core.parse_profile(text, name)
    except SigningError as exc:
        raise SigningError(f"{path}: {exc.message}") from None
    if found is None:
        return None, f"it has no [{name}] section"
    secret_id, secret_key, token = found
    return _checked(secret_id, secret_key, token, f"profile [{name}] in {path}"), ""


def resolve_credentials(
    secret_id: Optional[str],
    secret_key: Optional[str],
    token: Optional[str],
    credential: Any,
    profile: Optional[str],
) -> Credentials:
    """The credential chain: a provider object; else the ``secret_id``/``secret_key``
    arguments; else (unless ``profile`` is passed) ``TENCENTCLOUD_SECRET_ID`` /
    ``TENCENTCLOUD_SECRET_KEY`` (and ``TENCENTCLOUD_SESSION_TOKEN``); else the profile
    ``profile`` (default ``TENCENTCLOUD_PROFILE``, else ``default``) of
    ``~/.tencentcloud/credentials``. Raises :class:`SigningError` naming what was looked
    for."""
    if credential is not None:
        if secret_id or secret_key or profile:
            raise ValueError("pass either credential, secret_id/secret_key or profile, not two")
        return Credentials(None, credential, "provider")
    if secret_id is not None or secret_key is not None:
        if profile is not None:
            raise ValueError("pass either secret_id/secret_key or profile, not both")
        if not secret_id or not secret_key:
            missing = "secret_key" if secret_id else "secret_id"
            raise SigningError(f"{missing} is missing: pass both secret_id and secret_key")
        return _checked(secret_id, secret_key, token, "arguments")
    if profile is None:
        env_id = os.environ.get(ENV_SECRET_ID) or None
        env_key = os.environ.get(ENV_SECRET_KEY) or None
        if env_id or env_key:
            if not env_id or not env_key:
                present, absent = (
                    (ENV_SECRET_ID, ENV_SECRET_KEY) if env_id else (ENV_SECRET_KEY, ENV_SECRET_ID)
                )
                raise SigningError(f"{present} is set but {absent} is not: set both")
            env_token = os.environ.get(ENV_TOKEN) or os.environ.get(_TOKEN_FALLBACK)
            return _checked(env_id, env_key, token or env_token, "the environment")
    name = profile or os.environ.get(ENV_PROFILE) or _core.DEFAULT_PROFILE
    try:
        path = credentials_file()
    except RuntimeError:  # no home directory
        from pathlib import Path

        path = Path("~") / _core.PROFILE_RELATIVE_PATH
    found, why = _from_profile(path, name)
    if found is not None:
        if token:
            secret_id_, secret_key_, _ = found.get()
            return Credentials((secret_id_, secret_key_, token), None, found.source)
        return found
    if profile is not None:
        raise SigningError(f"no credentials in profile [{name}] of {path}: {why}")
    raise SigningError(
        "no credentials: looked for the secret_id and secret_key arguments, the environment "
        f"variables {ENV_SECRET_ID} and {ENV_SECRET_KEY} (not set), and the profile "
        f"[{name}] in {path} ({why}); pass credentials, set the variables, or write the file"
    )
