#!/usr/bin/env bash
# Generates the Node.js code of the Thrift API (src/api/accio.thrift) into src/api/gen-nodejs/.
# The generated code is committed, so building needs no Thrift compiler.
#
#   bash scripts/gen-thrift.sh           regenerate after editing the IDL
#   bash scripts/gen-thrift.sh --check   fail when the committed code is not what the IDL generates
#
# `es6` makes client calls return promises (without it, promise-style calls throw). The compiler's
# .d.ts files declare their classes without exporting them, so TypeScript could not import them:
# every top-level declaration is exported here, after generation, in both modes alike.
set -euo pipefail
cd "$(dirname "$0")/.."

IDL=src/api/accio.thrift
OUT=src/api/gen-nodejs

if ! command -v thrift >/dev/null 2>&1; then
  echo "gen-thrift: the thrift compiler is not installed (Debian/Ubuntu: apt-get install thrift-compiler)" >&2
  exit 2
fi

generate() {
  local dir=$1
  mkdir -p "$dir"
  thrift --gen js:node,ts,es6 -out "$dir" "$IDL"
  sed -i -E 's/^declare (class|enum) /export declare \1 /' "$dir"/*.d.ts
}

case "${1:-}" in
  "")
    rm -rf "$OUT"
    generate "$OUT"
    echo "gen-thrift: generated $(ls "$OUT" | wc -l) files in $OUT"
    ;;
  --check)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    generate "$tmp/gen"
    if ! diff -r "$OUT" "$tmp/gen" >"$tmp/diff" 2>&1; then
      head -n 40 "$tmp/diff" >&2
      used=$(thrift --version)
      echo "gen-thrift: $OUT is out of date with $IDL; run 'bash scripts/gen-thrift.sh' and commit the result" >&2
      echo "gen-thrift: (compared with the output of $used; the committed code says: $(grep -m1 -o 'Thrift Compiler ([^)]*)' "$OUT/accio_types.js" 2>/dev/null || echo 'nothing'))" >&2
      exit 1
    fi
    echo "gen-thrift: $OUT is up to date"
    ;;
  *)
    echo "usage: bash scripts/gen-thrift.sh [--check]" >&2
    exit 2
    ;;
esac
