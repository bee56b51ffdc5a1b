#!/usr/bin/env bash
# clang-tidy (the repository's .clang-tidy, warnings are errors) over the non-test sources of
# every module but src/server (whose files pull in Boost.Beast), as many processes at once as
# there are cores. In a unity build (PDH_UNITY) it reads each module's batches, so the standard
# library and Boost are parsed once a batch rather than once a file; otherwise one file at a
# time. The compile database comes from the build directory; GCC-only warning flags there are
# not clang's business.
# Usage: tests/tidy.sh BUILD_DIR [FILE...]
set -euo pipefail
build=$(cd "$1" && pwd)
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if (($#)); then
  files=("$@")
  sources=$#
else
  # Every file of the compile database that is one of the sources (the executable's and the
  # modules', not the tests' nor the server's), or a unity batch of those.
  mapfile -t files < <(sed -n 's/^ *"file": "\(.*\)",\?$/\1/p' "$build/compile_commands.json" |
    grep -E -e "^$root/src/" -e "^$build/CMakeFiles/pdh(_[a-z]+)?\.dir/Unity/" |
    grep -v -e '_test\.cc$' -e "^$root/src/server/" -e '/pdh_server\.dir/' | sort -u)
  # A source the database does not reach (neither alone nor in a batch) would go unchecked.
  covered=$(cat "${files[@]}" 2>/dev/null | sed -n 's/^#include "\(.*\)"$/\1/p'; printf '%s\n' "${files[@]}")
  mapfile -t wanted < <(git ls-files 'src/*.cc' | grep -v -e '_test\.cc$' -e '^src/server/')
  sources=${#wanted[@]}
  for f in "${wanted[@]}"; do
    if ! grep -qxF "$root/$f" <<<"$covered"; then
      echo "clang-tidy: $f is in no entry of $build/compile_commands.json" >&2
      exit 1
    fi
  done
fi
start=$(date +%s)
status=0
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -I{} sh -c \
    'out=$(clang-tidy --quiet --config-file="$0/.clang-tidy" --extra-arg=-Wno-unknown-warning-option -p "$1" "$2" 2>&1) || { printf "%s\n" "$out" | grep -v -E "^[0-9]+ warnings( and [0-9]+ errors)? generated\.$"; exit 1; }' \
    "$root" "$build" {} || status=$?
[ "$status" -eq 0 ] && echo "clang-tidy: $sources sources (${#files[@]} compilations) clean in $(($(date +%s) - start)) s"
exit "$status"
