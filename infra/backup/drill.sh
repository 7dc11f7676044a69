#!/usr/bin/env bash
# Restore drill, run on one machine with a throwaway PostgreSQL cluster (`make drill`):
#   1. point-in-time recovery with pgBackRest: archive WAL, take a full backup, write rows,
#      note the time, write more rows, restore to the noted time, and check that exactly
#      the first rows are there;
#   2. one school from a logical dump: dump a school's schema with dump-schools.sh, drop
#      the schema, restore it with pg_restore, and check its rows are back.
# Needs PostgreSQL's server binaries and pgBackRest (Debian: postgresql, pgbackrest).
# Exits non-zero when a check fails. Leaves nothing behind.
set -euo pipefail

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
# PostgreSQL refuses to run as root; the drill runs as the postgres user then.
if [ "$(id -u)" = 0 ]; then
  exec runuser -u postgres -- bash "$here/drill.sh" "$@"
fi

pgbin=${PGBIN:-$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)}
[ -x "$pgbin/initdb" ] || { echo "drill: no PostgreSQL server binaries (set PGBIN)" >&2; exit 1; }
command -v pgbackrest >/dev/null || { echo "drill: pgbackrest is not installed" >&2; exit 1; }
export PATH="$pgbin:$PATH"

work=$(mktemp -d "${TMPDIR:-/tmp}/haven-drill.XXXXXX")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pgdata="$work/pgdata"
conf="$work/pgbackrest.conf"
export PGHOST="$work" PGPORT="$port" PGUSER=postgres PGDATABASE=haven
export PGOPTIONS="-c client_min_messages=warning"

cleanup() {
  pg_ctl -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf 'drill: %s\n' "$*"; }
sql() { psql -X --no-align --tuples-only --quiet -v ON_ERROR_STOP=1 --command "$1"; }
fail() { echo "drill: FAILED: $*" >&2; exit 1; }

step "a throwaway cluster on port $port with WAL archiving to a local pgBackRest repository"
initdb -D "$pgdata" -U postgres --auth=trust >"$work/initdb.log"
mkdir -p "$work/repo" "$work/log" "$work/lock" "$work/spool"
cat >"$conf" <<CONF
[global]
repo1-path=$work/repo
repo1-retention-full=2
log-path=$work/log
lock-path=$work/lock
spool-path=$work/spool
start-fast=y
log-level-console=warn

[drill]
pg1-path=$pgdata
pg1-port=$port
pg1-socket-path=$work
CONF
cat >>"$pgdata/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$work'
port = $port
$(sed -e '/^#/d' -e '/archive_command/d' "$here/postgresql-archiving.conf")
archive_command = 'pgbackrest --config=$conf --stanza=drill archive-push %p'
CONF
pg_ctl -D "$pgdata" -l "$work/postgres.log" -w start >/dev/null
createdb haven
pgbackrest --config="$conf" --stanza=drill stanza-create
pgbackrest --config="$conf" --stanza=drill check

step "a school's schema with a few records"
sql "CREATE TABLE public.tenants_school (schema_name text PRIMARY KEY);
     INSERT INTO public.tenants_school VALUES ('public'), ('alpha');
     CREATE SCHEMA alpha;
     CREATE TABLE alpha.incident (id serial PRIMARY KEY, note text NOT NULL);
     INSERT INTO alpha.incident (note) VALUES ('before-backup');"

step "full backup"
pgbackrest --config="$conf" --stanza=drill backup --type=full
# pgBackRest records the backup's stop time in whole seconds and picks a backup that stopped
# before the target; the next second keeps the target after it.
sql "SELECT pg_sleep(1.1)" >/dev/null

step "rows written after the backup, then the time is noted"
sql "INSERT INTO alpha.incident (note) VALUES ('kept-1'), ('kept-2');"
target=$(sql "SELECT clock_timestamp()")
sql "SELECT pg_sleep(0.2)" >/dev/null
sql "INSERT INTO alpha.incident (note) VALUES ('lost-1'), ('lost-2');"
sql "SELECT pg_switch_wal()" >/dev/null
pgbackrest --config="$conf" --stanza=drill check
step "target time: $target; rows now: $(sql "SELECT string_agg(note, ',' ORDER BY id) FROM alpha.incident")"

step "stop, restore to the target time, replay and promote"
pg_ctl -D "$pgdata" -m fast -w stop >/dev/null
pgbackrest --config="$conf" --stanza=drill restore --delta \
  --type=time --target="$target" --target-action=promote
pg_ctl -D "$pgdata" -l "$work/postgres.log" -w start >/dev/null
for _ in $(seq 1 100); do
  [ "$(sql "SELECT pg_is_in_recovery()")" = "f" ] && break
  sleep 0.2
done
[ "$(sql "SELECT pg_is_in_recovery()")" = "f" ] || fail "the restored cluster did not promote"
rows=$(sql "SELECT string_agg(note, ',' ORDER BY id) FROM alpha.incident")
step "rows after the restore: $rows"
[ "$rows" = "before-backup,kept-1,kept-2" ] || fail "expected before-backup,kept-1,kept-2, got $rows"

step "one school from a logical dump"
DATABASE_URL="postgresql:///haven?host=$work&port=$port&user=postgres" \
  "$here/dump-schools.sh" "$work/dumps" >/dev/null
[ -s "$work/dumps/school-alpha.dump" ] || fail "no dump for the school"
sql "DROP SCHEMA alpha CASCADE"
pg_restore --dbname=haven --exit-on-error "$work/dumps/school-alpha.dump"
rows=$(sql "SELECT string_agg(note, ',' ORDER BY id) FROM alpha.incident")
[ "$rows" = "before-backup,kept-1,kept-2" ] || fail "school restore gave $rows"

step "PASSED: point-in-time recovery kept exactly the rows before the target; the school's dump restored"
