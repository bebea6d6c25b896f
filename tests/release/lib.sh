# Shared by the release scripts (build.sh, test.sh, docs.sh, check-version.sh); sourced,
# not run. Defines the paths, reads the one version number, and sets up the two tool
# environments of this folder: node_modules/ (package.json + package-lock.json: TypeDoc,
# Vite, playwright-core) and .venv/ (requirements.txt: maturin, pdoc).

release_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$release_dir/../.." && pwd)
dist="${ESSBASIC_DIST_DIR:-$root/dist}"
export CARGO_TERM_COLOR=never

log() { printf 'release: %s\n' "$*" >&2; }
die() { printf 'release: error: %s\n' "$*" >&2; exit 1; }

# The version of every artifact: `[workspace.package] version` of the root Cargo.toml, the
# single place it is written. The crates inherit it (`version.workspace = true`), the wheel
# and the sdist get it from Cargo through maturin (`dynamic = ["version"]`), and the npm
# package's copies are checked against it by check-version.sh.
workspace_version() {
  python3 - "$root/Cargo.toml" <<'EOF'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    print(tomllib.load(f)["workspace"]["package"]["version"])
EOF
}

# The workspace's target directory (CARGO_TARGET_DIR or <root>/target).
target_dir() {
  if [ -n "${CARGO_TARGET_DIR:-}" ]; then
    printf '%s\n' "$CARGO_TARGET_DIR"
  else
    printf '%s\n' "$root/target"
  fi
}

# node_modules/ of this folder, from the lockfile (no registry host is written in it: see .npmrc).
ensure_node_tools() {
  if [ ! -d "$release_dir/node_modules/typedoc" ] || [ ! -d "$release_dir/node_modules/vite" ] ||
    [ ! -d "$release_dir/node_modules/playwright-core" ] ||
    [ "$release_dir/package-lock.json" -nt "$release_dir/node_modules/.package-lock.json" ]; then
    log "npm ci in tests/release (TypeDoc, Vite, playwright-core)"
    (cd "$release_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

# .venv/ of this folder: maturin (wheel and sdist) and pdoc (the Python reference).
tools_python="$release_dir/.venv/bin/python"
ensure_python_tools() {
  if [ ! -x "$tools_python" ]; then
    log "creating tests/release/.venv"
    python3 -m venv "$release_dir/.venv"
  fi
  # Install when any pin of requirements.txt is not what the venv has.
  local missing=0 pin installed
  installed=$("$tools_python" -m pip freeze --disable-pip-version-check 2>/dev/null || true)
  while read -r pin; do
    case "$pin" in '' | '#'*) continue ;; esac
    grep -qixF "$pin" <<<"$installed" || missing=1
  done <"$release_dir/requirements.txt"
  if [ "$missing" = 1 ]; then
    log "pip install -r tests/release/requirements.txt"
    "$tools_python" -m pip install --quiet --disable-pip-version-check -r "$release_dir/requirements.txt" >&2
  fi
}
