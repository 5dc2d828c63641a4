#!/usr/bin/env bash
# archive-wal benchmark: barman-wal against Debian's Barman on identical copies of real WAL.
#   bench/archive-wal.sh [--segments N] [--codecs LIST] [--reps R] [--quick]
#     --segments N   segments per run (default 64; the corpus is built/cached by make-corpus.sh)
#     --codecs LIST  comma-separated compressions to time (default: none); e.g. none,gzip,pigz
#     --reps R       timed repetitions per tool and scenario, median reported (default 3)
#     --quick        8 segments, 1 repetition (smoke test)
# Prints a Markdown table: the no-op run (empty incoming) first, then one row per compression.
# Wall time is the headline; CPU (user + system, children included) is printed beside it.
# Run as root: both tools run as the non-root user "barman" (BENCH_USER), owner of its copies.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

segments=64; codecs=none; reps=3
parse_bench_options '2,10p' "$@"
[ "$(id -u)" -eq 0 ] || die "run as root (creates the bench user, chowns the copies)"

mkdir -p "$cache_dir" "$run_dir"
ensure_tools
"$bench_dir/make-corpus.sh" --segments "$segments"
mapfile -t files < <(corpus_files "$segments")
input_bytes=$((segments * 16777216))

warm_up

echo "### archive-wal: barman-wal vs $barman_version ($segments segments, $((input_bytes / 1048576)) MiB, median of $reps)"
echo
echo "Machine: $(machine_line)"
echo
echo "| scenario | barman-wal s | Barman s | barman-wal / Barman time | barman-wal CPU s | Barman CPU s | barman-wal MB/s | Barman MB/s | barman-wal peak RSS MiB | Barman peak RSS MiB | stored bytes barman-wal | stored bytes Barman |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"

run_pair none "$reps"
echo "| no-op (empty incoming) | $bw_s | $b_s | $(div "$bw_s" "$b_s") | $bw_cpu | $b_cpu | – | – | $(mib "$bw_rss") | $(mib "$b_rss") | 0 | 0 |"

IFS=, read -r -a codec_list <<<"$codecs"
for codec in "${codec_list[@]}"; do
  run_pair "$codec" "$reps" "${files[@]}"
  label="compression $codec"; [ "$codec" = none ] && label="compression off"
  echo "| $label | $bw_s | $b_s | $(div "$bw_s" "$b_s") | $bw_cpu | $b_cpu | $(mbps "$input_bytes" "$bw_s") | $(mbps "$input_bytes" "$b_s") | $(mib "$bw_rss") | $(mib "$b_rss") | $bw_bytes | $b_bytes |"
done
