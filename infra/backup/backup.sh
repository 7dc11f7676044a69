#!/usr/bin/env bash
# Take a pgBackRest backup of the Haven cluster: full (weekly), diff (daily) or incr (hourly).
# Run as the postgres user on the database host (cron or a systemd timer):
#   0 1 * * 0   infra/backup/backup.sh full
#   0 1 * * 1-6 infra/backup/backup.sh diff
#   0 * * * *   infra/backup/backup.sh incr
set -euo pipefail

type=${1:-incr}
case "$type" in
  full|diff|incr) ;;
  *) echo "usage: $0 full|diff|incr" >&2; exit 2 ;;
esac
stanza=${PGBACKREST_STANZA:-haven}

pgbackrest --stanza="$stanza" backup --type="$type"
# Fails loudly when archiving is broken: a backup without its WAL cannot be restored.
pgbackrest --stanza="$stanza" check
pgbackrest --stanza="$stanza" info
