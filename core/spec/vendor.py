#!/usr/bin/env python3
"""Produce core/spec/api.json from the essbasic API description shipped in `tccli`.

Usage: python3 core/spec/vendor.py [--wheels DIR]

Downloads (with pip, unless --wheels names a folder that already holds them) the two
pinned `tccli` wheels, reads `tccli/services/essbasic/v20210526/api.json` from each, and
writes a compact, deterministic spec holding only facts: names, types, required flags,
nullability, disabled flags, action status, example values and each action's short title.
The upstream prose documentation is deliberately dropped.

The current spec (3.1.189.1) is merged with two actions that it dropped and that older
clients still call, taken from 3.1.59.1 together with every object they reference, and
marked deprecated with their successors.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

CURRENT = "3.1.189.1"
LEGACY = "3.1.59.1"
SPEC_PATH = "tccli/services/essbasic/v20210526/api.json"
LEGACY_ACTIONS = {
    "ChannelCreateConvertTaskApi": "CreateFileConvertTask",
    "ChannelGetTaskResultApi": "DescribeFileConvertTask",
}
HERE = os.path.dirname(os.path.abspath(__file__))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_wheel(version: str, folder: str) -> str:
    name = f"tccli-{version}-py2.py3-none-any.whl"
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
             f"tccli=={version}", "-d", folder],
            check=True,
        )
    return path


def read_spec(wheel: str):
    with zipfile.ZipFile(wheel) as z:
        raw = z.read(SPEC_PATH)
    return raw, json.loads(raw)


def compact_member(m: dict) -> dict:
    out = {"name": m["name"], "type": m["type"], "member": m["member"]}
    for key in ("required", "output_required", "value_allowed_null", "disabled"):
        if m.get(key):
            out[key] = True
    if "example" in m and m["example"] not in ("", "无", None):
        out["example"] = m["example"]
    return out


def compact_object(o: dict) -> dict:
    out = {"members": [compact_member(m) for m in o["members"]]}
    if o.get("usage"):
        out["usage"] = o["usage"]
    return out


def referenced_objects(objects: dict, name: str, seen: set) -> None:
    if name in seen or name not in objects:
        return
    seen.add(name)
    for m in objects[name]["members"]:
        referenced_objects(objects, m["member"], seen)


def build(wheels: str) -> dict:
    cur_whl = fetch_wheel(CURRENT, wheels)
    old_whl = fetch_wheel(LEGACY, wheels)
    cur_raw, cur = read_spec(cur_whl)
    old_raw, old = read_spec(old_whl)

    actions = {}
    for name, a in cur["actions"].items():
        actions[name] = {
            "title": a["name"],
            "input": a["input"],
            "output": a["output"],
            "status": a["status"],
        }
    objects = {name: compact_object(o) for name, o in cur["objects"].items()}

    for name, successor in LEGACY_ACTIONS.items():
        a = old["actions"][name]
        actions[name] = {
            "title": a["name"],
            "input": a["input"],
            "output": a["output"],
            "status": "deprecated",
            "replaced_by": successor,
            "source": f"tccli=={LEGACY}",
        }
        needed = set()
        referenced_objects(old["objects"], a["input"], needed)
        referenced_objects(old["objects"], a["output"], needed)
        for obj in sorted(needed):
            if obj not in objects:
                objects[obj] = compact_object(old["objects"][obj])
                objects[obj]["source"] = f"tccli=={LEGACY}"

    return {
        "service": cur["metadata"]["serviceShortName"],
        "version": cur["metadata"]["apiVersion"],
        "provenance": {
            "license": "Apache-2.0 (see LICENSE-APACHE-2.0 and NOTICE beside this file)",
            "sources": [
                {
                    "package": f"tccli=={CURRENT}",
                    "file": SPEC_PATH,
                    "wheel_sha256": sha256(open(cur_whl, "rb").read()),
                    "file_sha256": sha256(cur_raw),
                },
                {
                    "package": f"tccli=={LEGACY}",
                    "file": SPEC_PATH,
                    "wheel_sha256": sha256(open(old_whl, "rb").read()),
                    "file_sha256": sha256(old_raw),
                    "taken": sorted(LEGACY_ACTIONS),
                },
            ],
        },
        "actions": dict(sorted(actions.items())),
        "objects": dict(sorted(objects.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", help="folder holding (or receiving) the tccli wheels")
    parser.add_argument("--out", default=os.path.join(HERE, "api.json"))
    args = parser.parse_args()
    if args.wheels:
        spec = build(args.wheels)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            spec = build(tmp)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False, indent=1, sort_keys=False)
        f.write("\n")
    print(f"wrote {args.out}: {len(spec['actions'])} actions, {len(spec['objects'])} objects")


if __name__ == "__main__":
    main()
