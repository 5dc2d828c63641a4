#!/usr/bin/env bash
# Builds (once) and caches a corpus of real 16 MiB WAL segments from a throwaway PostgreSQL 15
# cluster under pgbench, in bench/.cache/corpus/. Re-running is a no-op when enough segments exist.
#   bench/make-corpus.sh [--segments N]   (default 64; must run as root: initdb runs as postgres)
# The cluster: initdb in a temp dir as the postgres OS user, 127.0.0.1 on a free port,
# wal_level = replica, archive_command copying each finished segment into the corpus staging dir,
# pgbench -i (bulk load) then pgbench -c 2 until N+1 segments are archived; pg_switch_wal() at the end.
# Only full segments switched by PostgreSQL itself are kept (the final switched one is dropped).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

segments=64
while [ $# -gt 0 ]; do
  case "$1" in
    --segments) segments="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done

count_segments() { find "$1" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9A-F]{24}' 2>/dev/null | wc -l; }

mkdir -p "$corpus_dir"
have="$(count_segments "$corpus_dir")"
if [ "$have" -ge "$segments" ]; then
  note "corpus already has $have segments in $corpus_dir"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "run as root (initdb runs as the postgres OS user)"
for b in initdb pg_ctl postgres pgbench psql; do
  [ -x "$pgbin/$b" ] || [ "$b" = psql ] || die "$pgbin/$b missing (run scripts/install-test-prereqs.sh)"
done
need psql postgresql-client-15
id postgres >/dev/null 2>&1 || die "OS user postgres missing (run scripts/install-test-prereqs.sh)"

work="$(mktemp -d /tmp/bench-corpus.XXXXXX)"
chown postgres: "$work"
data="$work/data"; archive="$work/archive"
runuser -u postgres -- mkdir -p "$archive"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
pg() { runuser -u postgres -- "$@"; }
cleanup() {
  pg "$pgbin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

note "initdb in $data, port $port"
pg "$pgbin/initdb" -D "$data" -U postgres -A trust --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; die "initdb failed"; }
cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$work'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $archive/%f && cp %p $archive/%f'
max_wal_size = 256MB
checkpoint_timeout = 60s
fsync = off
synchronous_commit = off
CONF
pg "$pgbin/pg_ctl" -D "$data" -l "$work/server.log" -w start >/dev/null || { cat "$work/server.log" >&2; die "pg_ctl start failed"; }

conn=(-h 127.0.0.1 -p "$port" -U postgres)
note "pgbench -i -s 10"
pg "$pgbin/pgbench" "${conn[@]}" -i -s 10 -q postgres >"$work/pgbench-init.log" 2>&1 || { cat "$work/pgbench-init.log" >&2; die "pgbench -i failed"; }
while [ "$(count_segments "$archive")" -le "$segments" ]; do
  note "pgbench -c 2 -T 20 ($(count_segments "$archive") of $((segments + 1)) segments archived)"
  pg "$pgbin/pgbench" "${conn[@]}" -c 2 -j 2 -T 20 postgres >"$work/pgbench.log" 2>&1 || { cat "$work/pgbench.log" >&2; die "pgbench failed"; }
done
pg psql "${conn[@]}" -qAt -c 'select pg_switch_wal()' postgres >/dev/null
sleep 2

# Keep all but the newest archived segment (the one pg_switch_wal() may have cut short).
mapfile -t names < <(find "$archive" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9A-F]{24}' -printf '%f\n' | sort)
keep=$(( ${#names[@]} - 1 ))
for ((i = 0; i < keep; i++)); do
  f="$archive/${names[$i]}"
  [ "$(stat -c %s "$f")" -eq 16777216 ] || continue
  [ -f "$corpus_dir/${names[$i]}" ] || cp "$f" "$corpus_dir/"
done
chmod 0644 "$corpus_dir"/*
note "corpus: $(count_segments "$corpus_dir") segments in $corpus_dir ($(du -sh "$corpus_dir" | cut -f1))"
