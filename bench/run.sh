#!/usr/bin/env bash
# The benchmark harness of issue #9: essbasic against the official Tencent Cloud SDKs, in the
# same run, interleaved, against the same release-built emulator on 127.0.0.1.
#
#   bash bench/run.sh                  build everything, measure, write bench/results.json,
#                                      the tables of BENCHMARKS.md and bench/chart.svg
#   BENCH_SKIP_BUILD=1 bash bench/run.sh   reuse the artifacts of the last build
#   BENCH_REPORT_ONLY=1 bash bench/run.sh  only re-render BENCHMARKS.md and the chart
#   BENCH_BUILD_ONLY=1 bash bench/run.sh   only build and install (no measurement)
#
# Knobs (environment): BENCH_ROUNDS (5), BENCH_COLD_ROUNDS (20), BENCH_SECS (1),
# BENCH_RSS_CALLS (10000), BENCH_MAX_LOAD (1.5), BENCH_LOAD_WAIT (600); see bench/driver.py.
#
# Not part of the test command. Everything it builds or installs stays under bench/
# (gitignored): bench/target (the emulator, the Node addon and the wheel, release),
# bench/.stage (the npm package as `npm pack` makes it), bench/.venv (the wheel and the
# official Python SDK), bench/node_modules (the official Node SDK), bench/rust/target.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$here"

log() { printf 'bench: %s\n' "$*" >&2; }

# Only loopback traffic: no proxy from the environment, for any child.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

py="$here/.venv/bin/python"

if [ "${BENCH_REPORT_ONLY:-0}" = 1 ]; then
  "$py" "$here/report.py"
  exit 0
fi

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  # 1. Release builds of the workspace crates, in bench's own target dir so that nobody
  #    else's build is invalidated; stripped like bindings-node/build.sh --release does.
  log "cargo build --release: emulator, Node addon (bench/target)"
  (
    cd "$root"
    export CARGO_TARGET_DIR="$here/target" CARGO_PROFILE_RELEASE_STRIP=symbols
    cargo build --quiet --release -p essbasic-emulator --bin essbasic-emulator
    cargo build --quiet --release -p essbasic-node
  )

  # 2. The WebAssembly build (into bindings-node/wasm, its home; incremental).
  log "bash bindings-wasm/build.sh"
  bash "$root/bindings-wasm/build.sh" >&2

  # 3. The npm package exactly as `npm pack` makes it, with the release addon, unpacked
  #    into bench/.stage/essbasic (bindings-node's own addon file is left alone).
  log "staging the npm package (npm pack)"
  rm -rf "$here/.stage"
  mkdir -p "$here/.stage/src" "$here/.stage/essbasic"
  tar -C "$root/bindings-node" --exclude=./node_modules --exclude=./test --exclude=./src \
    --exclude='./essbasic.*.node' -cf - . | tar -C "$here/.stage/src" -xf -
  cp "$here/target/release/libessbasic_node.so" "$here/.stage/src/essbasic.linux-x64-gnu.node"
  tgz=$(cd "$here/.stage/src" && npm pack --silent --pack-destination "$here/.stage")
  tar -C "$here/.stage/essbasic" --strip-components=1 -xzf "$here/.stage/$tgz"

  # 4. The bench venv: the pinned official Python SDK and maturin, then essbasic's wheel
  #    (release, stripped) built into bench/.work/dist.
  if [ ! -x "$py" ]; then
    log "python3 -m venv bench/.venv"
    python3 -m venv "$here/.venv"
  fi
  log "pip install -r bench/requirements.txt"
  "$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  log "maturin build --release (the essbasic wheel)"
  rm -rf "$here/.work/dist"
  (
    cd "$root/bindings-python"
    export CARGO_TARGET_DIR="$here/target" CARGO_PROFILE_RELEASE_STRIP=symbols
    "$here/.venv/bin/maturin" build --quiet --release --strip --out "$here/.work/dist" --interpreter "$py" >&2
  )
  "$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$here"/.work/dist/essbasic-*.whl

  # 5. The official Node SDK, from the committed lockfile.
  log "npm ci (tencentcloud-sdk-nodejs)"
  npm ci --silent --no-audit --no-fund >&2

  # 6. The Rust benchmarks (a standalone crate; the project's release profile).
  log "cargo build --release (bench/rust)"
  (
    cd "$here/rust"
    unset CARGO_TARGET_DIR CARGO_PROFILE_RELEASE_STRIP
    # The project's lockfile pins the versions shared with core (cargo adds the rest).
    cp "$root/Cargo.lock" "$here/rust/Cargo.lock"
    cargo build --quiet --release --target-dir "$here/rust/target"
  )
fi

if [ "${BENCH_BUILD_ONLY:-0}" = 1 ]; then
  log "built (BENCH_BUILD_ONLY=1): not measuring"
  exit 0
fi

# 7. Measure (interleaved rounds), then render the tables and the chart.
"$py" "$here/driver.py"
"$py" "$here/report.py"
