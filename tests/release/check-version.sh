#!/usr/bin/env bash
# One version and consistent metadata for every artifact.
#
#   bash tests/release/check-version.sh           # check; exits non-zero on any mismatch
#   bash tests/release/check-version.sh --write   # after bumping the root Cargo.toml: rewrite
#                                                 # the npm package's copies, then check
#
# The version is written once: `[workspace.package] version` in the root Cargo.toml. The
# crates inherit it, the wheel and the sdist read it from Cargo through maturin
# (`dynamic = ["version"]` in bindings-python/pyproject.toml), and the npm package has the
# copies npm and the browser need (package.json, package-lock.json, lib/version.mjs and its
# generated twin lib/version.cjs); this script fails when one of them disagrees, and
# `--write` rewrites them. It also checks the metadata the registries show: license
# (Apache-2.0, with a LICENSE file in each artifact's folder), repository, keywords, the
# supported runtimes (Node >= 18, Python >= 3.9, the Rust MSRV) and the CHANGELOG entry.
# Prints `ok - ...` / `not ok - ...` per check.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

write=0
case "${1:-}" in
  --write) write=1 ;;
  '') ;;
  *) die "usage: check-version.sh [--write]" ;;
esac

version=$(workspace_version)
[ -n "$version" ] || die "no [workspace.package] version in Cargo.toml"

if [ "$write" = 1 ]; then
  log "writing version $version into the npm package"
  (
    cd "$root/bindings-node"
    npm pkg set "version=$version" >/dev/null
    npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
    sed -i -E "s/^export const VERSION = '[^']*';/export const VERSION = '$version';/" lib/version.mjs
    node scripts/gen-cjs.mjs >/dev/null
  )
fi

# Everything else is easier to read in Python (TOML and JSON).
cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" >"${TMPDIR:-/tmp}/essbasic-release-meta.$$.json"
trap 'rm -f "${TMPDIR:-/tmp}/essbasic-release-meta.$$.json"' EXIT
python3 - "$root" "$version" "${TMPDIR:-/tmp}/essbasic-release-meta.$$.json" <<'EOF'
import json, re, sys, tomllib
from pathlib import Path

root, version, meta_path = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
LICENSE = "Apache-2.0"
results = []

def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} - {name}" + (f": {detail}" if detail and not ok else ""))

meta = json.loads(Path(meta_path).read_text())
ws = tomllib.loads((root / "Cargo.toml").read_text())["workspace"]["package"]
repo = ws.get("repository", "")
msrv = ws.get("rust-version", "")
check("Cargo.toml [workspace.package] has version, license, repository, rust-version",
      bool(version and ws.get("license") == LICENSE and repo.startswith("https://") and msrv),
      f"{ws}")

# --- Rust: every workspace crate inherits the version; the published ones carry metadata.
for pkg in meta["packages"]:
    check(f"crate {pkg['name']} is version {version}", pkg["version"] == version, pkg["version"])
    if pkg.get("publish") != []:
        missing = [k for k in ("description", "license", "repository", "rust_version", "readme")
                   if not pkg.get(k)]
        check(f"crate {pkg['name']} (published) has description, license, repository, "
              f"rust-version, readme, keywords, categories",
              not missing and pkg["license"] == LICENSE and pkg["keywords"] and pkg["categories"]
              and pkg["rust_version"] == msrv, f"missing {missing}, license {pkg.get('license')}")
        lic = Path(pkg["manifest_path"]).parent / "LICENSE"
        check(f"crate {pkg['name']} has its LICENSE file", lic.is_file(), str(lic))

# --- npm.
node = root / "bindings-node"
pj = json.loads((node / "package.json").read_text())
check("bindings-node/package.json version", pj.get("version") == version, pj.get("version"))
lock = json.loads((node / "package-lock.json").read_text())
lock_versions = {lock.get("version"), lock.get("packages", {}).get("", {}).get("version")}
check("bindings-node/package-lock.json version", lock_versions == {version}, str(lock_versions))
for twin, pattern in (("lib/version.mjs", r"export const VERSION = '([^']*)'"),
                      ("lib/version.cjs", r"const VERSION = '([^']*)'")):
    m = re.search(pattern, (node / twin).read_text())
    check(f"bindings-node/{twin} VERSION", bool(m) and m.group(1) == version, m and m.group(1))
check("package.json license", pj.get("license") == LICENSE, pj.get("license"))
check("package.json engines.node is >=18", pj.get("engines", {}).get("node") == ">=18",
      pj.get("engines"))
r = pj.get("repository") or {}
check("package.json repository is the project's", isinstance(r, dict)
      and r.get("url", "").removeprefix("git+").removesuffix(".git") == repo, str(r))
check("package.json has keywords and a description", bool(pj.get("keywords")) and bool(pj.get("description")))
check("package.json `files` ship LICENSE and README.md",
      {"LICENSE", "README.md"} <= set(pj.get("files", [])), pj.get("files"))
check("bindings-node/LICENSE", (node / "LICENSE").is_file())

# --- Python.
py = root / "bindings-python"
pp = tomllib.loads((py / "pyproject.toml").read_text())["project"]
check("pyproject.toml takes its version from Cargo (dynamic)",
      "version" in pp.get("dynamic", []) and "version" not in pp, pp.get("version"))
pycrate = [p for p in meta["packages"] if Path(p["manifest_path"]).parent == py]
check("the Python extension crate (bindings-python/Cargo.toml) is the version",
      bool(pycrate) and pycrate[0]["version"] == version)
check("pyproject.toml requires-python is >=3.9", pp.get("requires-python") == ">=3.9",
      pp.get("requires-python"))
lic = pp.get("license")
lic_text = lic.get("text") if isinstance(lic, dict) else lic
check("pyproject.toml license", lic_text == LICENSE, str(lic))
urls = {k.lower(): v for k, v in pp.get("urls", {}).items()}
check("pyproject.toml urls.Repository is the project's", urls.get("repository") == repo, str(urls))
cls = pp.get("classifiers", [])
check("pyproject.toml classifiers name Python 3.9 and the license",
      "Programming Language :: Python :: 3.9" in cls
      and "License :: OSI Approved :: Apache Software License" in cls)
check("bindings-python/LICENSE", (py / "LICENSE").is_file())

# --- the same license text everywhere.
apache = (root / "core/spec/LICENSE-APACHE-2.0").read_text()
for f in ("core/LICENSE", "bindings-node/LICENSE", "bindings-python/LICENSE"):
    p = root / f
    check(f"{f} is the Apache-2.0 text", p.is_file() and p.read_text() == apache)

# --- the changelog.
cl = (root / "CHANGELOG.md").read_text() if (root / "CHANGELOG.md").is_file() else ""
check(f"CHANGELOG.md has a `## [{version}]` entry", f"## [{version}]" in cl)

failed = results.count(False)
print(f"check-version: version {version}, {len(results) - failed} ok, {failed} not ok")
sys.exit(1 if failed else 0)
EOF
