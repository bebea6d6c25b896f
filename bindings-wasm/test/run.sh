#!/usr/bin/env bash
# The wasm binding's test: build (bindings-wasm/build.sh: wasm, glue, size budget, no `env`
# imports), then the real-browser test (headless Debian Chromium + playwright-core against
# the emulator), then Deno and Bun (test/runtimes.sh). Closing lines: `browser: N passed,
# M failed` and `runtimes: N passed, M failed`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wasm_dir=$(cd "$here/.." && pwd)
bash "$wasm_dir/build.sh"
if [ ! -d "$wasm_dir/node_modules/playwright-core" ] || [ ! -x "$wasm_dir/node_modules/.bin/deno" ] ||
  [ ! -x "$wasm_dir/node_modules/.bin/bun" ]; then
  (cd "$wasm_dir" && npm ci --no-audit --no-fund >&2)
fi
node "$here/browser.mjs"
bash "$here/runtimes.sh"
