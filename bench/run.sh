#!/usr/bin/env bash
# The benchmark harness of issue #9: essbasic against the official Tencent Cloud SDKs, in the
# same run, interleaved, against the same release-built emulator on 127.0.0.1.
#
#   bash bench/run.sh                  build everything, measure, write bench/results.json,
#                                      the tables of BENCHMARKS.md and bench/chart.svg
#   BENCH_SKIP_BUILD=1 bash bench/run.sh   reuse the artifacts of the last build
#   BENCH_REPORT_ONLY=1 bash bench/run.sh  only re-render BENCHMARKS.md and the chart
#   BENCH_BUILD_ONLY=1 bash bench/run.sh   only build and install (no measurement)
#   BENCH_SMOKE=1 bash bench/run.sh    the test command's check that the harness works: every
#                                      scenario of every implementation once, briefly, on debug
#                                      builds, into bench/.smoke (nothing committed is touched);
#                                      fails when a target gets no value. No timing assertions.
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

smoke=${BENCH_SMOKE:-0}
if [ "$smoke" = 1 ]; then
  # Debug builds in the workspace's own target dir (the test command has built them), and
  # every artifact under bench/.smoke: a later measurement never picks up a debug build.
  profile=debug
  cargo_profile=()
  target=${CARGO_TARGET_DIR:-$root/target}
  rust_target=$target
  home="$here/.smoke"
  export BENCH_WORK="$home/work" BENCH_STAGE="$home/stage/essbasic" BENCH_VENV="$home/venv"
  export BENCH_RESULTS="$home/results.json" BENCH_PROFILE=debug
  export BENCH_ROUNDS=1 BENCH_COLD_ROUNDS=1 BENCH_SECS=0.05 BENCH_RSS_CALLS=2000
  export BENCH_MAX_LOAD=1000 BENCH_MAX_BUSY=1.01 BENCH_LOAD_WAIT=0
  unset BENCH_SKIP_BUILD BENCH_BUILD_ONLY BENCH_REPORT_ONLY BENCH_ONLY_SCENARIOS
else
  profile=release
  cargo_profile=(--release)
  target="$here/target"
  rust_target="$here/rust/target"
fi
export BENCH_EMULATOR="$target/$profile/essbasic-emulator" BENCH_RUST_BIN="$rust_target/$profile/essbasic-bench"
stage_dir=$(dirname "${BENCH_STAGE:-$here/.stage/essbasic}")
work_dir=${BENCH_WORK:-$here/.work}
venv=${BENCH_VENV:-$here/.venv}
py="$venv/bin/python"

if [ "${BENCH_REPORT_ONLY:-0}" = 1 ]; then
  "$py" "$here/report.py"
  exit 0
fi

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  # 1. Release builds of the workspace crates, in bench's own target dir so that nobody
  #    else's build is invalidated; stripped like bindings-node/build.sh --release does.
  #    (The smoke run: the test command's debug builds, in the workspace's target dir.)
  log "cargo build $profile: emulator, Node addon ($target)"
  (
    cd "$root"
    export CARGO_TARGET_DIR="$target"
    [ "$profile" = release ] && export CARGO_PROFILE_RELEASE_STRIP=symbols
    cargo build --quiet "${cargo_profile[@]}" -p essbasic-emulator --bin essbasic-emulator
    cargo build --quiet "${cargo_profile[@]}" -p essbasic-node
  )

  # 2. The WebAssembly build (into bindings-node/wasm, its home; incremental).
  log "bash bindings-wasm/build.sh"
  bash "$root/bindings-wasm/build.sh" >&2

  # 3. The npm package exactly as `npm pack` makes it, with the release addon, unpacked
  #    into bench/.stage/essbasic (bindings-node's own addon file is left alone).
  log "staging the npm package (npm pack)"
  rm -rf "$stage_dir"
  mkdir -p "$stage_dir/src" "$stage_dir/essbasic"
  tar -C "$root/bindings-node" --exclude=./node_modules --exclude=./test --exclude=./src \
    --exclude='./essbasic.*.node' -cf - . | tar -C "$stage_dir/src" -xf -
  cp "$target/$profile/libessbasic_node.so" "$stage_dir/src/essbasic.linux-x64-gnu.node"
  tgz=$(cd "$stage_dir/src" && npm pack --silent --pack-destination "$stage_dir")
  tar -C "$stage_dir/essbasic" --strip-components=1 -xzf "$stage_dir/$tgz"

  # 4. The bench venv: the pinned official Python SDK and maturin, then essbasic's wheel
  #    (release, stripped) built into bench/.work/dist.
  if [ ! -x "$py" ]; then
    log "python3 -m venv $venv"
    python3 -m venv "$venv"
  fi
  log "pip install -r bench/requirements.txt"
  "$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  log "maturin build $profile (the essbasic wheel)"
  rm -rf "$work_dir/dist"
  (
    cd "$root/bindings-python"
    export CARGO_TARGET_DIR="$target"
    wheel_profile=(--profile dev)
    if [ "$profile" = release ]; then
      export CARGO_PROFILE_RELEASE_STRIP=symbols
      wheel_profile=(--release --strip)
    fi
    "$venv/bin/maturin" build --quiet "${wheel_profile[@]}" --out "$work_dir/dist" --interpreter "$py" >&2
  )
  "$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$work_dir"/dist/essbasic-*.whl

  # 5. The official Node SDK, from the committed lockfile.
  log "npm ci (tencentcloud-sdk-nodejs)"
  npm ci --silent --no-audit --no-fund >&2

  # 6. The Rust benchmarks (a standalone crate; the project's release profile).
  log "cargo build $profile (bench/rust)"
  (
    cd "$here/rust"
    unset CARGO_TARGET_DIR CARGO_PROFILE_RELEASE_STRIP
    # The project's lockfile pins the versions shared with core (cargo adds the rest).
    cp "$root/Cargo.lock" "$here/rust/Cargo.lock"
    cargo build --quiet "${cargo_profile[@]}" --target-dir "$rust_target"
  )
fi

if [ "${BENCH_BUILD_ONLY:-0}" = 1 ]; then
  log "built (BENCH_BUILD_ONLY=1): not measuring"
  exit 0
fi

# 7. Measure (interleaved rounds), then render the tables and the chart.
"$py" "$here/driver.py"
if [ "$smoke" = 1 ]; then
  # Rendered beside the smoke's results; every target must have a value.
  "$py" "$here/report.py" --results "$BENCH_RESULTS" --out "$home/report" --require-all
  log "smoke run passed: every scenario ran for every implementation and every target has a value"
  log "(debug builds, one brief round: the numbers in $home mean nothing)"
else
  "$py" "$here/report.py"
fi
