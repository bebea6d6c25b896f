#!/usr/bin/env bash
# Builds every release artifact into dist/ (gitignored), then checks what is inside each one:
#
#   dist/essbasic-<v>.tgz                      npm package: native addon (linux-x64-gnu, release,
#                                              stripped), the WebAssembly build, ESM + CJS entry
#                                              points, .d.ts, README, LICENSE   (npm pack)
#   dist/essbasic-<v>-cp39-abi3-<platform>.whl Python abi3 wheel with .pyi and py.typed
#   dist/essbasic-<v>.tar.gz                   Python sdist                     (maturin)
#   dist/<crate>-<v>.crate                     every publishable crate of the workspace, the
#                                              core with its vendored spec and generated code
#                                              (cargo package, which also builds each crate
#                                              from its packaged files alone)
#   dist/SHA256SUMS, dist/sizes.json, dist/SIZES.md
#
#   bash tests/release/build.sh
#   RELEASE_ALLOW_DIRTY=1 bash tests/release/build.sh   # a trial build from uncommitted files
#                                                       # (cargo package --allow-dirty); never
#                                                       # for publishing
#
# Release builds only where the artifact ships machine code (the addon, the wheel, the Wasm);
# cargo package verifies in the dev profile. Needs Rust, Node >= 18 with npm, Python >= 3.9.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"

version=$(workspace_version)
target=$(target_dir)
stage="$dist/.stage"
log "version $version (root Cargo.toml), into $dist"

# 1. One version and consistent metadata, or nothing is built.
if ! out=$(bash "$release_dir/check-version.sh" 2>&1); then
  printf '%s\n' "$out" | grep -v '^ok - ' >&2
  die "version or metadata mismatch (see above)"
fi

mkdir -p "$dist"
rm -rf "$stage"
rm -f "$dist"/essbasic-*.tgz "$dist"/essbasic-*.whl "$dist"/essbasic-*.tar.gz "$dist"/*.crate \
  "$dist"/SHA256SUMS "$dist"/sizes.json "$dist"/SIZES.md
ensure_python_tools

# 2. The WebAssembly build, into bindings-node/wasm/ (incremental; checks its own budget).
log "WebAssembly build (bindings-wasm/build.sh)"
bash "$root/bindings-wasm/build.sh" >&2

# 3. The native addon, release and stripped. Built here rather than with
#    bindings-node/build.sh --release so that the debug addon the Node tests use in
#    bindings-node/ stays as it is (the tarball is packed from a staging copy), and in its
#    own target directory so that no other build replaces the library before it is copied.
log "native addon (cargo build -p essbasic-node --release, stripped)"
CARGO_PROFILE_RELEASE_STRIP=symbols cargo build --quiet -p essbasic-node --release \
  --target-dir "$target/release-npm" >&2
addon="$target/release-npm/release/libessbasic_node.so"
[ -f "$addon" ] || die "no $addon (this script packs the linux-x64-gnu addon)"

# 4. npm pack from a staging copy of exactly the files `npm pack` would take from
#    bindings-node/ (its `files`, .npmignore rules, README, LICENSE), with the release addon.
log "npm pack"
mkdir -p "$stage/npm"
(cd "$root/bindings-node" && npm pack --dry-run --json --loglevel=error) |
  node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      for (const f of JSON.parse(s)[0].files) if (!f.path.endsWith(".node")) console.log(f.path);
    });' >"$stage/npm.files"
(cd "$root/bindings-node" && tar -cf - -T "$stage/npm.files") | (cd "$stage/npm" && tar -xf -)
cp "$addon" "$stage/npm/essbasic.linux-x64-gnu.node"
(cd "$stage/npm" && npm pack --json --loglevel=error --pack-destination "$dist") >"$stage/npm-pack.json"
[ -f "$dist/essbasic-$version.tgz" ] || die "npm pack wrote no essbasic-$version.tgz"

# 5. The wheel (release, stripped) and the sdist, with maturin from tests/release/.venv. The
#    wheel's build keeps its own target directory: maturin stages the library in
#    <target>/maturin/, which another maturin run on the shared one could move away.
log "maturin build --release (abi3 wheel) and maturin sdist"
(cd "$root/bindings-python" &&
  "$release_dir/.venv/bin/maturin" build --quiet --release --strip --out "$dist" \
    --target-dir "$target/release-wheel" --interpreter "$tools_python" >&2 &&
  "$release_dir/.venv/bin/maturin" sdist --out "$dist" >&2)

# 6. The crates: every workspace package that may be published, packaged together (so one
#    may depend on another's unpublished version) and each verified by building it from its
#    packaged files. Without RELEASE_ALLOW_DIRTY=1 this refuses uncommitted changes, so a
#    .crate is always the committed source.
mapfile -t crates < <(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p.get("publish") != []:
        print(p["name"])')
[ "${#crates[@]}" -gt 0 ] || die "no publishable crate in the workspace"
log "cargo package ${crates[*]}"
pkg_args=()
for c in "${crates[@]}"; do pkg_args+=(-p "$c"); done
dirty=()
if [ "${RELEASE_ALLOW_DIRTY:-0}" = 1 ]; then dirty=(--allow-dirty); fi
if ! cargo package --quiet "${pkg_args[@]}" "${dirty[@]}" >&2; then
  die "cargo package failed (uncommitted changes? commit them, or RELEASE_ALLOW_DIRTY=1 for a trial build)"
fi
for c in "${crates[@]}"; do
  cp "$target/package/$c-$version.crate" "$dist/"
done

# 7. Checksums, then what is inside each artifact and the size budgets (the exit status).
(cd "$dist" && sha256sum essbasic-*.tgz essbasic-*.whl essbasic-*.tar.gz ./*.crate | sed 's# \./# #' >SHA256SUMS)
rm -rf "$stage"
log "built: $(cd "$dist" && ls essbasic-*.tgz essbasic-*.whl essbasic-*.tar.gz ./*.crate | sed 's#^\./##' | tr '\n' ' ')"
log "checking the artifacts"
python3 "$release_dir/artifacts.py" "$dist" "$version"
