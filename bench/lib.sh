# What the benchmark scripts share; sourced, not run.

# The old communes of PROVINCE (in the database DB) that became one new commune whole, and whose
# code no other unit has: the codes bench/gen_dossiers.py writes for dossiers received before the
# 2025 merger. Printed one per line.
bench_old_codes() {
  sqlite3 "$1" <<SQL
WITH home AS (SELECT id FROM unit WHERE level = 'province' AND valid_to IS NULL AND code = '$2')
SELECT o.code FROM succession s
  JOIN unit o ON o.id = s.old_id
  JOIN unit n ON n.id = s.new_id
 WHERE o.level = 'commune' AND n.level = 'commune' AND n.valid_to IS NULL
   AND n.parent_id IN (SELECT id FROM home)
 GROUP BY o.id
HAVING count(*) = 1 AND min(s.kind) = 'whole'
   AND (SELECT count(*) FROM succession s2 WHERE s2.old_id = o.id) = 1
   AND (SELECT count(*) FROM unit u WHERE u.code = o.code) = 1
 ORDER BY o.code;
SQL
}

# A throwaway PostgreSQL 15 cluster in DIR/pg (PGBIN's programs), run as nobody when the script
# runs as root, listening on 127.0.0.1:PORT and a socket in DIR/pg, with the database "pdh" of the
# user "bench" (trust); more server settings as "-c name=value" words after PORT.
# bench_pg_stop DIR stops it (nothing when it is not running).
bench_pg_as() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups -- "$@"
  else
    "$@"
  fi
}
bench_pg_start() {
  local dir=$1 port=$2
  shift 2
  chmod 755 "$dir"
  mkdir -p "$dir/pg"
  [ "$(id -u)" -ne 0 ] || chown nobody "$dir/pg"
  bench_pg_as "$pgbin/initdb" -D "$dir/pg/data" -U bench -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  bench_pg_as "$pgbin/pg_ctl" -D "$dir/pg/data" -w -l "$dir/pg/log" \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/pg $*" start >/dev/null
  bench_pg_as "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U bench pdh
}
bench_pg_stop() {
  [ ! -f "$1/pg/data/postmaster.pid" ] ||
    bench_pg_as "$pgbin/pg_ctl" -D "$1/pg/data" -m fast -w stop >/dev/null 2>&1 || true
}
