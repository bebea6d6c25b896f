#!/usr/bin/env bash
# The package under Deno and Bun (installed from npm as devDependencies of this folder):
# the WebAssembly entry makes a call, gets an API error and a validation error, and signs a
# request with `Tc3Signer`, against the emulator. Closing line: `runtimes: N passed, M failed`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wasm_dir=$(cd "$here/.." && pwd)
root=$(cd "$wasm_dir/.." && pwd)
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
(cd "$root" && cargo build -q -p essbasic-emulator --bin essbasic-emulator)
target_dir=$(cd "$root" && cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
out=$(mktemp)
"$target_dir/debug/essbasic-emulator" --listen 127.0.0.1:0 >"$out" &
emu=$!
trap 'kill $emu 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 50); do [ -s "$out" ] && break; sleep 0.1; done
url=$(head -n 1 "$out")
entry="$root/bindings-node/lib/browser.mjs"
passed=0 failed=0
run() { # run <label> <command...>
  local label=$1; shift
  local log
  if log=$("$@" 2>&1); then
    printf '%s\n' "$log"
    passed=$((passed + $(printf '%s\n' "$log" | grep -c '^ok - ')))
  else
    printf '%s\n' "$log"
    echo "not ok - $label exited non-zero"
    failed=$((failed + 1))
  fi
}
run deno "$wasm_dir/node_modules/.bin/deno" run --allow-net --allow-read --allow-env \
  "$here/runtimes.mjs" "$entry" "$url" deno
run bun "$wasm_dir/node_modules/.bin/bun" run "$here/runtimes.mjs" "$entry" "$url" bun
echo "runtimes: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq 8 ]
