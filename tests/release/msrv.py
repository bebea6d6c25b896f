#!/usr/bin/env python3
"""Prints the packages of a `cargo metadata` document (stdin) whose declared rust-version is
newer than MSRV, one per line, or nothing when all fit.

    cargo metadata --format-version 1 | python3 msrv.py 1.82
"""

import json
import sys


def parse(v: str | None) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split(".")) if v else (0,)


msrv = parse(sys.argv[1])
meta = json.load(sys.stdin)
for p in sorted(meta["packages"], key=lambda p: (p["name"], p["version"])):
    if parse(p.get("rust_version")) > msrv:
        print(f"{p['name']} {p['version']} (rust-version {p['rust_version']})")
