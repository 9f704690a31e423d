#!/usr/bin/env bash
# Packs a built wardbook binary as a release asset: wardbook-TARGET.tar.gz (the binary, README,
# the working groups' guide) and wardbook-TARGET.tar.gz.sha256 ("HASH  NAME", as sha256sum -c
# reads it), in OUT_DIR. The release workflow runs it on every platform; the action's install
# script reads exactly these names, and the test suite packs its own build with it.
# Usage: package-release.sh TARGET BINARY OUT_DIR
set -euo pipefail
target=${1:?target triple}
binary=${2:?path to the built wardbook binary}
out=${3:?output folder}
root=$(cd "$(dirname "$0")/.." && pwd)
name="wardbook-$target.tar.gz"
stage=$(mktemp -d)
cp "$binary" "$stage/"
cp "$root/README.md" "$stage/"
cp "$root/docs/working-groups.md" "$stage/"
mkdir -p "$out"
out=$(cd "$out" && pwd)
(cd "$stage" && tar -czf "$out/$name" "$(basename "$binary")" README.md working-groups.md)
rm -rf "$stage"
if command -v sha256sum >/dev/null 2>&1; then
  hash=$(sha256sum "$out/$name" | cut -d' ' -f1)
else
  hash=$(shasum -a 256 "$out/$name" | cut -d' ' -f1)
fi
echo "$hash  $name" >"$out/$name.sha256"
echo "$out/$name"
