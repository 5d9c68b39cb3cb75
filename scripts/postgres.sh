#!/usr/bin/env bash
# Makes a local PostgreSQL server available for the tests and prints the connection string of a
# role that may create databases (each test fixture creates, and drops, its own throw-away one).
#
# Installs PostgreSQL from Debian's packages when it is missing, starts the distribution's
# cluster (PostgreSQL refuses to run as root, so it runs as the postgres user), and creates the
# role. Safe to run again: every step checks first.
set -euo pipefail

role=${DISPATCH_TEST_PGROLE:-dispatch_test}
password=${DISPATCH_TEST_PGPASSWORD:-dispatch_test}
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
    echo "Installing PostgreSQL (Debian packages)..." >&2
    "${as_root[@]}" apt-get update -qq >&2
    "${as_root[@]}" apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
    "${as_root[@]}" pg_createcluster "$version" main >&2
fi
port=$(pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
if ! pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }' | grep -q online; then
    "${as_root[@]}" pg_ctlcluster "$version" main start >&2
fi

psql_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtAc "$1"
    else sudo -u postgres psql -p "$port" -v ON_ERROR_STOP=1 -qtAc "$1"; fi
}

if [ "$(psql_as_postgres "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != "1" ]; then
    psql_as_postgres "CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password'" >&2
fi
# DROP DATABASE ... WITH (FORCE) also ends an autovacuum worker busy in the test database, and
# that needs pg_signal_backend; granting it again is harmless.
psql_as_postgres "GRANT pg_signal_backend TO $role" >&2

echo "Host=127.0.0.1;Port=$port;Username=$role;Password=$password;Database=postgres"
