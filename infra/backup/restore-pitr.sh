#!/usr/bin/env bash
# Restore the Haven cluster to a point in time with pgBackRest.
#   infra/backup/restore-pitr.sh "2026-11-29 09:41:00+00" [pgdata]
# Run as the postgres user with PostgreSQL STOPPED. The data directory is rewritten in place
# (--delta keeps files that already match). After the restore PostgreSQL replays WAL up to
# the target and promotes; start it and check before letting the application in.
set -euo pipefail

target=${1:?usage: $0 "YYYY-MM-DD HH:MM:SS+TZ" [pgdata]}
stanza=${PGBACKREST_STANZA:-haven}
pgdata=${2:-}

if [ -n "$pgdata" ] && [ -f "$pgdata/postmaster.pid" ]; then
  echo "PostgreSQL is running on $pgdata: stop it first." >&2
  exit 1
fi

pgbackrest --stanza="$stanza" restore \
  --delta \
  --type=time \
  --target="$target" \
  --target-action=promote \
  ${pgdata:+--pg1-path="$pgdata"}
echo "Restored to $target. Start PostgreSQL; it replays WAL to the target and promotes."
