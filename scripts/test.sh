#!/usr/bin/env bash
# Runs every Dispatch test on this machine, installing first whatever the tests need that is
# missing, from Debian's packages: curl and jq (the README walk-through test), Chromium and CJK
# fonts (the browser tests), PostgreSQL (the cluster-mode storage tests; started here, each test
# fixture creating its own throw-away database); npm installs the consoles' front-end packages
# during the build, and NuGet packages come with dotnet's own restore.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is required (dotnet was not found on PATH)." >&2
    exit 1
fi

missing=()
for tool in curl jq; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if ! command -v npm >/dev/null 2>&1; then
    echo "Node.js with npm is required to build the consoles (npm was not found on PATH)." >&2
    exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} (Debian packages)..."
    as_root=()
    [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq "${missing[@]}"
fi

# A PostgreSQL role that may create databases, unless the caller names a server of their own.
if [ -z "${DISPATCH_TEST_POSTGRES:-}" ]; then
    DISPATCH_TEST_POSTGRES=$(bash scripts/postgres.sh)
    export DISPATCH_TEST_POSTGRES
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GCConserveMemory=${DOTNET_GCConserveMemory:-7}

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
if [ $# -gt 0 ]; then
    dotnet test Dispatch.sln "$@" 2>&1 | tee "$log" || status=$?
else
    # A disposed in-process host is never collected (long-lived timers and threads started while
    # it ran keep its startup's execution context, and with it the whole host), so one test
    # process holding every integration test grew past 20 GB of this 24 GB machine, and the API
    # tests alone past 16 GB. Four processes, each over a part of the hosts, keep the peak lower.
    api_tests=Dispatch.IntegrationTests.Api
    browser_tests=Dispatch.IntegrationTests.Browser
    # One build for all of them, so that no batch runs on binaries older than the source.
    dotnet build Dispatch.sln 2>&1 | tee -a "$log" || exit 1
    dotnet test Dispatch.sln --no-build --filter "FullyQualifiedName!~$api_tests&FullyQualifiedName!~$browser_tests" 2>&1 | tee -a "$log" || status=$?
    # The API tests hold the most hosts: their classes A to L, then M to Z.
    for half in "A B C D E F G H I J K L" "M N O P Q R S T U V W X Y Z"; do
        filter=$(printf "|FullyQualifiedName~$api_tests.%s" $half)
        dotnet test tests/Dispatch.IntegrationTests --no-build --filter "${filter#|}" 2>&1 | tee -a "$log" || status=$?
    done
    dotnet test tests/Dispatch.IntegrationTests --no-build --filter "FullyQualifiedName~$browser_tests" 2>&1 | tee -a "$log" || status=$?
fi

# One closing line over all test assemblies, in the plain "N passed, N failed" form.
awk '
    /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
        for (i = 1; i <= NF; i++) {
            if ($i == "Failed:")  { gsub(",", "", $(i+1)); failed  += $(i+1) }
            if ($i == "Passed:")  { gsub(",", "", $(i+1)); passed  += $(i+1) }
            if ($i == "Skipped:") { gsub(",", "", $(i+1)); skipped += $(i+1) }
        }
        found = 1
    }
    END { if (found) printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"
exit "$status"
