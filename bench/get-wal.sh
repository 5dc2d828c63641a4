#!/usr/bin/env bash
# get-wal benchmark (issue 14), run as root:
#   (a) 48 sequential get-wal calls to stdout over a gzip archive (a restore_command loop without
#       prefetch): barman-wal vs Barman's `barman get-wal` (Debian's package), both as the bench user;
#   (b) a PostgreSQL 15 recovery replaying 64 segments from an s3:// archive (s3rver), restore_command
#       = barman-wal get-wal without and with --prefetch: the summed time spent inside restore_command
#       and the recovery's wall time.
#   bench/get-wal.sh [--segments N] [--prefetch P] [--reps R] [--skip-a] [--skip-b]
#     --segments N   segments for (b) (default 64); (a) uses 48
#     --prefetch P   the prefetch window of (b) (default 8)     --reps R  repetitions of (a) (default 3, median)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

segments=64; prefetch=8; skip_a=0; skip_b=0; reps=3
while [ $# -gt 0 ]; do
  case "$1" in
    --segments) segments="$2"; shift 2 ;;
    --prefetch) prefetch="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --skip-a) skip_a=1; shift ;;
    --skip-b) skip_b=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "run as root"
mkdir -p "$cache_dir"
ensure_tools
chmod o+rx "$cache_dir" "$bin_dir"

echo "## get-wal ($(git -C "$repo_dir" rev-parse --short HEAD))"
echo
echo "Machine: $(machine_line)"
echo

# ---- (a) 48 sequential get-wal calls, gzip archive ------------------------------------------
if [ "$skip_a" -eq 0 ]; then
  "$bench_dir/make-corpus.sh" --segments 48
  mapfile -t files < <(corpus_files 48)
  home="$cache_dir/getwal-home"; conf="$cache_dir/getwal.conf"; out="$cache_dir/getwal-out"
  rm -rf "$home" "$out"; barman_home_layout "$home"; mkdir -p "$out"
  copy_files "$home/pg1/incoming" "${files[@]}"
  write_conf "$conf" "$home" "$bench_user" gzip
  chown -R "$bench_user": "$home" "$out"
  runuser -u "$bench_user" -- "$bin_dir/barman-wal" -c "$conf" archive-wal pg1 >/dev/null
  names=(); for f in "${files[@]}"; do names+=("$(basename "$f")"); done
  cat >"$cache_dir/getwal-loop.sh" <<'SH'
#!/bin/bash
# BIN CONF OUT NAME...: one process per segment, stdout into a file, as restore_command '... > %p'
bin=$1; conf=$2; out=$3; shift 3
for n in "$@"; do "$bin" -c "$conf" get-wal pg1 "$n" > "$out/$n" || exit 1; done
SH
  chmod 755 "$cache_dir/getwal-loop.sh"
  verify() { for f in "${files[@]}"; do cmp -s "$f" "$out/$(basename "$f")" || die "$1: $(basename "$f") differs"; done; rm -f "$out"/*; }
  for n in "${names[@]:0:4}"; do   # warm-up (page cache, runtime, Python modules)
    runuser -u "$bench_user" -- "$bin_dir/barman-wal" -c "$conf" get-wal pg1 "$n" >/dev/null 2>&1 || true
    runuser -u "$bench_user" -- barman -c "$conf" get-wal pg1 "$n" >/dev/null 2>&1 || true
  done
  bw=(); b=(); bwc=(); bc=()
  for ((i = 1; i <= reps; i++)); do
    measure run runuser -u "$bench_user" -- "$cache_dir/getwal-loop.sh" "$bin_dir/barman-wal" "$conf" "$out" "${names[@]}"
    verify barman-wal; bw+=("$run_s"); bwc+=("$run_cpu"); last_bw="$run_s"
    if measure_barman=$( (measure run runuser -u "$bench_user" -- "$cache_dir/getwal-loop.sh" "$(command -v barman)" "$conf" "$out" "${names[@]}" && echo "$run_s $run_cpu") 2>/dev/null ); then
      verify barman; b+=("${measure_barman% *}"); bc+=("${measure_barman#* }"); last_b="${measure_barman% *}"
    else
      rm -f "$out"/*; last_b=failed
    fi
    note "  rep $i: barman-wal ${last_bw}s, Barman ${last_b}s"
  done
  bw_s="$(median "${bw[@]}")"; bw_cpu="$(median "${bwc[@]}")"
  if [ "${#b[@]}" -gt 0 ]; then b_s="$(median "${b[@]}")"; b_cpu="$(median "${bc[@]}")"; else b_s=n/a; b_cpu=n/a; fi
  x="$(div "$bw_s" "$b_s")"
  echo "### (a) 48 sequential get-wal calls to stdout, gzip archive (median of $reps)"
  echo
  echo "| tool | wall s | CPU s | per call ms | barman-wal / Barman (wall) | target ≤ 0.5× |"
  echo "|---|---:|---:|---:|---:|---|"
  echo "| $barman_version \`barman get-wal\` | $b_s | $b_cpu | $(div "$b_s" 0.048 %.0f) | 1.00 | – |"
  echo "| barman-wal get-wal | $bw_s | $bw_cpu | $(div "$bw_s" 0.048 %.0f) | $x | $(awk -v x="$x" 'BEGIN { print (x != "n/a" && x + 0 <= 0.5) ? "met" : "MISSED" }') (CPU ratio $(div "$bw_cpu" "$b_cpu")) |"
  echo
  rm -rf "$home" "$out"
fi

# ---- (b) a recovery of N segments from S3, without and with prefetch ----------------------------
if [ "$skip_b" -eq 0 ]; then
  need node nodejs
  work="$(mktemp -d "$cache_dir/recovery.XXXXXX")"; chmod 755 "$work"
  s3_data="$work/s3data"; mkdir -p "$s3_data"
  "$repo_dir/tools/s3rver/start.sh" "$s3_data" 0 bench </dev/null >"$work/s3rver.out" 2>"$work/s3rver.err" &
  s3_pid=$!
  pg_data="$work/primary"; pg_port=$((20000 + RANDOM % 20000))
  cleanup() {
    runuser -u postgres -- "$pgbin/pg_ctl" stop -m immediate -D "$pg_data" >/dev/null 2>&1 || true
    for d in "$work"/rec-*; do [ -d "$d" ] && runuser -u postgres -- "$pgbin/pg_ctl" stop -m immediate -D "$d" >/dev/null 2>&1 || true; done
    kill -TERM "$s3_pid" 2>/dev/null || true; wait "$s3_pid" 2>/dev/null || true
    rm -rf "$work"
  }
  trap cleanup EXIT
  for _ in $(seq 1 600); do [ -s "$work/s3rver.out" ] && break; sleep 0.2; done
  port="$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/s3rver.out")"; [ -n "$port" ] || die "s3rver did not start"
  aws_env="AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_ENDPOINT_URL_S3=http://127.0.0.1:$port"

  # the primary, a base backup without WAL, N segments of writes, shipped by a plain cp
  mkdir -p "$work/incoming" "$work/sock"; chown postgres: "$work/incoming" "$work/sock"; chown postgres: "$work"
  runuser -u postgres -- "$pgbin/initdb" -D "$pg_data" -U postgres -A trust --no-sync >/dev/null
  cat >>"$pg_data/postgresql.conf" <<CONF
port = $pg_port
listen_addresses = ''
unix_socket_directories = '$work/sock'
fsync = off
max_wal_size = '4GB'
archive_mode = on
archive_command = 'cp %p $work/incoming/%f'
CONF
  runuser -u postgres -- "$pgbin/pg_ctl" start -w -D "$pg_data" -l "$work/primary.log" >/dev/null
  psql_() { runuser -u postgres -- "$pgbin/psql" -h "$work/sock" -p "$pg_port" -U postgres -qAtX -c "$1" postgres; }
  psql_ "CREATE TABLE t(id serial, payload text)"
  runuser -u postgres -- "$pgbin/pg_basebackup" -h "$work/sock" -p "$pg_port" -U postgres -D "$work/base" -X none -c fast --no-sync
  note "writing $segments segments"
  for ((i = 0; i < segments; i++)); do
    psql_ "INSERT INTO t(payload) SELECT md5(g::text) || repeat('x', 400) FROM generate_series(1, 8000) g; SELECT pg_switch_wal()" >/dev/null
  done
  expected="$(psql_ "SELECT count(*) || ':' || md5(string_agg(payload, ',' ORDER BY id)) FROM t")"
  last="$(psql_ "SELECT pg_walfile_name(pg_current_wal_lsn())")"
  psql_ "SELECT pg_switch_wal()" >/dev/null
  for _ in $(seq 1 600); do [ "$(ls "$work/incoming" | grep -c '^[0-9A-F]\{24\}$')" -ge "$segments" ] && break; sleep 0.5; done
  runuser -u postgres -- "$pgbin/pg_ctl" stop -m fast -D "$pg_data" >/dev/null

  home="$work/home"; conf="$work/barman.conf"; barman_home_layout "$home"
  cp "$work"/incoming/* "$home/pg1/incoming/"
  write_conf "$conf" "$home" root gzip "log_level = WARNING"
  { echo "wals_directory = s3://bench/recovery"; echo "xlogdb_directory = $home/pg1/wals"; } >>"$conf"
  env $aws_env "$bin_dir/barman-wal" -c "$conf" archive-wal pg1 >/dev/null
  n_archived="$(grep -c . "$home/pg1/wals/pg1-xlog.db")"
  chmod -R o+rX "$home" "$conf"

  cat >"$work/timed.sh" <<SH
#!/bin/sh
# restore_command wrapper: adds the nanoseconds spent in get-wal to \$TIMINGS
t0=\$(date +%s%N); env $aws_env "\$@"; rc=\$?; echo \$(( \$(date +%s%N) - t0 )) >> "\$TIMINGS"; exit \$rc
SH
  chmod 755 "$work/timed.sh"
  recover() { # LABEL EXTRA_OPTIONS: sets rec_wall, rec_cmd (seconds), rec_calls
    local label="$1" options="$2" data="$work/rec-$1" timings="$work/timings-$1" t0 t1
    cp -a "$work/base" "$data"; : >"$timings"; chown postgres: "$timings"
    touch "$data/recovery.signal"
    cat >>"$data/postgresql.auto.conf" <<CONF
port = $((pg_port + 1))
listen_addresses = ''
unix_socket_directories = '$work/sock'
archive_mode = off
restore_command = 'TIMINGS=$timings $work/timed.sh $bin_dir/barman-wal -c $conf get-wal $options pg1 %f > %p'
CONF
    chown -R postgres: "$data"
    t0="$(now_ns)"
    runuser -u postgres -- "$pgbin/pg_ctl" start -w -t 3600 -D "$data" -l "$work/$label.log" >/dev/null
    until [ "$(runuser -u postgres -- "$pgbin/psql" -h "$work/sock" -p $((pg_port + 1)) -U postgres -qAtX -c 'SELECT pg_is_in_recovery()' postgres 2>/dev/null)" = f ]; do sleep 0.1; done
    t1="$(now_ns)"
    got="$(runuser -u postgres -- "$pgbin/psql" -h "$work/sock" -p $((pg_port + 1)) -U postgres -qAtX -c "SELECT count(*) || ':' || md5(string_agg(payload, ',' ORDER BY id)) FROM t" postgres)"
    runuser -u postgres -- "$pgbin/pg_ctl" stop -m immediate -D "$data" >/dev/null
    [ "$got" = "$expected" ] || die "$label: recovered data differs ($got, expected $expected)"
    rec_wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
    rec_cmd="$(awk '{ s += $1 } END { printf "%.2f", s / 1e9 }' "$timings")"
    rec_calls="$(grep -c . "$timings")"
    rec_restored="$(grep -c 'restored log file "[0-9A-F]\{24\}" from archive' "$work/$label.log")"
    rm -rf "$data"
  }
  recover plain ""; p_wall="$rec_wall"; p_cmd="$rec_cmd"; p_calls="$rec_calls"; p_rest="$rec_restored"
  spool="$work/spool"; mkdir -p "$spool"; chown postgres: "$spool"; chmod 700 "$spool"
  recover prefetch "--prefetch $prefetch --spool-dir $spool"; f_wall="$rec_wall"; f_cmd="$rec_cmd"; f_calls="$rec_calls"; f_rest="$rec_restored"
  x="$(div "$f_cmd" "$p_cmd")"
  echo "### (b) recovery of $n_archived archived files ($segments segments of writes, gzip) from S3 (s3rver), restore_command = barman-wal get-wal as postgres"
  echo
  echo "| restore_command | segments restored | calls | time in restore_command s | recovery wall s | vs without prefetch (restore_command time) | target ≤ 0.3× |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  echo "| get-wal | $p_rest | $p_calls | $p_cmd | $p_wall | 1.00 | – |"
  echo "| get-wal --prefetch $prefetch | $f_rest | $f_calls | $f_cmd | $f_wall | $x | $(awk -v x="$x" 'BEGIN { print (x + 0 <= 0.3) ? "met" : "MISSED" }') |"
  echo
fi
