#!/usr/bin/env python3
"""The Python conformance runner: every case of every ``*.json`` under ``tests/vectors/``
(or ``$ESSBASIC_VECTORS_DIR``), recursively, checked through the installed ``essbasic``.

Kinds: ``signing`` (the signing stages, through ``essbasic._core.sign_vector``),
``request`` (action + params -> host, body or validation error, through the client) and
``response`` (status + body -> Response object or error, through the client). A case of an
unknown kind fails. Prints ``FAIL <id>: <why>`` for each failure, then exactly
``python: N passed, M failed``; exits 1 on any failure.

When ``essbasic`` is not importable and ``bindings-python/.venv`` exists (made by
``bindings-python/test.sh``), the runner re-executes itself with that venv's Python.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV_PYTHON = HERE.parent / ".venv" / "bin" / "python"


def _ensure_essbasic() -> None:
    try:
        import essbasic  # noqa: F401
    except ImportError:
        in_venv = Path(sys.prefix).resolve() == VENV_PYTHON.parent.parent.resolve()
        if VENV_PYTHON.exists() and not in_venv:
            os.execv(
                str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]]
            )
        raise


def vectors_dir() -> Path:
    """``$ESSBASIC_VECTORS_DIR``, or ``tests/vectors`` of the repository."""
    env = os.environ.get("ESSBASIC_VECTORS_DIR")
    return Path(env) if env else ROOT / "tests" / "vectors"


def vector_files(directory: Path) -> List[Path]:
    """Every ``*.json`` below ``directory``, sorted."""
    return sorted(p for p in directory.rglob("*.json") if p.is_file())


def load_cases(directory: Optional[Path] = None) -> List[Tuple[str, Dict[str, Any]]]:
    """``(id, case)`` for every case; a file that is not a vector file yields a failing
    pseudo-case."""
    out: List[Tuple[str, Dict[str, Any]]] = []
    for path in vector_files(directory or vectors_dir()):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            out.append((str(path), {"kind": "<unreadable>", "why": f"not JSON: {exc}"}))
            continue
        cases = doc.get("cases") if isinstance(doc, dict) else None
        if not isinstance(cases, list):
            out.append((str(path), {"kind": "<unreadable>", "why": "no `cases` array"}))
            continue
        for case in cases:
            out.append((str(case.get("id", "<no id>")), case))
    return out


# --- JSON equality as the vectors define it ----------------------------------------------


def json_eq(a: Any, b: Any) -> bool:
    """Key order free, numbers by exact value, booleans distinct from numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) != isinstance(b, float):
            # An integer equals a float only when the float holds it exactly.
            i, f = (a, b) if isinstance(a, int) else (b, a)
            return f.is_integer() and abs(i) < 2**53 and int(f) == i
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_eq(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_eq(v, b[k]) for k, v in a.items())
    return type(a) is type(b) and a == b


def _has_null_member(v: Any) -> bool:
    if isinstance(v, dict):
        return any(x is None or _has_null_member(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_null_member(x) for x in v)
    return False


def _has_float(v: Any) -> bool:
    if isinstance(v, dict):
        return any(_has_float(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_float(x) for x in v)
    return isinstance(v, float)


# --- the checks ------------------------------------------------------------------------------


class Failure(Exception):
    """A case did not conform."""


def _expect(errors: List[str], what: str, got: Any, want: Any) -> None:
    if got != want:
        errors.append(f"{what}: got {got!r}, want {want!r}")


def _check_headers(errors: List[str], got: List[List[str]], expected: Dict[str, Any]) -> None:
    wanted = expected.get("headers")
    if not isinstance(wanted, dict):
        return
    for name, want in wanted.items():
        found = [v for k, v in got if k.lower() == name.lower()]
        if want is None:
            if found:
                errors.append(f"header {name} must be absent, got {found!r}")
        elif not found:
            errors.append(f"header {name} missing")
        elif len(found) > 1:
            errors.append(f"header {name} set {len(found)} times: {found!r}")
        else:
            _expect(errors, f"header {name}", found[0], want)


def check_signing(case: Dict[str, Any]) -> None:
    from essbasic import _core

    got = json.loads(_core.sign_vector(json.dumps(case)))
    if "error" in got:
        raise Failure(f"sign_vector: {got['error']}")
    expected = case.get("expected") or {}
    errors: List[str] = []
    for key in ("canonical_request", "string_to_sign", "signature", "body", "query"):
        if isinstance(expected.get(key), str):
            _expect(errors, key, got.get(key), expected[key])
    _check_headers(errors, got["headers"], expected)
    # The self-checks the shared Rust side reports, with their details.
    if got.get("remote_ok") is False:
        errors.append("the remote-signer path (presign + sign_string) differs from local signing")
    if got.get("sign_params_ok") is False:
        errors.append("sign_params does not reproduce the wire form")
    for key in ("canonical_request", "string_to_sign", "signature", "authorization"):
        if "remote" in got:
            _expect(errors, f"remote signer {key}", got["remote"][key], got[key])
    if "common_params" in got:
        common = sorted(tuple(p) for p in got["common_params"])
        keys = {k for k, _ in common}
        in_vector = sorted(tuple(p) for p in case["request"]["params"] if p[0] in keys)
        if common != in_vector:
            errors.append(f"common_params: got {common!r}, vector has {in_vector!r}")
        wire = got["query"] or got["body"]
        _expect(errors, "sign_params (SDK order)", got["sign_params_sdk_order"], wire)
        if sorted(got["sign_params_business"].split("&")) != sorted(wire.split("&")):
            errors.append(f"sign_params: got {got['sign_params_business']!r}, want {wire!r}")
    if errors:
        raise Failure("; ".join(errors))


def _client(options: Dict[str, Any]) -> Any:
    import essbasic

    return essbasic.Client(
        secret_id="AKIDconformance",
        secret_key="conformance-secret",
        region=options.get("region"),
        endpoint=options.get("endpoint"),
        test_environment=bool(options.get("test_environment")),
    )


def _check_error(exc: Any, want: Dict[str, Any]) -> None:
    kind = getattr(exc, "kind", type(exc).__name__)
    if kind != want.get("kind"):
        raise Failure(f"error kind {kind} != {want.get('kind')}: {exc!r}")
    if "path" in want and getattr(exc, "path", None) != want["path"]:
        raise Failure(f"path {getattr(exc, 'path', None)!r} != {want['path']!r}")
    contains = want.get("message_contains")
    if (
        contains
        and contains not in (exc.message or "")
        and contains not in getattr(exc, "detail", "")
    ):
        raise Failure(f"message {exc.message!r} lacks {contains!r}")
    if "code" in want and exc.code != want["code"]:
        raise Failure(f"code {exc.code!r} != {want['code']!r}")
    if "message" in want and exc.message != want["message"]:
        raise Failure(f"message {exc.message!r} != {want['message']!r}")
    if "request_id" in want and exc.requestId != want["request_id"]:
        raise Failure(f"request_id {exc.requestId!r} != {want['request_id']!r}")
    if "status" in want and getattr(exc, "status", None) != want["status"]:
        raise Failure(f"status {getattr(exc, 'status', None)!r} != {want['status']!r}")


def check_request(case: Dict[str, Any]) -> None:
    import essbasic
    from essbasic._base import dump_params

    action = case["action"]
    expected = case.get("expected") or {}
    try:
        client = _client(case.get("options") or {})
        request, _ = client._prepare(action, dump_params(action, case.get("params")), None)
    except essbasic.TencentCloudSDKException as exc:
        if "error" not in expected:
            raise Failure(f"unexpected error: {exc!r}") from None
        _check_error(exc, expected["error"])
        return
    if "error" in expected:
        raise Failure("expected an error, the request was built")
    host = next((v for k, v in request.headers if k.lower() == "host"), None)
    if host is None:
        raise Failure("no Host header")
    want_host = expected.get("host")
    if want_host is not None:
        if host != want_host:
            raise Failure(f"host {host} != {want_host}")
        if not request.url.startswith(f"https://{want_host}/"):
            raise Failure(f"url {request.url} is not on {want_host}")
    if "body_json" in expected:
        try:
            got = json.loads(request.body)
        except ValueError as exc:
            raise Failure(f"body not JSON: {exc}") from None
        if not json_eq(got, expected["body_json"]):
            raise Failure(f"body {got!r} != {expected['body_json']!r}")
        if _has_null_member(got):
            raise Failure("body holds null members")
        if not _has_float(got):
            compact = json.dumps(got, separators=(",", ":"), ensure_ascii=False).encode()
            if compact != request.body:
                raise Failure("body is not compact JSON")


def check_response(case: Dict[str, Any]) -> None:
    import essbasic
    from essbasic.transport import HttpResponse

    status = int(case["status"])
    if isinstance(case.get("body_base64"), str):
        body = base64.b64decode(case["body_base64"])
    else:
        body = str(case.get("body") or "").encode()
    headers = list((case.get("headers") or {}).items())
    expected = case.get("expected") or {}
    client = _client({})
    try:
        got = client._parse(HttpResponse(status, headers, body), False)
    except essbasic.TencentCloudSDKException as exc:
        if "error" not in expected:
            raise Failure(f"unexpected error: {exc!r}") from None
        _check_error(exc, expected["error"])
        return
    if "ok" not in expected:
        raise Failure(f"expected an error, got {got!r}")
    if not json_eq(got, expected["ok"]):
        raise Failure(f"got {got!r} != {expected['ok']!r}")


CHECKS: Dict[str, Callable[[Dict[str, Any]], None]] = {
    "signing": check_signing,
    "request": check_request,
    "response": check_response,
}


def check(case: Dict[str, Any]) -> None:
    """Checks one case; raises :class:`Failure` when it does not conform."""
    kind = case.get("kind")
    if kind == "<unreadable>":
        raise Failure(case.get("why", "unreadable"))
    checker = CHECKS.get(str(kind))
    if checker is None:
        raise Failure(f"unknown case kind {kind!r}")
    checker(case)


def run(cases: List[Tuple[str, Dict[str, Any]]]) -> Iterator[Tuple[str, Optional[str]]]:
    """``(id, None)`` for each passing case, ``(id, why)`` for each failing one."""
    for case_id, case in cases:
        try:
            check(case)
        except Failure as exc:
            yield case_id, str(exc)
        except Exception as exc:  # noqa: BLE001 - a crash is a failure of that case
            yield case_id, f"crashed: {type(exc).__name__}: {exc}"
        else:
            yield case_id, None


def main() -> int:
    _ensure_essbasic()
    directory = vectors_dir()
    cases = load_cases(directory)
    passed = failed = 0
    if not cases:
        print(f"FAIL <none>: no vector case under {directory}", file=sys.stderr)
        failed += 1
    for case_id, why in run(cases):
        if why is None:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {case_id}: {why}", file=sys.stderr)
    sys.stderr.flush()
    print(f"python: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
