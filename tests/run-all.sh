#!/usr/bin/env bash
# The test command: builds everything and runs every suite. Installs what it needs itself
# (the wasm32 target, npm packages, maturin, the pinned wasm-bindgen-cli, Chromium).
# Usage: bash tests/run-all.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TERM_COLOR=never
# A clean run gains nothing from incremental compilation, and its caches take disk.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

# Each step says how much disk is left, so a run that fills the disk shows where.
free_disk() { df -Ph "$root" | awk 'NR == 2 { print $4 }'; }
step() { printf '\n==> %s (%s free)\n' "$*" "$(free_disk)"; }

step "toolchain"
if command -v rustup >/dev/null 2>&1; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
  rustup target add wasm32-unknown-unknown
fi

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "generated files are fresh"
cargo run -q -p essbasic-codegen -- --check

step "core builds for wasm32-unknown-unknown with no host imports"
bash tests/check-wasm-core.sh

step "Rust tests (core, codegen, emulator)"
cargo test --workspace --all-features

step "fuzzing the core briefly (cargo fuzz, nightly)"
bash tests/fuzz.sh

step "the emulator accepts what the official SDKs send"
bash tests/emulator/run-official.sh

step "WebAssembly build (pinned wasm-bindgen-cli, size budget)"
bash bindings-wasm/build.sh

step "Node package: one suite against the native addon and the WebAssembly build"
ESSBASIC_TARGETS="native wasm" bash bindings-node/test/run.sh

step "the package in a real browser (Chromium)"
bash bindings-wasm/test/run.sh

step "Python wheel"
bash bindings-python/test.sh

step "release artifacts install and work on their own (npm, wheel, sdist, crate, bundled page)"
bash tests/release/test.sh

step "API references build (rustdoc, TypeDoc, pdoc)"
bash tests/release/docs.sh

step "conformance vectors in every language"
bash tests/conformance.sh

step "benchmark harness: BENCHMARKS.md is what bench/results.json renders; lints; a smoke run"
python3 bench/report.py --check
bindings-python/.venv/bin/ruff check bench
bindings-python/.venv/bin/ruff format --check bench
BENCH_SMOKE=1 bash bench/run.sh

echo
echo "all suites passed ($(free_disk) free)"
