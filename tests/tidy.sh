#!/usr/bin/env bash
# clang-tidy (the repository's .clang-tidy, warnings are errors) over the non-test sources of the
# modules that do not pull in Boost.Beast; the compile database comes from the build directory.
set -euo pipefail
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t files < <(ls src/core/*.cc src/store/*.cc src/store/*/*.cc src/units/*.cc src/auth/*.cc \
  src/audit/*.cc src/catalog/*.cc src/notify/*.cc src/tracker/*.cc src/ingest/*.cc src/engine/*.cc src/api/*.cc \
  src/cli/*.cc 2>/dev/null | grep -v '_test\.cc$')
out=$(mktemp)
status=0
clang-tidy --quiet -p "$build" "${files[@]}" >"$out" 2>&1 || status=$?
grep -v -E '^[0-9]+ warnings( and [0-9]+ errors)? generated\.$' "$out" || true
rm -f "$out"
[ "$status" -eq 0 ] && echo "clang-tidy: ${#files[@]} files clean"
exit "$status"
