#!/usr/bin/env bash
# verify-wal benchmark: how long barman-wal needs to verify an archive against how long Debian's Barman
# needs to archive it (the issue's bar: verifying must be faster than archiving).
#   bench/verify-wal.sh [--segments N] [--codecs LIST] [--reps R] [--quick]
#     --segments N   segments in the archive (default 64; corpus from make-corpus.sh)
#     --codecs LIST  comma-separated compressions (default: gzip)
#     --reps R       timed repetitions, median reported (default 3)
#     --quick        8 segments, 1 repetition (smoke test)
# For each repetition Barman archives fresh copies of the corpus (timed); barman-wal then verifies
# that very archive, written by Barman, in full (content read back) and with --fast (timed). The
# verification must report the archive clean (exit 0) or the script stops.
# Run as root: both tools run as the non-root user "barman" (BENCH_USER), owner of its copies.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

segments=64; codecs=gzip; reps=3
parse_bench_options '2,10p' "$@"
[ "$(id -u)" -eq 0 ] || die "run as root (creates the bench user, chowns the copies)"

mkdir -p "$cache_dir" "$run_dir"
ensure_tools
"$bench_dir/make-corpus.sh" --segments "$segments"
mapfile -t files < <(corpus_files "$segments")
input_bytes=$((segments * 16777216))

warm_up

echo "### verify-wal: barman-wal verifying vs $barman_version archiving ($segments segments, $((input_bytes / 1048576)) MiB, median of $reps)"
echo
echo "Machine: $(machine_line)"
echo
echo "| compression | Barman archive-wal s | barman-wal verify-wal s | verify / archive time | verify-wal --fast s | verify-wal CPU s | verify-wal MB/s (plain) | verify-wal peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"

IFS=, read -r -a codec_list <<<"$codecs"
for codec in "${codec_list[@]}"; do
  barman_supports "$codec" || die "$barman_version cannot archive with $codec"
  a_t=(); v_t=(); f_t=(); v_c=(); v_m=()
  for ((i = 0; i < reps; i++)); do
    one_run barman "$codec" "${files[@]}"
    a_t+=("$run_s")
    conf="$run_dir/barman.conf"
    measure verify runuser -u "$bench_user" -- "$bin_dir/barman-wal" -c "$conf" verify-wal pg1
    grep -q '^pg1: OK' "$cache_dir/last-run.log" || { cat "$cache_dir/last-run.log" >&2; die "verify-wal did not report the archive clean"; }
    v_t+=("$verify_s"); v_c+=("$verify_cpu"); v_m+=("$verify_rss")
    measure fast runuser -u "$bench_user" -- "$bin_dir/barman-wal" -c "$conf" verify-wal --fast pg1
    f_t+=("$fast_s")
    note "  $codec: Barman archive ${run_s}s, verify-wal ${verify_s}s (${verify_cpu}s CPU), --fast ${fast_s}s"
  done
  a_s="$(median "${a_t[@]}")"; v_s="$(median "${v_t[@]}")"; f_s="$(median "${f_t[@]}")"
  echo "| $codec | $a_s | $v_s | $(div "$v_s" "$a_s") | $f_s | $(median "${v_c[@]}") | $(mbps "$input_bytes" "$v_s") | $(mib "$(max "${v_m[@]}")") |"
  rm -rf "$run_dir/barman"
done
