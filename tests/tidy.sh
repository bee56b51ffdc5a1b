#!/usr/bin/env bash
# clang-tidy (the repository's .clang-tidy, warnings are errors) over the non-test sources of
# every module but src/server (whose files pull in Boost.Beast),
# one process per file, as many at once as there are cores. The compile database comes from the
# build directory; GCC-only warning flags there are not clang's business.
# Usage: tests/tidy.sh BUILD_DIR [FILE...]
set -euo pipefail
build=$(cd "$1" && pwd)
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if (($#)); then
  files=("$@")
else
  mapfile -t files < <(git ls-files 'src/*.cc' | grep -v -e '_test\.cc$' -e '^src/server/')
fi
start=$(date +%s)
status=0
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -I{} sh -c \
    'out=$(clang-tidy --quiet --extra-arg=-Wno-unknown-warning-option -p "$1" "$2" 2>&1) || { printf "%s\n" "$out" | grep -v -E "^[0-9]+ warnings( and [0-9]+ errors)? generated\.$"; exit 1; }' \
    _ "$build" {} || status=$?
[ "$status" -eq 0 ] && echo "clang-tidy: ${#files[@]} files clean in $(($(date +%s) - start)) s"
exit "$status"
