#!/usr/bin/env bash
# Runs every cargo-fuzz target of the core briefly (FUZZ_SECONDS each, default 20) on
# nightly, seeded from the conformance vectors; fails on any crash. For a long run:
#   FUZZ_SECONDS=3600 bash tests/fuzz.sh          (or one target: cargo +nightly fuzz run -s none <target>)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/core"
seconds=${FUZZ_SECONDS:-20}
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: no nightly toolchain (rustup toolchain install nightly)"; exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --version 0.13.2 --locked
fi
# Seeds: the parameters and bodies of the vectors.
python3 - "$root/tests/vectors" fuzz/corpus <<'PY'
import json, os, pathlib, sys
vectors, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
actions = sorted(json.load(open(pathlib.Path(sys.argv[1]).parent.parent / "core/spec/api.json"))["actions"])
seeds = {t: [] for t in ("parse_response", "validate_and_build", "signing_canonical", "big_integers", "http1_response")}
for f in sorted(vectors.rglob("*.json")):
    for case in json.load(open(f)).get("cases", []):
        if case.get("kind") == "request":
            params = json.dumps(case["params"], ensure_ascii=False).encode()
            pick = bytes([actions.index(case["action"]) % 256]) if case["action"] in actions else b"\0"
            seeds["validate_and_build"].append(pick + params)
            seeds["signing_canonical"].append(params)
        elif case.get("kind") == "response":
            body = case.get("body", "").encode()
            seeds["parse_response"].append(b"\0" + body)
            seeds["big_integers"].append(body)
            head = f"HTTP/1.1 {case.get('status', 200)} OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            seeds["http1_response"].append(b"\0" + head + body)
for target, items in seeds.items():
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(items):
        (d / f"vector-{i:03}").write_bytes(data)
PY
status=0
for target in parse_response validate_and_build signing_canonical big_integers http1_response; do
  log=$(mktemp)
  if cargo +nightly fuzz run -s none "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$seconds" -max_len=8192 >"$log" 2>&1; then
    runs=$(grep -oE 'Done [0-9]+ runs' "$log" | tail -n 1 || true)
    echo "fuzz $target: ${runs:-ran} in ${seconds}s, no crash"
  else
    echo "fuzz $target: CRASH (artifacts in core/fuzz/artifacts/$target)"
    grep -E 'panicked|ERROR|SUMMARY' "$log" | head -n 5
    status=1
  fi
  rm -f "$log"
done
exit $status
