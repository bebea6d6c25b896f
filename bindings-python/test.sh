#!/usr/bin/env bash
# The Python binding's test command: makes bindings-python/.venv (python3 -m venv), installs
# the build and test tools, builds the abi3 wheel with maturin and pip-installs it into the
# venv, builds the emulator, then runs pytest (conformance, every action sync and async
# against the emulator, the fault suite, limits, credentials, tracing and hooks, callbacks,
# encryption, uploads, waiters, pagination, migration, typing with mypy --strict and
# stubtest), mypy --strict on the package and ruff. Exits non-zero on any failure.
#
#   bindings-python/test.sh               # debug wheel (fast to build)
#   ESSBASIC_PY_RELEASE=1 bindings-python/test.sh   # release wheel, as published
#   bindings-python/test.sh -k lifecycle  # extra arguments go to pytest
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
venv="$here/.venv"
py="$venv/bin/python"

if [ ! -x "$py" ]; then
  echo "== creating $venv"
  python3 -m venv "$venv"
fi
echo "== installing the build and test tools"
# Test-only: httpx, aiohttp and requests (transports), the official SDK (the migration test
# runs a script written for it); the package itself depends on nothing.
"$py" -m pip install --quiet \
  "maturin>=1.5,<2" pytest mypy ruff httpx aiohttp requests \
  tencentcloud-sdk-python-common tencentcloud-sdk-python-essbasic

echo "== building the wheel"
dist="$here/dist"
rm -rf "$dist"
profile=(--profile dev)
if [ "${ESSBASIC_PY_RELEASE:-0}" = 1 ]; then profile=(--release --strip); fi
(cd "$here" && "$venv/bin/maturin" build "${profile[@]}" --out "$dist" --interpreter "$py")
wheel=$(ls "$dist"/essbasic-*.whl)
echo "   $(basename "$wheel"): $(du -k "$wheel" | cut -f1) KiB"
"$py" -m pip install --quiet --force-reinstall --no-deps "$wheel"
# The installed wheel, not the source tree, is what the tests import.
(cd /tmp && "$py" -c "import essbasic, sys; assert 'site-packages' in essbasic.__file__, essbasic.__file__")

echo "== building the emulator"
(cd "$root" && cargo build --quiet -p essbasic-emulator)

echo "== pytest"
(cd "$here" && "$py" -m pytest -q -p no:cacheprovider "$@")

echo "== mypy --strict, ruff"
(cd /tmp && "$py" -m mypy --strict --no-incremental -p essbasic)
(cd "$here" && "$venv/bin/ruff" check python tests && "$venv/bin/ruff" format --check python tests)
echo "== python binding: all checks passed"
