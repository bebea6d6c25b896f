#!/usr/bin/env bash
# The release test: builds dist/ (build.sh), then installs each artifact into a clean place
# outside the repository and runs a short program in it against the emulator — one action,
# one API error (a wrong key: AuthFailure.SignatureFailure), one validation error (a missing
# required member, with its path):
#
#   npm    a fresh npm project: `npm install <tgz>`, a CommonJS and an ES module program on the
#          native addon, a TypeScript check of the shipped types, and the same ES module
#          program in a second project whose copy has no addon (the WebAssembly fallback);
#   web    a page bundled by Vite from that project's package, in headless Chromium;
#   wheel  a fresh virtualenv: `pip install <whl>`, a Python program, the installed size;
#   sdist  a fresh virtualenv: `pip install <sdist>` (built from source: Rust + maturin),
#          the same program;
#   crate  a fresh cargo project depending on the unpacked essbasic-<v>.crate (feature
#          `reqwest`), a Rust program; and whether an MSRV-aware resolution finds
#          dependencies within the declared rust-version.
#
# Also runs check-version.sh and the artifact content checks (artifacts.py). Ends with
# `release: N passed, M failed` and exits non-zero on a failure.
#
#   bash tests/release/test.sh            # build, then test
#   bash tests/release/test.sh --reuse    # test the artifacts already in dist/
#   RELEASE_ALLOW_DIRTY=1 ...             # passed to build.sh (trial build of uncommitted files)
#   RELEASE_KEEP=1 ...                    # keep the temporary folder (its path is printed)
#
# Only the emulator and the page server are contacted (127.0.0.1), besides package installs
# (the tarball has no dependencies, so `npm install` of it fetches nothing; pip fetches
# maturin to build the sdist; cargo fetches the fresh project's crates). Rust builds reuse the workspace's target directory (the
# sdist's, its own folder in it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"

reuse=0
case "${1:-}" in
  --reuse) reuse=1 ;;
  '') ;;
  *) die "usage: test.sh [--reuse]" ;;
esac

version=$(workspace_version)
target=$(target_dir)
smoke="$release_dir/smoke"
started=$SECONDS
passed=0
failed=0

# Outside the repository: a user's machine has no source tree next to the packages.
work=$(mktemp -d "${TMPDIR:-/tmp}/essbasic-release.XXXXXX")
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
  if [ "${RELEASE_KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); printf 'ok - %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'not ok - %s\n' "$*"; }
section() { printf '\n# %s (%ds)\n' "$*" $((SECONDS - started)); }

# run_checks LABEL CMD...: runs a program that prints `ok - ...` / `not ok - ...` lines, echoes
# them prefixed with the label and counts them; a program that fails without saying which
# check failed counts as one failure (with the end of its output).
run_checks() {
  local label=$1 out rc=0 ok bad
  shift
  out=$("$@" 2>&1) || rc=$?
  ok=$(grep -c '^ok - ' <<<"$out" || true)
  bad=$(grep -c '^not ok - ' <<<"$out" || true)
  grep -E '^(not )?ok - |^# ' <<<"$out" | sed "s/^\(not ok\|ok\) - /\1 - $label: /" || true
  passed=$((passed + ok))
  failed=$((failed + bad))
  if [ "$rc" != 0 ] && [ "$bad" = 0 ]; then
    fail "$label: exited $rc"
    tail -n 25 <<<"$out" | sed 's/^/#   /'
  fi
}

# step LABEL CMD...: one check that is the exit status of a command (output shown on failure).
step() {
  local label=$1 out
  shift
  if out=$("$@" 2>&1); then
    pass "$label"
  else
    fail "$label"
    tail -n 25 <<<"$out" | sed 's/^/#   /'
  fi
}

# --- the artifacts ------------------------------------------------------------------------
section "artifacts of version $version"
if [ "$reuse" = 0 ]; then
  # build.sh exits non-zero both when a build fails (then artifacts are missing: stop) and
  # when only a content check fails (counted below, from artifacts.py).
  if ! bash "$release_dir/build.sh" >"$work/build.log" 2>&1; then
    log "build.sh exited non-zero (a failed content check is counted below); its last lines:"
    grep -v '^ok - ' "$work/build.log" | tail -n 30 | sed 's/^/#   /' >&2
  fi
fi
tgz="$dist/essbasic-$version.tgz"
whl=$(ls "$dist"/essbasic-"$version"-cp39-abi3-*.whl 2>/dev/null | head -n 1 || true)
sdist="$dist/essbasic-$version.tar.gz"
crate="$dist/essbasic-$version.crate"
for f in "$tgz" "$whl" "$sdist" "$crate"; do
  if [ -z "$f" ] || [ ! -f "$f" ]; then
    fail "artifact ${f:-wheel} exists"
    printf 'release: %d passed, %d failed\n' "$passed" "$failed"
    exit 1
  fi
done
run_checks version bash "$release_dir/check-version.sh"

# --- the emulator ---------------------------------------------------------------------------
section "emulator"
cargo build --quiet -p essbasic-emulator --bin essbasic-emulator
"$target/debug/essbasic-emulator" --listen 127.0.0.1:0 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/emulator.out" ] && break
  sleep 0.1
done
url=$(head -n 1 "$work/emulator.out")
case "$url" in
  http://127.0.0.1:*) pass "emulator listening at $url" ;;
  *) fail "emulator did not start: $(cat "$work/emulator.err")"; exit 1 ;;
esac

# --- npm: a fresh project, the tarball, CommonJS + ES modules + types, the Wasm fallback -----
section "npm: npm install essbasic-$version.tgz into a fresh project"
npm_install() { # DIR: a fresh npm project with the tarball installed
  mkdir -p "$1"
  (cd "$1" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$tgz")
}
step "npm install of the tarball into a fresh project" npm_install "$work/npm"
if [ -d "$work/npm/node_modules/essbasic" ]; then
  ensure_node_tools # tsc, Vite and playwright-core of tests/release
  cp "$smoke/node/smoke.cjs" "$smoke/node/smoke.mjs" "$smoke/node/smoke.ts" "$work/npm/"
  run_checks "node cjs" bash -c "cd '$work/npm' && node smoke.cjs '$url' '$version' native"
  run_checks "node esm" bash -c "cd '$work/npm' && node smoke.mjs '$url' '$version' native"
  # The shipped .d.ts resolve through the exports map (module nodenext, as a TS user has it).
  printf '%s\n' '{ "compilerOptions": { "strict": true, "noEmit": true, "module": "nodenext",' \
    '"moduleResolution": "nodenext", "target": "es2022", "lib": ["es2022", "dom"], "types": [] },' \
    '"files": ["smoke.ts"] }' >"$work/npm/tsconfig.json"
  step "tsc: the package's types from the tarball (nodenext, strict)" \
    "$release_dir/node_modules/.bin/tsc" -p "$work/npm/tsconfig.json"

  section "npm: the WebAssembly fallback (a copy without the native addon)"
  step "npm install of the tarball into a second project" npm_install "$work/npm-wasm"
  rm -f "$work/npm-wasm"/node_modules/essbasic/essbasic.*.node
  cp "$smoke/node/smoke.mjs" "$work/npm-wasm/"
  run_checks "node wasm" bash -c "cd '$work/npm-wasm' && node smoke.mjs '$url' '$version' wasm"

  section "web: a page bundled by Vite from the installed package, in Chromium"
  run_checks web node "$smoke/browser/browser.mjs" "$work/npm" "$url"
fi

# --- Python: the wheel and the sdist in fresh virtualenvs --------------------------------------
section "wheel: pip install $(basename "$whl") into a fresh virtualenv"
python3 -m venv "$work/venv"
step "pip install of the wheel" "$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "$whl"
run_checks "python wheel" bash -c "cd '$work' && '$work/venv/bin/python' '$smoke/python/smoke.py' '$url' '$version'"
# The installed size: the package folder and its .dist-info, with the bytecode pip compiled.
installed=$("$work/venv/bin/python" - <<'EOF'
import sysconfig
from pathlib import Path
site = Path(sysconfig.get_paths()["purelib"])
files = [p for d in ("essbasic",) for p in (site / d).rglob("*") if p.is_file()]
files += [p for p in site.glob("essbasic-*.dist-info/*") if p.is_file()]
print(sum(p.stat().st_size for p in files))
EOF
)

section "sdist: pip install essbasic-$version.tar.gz (built from source) into a fresh virtualenv"
python3 -m venv "$work/venv-sdist"
# The Rust build of the sdist, in the dev profile, keeps its own target directory between
# runs (a shared one would race with another maturin staging its library there).
step "pip install of the sdist (maturin builds it from the packaged sources)" \
  env CARGO_TARGET_DIR="$target/release-test-sdist" MATURIN_PEP517_ARGS="--profile dev" \
  "$work/venv-sdist/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir "$sdist"
run_checks "python sdist" bash -c "cd '$work' && '$work/venv-sdist/bin/python' '$smoke/python/smoke.py' '$url' '$version'"

# --- Rust: a fresh cargo project on the unpacked crate ---------------------------------------
section "crate: a fresh cargo project depending on the unpacked essbasic-$version.crate"
mkdir -p "$work/crates" "$work/rust/src"
for c in "$dist"/*-"$version".crate; do tar -xzf "$c" -C "$work/crates"; done
sed "s#@ESSBASIC_PATH@#$work/crates/essbasic-$version#" "$smoke/rust/Cargo.toml.in" >"$work/rust/Cargo.toml"
cp "$smoke/rust/src/main.rs" "$work/rust/src/main.rs"
# The workspace's lockfile pins the same dependency versions the repository builds with, so
# the shared target directory already holds them (cargo drops the entries it does not need).
cp "$root/Cargo.lock" "$work/rust/Cargo.lock"
resolved=$(cd "$work/rust" && cargo metadata --format-version 1 --quiet | python3 -c '
import json, sys
m = json.load(sys.stdin)
print(" ".join(p["version"] + "@" + p["manifest_path"] for p in m["packages"] if p["name"] == "essbasic"))')
case "$resolved" in
  "$version@$work/crates/essbasic-$version/Cargo.toml") pass "cargo resolves essbasic $version from the unpacked .crate" ;;
  *) fail "cargo resolves essbasic $version from the unpacked .crate: got $resolved" ;;
esac
step "cargo build of the fresh project (essbasic with feature reqwest)" \
  env CARGO_TARGET_DIR="$target" cargo build --quiet --manifest-path "$work/rust/Cargo.toml"
if [ -x "$target/debug/essbasic-release-smoke" ]; then
  run_checks "rust" "$target/debug/essbasic-release-smoke" "$url"
fi

# The declared MSRV: does a resolution that honours rust-version (cargo >= 1.84) find
# dependency versions within it, for each feature set? (No older toolchain can be installed
# here to compile with it; this checks the dependencies' declared rust-version.)
msrv=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["package"]["rust-version"])' \
  "$work/crates/essbasic-$version/Cargo.toml")
for features in default client reqwest; do
  probe="$work/msrv-$features"
  mkdir -p "$probe/src"
  echo 'fn main() {}' >"$probe/src/main.rs"
  dep="essbasic = { path = \"$work/crates/essbasic-$version\" }"
  [ "$features" = default ] ||
    dep="essbasic = { path = \"$work/crates/essbasic-$version\", features = [\"$features\"] }"
  printf '[package]\nname = "msrv-probe"\nversion = "0.0.0"\nedition = "2021"\nrust-version = "%s"\npublish = false\n[dependencies]\n%s\n[workspace]\n' \
    "$msrv" "$dep" >"$probe/Cargo.toml"
  over=$(cd "$probe" && CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo generate-lockfile --quiet 2>/dev/null &&
    cargo metadata --format-version 1 --quiet --filter-platform x86_64-unknown-linux-gnu |
    python3 "$release_dir/msrv.py" "$msrv" | paste -sd ';' -) || over="the resolution failed"
  if [ -z "$over" ]; then
    pass "msrv: essbasic[$features] resolves within rust-version $msrv"
  else
    fail "msrv: essbasic[$features] resolves within rust-version $msrv: needs $over"
  fi
done

# --- what is inside, with the wheel's installed size -------------------------------------------
section "artifact contents and sizes"
run_checks artifacts python3 "$release_dir/artifacts.py" "$dist" "$version" --installed-wheel "$installed"
sed 's/^/# /' "$dist/SIZES.md"

printf '\n# %ds in all\n' $((SECONDS - started))
printf 'release: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" = 0 ]
