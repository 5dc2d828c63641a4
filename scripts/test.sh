#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with only the .NET SDK, node/npm and apt:
# installs the prerequisites (PostgreSQL 15, compressors, gpg, the S3 test server), builds, runs
# every test, and ends with one summary line "N passed, N failed".
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

bash scripts/install-test-prereqs.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Barman.Wal.sln -c Release -nologo -v q

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
set +e
dotnet test Barman.Wal.sln -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" \
  -- RunConfiguration.TestSessionTimeout=1500000 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}
set -e

# One closing line for CI, read from the TRX counters.
trx="$(find "$results" -name '*.trx' | head -n 1)"
if [ -n "$trx" ]; then
  passed="$(grep -o 'passed="[0-9]*"' "$trx" | head -n 1 | grep -o '[0-9]*')"
  failed="$(grep -o 'failed="[0-9]*"' "$trx" | head -n 1 | grep -o '[0-9]*')"
  echo "${passed:-0} passed, ${failed:-0} failed"
else
  echo "0 passed, 1 failed"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
