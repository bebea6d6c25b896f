#!/usr/bin/env python3
"""Checks what is inside each release artifact of dist/ and measures it.

    python3 tests/release/artifacts.py DIST VERSION [--installed-wheel BYTES]

For the npm tarball, the wheel, the sdist and every .crate: the files a user needs are
there (entry points, types, the native addon and the WebAssembly build, the extension
module with its stubs and py.typed, the vendored spec and the generated code, LICENSE and
README), nothing of the source tree that should not be (tests, build scripts, caches), the
version is VERSION, the crates name no path-only dependency, and the size budgets hold
(npm unpacked <= 5 MB, wheel <= 3 MB installed, .wasm <= 400 KB gzipped). Prints
`ok - ...` / `not ok - ...` per check and a size table, writes DIST/sizes.json and
DIST/SIZES.md, and exits non-zero when a check fails.
"""

from __future__ import annotations

import email.parser
import gzip
import json
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

NPM_UNPACKED_LIMIT = 5_000_000
WHEEL_INSTALLED_LIMIT = 3_000_000
WASM_GZIP_LIMIT = 400_000

results: list[bool] = []


def check(name: str, ok: bool, detail: object = "") -> bool:
    results.append(bool(ok))
    line = f"{'ok' if ok else 'not ok'} - {name}"
    if detail and not ok:
        line += f": {detail}"
    print(line)
    return bool(ok)


def one(dist: Path, pattern: str) -> Path | None:
    found = sorted(dist.glob(pattern))
    check(f"dist/{pattern}: exactly one", len(found) == 1, [p.name for p in found])
    return found[0] if len(found) == 1 else None


def mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def kib(n: int) -> str:
    return f"{n / 1024:.0f} KiB"


def npm(tgz: Path, version: str, sizes: dict) -> None:
    with tarfile.open(tgz) as tar:
        members = {m.name.removeprefix("package/"): m for m in tar.getmembers() if m.isfile()}
        pkg = json.load(tar.extractfile(members["package.json"]))
        wasm = tar.extractfile(members["wasm/essbasic_wasm_bg.wasm"]).read() \
            if "wasm/essbasic_wasm_bg.wasm" in members else b""
        addon = members.get("essbasic.linux-x64-gnu.node")
        addon_head = tar.extractfile(addon).read(20) if addon else b""
    names = set(members)
    check("npm: package.json version", pkg.get("version") == version, pkg.get("version"))
    required = [
        "package.json", "README.md", "LICENSE", "index.d.ts", "types/models.d.ts",
        "lib/index.mjs", "lib/index.cjs", "lib/browser.mjs", "lib/core-wasm.mjs",
        "lib/facade.mjs", "lib/facade.cjs",
        "essbasic.linux-x64-gnu.node",
        "wasm/essbasic_wasm_bg.wasm", "wasm/essbasic_wasm.js", "wasm/package.json",
    ]
    missing = [f for f in required if f not in names]
    check("npm: entry points (ESM + CJS), .d.ts, native addon, Wasm, README, LICENSE",
          not missing, f"missing {missing}")
    # Every CommonJS twin next to its ES module (browser.mjs and core-wasm.mjs have none: they
    # are only imported).
    twins = [n for n in names if n.startswith("lib/") and n.endswith(".mjs")
             and n not in ("lib/browser.mjs", "lib/core-wasm.mjs")
             and n.removesuffix(".mjs") + ".cjs" not in names]
    check("npm: every lib/*.mjs the Node entry uses has its .cjs twin", not twins, twins)
    # 64-bit little-endian ELF, x86-64 (e_machine 62): the linux-x64-gnu addon.
    elf_ok = addon_head[:4] == b"\x7fELF" and addon_head[4] == 2 and addon_head[18] == 62
    check("npm: the addon is an x86-64 ELF shared object", elf_ok)
    check("npm: the addon is a release build (< 4 MB)", addon is not None and addon.size < 4_000_000,
          addon and mb(addon.size))
    stray = sorted(n for n in names if n.startswith(("test/", "src/", "scripts/", "node_modules/"))
                   or n.endswith((".rs", ".stamp", ".tgz", "Cargo.toml")) or "/." in "/" + n)
    check("npm: no tests, sources, scripts or dotfiles", not stray, stray)
    exports = pkg.get("exports", {}).get(".", {})
    targets = [exports.get("types"), exports.get("node", {}).get("import"),
               exports.get("node", {}).get("require"), exports.get("browser"), pkg.get("main")]
    dangling = [t for t in targets if not t or t.removeprefix("./") not in names]
    check("npm: every exports/main target is in the tarball", not dangling, dangling)
    unpacked = sum(m.size for m in members.values())
    wasm_gz = len(gzip.compress(wasm, compresslevel=9))
    check(f"npm: unpacked {mb(unpacked)} <= 5 MB", unpacked <= NPM_UNPACKED_LIMIT)
    check(f"wasm: {kib(wasm_gz)} gzipped <= 400 KB", 0 < wasm_gz <= WASM_GZIP_LIMIT)
    sizes["npm"] = {"file": tgz.name, "packed": tgz.stat().st_size, "unpacked": unpacked,
                    "files": len(names), "addon": addon.size if addon else 0}
    sizes["wasm"] = {"raw": len(wasm), "gzip": wasm_gz}


def wheel(whl: Path, version: str, sizes: dict, installed: int | None) -> None:
    check("wheel: abi3 for CPython >= 3.9", f"-{version}-cp39-abi3-" in whl.name, whl.name)
    with zipfile.ZipFile(whl) as z:
        infos = {i.filename: i for i in z.infolist()}
        meta_name = f"essbasic-{version}.dist-info/METADATA"
        meta = email.parser.Parser().parsestr(z.read(meta_name).decode()) if meta_name in infos else {}
    names = set(infos)
    required = ["essbasic/__init__.py", "essbasic/_core.pyi", "essbasic/py.typed",
                "essbasic/models.py", "essbasic/client.py", "essbasic/aio.py",
                "essbasic/errors.py", "essbasic/compat/__init__.py"]
    missing = [f for f in required if f not in names]
    check("wheel: package, .pyi stubs, py.typed", not missing, f"missing {missing}")
    exts = sorted(n for n in names if n.endswith((".so", ".pyd", ".dylib")))
    check("wheel: exactly one extension module, essbasic/_core.abi3.so",
          exts == ["essbasic/_core.abi3.so"], exts)
    licenses = [n for n in names if ".dist-info/licenses/" in n and n.endswith("LICENSE")]
    check("wheel: LICENSE in .dist-info/licenses", bool(licenses))
    stray = sorted(n for n in names if "__pycache__" in n or n.endswith(".pyc") or "/tests/" in n)
    check("wheel: no caches or tests", not stray, stray)
    check("wheel: METADATA version, Requires-Python >=3.9, License Apache-2.0",
          meta and meta.get("Version") == version and meta.get("Requires-Python") == ">=3.9"
          and meta.get("License") == "Apache-2.0",
          meta and {k: meta.get(k) for k in ("Version", "Requires-Python", "License")})
    check("wheel: METADATA has the project URLs and the README",
          meta and any("Repository" in u for u in meta.get_all("Project-URL") or [])
          and "essbasic" in (meta.get_payload() or ""))
    contents = sum(i.file_size for i in infos.values())
    size = installed if installed is not None else contents
    what = "installed" if installed is not None else "uncompressed"
    check(f"wheel: {mb(size)} {what} <= 3 MB", size <= WHEEL_INSTALLED_LIMIT)
    sizes["wheel"] = {"file": whl.name, "size": whl.stat().st_size, "contents": contents,
                      "extension": infos["essbasic/_core.abi3.so"].file_size
                      if "essbasic/_core.abi3.so" in infos else 0}
    if installed is not None:
        sizes["wheel"]["installed"] = installed


def sdist(tgz: Path, version: str, sizes: dict) -> None:
    top = f"essbasic-{version}/"
    with tarfile.open(tgz) as tar:
        names = {m.name.removeprefix(top) for m in tar.getmembers() if m.isfile()}
        info = email.parser.Parser().parsestr(tar.extractfile(top + "PKG-INFO").read().decode()) \
            if "PKG-INFO" in names else {}
        pyproject = tomllib.loads(tar.extractfile(top + "pyproject.toml").read().decode()) \
            if "pyproject.toml" in names else {}
    check("sdist: PKG-INFO version", info and info.get("Version") == version, info and info.get("Version"))
    required = ["pyproject.toml", "Cargo.toml", "Cargo.lock", "LICENSE", "README.md",
                "core/Cargo.toml", "core/src/lib.rs", "core/src/generated/table.rs",
                "core/spec/api.json", "core/spec/NOTICE", "bindings-python/Cargo.toml",
                "bindings-python/src/lib.rs", "python/essbasic/__init__.py",
                "python/essbasic/_core.pyi", "python/essbasic/py.typed"]
    missing = [f for f in required if f not in names]
    check("sdist: the Rust workspace subset (core with spec and generated code, the "
          "extension crate, Cargo.lock) and the Python sources", not missing, f"missing {missing}")
    stray = sorted(n for n in names if "__pycache__" in n or n.endswith((".so", ".pyc"))
                   or n.startswith(("target/", ".venv/", "node_modules/")))
    check("sdist: no build outputs or caches", not stray, stray)
    check("sdist: pyproject takes the version from Cargo",
          "version" in pyproject.get("project", {}).get("dynamic", []))
    sizes["sdist"] = {"file": tgz.name, "size": tgz.stat().st_size, "files": len(names)}


def crate(path: Path, version: str, sizes: dict) -> None:
    name = path.name.removesuffix(f"-{version}.crate")
    top = f"{name}-{version}/"
    with tarfile.open(path) as tar:
        members = {m.name.removeprefix(top): m for m in tar.getmembers() if m.isfile()}
        manifest = tomllib.loads(tar.extractfile(top + "Cargo.toml").read().decode())
        lib_rs = tar.extractfile(top + "src/lib.rs").read().decode() if "src/lib.rs" in members else ""
    names = set(members)
    check(f"{name}.crate: version", manifest["package"]["version"] == version,
          manifest["package"]["version"])
    deps = {}
    for table in ("dependencies", "build-dependencies", "dev-dependencies"):
        deps.update({f"{table}.{k}": v for k, v in manifest.get(table, {}).items()})
    for target in manifest.get("target", {}).values():
        for table in ("dependencies", "build-dependencies", "dev-dependencies"):
            deps.update({f"target.{table}.{k}": v for k, v in target.get(table, {}).items()})
    path_only = sorted(k for k, v in deps.items() if isinstance(v, dict) and "path" in v)
    unversioned = sorted(k for k, v in deps.items()
                         if isinstance(v, dict) and "version" not in v and "git" not in v)
    check(f"{name}.crate: no path or unversioned dependency", not path_only and not unversioned,
          path_only + unversioned)
    required = ["Cargo.toml", "LICENSE", "README.md"]
    if name == "essbasic":
        required += ["spec/api.json", "spec/NOTICE", "spec/LICENSE-APACHE-2.0", "src/lib.rs",
                     "src/generated/mod.rs", "src/generated/table.rs",
                     "src/generated/client_methods.rs"]
        check("essbasic.crate: generated models of every object and action",
              sum(n.startswith("src/generated/objects/") for n in names) > 100
              and sum(n.startswith("src/generated/actions/") for n in names) > 50)
        # A README include must point inside the package (`../../` leaves it).
        check("essbasic.crate: src/lib.rs includes no file from outside the package",
              'include_str!("../../' not in lib_rs,
              'src/lib.rs has include_str!("../../README.md") (the packaged crate\'s doc tests '
              'with --features reqwest cannot find it)')
    missing = [f for f in required if f not in names]
    check(f"{name}.crate: {', '.join(required[:3])} and its sources", not missing, f"missing {missing}")
    stray = sorted(n for n in names if n.startswith(("fuzz/", "cli/", "codegen/", "target/"))
                   or n.endswith("vendor.py"))
    check(f"{name}.crate: no fuzz, cli, codegen or vendoring script", not stray, stray)
    sizes.setdefault("crates", []).append({
        "file": path.name, "size": path.stat().st_size,
        "unpacked": sum(m.size for m in members.values()), "files": len(names)})


def table(sizes: dict) -> str:
    rows = ["| artifact | size | limit |", "| --- | --- | --- |"]
    if "npm" in sizes:
        n = sizes["npm"]
        rows.append(f"| `{n['file']}` packed | {mb(n['packed'])} | |")
        rows.append(f"| npm unpacked ({n['files']} files; native addon {mb(n['addon'])}) "
                    f"| {mb(n['unpacked'])} | ≤ 5 MB |")
    if "wasm" in sizes:
        w = sizes["wasm"]
        rows.append(f"| `essbasic_wasm_bg.wasm` gzipped (raw {kib(w['raw'])}) | {kib(w['gzip'])} "
                    f"({w['gzip']:,} bytes) | ≤ 400 KB |")
    if "wheel" in sizes:
        w = sizes["wheel"]
        rows.append(f"| `{w['file']}` | {mb(w['size'])} | |")
        if "installed" in w:
            rows.append(f"| wheel installed (with bytecode; extension {mb(w['extension'])}) "
                        f"| {mb(w['installed'])} | ≤ 3 MB |")
        rows.append(f"| wheel contents uncompressed | {mb(w['contents'])} | |")
    if "sdist" in sizes:
        rows.append(f"| `{sizes['sdist']['file']}` (sdist) | {mb(sizes['sdist']['size'])} | |")
    for c in sizes.get("crates", []):
        rows.append(f"| `{c['file']}` (unpacked {mb(c['unpacked'])}, {c['files']} files) "
                    f"| {kib(c['size'])} | |")
    return "\n".join(rows) + "\n"


def main() -> int:
    args = sys.argv[1:]
    installed = None
    if "--installed-wheel" in args:
        i = args.index("--installed-wheel")
        installed = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    dist, version = Path(args[0]), args[1]
    sizes: dict = {"version": version}
    if (p := one(dist, f"essbasic-{version}.tgz")):
        npm(p, version, sizes)
    if (p := one(dist, f"essbasic-{version}-cp39-abi3-*.whl")):
        wheel(p, version, sizes, installed)
    if (p := one(dist, f"essbasic-{version}.tar.gz")):
        sdist(p, version, sizes)
    crates = sorted(dist.glob(f"*-{version}.crate"))
    check("crates: essbasic.crate among them", any(c.name == f"essbasic-{version}.crate" for c in crates),
          [c.name for c in crates])
    for c in crates:
        crate(c, version, sizes)
    md = table(sizes)
    (dist / "sizes.json").write_text(json.dumps(sizes, indent=2) + "\n")
    (dist / "SIZES.md").write_text(md)
    print(md, end="")
    failed = results.count(False)
    print(f"artifacts: {len(results) - failed} ok, {failed} not ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
