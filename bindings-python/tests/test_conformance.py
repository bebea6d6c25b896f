"""Conformance: every vector case through the Python runner, one test per case, and the
runner's own command line (its summary line is what tests/conformance.sh reads)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import conformance_runner as runner
import pytest

CASES = runner.load_cases()


def test_there_are_cases_of_every_kind() -> None:
    kinds = {case.get("kind") for _, case in CASES}
    assert {"signing", "request", "response"} <= kinds


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_case(case: Dict[str, Any]) -> None:
    runner.check(case)


def test_unknown_kinds_fail() -> None:
    with pytest.raises(runner.Failure):
        runner.check({"id": "x", "kind": "telepathy"})


def test_a_wrong_expectation_fails() -> None:
    _, case = next((i, c) for i, c in CASES if c["kind"] == "signing")
    bad = dict(case, expected=dict(case["expected"], signature="0" * 64))
    with pytest.raises(runner.Failure):
        runner.check(bad)


def test_the_runner_prints_its_summary(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(Path(runner.__file__))], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert re.search(rf"^python: {len(CASES)} passed, 0 failed$", done.stdout, re.M)

    broken = tmp_path / "nested" / "broken.json"
    broken.parent.mkdir()
    broken.write_text('{"cases": [{"id": "odd", "kind": "telepathy"}]}', encoding="utf-8")
    env = {"ESSBASIC_VECTORS_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, str(Path(runner.__file__))],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 1
    assert "python: 0 passed, 1 failed" in done.stdout
    assert "FAIL odd: unknown case kind 'telepathy'" in done.stderr
