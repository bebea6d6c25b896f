"""Type stubs of the extension module ``essbasic._core`` (the Rust core, converted and
forwarded). The façade (:mod:`essbasic`) is the public API; these are its building blocks."""

from typing import Any, Callable, Dict, List, Optional, Tuple, Union, final

__all__ = [
    "actions",
    "build_request",
    "canonical_body_of",
    "classify_response",
    "parse_response",
    "RequestBuilder",
    "Entropy",
    "Tc3Signer",
    "http1_encode",
    "http1_origin",
    "ResponseReader",
    "sign_vector",
    "retry_decision",
    "clock_offset",
    "sign_remote",
    "redact_body",
    "redact_url",
    "redact_header",
    "parse_profile",
    "callback_open",
    "callback_seal",
    "encryption_check_keys",
    "encryption_seal",
    "encryption_open",
    "encryption_build_params",
    "encryption_open_response",
    "upload_precheck",
    "upload_prepare",
    "upload_file_name",
    "wait_task",
    "wait_task_id",
    "wait_poll_params",
    "wait_classify",
    "wait_decide",
    "page_info",
    "page_actions",
    "page_first",
    "page_next",
    "__version__",
    "API_VERSION",
    "SERVICE",
    "DEFAULT_MAX_BODY_BYTES",
    "RETRY_POLICY_DEFAULT",
    "WAIT_POLICY_DEFAULT",
    "PROFILE_RELATIVE_PATH",
    "DEFAULT_PROFILE",
    "CALLBACK_SIGNATURE_HEADER",
    "CALLBACK_MAX_BODY_BYTES",
    "UPLOAD_MAX_FILES",
    "UPLOAD_MAX_IMAGE_BYTES",
    "UPLOAD_MAX_OTHER_BYTES",
]

_Bytes = Union[str, bytes]

__version__: str
API_VERSION: str
SERVICE: str
DEFAULT_MAX_BODY_BYTES: int
#: ``(max_attempts, base_delay_ms, max_delay_ms, deadline_ms)`` of ``RetryPolicy::default()``.
RETRY_POLICY_DEFAULT: Tuple[int, int, int, int]
#: ``(initial_delay_ms, multiplier, max_delay_ms, deadline_ms)`` of ``WaitPolicy::default()``.
WAIT_POLICY_DEFAULT: Tuple[int, float, int, int]
PROFILE_RELATIVE_PATH: str
DEFAULT_PROFILE: str
CALLBACK_SIGNATURE_HEADER: str
CALLBACK_MAX_BODY_BYTES: int
UPLOAD_MAX_FILES: int
UPLOAD_MAX_IMAGE_BYTES: int
UPLOAD_MAX_OTHER_BYTES: int

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

def parse_response(
    status: int,
    body: bytes,
    max_body_bytes: int = ...,
    object_hook: Optional[Callable[[Dict[str, Any]], Any]] = None,
) -> Tuple[Any, Optional[str]]:
    """Classifies an answer like :func:`classify_response`, then returns ``(response,
    request_id)``: the ``Response`` object built as Python objects (``object_hook`` applied to
    every object, as ``json.loads`` does), or its JSON text when only ``json.loads`` can
    build it exactly (a lone surrogate escape, ...)."""

def canonical_body_of(action: str, params: Any, strict: bool = False) -> Optional[bytes]:
    """The body the core's one-pass validator writes reading ``params`` themselves (no JSON
    text), as ``RequestBuilder.build`` does for a dict; ``None`` when the JSON text path must
    decide (invalid parameters, or values ``json`` writes its own way). For tests."""

@final
class RequestBuilder:
    """One client's core configuration (the ``config`` dict of :func:`build_request`,
    parsed once) and, when they do not change, its credentials."""

    def __new__(
        cls,
        config: Dict[str, Any],
        secret_id: Optional[str] = None,
        secret_key: Optional[str] = None,
        token: Optional[str] = None,
        *,
        request_type: Optional[type] = None,
        max_body_bytes: Optional[int] = None,
    ) -> RequestBuilder: ...
    def build(
        self,
        action: str,
        params: Any,
        timestamp: int,
        nonce: int,
        trace_id: Optional[str],
        credentials: Optional[Tuple[str, str, Optional[str]]] = None,
    ) -> Optional[Tuple[str, str, List[Tuple[str, str]], bytes]]:
        """Validates ``params`` (Python objects or their JSON text) of ``action`` against the
        spec, then builds and signs the request: ``(method, url, headers, body)``. ``None``
        when the objects need Python's ``json`` to be encoded exactly (pass their text
        then). ``credentials`` is ``(secret_id, secret_key, token)`` when the builder holds
        none."""
    def build_request(
        self,
        action: str,
        params: Any,
        timestamp: int,
        nonce: int,
        trace_id: Optional[str],
    ) -> Any:
        """``build`` with the builder's own credentials, as an instance of its
        ``request_type``: ``(method, url, headers, body, max_body_bytes)``; ``None`` as
        ``build`` answers it."""

def http1_encode(method: str, url: str, headers: List[Tuple[str, str]], body: bytes) -> bytes:
    """The bytes of one HTTP/1.1 request (``essbasic::http1::encode_request``); raises
    ``TransportError`` (not sent) for a URL or header that cannot be framed."""

def http1_origin(url: str) -> Tuple[bool, str, int]:
    """``(secure, host, port)`` a request to ``url`` connects to."""

@final
class ResponseReader:
    """One HTTP/1.1 answer read from a connection's bytes (``essbasic::http1``)."""

    def __new__(cls, max_body_bytes: Optional[int] = None) -> ResponseReader: ...
    def feed(self, data: bytes) -> int:
        """0: read more; 1: complete; 2: over ``max_body_bytes`` (close the connection)."""
    def feed_from(self, buf: bytearray, n: int) -> int:
        """:meth:`feed` of ``buf[:n]`` (a receive buffer reused with ``recv_into``)."""
    def eof(self) -> int:
        """The peer closed: 1 or 2, or raises ``TransportError`` when incomplete."""
    def received_any(self) -> bool:
        """Whether any byte of an answer arrived."""
    @property
    def status(self) -> int:
        """The status code (0 until the head is read)."""
    @property
    def content_length(self) -> Optional[int]:
        """The declared ``Content-Length``, if any."""
    def finish(self) -> Tuple[int, List[Tuple[str, str]], bytes, bool]:
        """``(status, headers, body, keep_alive)`` of a complete answer."""

@final
class Entropy:
    """A fast generator (wyrand) for trace ids and nonces, seeded by the façade from
    ``os.urandom``; thread-safe."""

    def __new__(cls, seed: int) -> Entropy: ...
    def reseed(self, seed: int) -> None:
        """Starts over from ``seed``."""
    def trace_id(self) -> str:
        """A random UUID (version 4) in its text form."""
    def nonce(self) -> int:
        """A random nonce in ``[1, 2**32 - 1]``."""

@final
class Tc3Signer:
    """The TC3-HMAC-SHA256 ``Authorization`` of a POST to ``/`` of the essbasic service
    (the core's ``essbasic::signing::tc3``), the signing key derived once per UTC date.
    ``repr()`` shows the SecretId only."""

    def __new__(cls, secret_id: str, secret_key: str) -> Tc3Signer: ...
    @property
    def secret_id(self) -> str:
        """The SecretId (public: it is in every ``Authorization``)."""
    def authorization(
        self,
        body: Union[bytes, str],
        host: str,
        timestamp: int,
        content_type: str = "application/json",
    ) -> str:
        """The ``Authorization`` value of a POST of ``body`` to ``https://{host}/`` signed at
        ``timestamp`` (Unix seconds) with ``content_type``."""

def actions() -> List[Tuple[str, bool, bool, Optional[str]]]:
    """Every action as ``(name, read_only, deprecated, replaced_by)``, sorted by name."""

def sign_vector(case_json: str) -> str:
    """The signing stages of a conformance case, as JSON text."""

def retry_decision(
    policy: Tuple[int, int, int, int],
    attempt: int,
    action: str,
    kind: str,
    code: str,
    status: int,
    not_sent: bool,
    elapsed_ms: int,
    jitter: float,
) -> Optional[int]:
    """The core's retry decision (``essbasic::retry::decide_parts``): the backoff in
    milliseconds, or ``None`` to give up."""

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

def redact_body(body: _Bytes, max_bytes: int) -> str:
    """A body safe to log (``essbasic::redact::body_for_log``): secrets removed, personal
    data masked, cut to ``max_bytes``."""

def redact_url(url: str) -> str:
    """A URL safe to log: ``Signature``, ``Token`` and ``SecretId`` query values masked."""

def redact_header(name: str, value: str) -> str:
    """A header value safe to log: ``Authorization`` and ``X-TC-Token`` masked."""

def parse_profile(text: str, name: str) -> Optional[Tuple[str, str, Optional[str]]]:
    """``(secret_id, secret_key, token)`` of profile ``name`` in a credentials file's text,
    ``None`` when the section is absent; ``SigningError`` when it lacks a key."""

def callback_open(
    body: _Bytes,
    key: Optional[str] = None,
    token: Optional[str] = None,
    signature: Optional[str] = None,
) -> Optional[str]:
    """The JSON text of a callback's envelope, ``None`` for the URL check; raises
    ``CallbackError``."""

def callback_seal(
    envelope_json: _Bytes, key: Optional[str] = None, token: Optional[str] = None
) -> Tuple[bytes, Optional[str]]:
    """``(body, Content-Signature value)`` as the service would send ``envelope_json``."""

def encryption_check_keys(algorithm: str, cipher_key: _Bytes, hmac_key: _Bytes) -> str:
    """The canonical algorithm name; raises ``CryptoError`` for a bad algorithm or key."""

def encryption_seal(
    plain: _Bytes, algorithm: str, cipher_key: _Bytes, hmac_key: _Bytes, iv: bytes
) -> Tuple[str, str, str]:
    """``(IV, EncryptedData, EncryptionSignature)`` in base64."""

def encryption_open(
    iv: str,
    encrypted_data: str,
    encryption_signature: str,
    algorithm: str,
    cipher_key: _Bytes,
    hmac_key: _Bytes,
) -> bytes:
    """The plaintext of a verified envelope; raises ``CryptoError``."""

def encryption_build_params(
    request_action: str,
    application_id: str,
    params_json: _Bytes,
    algorithm: str,
    cipher_key: _Bytes,
    hmac_key: _Bytes,
    iv: bytes,
) -> str:
    """The JSON text of the ``CreateRequestWithEncryption`` parameters."""

def encryption_open_response(
    response_json: _Bytes, algorithm: str, cipher_key: _Bytes, hmac_key: _Bytes
) -> str:
    """The JSON text of the business action's ``Response``; raises ``ApiError`` or
    ``CryptoError``."""

def upload_precheck(files: List[Tuple[str, bytes, int]], business_type: str) -> None:
    """Checks ``(name, first bytes, size)`` files before they are read; raises
    ``ValidationError``."""

def upload_prepare(files: List[Tuple[str, bytes]], business_type: str) -> str:
    """The JSON text of the ``UploadFiles`` parameters (``BusinessType``, ``FileInfos``)."""

def upload_file_name(path: str) -> str:
    """The file name sent for a path."""

def wait_task(kind: str) -> Tuple[str, str, str]:
    """``(name, start_action, poll_action)`` of a task kind."""

def wait_task_id(kind: str, start_response_json: _Bytes) -> Optional[str]:
    """The task id in the start action's ``Response``."""

def wait_poll_params(kind: str, base_json: _Bytes, task_id: str) -> str:
    """The JSON text of the polling action's parameters."""

def wait_classify(kind: str, response_json: _Bytes, task_id: str) -> Tuple[str, str, Optional[int]]:
    """``(state, status, percent)``, ``state`` being ``pending`` or ``done``; raises
    ``TaskError`` when the task failed."""

def wait_decide(
    policy: Tuple[int, float, int, int], attempt: int, elapsed_ms: int
) -> Optional[int]:
    """Milliseconds before the next poll, or ``None`` past the deadline."""

def page_info(action: str) -> Tuple[str, str, int, Optional[int]]:
    """``(items_member, total_member, default_limit, max_limit)``; raises
    ``ValidationError`` for an action that does not page."""

def page_actions() -> List[str]:
    """Every paginated action, in name order."""

def page_first(action: str, params_json: _Bytes) -> str:
    """The JSON text of the first page's parameters."""

def page_next(action: str, params_json: _Bytes, response_json: _Bytes) -> Optional[str]:
    """The JSON text of the next page's parameters, or ``None`` after the last page."""
