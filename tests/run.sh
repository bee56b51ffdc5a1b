#!/usr/bin/env bash
# Runs ctest in a build directory and ends with the ten slowest tests and their seconds, then
# ctest's closing summary, so that a test growing slow is seen when it happens.
# Usage: tests/run.sh BUILD_DIR [ctest arguments...]
set -uo pipefail
build=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
(cd "$build" && ctest --output-on-failure "$@") | tee "$log"
status=${PIPESTATUS[0]}
echo
echo "Ten slowest tests:"
# ctest's lines: "  3/14 Test  #7: engine_test ......   Passed   41.23 sec"
sed -n 's/^ *[0-9]*\/[0-9]* Test *#[0-9]*: \([^ ]*\) .* \([0-9.]*\) sec$/\2 \1/p' "$log" |
  sort -rn | head -10 | awk '{ printf "  %8.1f s  %s\n", $1, $2 }'
echo
grep -E '^[0-9]+% tests passed|^Total Test time' "$log"
exit "$status"
