#!/usr/bin/env bash
# Lints what a running `pdh serve` publishes: /api/v1/openapi.json with Spectral's OpenAPI
# ruleset (errors and warnings fail) and /metrics with promtool.
set -euo pipefail
pdh=$1
# Usage: lint_openapi_metrics.sh PDH [DEMO_DATABASE]
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# The run's demo database when given (argument 2), else a new one.
if [ -n "${2:-}" ]; then
  cp "$2" "$work/demo.db"
  cp "$2.audit-key" "$work/demo.db.audit-key"
else
  "$pdh" demo --db "$work/demo.db" >/dev/null
fi
token=$("$pdh" tokens create --db "$work/demo.db" --user admin --name lint)
"$pdh" serve --db "$work/demo.db" --listen 127.0.0.1:0 --access-log "" >"$work/out" &
pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/out")
[ -n "$url" ] || { echo "pdh serve did not start"; exit 1; }

curl -sf -H "Authorization: Bearer $token" "$url/api/v1/units/80" >/dev/null
curl -sf "$url/api/v1/openapi.json" >"$work/openapi.json"
curl -sf "$url/metrics" >"$work/metrics.txt"

echo "spectral lint (spectral:oas)"
printf 'extends: ["spectral:oas"]\n' >"$work/.spectral.yaml"
"$root/web/node_modules/.bin/spectral" lint --ruleset "$work/.spectral.yaml" --fail-severity=warn \
  "$work/openapi.json"

echo "promtool check metrics"
promtool check metrics <"$work/metrics.txt"
echo "ok"
