"""Typing: a usage sample passes ``mypy --strict``, typing mistakes are caught where they
are, the package itself is ``mypy --strict`` clean, and stubtest keeps ``_core.pyi`` true to
the extension module."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

import essbasic
import pytest

pytest.importorskip("mypy")

HERE = Path(__file__).parent / "typing"
PACKAGE = Path(essbasic.__file__).parent


def mypy(*args: str) -> Tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=HERE,
    )
    return done.returncode, done.stdout + done.stderr


def test_usage_sample_passes_mypy_strict() -> None:
    rc, out = mypy(str(HERE / "usage.py"))
    assert rc == 0, out


def test_typing_mistakes_are_reported_where_they_are() -> None:
    source = (HERE / "mistakes.py").read_text(encoding="utf-8").splitlines()
    expected: Dict[int, str] = {
        n: m.group(1)
        for n, line in enumerate(source, 1)
        if (m := re.search(r"# expect: ([a-z-]+)", line))
    }
    assert len(expected) >= 8
    rc, out = mypy(str(HERE / "mistakes.py"))
    assert rc == 1
    found: Dict[int, Set[str]] = {}
    for m in re.finditer(r"mistakes\.py:(\d+): error: .*\[([a-z-]+)\]$", out, re.M):
        found.setdefault(int(m.group(1)), set()).add(m.group(2))
    assert set(found) == set(expected), out
    for line, code in expected.items():
        assert code in found[line], (line, out)


def test_the_package_passes_mypy_strict() -> None:
    rc, out = mypy("-p", "essbasic")
    assert rc == 0, out


def test_stubtest_core() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "essbasic._core"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_py_typed_and_stubs_ship() -> None:
    assert (PACKAGE / "py.typed").exists()
    assert (PACKAGE / "_core.pyi").exists()
    names: List[str] = [n for n in dir(essbasic._core) if not n.startswith("__")]
    stub = (PACKAGE / "_core.pyi").read_text(encoding="utf-8")
    for name in names:
        assert re.search(rf"^(def |class )?{name}\b", stub, re.M), name


def test_every_object_has_a_typeddict() -> None:
    import json

    from conftest import SPEC_PATH

    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    for name in spec["objects"]:
        td = getattr(essbasic.models, name)
        keys = set(td.__required_keys__) | set(td.__optional_keys__)
        assert keys == {m["name"] for m in spec["objects"][name]["members"]}, name
