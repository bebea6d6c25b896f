#!/usr/bin/env bash
# Runs every language's conformance runner over the vectors (tests/vectors, or
# $ESSBASIC_VECTORS_DIR) and prints one line per language: `<language>: N passed, M failed`.
# Exits non-zero if any runner fails. Expects the bindings to be built (tests/run-all.sh does:
# the Node addon, the wasm build and the Python venv with the wheel installed).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export ESSBASIC_VECTORS_DIR="${ESSBASIC_VECTORS_DIR:-$root/tests/vectors}"
status=0
summary=()

run() { # run <language> <command...>: keeps the runner's own summary line
  local lang=$1; shift
  local out
  out=$("$@" 2>&1); local rc=$?
  local line
  line=$(printf '%s\n' "$out" | grep -E "^$lang: [0-9]+ passed, [0-9]+ failed$" | tail -n 1)
  if [ $rc -ne 0 ] || [ -z "$line" ]; then
    printf '%s\n' "$out" | grep -E '^(FAIL|not ok|error)' | head -n 40 >&2
    [ -z "$line" ] && line="$lang: 0 passed, 1 failed"
    status=1
  fi
  summary+=("$line")
}

run rust cargo test -q -p essbasic --test conformance
run node node bindings-node/test/conformance.runner.mjs native
run wasm node bindings-node/test/conformance.runner.mjs wasm
run python python3 bindings-python/tests/conformance_runner.py
printf '%s\n' "${summary[@]}"
exit $status
