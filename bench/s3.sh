#!/usr/bin/env bash
# S3 archiving benchmark (issue 6): barman-wal archive-wal with an s3:// wals_directory against the
# S3 test server (tools/s3rver), per compression, next to a plain parallel PutObject loop
# (bench/s3-baseline: AWSSDK.S3, the client settings of barman-wal's S3ClientFactory).
#   bench/s3.sh [--segments N] [--codecs LIST] [--reps R] [--quick] [--ref GITREF]
#     --codecs LIST  default none,gzip,zstd,lz4      --reps R  default 3 (median)
#     --quick        8 segments, 1 repetition
#     --ref GITREF   build barman-wal from that commit/branch (git archive into bench/.cache, read
#                    only) instead of this worktree, e.g. --ref cloud before the S3 strategy is merged
# Needs CloudWalStorageStrategy (src/Barman.Wal/Storage/Cloud/) in the source it builds; without it
# only the baseline row is printed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

segments=64; codecs=none,gzip,zstd,lz4; reps=3; ref=""
parse_bench_options '2,12p' "$@"
need node nodejs
need npm npm
apt_ensure time

mkdir -p "$cache_dir"
src_dir="$repo_dir"
if [ -n "$ref" ]; then
  # A read-only export of another branch: nobody's worktree is touched.
  src_dir="$cache_dir/src-${ref//\//_}"
  rm -rf "$src_dir"; mkdir -p "$src_dir"
  git -C "$repo_dir" archive "$ref" | tar -x -C "$src_dir"
  bin_dir="$cache_dir/bin-${ref//\//_}"
  repo_dir_saved="$repo_dir"; repo_dir="$src_dir"; build_barman_wal; repo_dir="$repo_dir_saved"
else
  build_barman_wal
fi
has_cloud=0
[ -f "$src_dir/src/Barman.Wal/Storage/Cloud/CloudWalStorageStrategy.cs" ] && has_cloud=1

baseline_bin="$cache_dir/s3-baseline"
if [ "${BENCH_NO_BUILD:-0}" != 1 ] || [ ! -x "$baseline_bin/s3-put-baseline" ]; then
  note "publishing bench/s3-baseline (Release)"
  dotnet publish "$bench_dir/s3-baseline" -c Release -o "$baseline_bin" --nologo -v quiet >"$cache_dir/publish-s3.log" 2>&1 \
    || { cat "$cache_dir/publish-s3.log" >&2; die "dotnet publish of bench/s3-baseline failed"; }
fi

"$bench_dir/make-corpus.sh" --segments "$segments"
mapfile -t files < <(corpus_files "$segments")
input_bytes=$((segments * 16777216))

# The S3 test server, stopped (by its pid) on exit.
s3_data="$cache_dir/s3data"; rm -rf "$s3_data"; mkdir -p "$s3_data"
s3_out="$cache_dir/s3rver.out"
"$repo_dir/tools/s3rver/start.sh" "$s3_data" 0 bench </dev/null >"$s3_out" 2>"$cache_dir/s3rver.err" &
s3_pid=$!
s3_home="$cache_dir/s3-home"
trap 'kill -TERM "$s3_pid" 2>/dev/null || true; wait "$s3_pid" 2>/dev/null || true; rm -rf "$s3_data" "$s3_home"' EXIT
for _ in $(seq 1 600); do
  [ -s "$s3_out" ] && break
  kill -0 "$s3_pid" 2>/dev/null || { cat "$cache_dir/s3rver.err" >&2; die "s3rver exited before it was ready"; }
  sleep 0.2
done
port="$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$s3_out")"
[ -n "$port" ] || die "no readiness line from s3rver"
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ENDPOINT_URL_S3="http://127.0.0.1:$port"

stored_bytes() { find "$s3_data/bench/$1" -type f -name '*._S3rver_object' -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
stored_count() { find "$s3_data/bench/$1" -type f -name '*._S3rver_object' 2>/dev/null | wc -l; }

# One barman-wal run into s3://bench/PREFIX; sets run_s, run_rss, run_bytes.
s3_run() {
  local codec="$1" prefix="$2" home="$s3_home" conf="$s3_home.conf"
  rm -rf "$home"; barman_home_layout "$home"
  copy_files "$home/pg1/incoming" "${files[@]}"
  {
    echo "[barman]"; echo "barman_home = $home"; echo "barman_user = $(id -un)"
    echo "log_file = $home/barman.log"; echo "log_level = INFO"
    [ "$codec" != none ] && echo "compression = $codec"
    echo; echo "[pg1]"; echo "description = s3 benchmark"
    echo "conninfo = host=127.0.0.1 port=1 user=postgres dbname=postgres"
    echo "backup_method = postgres"; echo "archiver = on"
    echo "wals_directory = s3://bench/$prefix"; echo "xlogdb_directory = $home/pg1/wals"
  } >"$conf"
  sync
  measure run "$bin_dir/barman-wal" -c "$conf" archive-wal pg1
  [ "$(stored_count "$prefix")" -eq "${#files[@]}" ] || { cat "$cache_dir/last-run.log" >&2; die "barman-wal ($codec) stored $(stored_count "$prefix") of ${#files[@]} objects"; }
  run_bytes="$(stored_bytes "$prefix")"
  rm -rf "$s3_data/bench/$prefix"
}

# One baseline run into s3://bench/PREFIX.
baseline_run() {
  local prefix="$1"
  sync
  measure run "$baseline_bin/s3-put-baseline" bench "$prefix" "$(( $(nproc) > 2 ? $(nproc) : 2 ))" "${files[@]}"
  [ "$(stored_count "$prefix")" -eq "${#files[@]}" ] || die "baseline stored $(stored_count "$prefix") of ${#files[@]} objects"
  run_bytes="$(stored_bytes "$prefix")"
  rm -rf "$s3_data/bench/$prefix"
}

baseline_run warm; [ "$has_cloud" -eq 1 ] && s3_run none warm
t=(); m=()
for ((i = 0; i < reps; i++)); do baseline_run "base-$i"; t+=("$run_s"); m+=("$run_rss"); note "  baseline: ${run_s}s, $(mib "$run_rss") MiB"; done
base_s="$(median "${t[@]}")"; base_rss="$(max "${m[@]}")"; base_bytes="$run_bytes"

echo "### S3: barman-wal archive-wal to s3rver vs a parallel PutObject loop ($segments segments, $((input_bytes / 1048576)) MiB, median of $reps)"
echo
echo "Machine: $(machine_line); s3rver (node) runs on the same machine."
echo "barman-wal built from: ${ref:-this worktree} ($(git -C "$repo_dir" rev-parse --short "${ref:-HEAD}"))"
echo
echo "| scenario | s | MB/s of WAL | vs baseline (baseline s / s) | peak RSS MiB | stored bytes | targets |"
echo "|---|---:|---:|---:|---:|---:|---|"
echo "| baseline: PutObject ×$(( $(nproc) > 2 ? $(nproc) : 2 )) in parallel, no compression | $base_s | $(mbps "$input_bytes" "$base_s") | 1.00 | $(mib "$base_rss") | $base_bytes | – |"
IFS=, read -r -a codec_list <<<"$codecs"
for codec in "${codec_list[@]}"; do
  if [ "$has_cloud" -eq 0 ]; then
    echo "| barman-wal, compression $codec | not built: no CloudWalStorageStrategy in this source | | | | | |"
    continue
  fi
  t=(); m=()
  for ((i = 0; i < reps; i++)); do s3_run "$codec" "$codec-$i"; t+=("$run_s"); m+=("$run_rss"); note "  $codec: ${run_s}s, $(mib "$run_rss") MiB"; done
  s="$(median "${t[@]}")"; rss="$(max "${m[@]}")"; x="$(div "$base_s" "$s")"
  verdict="≥0.8× baseline: $(awk -v x="$x" 'BEGIN { print (x + 0 >= 0.8) ? "met" : "MISSED" }') (${x}×); RSS < 128 MB: $(awk -v k="$rss" 'BEGIN { print (k * 1024 < 128e6) ? "met" : "MISSED" }')"
  echo "| barman-wal, compression $codec | $s | $(mbps "$input_bytes" "$s") | $x | $(mib "$rss") | $run_bytes | $verdict |"
done
