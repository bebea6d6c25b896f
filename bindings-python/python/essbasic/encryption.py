"""The ``CreateRequestWithEncryption`` envelope (core's ``essbasic::encryption``): a business
request encrypted (AES-CBC with HMAC-SHA256, or SM4-CBC with HMAC-SM3) inside an ordinary
request, and its encrypted answer. The IV is 16 fresh bytes from ``os.urandom`` for every
envelope; the answer's HMAC is checked in constant time before anything is decrypted.

>>> keys = encryption.Keys(b"0" * 32, b"another-key-for-the-hmac-only!!!")   # doctest: +SKIP
>>> env = encryption.seal(b'{"FlowId":"f"}', keys)                            # doctest: +SKIP
>>> encryption.open(env, keys)                                                # doctest: +SKIP
b'{"FlowId":"f"}'

``client.call_encrypted(action, params, keys=keys)`` does the whole round trip.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Mapping, Optional, TypedDict, Union

from . import _core

__all__ = ["ACTION", "Keys", "Envelope", "seal", "open", "build_params", "open_response"]

#: The action that carries an encrypted request.
ACTION = "CreateRequestWithEncryption"

_Key = Union[bytes, str]


class Envelope(TypedDict):
    """The three base64 members of an envelope, as sent and as answered."""

    IV: str
    EncryptedData: str
    EncryptionSignature: str


class Keys:
    """The encryption key and the HMAC key agreed with Tencent, and their algorithm
    (``AES-CBC``: a 32-byte key, 16 and 24 accepted; ``SM4-CBC``: 16 bytes). The keys must
    differ. Checked by the core; ``repr()`` never shows them.

    :raises essbasic.errors.CryptoError: a bad algorithm or key.
    """

    __slots__ = ("algorithm", "_cipher_key", "_hmac_key")

    def __init__(self, cipher_key: _Key, hmac_key: _Key, algorithm: str = "AES-CBC") -> None:
        #: ``AES-CBC`` or ``SM4-CBC``.
        self.algorithm: str = _core.encryption_check_keys(algorithm, cipher_key, hmac_key)
        self._cipher_key = cipher_key
        self._hmac_key = hmac_key

    def __repr__(self) -> str:
        return f"Keys(algorithm={self.algorithm!r}, cipher_key=<hidden>, hmac_key=<hidden>)"

    def __reduce__(self) -> Any:
        raise TypeError("encryption keys are not pickled")


def _iv() -> bytes:
    return os.urandom(16)


def seal(plain: Union[bytes, str], keys: Keys) -> Envelope:
    """Encrypts ``plain`` with a fresh random IV and signs IV ‖ ciphertext."""
    iv, data, signature = _core.encryption_seal(
        plain, keys.algorithm, keys._cipher_key, keys._hmac_key, _iv()
    )
    return {"IV": iv, "EncryptedData": data, "EncryptionSignature": signature}


def open(envelope: Mapping[str, Any], keys: Keys) -> bytes:
    """Checks the envelope's signature in constant time, then (only then) decrypts it.

    :raises essbasic.errors.CryptoError: a missing member, an altered envelope or a wrong
        key; nothing was decrypted then.
    """
    return _core.encryption_open(
        str(envelope.get("IV") or ""),
        str(envelope.get("EncryptedData") or ""),
        str(envelope.get("EncryptionSignature") or ""),
        keys.algorithm,
        keys._cipher_key,
        keys._hmac_key,
    )


def _application_id(params: Mapping[str, Any], application_id: Optional[str]) -> str:
    if application_id:
        return application_id
    agent = params.get("Agent")
    if isinstance(agent, Mapping):
        return str(agent.get("AppId") or "")
    return ""


def build_params(
    action: str, params: Mapping[str, Any], keys: Keys, application_id: Optional[str] = None
) -> Dict[str, Any]:
    """The parameters of ``CreateRequestWithEncryption`` carrying ``params`` for ``action``
    (validated against ``action`` first: nothing is encrypted when they are wrong).
    ``application_id`` defaults to ``params["Agent"]["AppId"]``."""
    from ._base import dump_params

    text = _core.encryption_build_params(
        action,
        _application_id(params, application_id),
        dump_params(action, params),
        keys.algorithm,
        keys._cipher_key,
        keys._hmac_key,
        _iv(),
    )
    result: Dict[str, Any] = json.loads(text)
    return result


def open_response(response: Mapping[str, Any], keys: Keys) -> Dict[str, Any]:
    """The business action's ``Response`` object inside the ``Response`` of
    ``CreateRequestWithEncryption``.

    :raises essbasic.errors.ApiError: the business action answered an error.
    :raises essbasic.errors.CryptoError: the envelope does not verify or decrypt.
    """
    text = _core.encryption_open_response(
        json.dumps(dict(response), ensure_ascii=False),
        keys.algorithm,
        keys._cipher_key,
        keys._hmac_key,
    )
    result: Dict[str, Any] = json.loads(text)
    return result
