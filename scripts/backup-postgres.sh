#!/usr/bin/env bash
# Backs up Dispatch's PostgreSQL database (cluster mode) with pg_dump's custom format. Silos and
# web hosts keep running: pg_dump reads one consistent snapshot while they write.
#
#   scripts/backup-postgres.sh --to FILE [--db CONNINFO]
#
# --db is a libpq connection string or URI ("host=db1 dbname=dispatch user=dispatch" or
# "postgresql://dispatch@db1/dispatch"); without it, the PG* environment variables apply
# (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD or ~/.pgpass). The dump holds grain state,
# reminders, the schema and its record (dispatchschema), but not the cluster membership rows:
# they describe silos running now, and restored silos write their own.
#
# FILE is written under a temporary name beside it and renamed once pg_restore can read it
# whole, so FILE is never a partial dump. An existing FILE is never overwritten.
# Exit code 0 on success, 1 on failure (nothing written), 2 for bad arguments.
set -euo pipefail
umask 077 # The dump holds password hashes and beneficiaries' contacts: readable by its owner only.

usage() { echo "usage: $0 --to FILE [--db CONNINFO]" >&2; exit 2; }

to="" db=""
while [ $# -gt 0 ]; do
    case "$1" in
        --to) [ $# -ge 2 ] || usage; to=$2; shift 2 ;;
        --db) [ $# -ge 2 ] || usage; db=$2; shift 2 ;;
        -h|--help) usage ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
[ -n "$to" ] || usage

# shellcheck source=lib/pg-tool.sh
. "$(dirname "$0")/lib/pg-tool.sh"
pg_dump=$(pg_tool pg_dump)
pg_restore=$(pg_tool pg_restore)
psql=$(pg_tool psql)

if [ -e "$to" ]; then
    echo "$to already exists: a backup never overwrites anything, give it a new name." >&2
    exit 1
fi
dir=$(dirname -- "$to")
if ! mkdir -p -- "$dir" 2>/dev/null || [ ! -w "$dir" ]; then
    echo "Cannot write the backup to $to: $dir is not a writable folder." >&2
    exit 1
fi
partial="$dir/.$(basename -- "$to").partial-$$"
trap 'rm -f -- "$partial"' EXIT

if ! schema=$("$psql" -X -qtA -v ON_ERROR_STOP=1 --dbname="$db" -c "SELECT string_agg(script, ' ' ORDER BY script) FROM dispatchschema" 2>&1); then
    echo "Cannot read the Dispatch schema record (dispatchschema) of the database: is this Dispatch's database? $schema" >&2
    exit 1
fi

started=$(date +%s)
echo "Backing up the Dispatch database (schema $schema) to $to ..."
"$pg_dump" --dbname="$db" --format=custom --file="$partial" \
    --exclude-table-data=orleansmembershiptable --exclude-table-data=orleansmembershipversiontable

# Readable whole, and a Dispatch database: its grain state is in it.
if ! "$pg_restore" --list "$partial" | grep -Eq 'TABLE DATA [^ ]+ orleansstorage '; then
    echo "The dump cannot be read back, or holds no grain state (orleansstorage): nothing was written to $to." >&2
    exit 1
fi

sync -- "$partial" 2>/dev/null || true
mv -n -- "$partial" "$to"
[ ! -e "$partial" ] || { echo "$to appeared meanwhile: nothing was written there." >&2; exit 1; }
echo "Backup written to $to in $(( $(date +%s) - started )) s: $(du -h -- "$to" | cut -f1), schema $schema."
