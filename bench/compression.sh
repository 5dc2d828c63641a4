#!/usr/bin/env bash
# Per-codec archive-wal benchmark: barman-wal, Debian's Barman (where it has the codec) and the
# command-line compressor on the very same bytes at Barman's default ("medium") levels.
#   bench/compression.sh [--segments N] [--codecs LIST] [--reps R] [--quick]
#     --segments N   segments (default 64)         --codecs LIST  default gzip,bzip2,xz,zstd,lz4,snappy,pigz
#     --reps R       repetitions, median (default 3) --quick       8 segments, 1 repetition
# The CLI column runs the tool once per segment, reading the cached corpus and writing to files
# (no fsync), sequentially like an archiver without parallelism; pigz -p2 and zstd -T2 use 2 threads.
# Speed-ups are "other tool's time / barman-wal's time" (> 1: barman-wal is faster).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

segments=64; codecs=gzip,bzip2,xz,zstd,lz4,snappy,pigz; reps=3
parse_bench_options '2,10p' "$@"
[ "$(id -u)" -eq 0 ] || die "run as root (creates the bench user, chowns the copies)"

# The CLI at Barman 3.17's medium level for each codec (compression README §2.1).
cli_command() {
  case "$1" in
    gzip) echo "gzip -c -6" ;;
    pigz) echo "pigz -c -p2 -6" ;;
    bzip2) echo "bzip2 -c -5" ;;
    xz) echo "xz -c -3" ;;
    zstd) echo "zstd -q -c -4 -T2" ;;
    lz4) echo "lz4 -q -c -6" ;;
    *) echo "" ;;
  esac
}

# time_cli CMD FILES...: sets cli_s (median of $reps), cli_rss, cli_bytes.
time_cli() {
  local cmd="$1"; shift
  local out="$run_dir/cli" i t=() m=() c=()
  for ((i = 0; i < reps; i++)); do
    rm -rf "$out"; mkdir -p "$out"; sync
    measure cli bash -c 'cmd="$1"; out="$2"; shift 2; for f in "$@"; do $cmd <"$f" >"$out/${f##*/}"; done' _ "$cmd" "$out" "$@"
    t+=("$cli_s"); m+=("$cli_rss"); c+=("$cli_cpu")
  done
  cli_s="$(median "${t[@]}")"; cli_rss="$(max "${m[@]}")"; cli_cpu="$(median "${c[@]}")"; cli_bytes="$(tree_bytes "$out")"
  rm -rf "$out"
}

# verdict CODEC: the targets of issue 5 for this row, as "met"/"MISSED" with the numbers.
verdict() {
  local codec="$1" v=() x
  if [ "$codec" = gzip ]; then
    x="$(div "$b_s" "$bw_s")"; v+=("≥5× Barman: $(check "$x" 5) ($x×)")
    x="$(div "$pigz_s" "$bw_s")"; v+=("≥1.5× pigz -p2: $(check "$x" 1.5) ($x×)")
  elif [ "$cli_s" != n/a ]; then
    x="$(div "$cli_s" "$bw_s")"; v+=("≥0.8× CLI: $(check "$x" 0.8) ($x×)")
  fi
  if [ "$b_bytes" != n/a ]; then
    x="$(awk -v a="$bw_bytes" -v b="$b_bytes" 'BEGIN { printf "%+.1f", (a - b) * 100 / b }')"
    v+=("size ±5% of Barman: $(awk -v x="$x" 'BEGIN { print (x <= 5 && x >= -5) ? "met" : "MISSED" }') (${x}%)")
  fi
  v+=("RSS < 64 MB (10^6 B, the strict reading): $(awk -v k="$bw_rss" 'BEGIN { print (k * 1024 < 64e6) ? "met" : "MISSED" }')")
  local IFS=';'; echo "${v[*]}" | sed 's/;/; /g'
}
check() { awk -v x="$1" -v t="$2" 'BEGIN { if (x == "n/a") print "n/a"; else print (x + 0 >= t) ? "met" : "MISSED" }'; }

mkdir -p "$cache_dir" "$run_dir"
ensure_tools
apt_ensure gzip pigz bzip2 xz-utils zstd lz4
"$bench_dir/make-corpus.sh" --segments "$segments"
mapfile -t files < <(corpus_files "$segments")
input_bytes=$((segments * 16777216))
warm_up

# pigz -p2 is the second yardstick of gzip: time it once up front.
time_cli "$(cli_command pigz)" "${files[@]}"; pigz_s="$cli_s"

echo "### Compression: barman-wal vs $barman_version vs the CLI ($segments segments, $((input_bytes / 1048576)) MiB, median of $reps)"
echo
echo "Machine: $(machine_line)"
echo
echo "| codec | barman-wal s | barman-wal MB/s | Barman s | CLI | CLI s | CLI MB/s | CPU s barman-wal / Barman / CLI | speed-up vs Barman | speed-up vs CLI | bytes barman-wal | bytes Barman | bytes CLI | peak RSS MiB barman-wal / Barman / CLI | targets |"
echo "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
IFS=, read -r -a codec_list <<<"$codecs"
for codec in "${codec_list[@]}"; do
  run_pair "$codec" "$reps" "${files[@]}"
  cmd="$(cli_command "$codec")"
  if [ -n "$cmd" ]; then time_cli "$cmd" "${files[@]}"; else cli_s=n/a; cli_rss=n/a; cli_cpu=n/a; cli_bytes=n/a; cmd="n/a"; fi
  echo "| $codec | $bw_s | $(mbps "$input_bytes" "$bw_s") | $b_s | \`$cmd\` | $cli_s | $(mbps "$input_bytes" "$cli_s") | $bw_cpu / $b_cpu / $cli_cpu | $(div "$b_s" "$bw_s") | $(div "$cli_s" "$bw_s") | $bw_bytes | $b_bytes | $cli_bytes | $(mib "$bw_rss") / $(mib "$b_rss") / $(mib "$cli_rss") | $(verdict "$codec") |"
done
echo
echo "pigz -p2 -6 on the same bytes: ${pigz_s} s ($(mbps "$input_bytes" "$pigz_s") MB/s)."
