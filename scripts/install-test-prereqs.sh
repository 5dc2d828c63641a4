#!/usr/bin/env bash
# Installs what barman-wal's test suite needs on a Debian 12 machine (run as root):
# PostgreSQL 15 (server, client, pgbench, pg_receivewal), the compressors and gpg the tests
# compare against, strace (the fsync-order tests), Barman's own barman-wal-archive client (barman-cli,
# for put-wal), the node dependencies of the S3 test server (tools/s3rver), and the unprivileged
# OS user 'barman' the end-to-end tests run the tool as (barman_user).
# Idempotent: apt is only touched when a package is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

packages=(
  postgresql-15 postgresql-client-15 postgresql-contrib
  gnupg gzip bzip2 xz-utils zstd lz4 pigz liblzma5
  libzstd1 liblz4-1 libdeflate0 libbz2-1.0
  procps util-linux mount ca-certificates python3 strace git
  barman-cli
)

die() { echo "install-test-prereqs: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (apt-get install)"
command -v dpkg-query >/dev/null || die "dpkg-query not found: this script is for Debian"

missing=()
for p in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-test-prereqs: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  # Debian's postgresql-common would create and start a "main" cluster; the tests make their own.
  mkdir -p /etc/postgresql-common/createcluster.d
  if [ ! -f /etc/postgresql-common/createcluster.d/50-barman-wal-tests.conf ]; then
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/50-barman-wal-tests.conf
  fi
  if ! apt-get update -qq >"$log" 2>&1; then cat "$log" >&2; die "apt-get update failed"; fi
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    cat "$log" >&2; die "apt-get install ${missing[*]} failed"
  fi
fi

pgbin=/usr/lib/postgresql/15/bin
for b in initdb pg_ctl postgres pgbench pg_receivewal; do
  [ -x "$pgbin/$b" ] || die "$pgbin/$b missing after install"
done
id postgres >/dev/null 2>&1 || die "OS user 'postgres' missing after installing postgresql-15"
for b in gpg gzip bzip2 xz zstd lz4 pigz runuser setpriv strace git barman-wal-archive; do
  command -v "$b" >/dev/null || die "$b not on PATH after install"
done

# The end-to-end tests run barman-wal as this system user (its own group), as production would.
barman_home=/var/lib/barman-wal-tests
if ! id barman >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$barman_home" --create-home --shell /bin/bash \
    --comment "barman-wal tests" barman || die "useradd barman failed"
fi
[ "$(id -u barman)" -ne 0 ] || die "OS user 'barman' must not be root"

# S3 test server dependencies (exact versions from its package-lock.json).
command -v npm >/dev/null || die "npm not found (needed for tools/s3rver)"
s3="$repo/tools/s3rver"
if [ ! -f "$s3/node_modules/.package-lock.json" ] || [ "$s3/package-lock.json" -nt "$s3/node_modules/.package-lock.json" ]; then
  (cd "$s3" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in tools/s3rver failed"
fi

echo "install-test-prereqs: ok"
