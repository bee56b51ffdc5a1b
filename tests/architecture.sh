#!/usr/bin/env bash
# The architecture, checked: each violation is printed as FILE:LINE: rule, and the check fails.
#  1. A file includes another module's public header only: src/M/M.h, any header of src/core,
#     the store's area headers (src/store/*.h); a module's internal.h and its other headers
#     (src/store/sql/*, src/api/handler_util.h, ...) stay inside it. Tests may also include
#     another module's test_support.h or test_servers.h.
#  2. SQL text is written only under src/store (tests may tamper with a database file).
#  3. src/server depends on src/core only (its includes and its library's link line).
# Usage: tests/architecture.sh [ROOT]        check the tree at ROOT (default: this repository)
#        tests/architecture.sh --self-test   plant one violation of each rule in a copy of the
#                                            tree and check that each is reported
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

check() {
  local root=$1
  cd "$root" || return 2
  local files
  files=$(find src tests -type f \( -name '*.cc' -o -name '*.h' \) 2>/dev/null | sort)
  # shellcheck disable=SC2086
  awk '
    function module(path,   p) { split(path, p, "/"); return p[1] == "src" ? p[2] : p[1] "/" p[2] }
    function is_test(path) { return path ~ /_test\.cc$/ || path ~ /\/test_(support|servers)\.h$/ || path ~ /^tests\// }
    FNR == 1 { mod = module(FILENAME); test = is_test(FILENAME) }
    /^[ \t]*#[ \t]*include[ \t]*"/ {
      inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*$/, "", inc)
      n = split(inc, part, "/")
      if (n < 2) next
      target = part[1]; name = part[n]
      if (target == mod || target == "integration") next
      if (mod == "server" && target != "core") {
        printf "%s:%d: src/server depends on src/core only, not on src/%s (%s)\n", FILENAME, FNR, target, inc; bad = 1; next
      }
      if (name == "internal.h") {
        printf "%s:%d: includes another module'"'"'s internal header %s\n", FILENAME, FNR, inc; bad = 1; next
      }
      if (target == "core") next
      if (n == 2 && name == target ".h") next
      if (target == "store" && n == 2) next
      if (test && (name == "test_support.h" || name == "test_servers.h")) next
      printf "%s:%d: includes %s, private to src/%s (use its public header %s/%s.h)\n", FILENAME, FNR, inc, target, target, target; bad = 1
    }
    # SQL in a string literal outside src/store (tests excepted).
    !test && FILENAME !~ /^src\/store\// && /"[ \t]*(SELECT|INSERT (INTO|OR)|UPDATE|DELETE FROM|REPLACE INTO|CREATE (TABLE|INDEX|UNIQUE|TRIGGER|VIEW|TEMP)|ALTER TABLE|DROP (TABLE|INDEX|VIEW)|PRAGMA|WITH RECURSIVE) / {
      printf "%s:%d: SQL text outside src/store: %s\n", FILENAME, FNR, $0; bad = 1
    }
    END { exit bad }
  ' $files
  local status=$?
  # The server library links the core and outside libraries only.
  local line
  line=$(grep -n 'pdh_module(server' CMakeLists.txt | head -1)
  if [ -n "$line" ]; then
    local args
    args=$(sed -n "${line%%:*},/)/p" CMakeLists.txt | tr '\n' ' ')
    for dep in $(grep -o 'pdh_[a-z_]*' <<<"$args" | grep -v -x -e pdh_module -e pdh_core); do
      echo "CMakeLists.txt:${line%%:*}: src/server depends on src/core only, not on $dep"
      status=1
    done
  fi
  return "$status"
}

self_test() {
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  git -C "$here" ls-files -z src tests CMakeLists.txt | (cd "$here" && xargs -0 cp --parents -t "$work")
  if ! check "$work" >/dev/null; then
    echo "self-test: the clean tree already fails"
    return 1
  fi
  # One planted violation per rule: what it plants, then what the report must say.
  local plants=(
    'src/catalog/catalog.cc|#include "tracker/internal.h"|src/catalog/catalog.cc:[0-9]*: includes another module.s internal header'
    'src/engine/rules.cc|#include "api/handler_util.h"|src/engine/rules.cc:[0-9]*: includes api/handler_util.h, private to src/api'
    'src/tracker/tracker.cc|static const char* kSql = "SELECT code FROM unit";|src/tracker/tracker.cc:[0-9]*: SQL text outside src/store'
    'src/server/router.cc|#include "units/units.h"|src/server/router.cc:[0-9]*: src/server depends on src/core only'
  )
  local failed=0 plant file text expect out
  for plant in "${plants[@]}"; do
    IFS='|' read -r file text expect <<<"$plant"
    cp "$here/$file" "$work/$file.orig"
    printf '%s\n' "$text" >>"$work/$file"
    out=$(check "$work")
    if grep -q -e "$expect" <<<"$out"; then
      echo "self-test: reported: $(grep -e "$expect" <<<"$out" | head -1)"
    else
      echo "self-test: NOT reported: $text in $file"
      failed=1
    fi
    mv "$work/$file.orig" "$work/$file"
  done
  sed -i 's/pdh_module(server pdh_core/pdh_module(server pdh_units pdh_core/' "$work/CMakeLists.txt"
  out=$(check "$work")
  if grep -q 'CMakeLists.txt:[0-9]*: src/server depends on src/core only, not on pdh_units' <<<"$out"; then
    echo "self-test: reported: the server library linking pdh_units"
  else
    echo "self-test: NOT reported: the server library linking pdh_units"
    failed=1
  fi
  return "$failed"
}

if [ "${1:-}" = "--self-test" ]; then
  self_test
  exit $?
fi
check "${1:-$here}" && echo "architecture: clean"
