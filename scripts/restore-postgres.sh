#!/usr/bin/env bash
# Restores a backup made by scripts/backup-postgres.sh into a PostgreSQL database for Dispatch.
#
#   scripts/restore-postgres.sh --from FILE --db CONNINFO [--clean] [--force]
#
# Best into a new, empty database (createdb -O dispatch dispatch_restored), then point
# ConnectionStrings:Dispatch at it. With --clean it replaces the Dispatch tables of a database
# that has them: every silo and web host of that cluster must be stopped first (they hold grain
# state in memory), and the script refuses while the membership table shows a silo alive in the
# last 10 minutes, unless --force (for silos that died without leaving the table).
#
# Run it as the role the silos connect as: the restored objects are owned by the role that
# restores (--no-owner), and a silo's schema migration must be able to replace them. The restore
# is one transaction: on any error nothing changes. Exit code 0 on success, 1 on failure, 2 for
# bad arguments.
set -euo pipefail

usage() { echo "usage: $0 --from FILE --db CONNINFO [--clean] [--force]" >&2; exit 2; }

from="" db="" clean=0 force=0
while [ $# -gt 0 ]; do
    case "$1" in
        --from) [ $# -ge 2 ] || usage; from=$2; shift 2 ;;
        --db) [ $# -ge 2 ] || usage; db=$2; shift 2 ;;
        --clean) clean=1; shift ;;
        --force) force=1; shift ;;
        -h|--help) usage ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
[ -n "$from" ] && [ -n "$db" ] || usage

# shellcheck source=lib/pg-tool.sh
. "$(dirname "$0")/lib/pg-tool.sh"
pg_restore=$(pg_tool pg_restore)
psql=$(pg_tool psql)

if [ ! -f "$from" ]; then
    echo "There is no backup at $from." >&2
    exit 1
fi
if ! toc=$("$pg_restore" --list "$from" 2>&1); then
    echo "$from is not a pg_dump custom-format archive (or is damaged): $toc" >&2
    exit 1
fi
if ! grep -Eq 'TABLE DATA [^ ]+ dispatchschema ' <<<"$toc" || ! grep -Eq 'TABLE DATA [^ ]+ orleansstorage ' <<<"$toc"; then
    echo "$from is a pg_dump archive, but not of a Dispatch database (no dispatchschema or orleansstorage)." >&2
    exit 1
fi

query() { "$psql" -X -qtA -v ON_ERROR_STOP=1 --dbname="$db" -c "$1"; }
if ! existing=$(query "SELECT to_regclass('orleansstorage') IS NOT NULL" 2>&1); then
    echo "Cannot connect to the target database: $existing" >&2
    exit 1
fi
if [ "$existing" = "t" ]; then
    if [ "$clean" -ne 1 ]; then
        echo "The target database already has Dispatch tables: restore into a new database, or pass --clean to replace them." >&2
        exit 1
    fi
    alive=$(query "SELECT count(*) FROM orleansmembershiptable WHERE status = 3 AND iamalivetime > now() - interval '10 minutes'" 2>/dev/null || echo 0)
    if [ "$alive" != "0" ] && [ "$force" -ne 1 ]; then
        echo "$alive silo(s) of the target database were alive in the last 10 minutes: stop every silo and web host first (or --force if they are gone)." >&2
        exit 1
    fi
fi

started=$(date +%s)
echo "Restoring $from ..."
"$pg_restore" --dbname="$db" --no-owner --no-privileges --exit-on-error --single-transaction \
    $([ "$clean" -eq 1 ] && echo "--clean --if-exists") "$from"
echo "Restored in $(( $(date +%s) - started )) s: $(query "SELECT count(*) FROM orleansstorage") grain states," \
    "$(query "SELECT count(*) FROM orleansreminderstable") reminders, schema $(query "SELECT string_agg(script, ' ' ORDER BY script) FROM dispatchschema")." \
    "Start the silos: they apply any schema script this backup lacks (or run: dotnet run --project src/Silo -- migrate)."
