#!/usr/bin/env bash
# Installs every Debian package and npm dependency pdh needs to build, run and test.
# Idempotent: packages already present are not reinstalled, and apt-get update runs at most
# once per invocation (and only when something is missing). Works as root or through sudo.
# Usage: scripts/install-deps.sh [--bench]
#   --bench  also what bench/ingest.sh compares against: pandas (read_csv + to_sql on a plain
#            sqlite3 connection, so no SQLAlchemy) and GNU time (peak memory); nginx, which
#            bench/api.sh serves the same bodies with. PostgreSQL 15 (bench/engine.sh's peer)
#            and the sqlite3 CLI are in the default list: the tests use them too.
set -euo pipefail

bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) bench=1 ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "install-deps: unknown argument '$arg' (usage: install-deps.sh [--bench])" >&2
      exit 2
      ;;
  esac
done

here=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  # build
  build-essential cmake ninja-build pkg-config git
  # libraries (DESIGN §4)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev libsodium-dev libssl-dev libcli11-dev libspdlog-dev libfmt-dev
  libexpected-dev libutf8proc-dev zlib1g-dev libzip-dev libexpat1-dev libxlsxwriter-dev libcurl4-openssl-dev
  # the monthly report's PDF: text shaped by Pango, drawn by Cairo, in a Times-metric serif
  libpango1.0-dev libcairo2-dev fonts-liberation2
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev curl wrk poppler-utils
  # browser tests and metrics lint
  chromium prometheus
  # the PostgreSQL backend's tests run a cluster of their own
  postgresql-15 postgresql-client-15
)
# Node.js may come from elsewhere than Debian (with npm bundled): only ask Debian for it if absent.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if ((bench)); then
  packages+=(python3-pandas time nginx)
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web app and its browser tests: Vite, TypeScript, ECharts, Playwright (no browser download:
# tests drive Debian's /usr/bin/chromium), an OpenAPI linter.
if [ -f "$here/web/package.json" ]; then
  stamp="$here/web/node_modules/.pdh-installed"
  if [ ! -f "$stamp" ] || [ "$here/web/package-lock.json" -nt "$stamp" ]; then
    echo "install-deps: npm ci in web/"
    (cd "$here/web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
fi
