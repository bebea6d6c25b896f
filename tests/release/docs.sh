#!/usr/bin/env bash
# Builds the API references into dist/docs/:
#
#   dist/docs/rust/essbasic/   rustdoc of the crate, every feature
#                              (RUSTDOCFLAGS=-D warnings: a warning, e.g. a broken
#                              intra-doc link, fails), and its doc examples compiled and run
#                              (cargo test --doc -p essbasic --all-features)
#   dist/docs/js/              TypeDoc over the npm package's index.d.ts (and the generated
#                              types/models.d.ts it re-exports); warnings fail
#   dist/docs/python/          pdoc of the Python package as the wheel in dist/ installs it
#                              (docstrings are reStructuredText)
#   dist/docs/index.html       links to the three
#
#   bash tests/release/docs.sh     # needs the wheel in dist/ (runs build.sh when it is missing)
#
# Every part is built even when another fails; the last line is
# `docs: N built, M failed` and the exit status is non-zero on a failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"

version=$(workspace_version)
out="$dist/docs"
built=0
failed=0
done_ok() { built=$((built + 1)); printf 'ok - %s\n' "$*"; }
done_bad() { failed=$((failed + 1)); printf 'not ok - %s\n' "$*"; }
mkdir -p "$out"

# --- Rust: rustdoc with warnings as errors, in its own target directory so that the output
#     holds this crate only (the shared target/doc collects whatever else was documented).
log "rustdoc (cargo doc -p essbasic --all-features --no-deps, RUSTDOCFLAGS=-D warnings)"
doc_target="$(target_dir)/api-docs"
rm -rf "$out/rust"
if RUSTDOCFLAGS="-D warnings" cargo doc --quiet -p essbasic --all-features --no-deps \
  --target-dir "$doc_target" 2>"$dist/rustdoc.log"; then
  cp -r "$doc_target/doc" "$out/rust"
  done_ok "rustdoc: dist/docs/rust/essbasic/index.html"
else
  done_bad "rustdoc: warnings or errors (dist/rustdoc.log):"
  grep -E '^(error|warning)' -A6 "$dist/rustdoc.log" | head -n 60 | sed 's/^/#   /'
fi
log "doc examples (cargo test --doc -p essbasic --all-features)"
if cargo test --quiet --doc -p essbasic --all-features >"$dist/doctest.log" 2>&1; then
  done_ok "rustdoc examples compile and pass ($(grep -Eo '[0-9]+ passed' "$dist/doctest.log" | tail -n 1))"
else
  done_bad "rustdoc examples (dist/doctest.log):"
  grep -E '^(----|error|failures:|    )' "$dist/doctest.log" | head -n 40 | sed 's/^/#   /'
fi

# --- JavaScript: TypeDoc from the .d.ts (tests/release/typedoc.json).
ensure_node_tools
log "TypeDoc (bindings-node/index.d.ts)"
rm -rf "$out/js"
if (cd "$release_dir" && NO_COLOR=1 node_modules/.bin/typedoc --options typedoc.json --out "$out/js" \
  --name "essbasic $version (npm)" >"$dist/typedoc.log" 2>&1); then
  done_ok "TypeDoc: dist/docs/js/index.html"
else
  done_bad "TypeDoc: warnings or errors (dist/typedoc.log):"
  head -n 40 "$dist/typedoc.log" | sed 's/^/#   /'
fi

# --- Python: pdoc of the installed wheel, in tests/release/.venv.
ensure_python_tools
whl=$(ls "$dist"/essbasic-"$version"-cp39-abi3-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$whl" ]; then
  log "no wheel in dist/: building the artifacts first"
  bash "$release_dir/build.sh" >&2 || true
  whl=$(ls "$dist"/essbasic-"$version"-cp39-abi3-*.whl 2>/dev/null | head -n 1 || true)
fi
rm -rf "$out/python"
if [ -n "$whl" ] &&
  "$tools_python" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$whl" &&
  # From /tmp, so that `essbasic` is the installed package, not a folder of the checkout.
  (cd /tmp && "$tools_python" -m pdoc --docformat restructuredtext \
    --footer-text "essbasic $version" -o "$out/python" essbasic essbasic.compat) >"$dist/pdoc.log" 2>&1; then
  # pdoc cannot tell where inherited TypedDict members and NamedTuple constructor annotations
  # come from; those notes are about pdoc, not the package, and are only counted.
  warnings=$(grep -c '^Warn' "$dist/pdoc.log" || true)
  done_ok "pdoc: dist/docs/python/essbasic.html ($warnings pdoc notes in dist/pdoc.log)"
else
  done_bad "pdoc (dist/pdoc.log):"
  grep -v '^Warn: Cannot determine where' "$dist/pdoc.log" 2>/dev/null | tail -n 20 | sed 's/^/#   /'
fi

# --- an index page.
cat >"$out/index.html" <<EOF
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>essbasic $version API reference</title></head>
<body>
<h1>essbasic $version API reference</h1>
<ul>
<li><a href="rust/essbasic/index.html">Rust</a> — crate <code>essbasic</code> (rustdoc, every feature)</li>
<li><a href="js/index.html">JavaScript / TypeScript</a> — npm package <code>essbasic</code> (TypeDoc)</li>
<li><a href="python/essbasic.html">Python</a> — package <code>essbasic</code> (pdoc)</li>
</ul>
</body></html>
EOF
echo "docs: $built built, $failed failed"
[ "$failed" = 0 ]
