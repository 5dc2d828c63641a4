#!/usr/bin/env bash
# Demo: a throwaway PostgreSQL 15 whose archive_command drops WAL into a temp barman_home's
# incoming directory, a generated barman.conf, some real WAL (pgbench + pg_switch_wal), then
# `barman-wal archive-wal pg1`, the archive tree and the xlog.db catalog. Cleans up after itself.
# Run as root on Debian (the cluster runs as the postgres user); installs what it lacks first.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

bash scripts/install-test-prereqs.sh >/dev/null
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Barman.Wal.Cli -c Release -nologo -v q >/dev/null
tool=(dotnet "$repo/src/Barman.Wal.Cli/bin/Release/net10.0/barman-wal.dll")

pgbin=/usr/lib/postgresql/15/bin
work="$(mktemp -d /tmp/barman-wal-demo.XXXXXX)"
chmod 755 "$work"
home="$work/barman_home"
incoming="$home/pg1/incoming"
mkdir -p "$incoming" "$work/pgdata" "$work/socket"
chown postgres "$work/pgdata" "$work/socket" "$incoming"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)"

as_pg() { runuser -u postgres -- "$@"; }
cleanup() {
  as_pg "$pgbin/pg_ctl" -D "$work/pgdata" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== initdb and start PostgreSQL 15 on 127.0.0.1:$port"
as_pg "$pgbin/initdb" -D "$work/pgdata" -A trust -U postgres >/dev/null
cat >> "$work/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$work/socket'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $incoming/%f && cp %p $incoming/%f.tmp && mv $incoming/%f.tmp $incoming/%f'
CONF
as_pg "$pgbin/pg_ctl" -D "$work/pgdata" -l "$work/pgdata/postgres.log" -w start >/dev/null

cat > "$work/barman.conf" <<CONF
[barman]
barman_home = $home
barman_user = root
log_file = $work/barman.log
log_level = INFO
compression = gzip

[pg1]
description = "barman-wal demo"
conninfo = host=127.0.0.1 port=$port user=postgres dbname=postgres
archiver = on
CONF
echo "== barman.conf"
cat "$work/barman.conf"

echo "== make real WAL: pgbench, then three WAL switches"
psql=("$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt)
"$pgbin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -i -s 2 -q postgres >/dev/null 2>&1
"${psql[@]}" -c "CREATE TABLE demo(x int);" >/dev/null
for _ in 1 2 3; do
  "${psql[@]}" -c "INSERT INTO demo VALUES (1);" >/dev/null
  "${psql[@]}" -c "SELECT pg_switch_wal();" >/dev/null
done
last="$("${psql[@]}" -c "SELECT pg_walfile_name(pg_current_wal_lsn())")"
for _ in $(seq 1 100); do
  done_wal="$("${psql[@]}" -c "SELECT coalesce(last_archived_wal,'') FROM pg_stat_archiver")"
  [[ "$done_wal" > "$last" || "$done_wal" == "$last" ]] && break
  [ -n "$done_wal" ] && [ "$(ls "$incoming" | wc -l)" -ge 3 ] && break
  sleep 0.1
done
echo "== incoming before"
ls -l "$incoming"

echo "== barman-wal -c $work/barman.conf archive-wal pg1"
"${tool[@]}" -c "$work/barman.conf" archive-wal pg1
echo "(exit $?)"

echo "== archive tree"
(cd "$home" && find pg1 -type f -printf '%p  %s bytes\n' | sort)
echo "== pg1/wals/pg1-xlog.db"
cat "$home/pg1/wals/pg1-xlog.db"
echo "== second run (nothing to do)"
"${tool[@]}" -c "$work/barman.conf" archive-wal pg1
