#!/usr/bin/env bash
# Proves that the emulator accepts what the official SDKs send: installs tencentcloud-sdk-nodejs
# (npm) and tencentcloud-sdk-python (pip, into official/.venv) if missing, starts the emulator
# on 127.0.0.1:0, runs official/node_sdk.js and official/python_sdk.py against it, and prints
# `official-sdk: N passed, M failed`. Exits non-zero on any failure.
#
#   tests/emulator/run-official.sh            # debug build
#   EMULATOR_PROFILE=release tests/emulator/run-official.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
official="$here/official"
profile="${EMULATOR_PROFILE:-debug}"

# Nothing may leave the machine: no proxy from the environment.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

if [ ! -d "$official/node_modules/tencentcloud-sdk-nodejs" ]; then
  echo "installing the Node SDK (npm ci)..." >&2
  (cd "$official" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
if [ ! -x "$official/.venv/bin/python" ] || ! "$official/.venv/bin/python" -c "import tencentcloud.essbasic" 2>/dev/null; then
  echo "installing the Python SDK (pip, pinned)..." >&2
  python3 -m venv "$official/.venv" >&2
  "$official/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$official/requirements.txt" >&2
fi

cargo_flags=(-p essbasic-emulator --bin essbasic-emulator)
[ "$profile" = release ] && cargo_flags+=(--release)
(cd "$root" && cargo build --quiet "${cargo_flags[@]}") >&2
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin="$target_dir/$profile/essbasic-emulator"

# Test-only credentials (never real ones): a plain pair and a pair that needs a token.
export EMU_SECRET_ID="AKIDofficialSdkTest" EMU_SECRET_KEY="official-sdk-test-key"
export EMU_TOKEN_ID="AKIDofficialSdkToken" EMU_TOKEN_KEY="official-sdk-token-key" EMU_TOKEN="official-sdk-session-token"

workdir="$(mktemp -d)"
"$bin" --listen 127.0.0.1:0 --secret-id "$EMU_SECRET_ID" --secret-key "$EMU_SECRET_KEY" \
  --key "$EMU_TOKEN_ID:$EMU_TOKEN_KEY:$EMU_TOKEN" >"$workdir/stdout" 2>"$workdir/stderr" &
emulator_pid=$!
cleanup() {
  kill "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || true
  rm -rf "$workdir"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  [ -s "$workdir/stdout" ] && break
  sleep 0.05
done
EMULATOR_URL="$(head -n1 "$workdir/stdout")"
case "$EMULATOR_URL" in
  http://127.0.0.1:*) ;;
  *) echo "the emulator did not start:" >&2; cat "$workdir/stderr" >&2; exit 1 ;;
esac
export EMULATOR_URL
echo "emulator at $EMULATOR_URL ($profile)"

passed=0
failed=0
run() {
  local label="$1"; shift
  local out
  out="$("$@" 2>&1)" || true
  echo "$out"
  local line
  line="$(echo "$out" | grep -E "^$label: [0-9]+ passed, [0-9]+ failed$" | tail -n1 || true)"
  if [ -z "$line" ]; then
    echo "FAIL $label: no result line" ; failed=$((failed + 1)); return
  fi
  local p f
  p="$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\1/')"
  f="$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\2/')"
  passed=$((passed + p)); failed=$((failed + f))
}
run node-sdk node "$official/node_sdk.js"
run python-sdk "$official/.venv/bin/python" "$official/python_sdk.py"

echo "official-sdk: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
