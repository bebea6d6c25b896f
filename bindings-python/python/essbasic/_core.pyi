"""Type stubs of the extension module ``essbasic._core`` (the Rust core, converted and
forwarded). The façade (:mod:`essbasic`) is the public API; these are its building blocks."""

from typing import Any, Dict, List, Optional, Tuple, Union

__all__ = [
    "actions",
    "build_request",
    "classify_response",
    "sign_vector",
    "retry_decision",
    "clock_offset",
    "sign_remote",
    "__version__",
    "API_VERSION",
    "SERVICE",
    "DEFAULT_MAX_BODY_BYTES",
]

__version__: str
API_VERSION: str
SERVICE: str
DEFAULT_MAX_BODY_BYTES: int

def build_request(
    action: str,
    params_json: Union[str, bytes],
    config: Dict[str, Any],
    secret_id: str,
    secret_key: str,
    token: Optional[str],
    timestamp: int,
    nonce: int,
    trace_id: Optional[str],
) -> Tuple[str, str, List[Tuple[str, str]], bytes]:
    """Validates the parameters of ``action`` (JSON text) against the spec, then builds and
    signs the request: ``(method, url, headers, body)``. Raises ``ValidationError`` or
    ``SigningError``."""

def classify_response(
    status: int, body: bytes, max_body_bytes: int = ...
) -> Tuple[str, Optional[str]]:
    """``(raw, request_id)``: the JSON text of the ``Response`` object of a success, or
    raises ``ApiError``, ``HttpError`` or ``DecodeError``."""

def actions() -> List[Tuple[str, bool, bool, Optional[str]]]:
    """Every action as ``(name, read_only, deprecated, replaced_by)``, sorted by name."""

def sign_vector(case_json: str) -> str:
    """The signing stages of a conformance case, as JSON text."""

def retry_decision(
    action: str,
    attempt: int,
    error: Dict[str, Any],
    elapsed_ms: int,
    jitter: float,
    policy: Tuple[int, int, int, int],
) -> Optional[int]:
    """The core's retry decision: the backoff in milliseconds, or ``None`` to give up."""

def clock_offset(date_header: str, local_now: int) -> Optional[int]:
    """The server's clock minus the local one (seconds), from an HTTP ``Date`` header."""

def sign_remote(
    secret_key: str,
    canonical_request: str,
    timestamp: int,
    now: int,
    allowed_actions: Optional[List[str]] = None,
) -> str:
    """The TC3 signature of a remote canonical request; raises ``SigningError`` when refused."""
