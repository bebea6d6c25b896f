#!/usr/bin/env bash
# Builds the native addon and copies it next to package.json as essbasic.<triple>.node.
#   bash build.sh            debug build (fast; what the tests use)
#   bash build.sh --release  release build, symbols stripped (what `npm pack` ships)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
profile=debug
args=()
if [ "${1:-}" = "--release" ]; then
  profile=release
  args=(--release)
  export CARGO_PROFILE_RELEASE_STRIP=symbols
fi
cd "$root"
cargo build -p essbasic-node "${args[@]}"
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
case "$(uname -s)" in
  Linux) lib="libessbasic_node.so" ;;
  Darwin) lib="libessbasic_node.dylib" ;;
  *) lib="essbasic_node.dll" ;;
esac
triple=$(node -e '
const { platform, arch } = process;
let abi = "";
if (platform === "linux") abi = process.report.getReport().header.glibcVersionRuntime ? "-gnu" : "-musl";
if (platform === "win32") abi = "-msvc";
console.log(`${platform}-${arch}${abi}`);')
cp "$target_dir/$profile/$lib" "$here/essbasic.$triple.node.tmp"
mv "$here/essbasic.$triple.node.tmp" "$here/essbasic.$triple.node"
echo "built $here/essbasic.$triple.node ($profile)"
