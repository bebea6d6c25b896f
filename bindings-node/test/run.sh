#!/usr/bin/env bash
# The Node binding's test command (also `npm test`): installs the npm dev dependencies
# (npm ci: typescript), builds the native addon (debug) and the emulator, checks every JS
# file's syntax and the generated files (lib/actions.mjs, the lib/*.cjs twins), then runs the
# node:test suite — unit, conformance, end to end against the emulator, migration, and
# tsc --noEmit on the typed usage samples —
# once per target: native, and wasm when the WebAssembly build is there
# (bindings-wasm/build.sh). ESSBASIC_TARGETS="native wasm" chooses explicitly.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
cd "$here"
# Nothing may leave the machine: no proxy from the environment.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

echo "==> npm ci"
npm ci --no-audit --no-fund --loglevel=error

# The migration test also runs its script on the official SDK when it is installed: use the
# emulator's pinned copy (tests/emulator/official, npm ci). ESSBASIC_SKIP_OFFICIAL=1 skips.
official="$root/tests/emulator/official"
if [ -z "${ESSBASIC_SKIP_OFFICIAL:-}" ] && [ -f "$official/package-lock.json" ] &&
  [ ! -d "$official/node_modules/tencentcloud-sdk-nodejs" ]; then
  echo "==> npm ci in tests/emulator/official (tencentcloud-sdk-nodejs, for the migration test)"
  (cd "$official" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "==> native addon (debug) and emulator"
bash build.sh
(cd "$root" && cargo build -q -p essbasic-emulator --bin essbasic-emulator)
target_dir=$(cd "$root" && cargo metadata --format-version 1 --no-deps |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
export ESSBASIC_EMULATOR_BIN="$target_dir/debug/essbasic-emulator"

echo "==> syntax and generated files"
for f in lib/*.cjs lib/*.mjs test/*.mjs test/helpers/*.mjs scripts/*.mjs test/migration/*.js; do
  node --check "$f"
done
node scripts/gen-actions.mjs --check
node scripts/gen-cjs.mjs --check

targets=${ESSBASIC_TARGETS:-native}
if [ -z "${ESSBASIC_TARGETS:-}" ] && [ -f lib/core-wasm.mjs ] && [ -f wasm/essbasic_wasm_bg.wasm ]; then
  targets="native wasm"
fi
# The credential chain reads the environment and ~/.tencentcloud/credentials: the tests see
# neither the caller's variables nor their home directory.
fake_home=$(mktemp -d)
trap 'rm -rf "$fake_home"' EXIT
for target in $targets; do
  echo "==> node --test (ESSBASIC_TARGET=$target)"
  env -u TENCENTCLOUD_SECRET_ID -u TENCENTCLOUD_SECRET_KEY -u TENCENTCLOUD_SESSION_TOKEN \
    -u TENCENTCLOUD_PROFILE HOME="$fake_home" ESSBASIC_TARGET=$target node --test test/*.test.mjs
done
