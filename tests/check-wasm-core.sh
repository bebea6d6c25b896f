#!/usr/bin/env bash
# Proves the core is I/O-free: a cdylib linking every core entry point builds for
# wasm32-unknown-unknown and its module imports nothing from the host (no `env` functions,
# no clock, no RNG, no sockets).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build -q -p essbasic-wasm-probe --target wasm32-unknown-unknown --release --target-dir target/wasm-core
wasm=target/wasm-core/wasm32-unknown-unknown/release/essbasic_wasm_probe.wasm
python3 - "$wasm" <<'PY'
import sys

def leb(data, i):
    result = shift = 0
    while True:
        b = data[i]; i += 1
        result |= (b & 0x7F) << shift; shift += 7
        if b < 0x80:
            return result, i

data = open(sys.argv[1], "rb").read()
assert data[:4] == b"\0asm", "not a wasm module"
i, imports, exports = 8, [], []
while i < len(data):
    sid = data[i]; size, i = leb(data, i + 1); end = i + size
    if sid in (2, 7):
        count, j = leb(data, i)
        for _ in range(count):
            n, j = leb(data, j); first = data[j:j + n].decode(); j += n
            if sid == 2:
                m, j = leb(data, j); name = data[j:j + m].decode(); j += m
                kind = data[j]; j += 1
                imports.append(f"{first}.{name}")
                if kind == 0: _, j = leb(data, j)
                elif kind == 1: j += 1; flag = data[j]; j += 1; _, j = leb(data, j); j = leb(data, j)[1] if flag & 1 else j
                elif kind == 2: flag = data[j]; j += 1; _, j = leb(data, j); j = leb(data, j)[1] if flag & 1 else j
                elif kind == 3: j += 2
            else:
                exports.append(first); j += 1; _, j = leb(data, j)
    i = end
assert "probe" in exports, f"the probe export is missing: {exports}"
if imports:
    sys.exit(f"core imports from the host: {imports}")
print(f"core builds for wasm32-unknown-unknown; {len(data)} bytes, 0 host imports")
PY

# On wasm32-unknown-unknown std's clock and RNG are stubs that panic rather than imports,
# so also refuse them in the pure layer's source (the client module is the host layer).
if grep -rnE 'SystemTime|Instant::now|std::env|std::net|std::fs|std::process|RandomState|getrandom' \
    core/src --include='*.rs' | grep -v '^core/src/client/'; then
  echo "the pure core reads a clock, an RNG, the environment or does I/O (see above)"
  exit 1
fi
echo "the pure core reads no clock, RNG, environment, file or socket"
