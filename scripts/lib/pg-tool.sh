# Sourced by the PostgreSQL backup scripts. pg_tool NAME prints the path of a PostgreSQL client
# tool: the one on PATH (Debian's wrapper picks the right version), else the newest server's own.
pg_tool() {
    if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -1)
    [ -n "$found" ] || { echo "$1 was not found: install PostgreSQL's client tools (Debian: postgresql-client)." >&2; exit 1; }
    echo "$found"
}
