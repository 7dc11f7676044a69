#!/usr/bin/env bash
# Logical dumps: one file per school schema, one for the public schema, one of everything.
# PITR restores the whole cluster; these let one school be restored without touching the
# others (see "Restoring one school" in infra/BACKUP.md).
#   DATABASE_URL=postgres://... infra/backup/dump-schools.sh /backups/2026-11-29
set -euo pipefail

out=${1:?usage: $0 OUTPUT_DIRECTORY}
url=${DATABASE_URL:?set DATABASE_URL}
mkdir -p "$out"

pg_dump --dbname="$url" --format=custom --file="$out/all.dump"
pg_dump --dbname="$url" --format=custom --schema=public --file="$out/public.dump"
# Schema names come from the platform's own table and are plain subdomains ([a-z0-9-]).
psql --dbname="$url" --no-align --tuples-only --command \
  "SELECT schema_name FROM public.tenants_school WHERE schema_name <> 'public' ORDER BY 1" |
while read -r schema; do
  [ -n "$schema" ] || continue
  pg_dump --dbname="$url" --format=custom --schema="\"$schema\"" --file="$out/school-$schema.dump"
done
ls -l "$out"
