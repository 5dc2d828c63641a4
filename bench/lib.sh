#!/usr/bin/env bash
# Shared helpers for the benchmark scripts under bench/. Source it; do not run it.
# Everything heavy (corpus, published binaries, scratch homes) lives under bench/.cache/ (gitignored).

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(cd "$bench_dir/.." && pwd)"
cache_dir="${BENCH_CACHE:-$bench_dir/.cache}"
corpus_dir="$cache_dir/corpus"
bin_dir="$cache_dir/bin"
pgbin=/usr/lib/postgresql/15/bin

die() { echo "${0##*/}: $*" >&2; exit 1; }
note() { echo "${0##*/}: $*" >&2; }

# need CMD [apt-package]: fail with one line naming what to install.
need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 not found (apt-get install -y ${2:-$1})"
}

# apt_ensure PKG...: installs the missing Debian packages (root only).
apt_ensure() {
  local missing=() p
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]} (run as root or install them)"
  note "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# build_barman_wal: Release publish of the CLI into $bin_dir (skipped when BENCH_NO_BUILD=1).
build_barman_wal() {
  if [ "${BENCH_NO_BUILD:-0}" != 1 ] || [ ! -x "$bin_dir/barman-wal" ]; then
    note "publishing barman-wal (Release) to $bin_dir"
    # What users install: the RID-specific, ReadyToRun-compiled tool (see Barman.Wal.Cli.csproj).
    local rid=linux-x64
    [ "$(uname -m)" = aarch64 ] && rid=linux-arm64
    dotnet publish "$repo_dir/src/Barman.Wal.Cli" -c Release -r "$rid" --self-contained false -o "$bin_dir" --nologo -v quiet >"$cache_dir/publish.log" 2>&1 \
      || { cat "$cache_dir/publish.log" >&2; die "dotnet publish failed"; }
  fi
  [ -x "$bin_dir/barman-wal" ] || die "$bin_dir/barman-wal missing after publish"
}

# corpus_files N: the first N segments of the corpus (sorted), one path a line.
corpus_files() {
  local n="$1" have
  have="$(find "$corpus_dir" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9A-F]{24}' 2>/dev/null | wc -l)"
  [ "$have" -ge "$n" ] || die "corpus has $have segments, need $n: run bench/make-corpus.sh --segments $n"
  find "$corpus_dir" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9A-F]{24}' | sort | head -n "$n"
}

# copy_files DEST FILE...: identical fresh copies (reflink when the filesystem can).
copy_files() {
  local dest="$1"; shift
  mkdir -p "$dest"
  cp --reflink=auto -p "$@" "$dest/"
}

# now_ns: monotonic-enough wall clock in nanoseconds.
now_ns() { date +%s%N; }

# measure OUTVAR_PREFIX CMD...: runs CMD under /usr/bin/time -v; sets ${prefix}_s (wall seconds,
# from the nanosecond clock), ${prefix}_rss (peak RSS in KiB, "Maximum resident set size") and
# ${prefix}_cpu (user + system CPU seconds, children included: less sensitive to a loaded machine).
# The command's stdout/stderr go to $cache_dir/last-run.log; a non-zero exit aborts.
measure() {
  local prefix="$1"; shift
  local tv="$cache_dir/time-v.txt" t0 t1 rc=0
  t0="$(now_ns)"
  /usr/bin/time -v -o "$tv" "$@" >"$cache_dir/last-run.log" 2>&1 || rc=$?
  t1="$(now_ns)"
  if [ "$rc" -ne 0 ]; then
    cat "$cache_dir/last-run.log" >&2
    die "command failed (exit $rc): $*"
  fi
  printf -v "${prefix}_s" '%s' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
  printf -v "${prefix}_rss" '%s' "$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv")"
  printf -v "${prefix}_cpu" '%s' "$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tv")"
}

# median NUMBER...: the median (mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) printf "%.3f", a[(NR + 1) / 2]; else printf "%.3f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# max NUMBER...
max() { printf '%s\n' "$@" | sort -g | tail -n 1; }

# div A B [FMT]: A / B formatted (default %.2f); "n/a" when either is n/a or B is 0.
div() {
  awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf f "\n", a / b }'
}

# mbps BYTES SECONDS: MB/s (10^6 bytes) of input.
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s == "n/a" || s + 0 == 0) print "n/a"; else printf "%.1f\n", b / 1e6 / s }'; }

# mib KIB: KiB -> MiB with one decimal.
mib() { awk -v k="$1" 'BEGIN { if (k == "n/a" || k == "") print "n/a"; else printf "%.1f\n", k / 1024 }'; }

# tree_bytes DIR: the total size of the regular files below DIR.
tree_bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

# machine_line: one line describing the machine and its load, for the tables' headers.
machine_line() {
  local cpu
  cpu="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "$(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
}

# write_conf FILE HOME USER COMPRESSION [EXTRA_LINE...]: a barman.conf with one server pg1 whose
# WAL arrive in incoming/ (archiver = on). Both tools read the very same format.
write_conf() {
  local file="$1" home="$2" user="$3" compression="$4"; shift 4
  {
    echo "[barman]"
    echo "barman_home = $home"
    echo "barman_user = $user"
    echo "log_file = $home/barman.log"
    echo "log_level = INFO"
    [ "$compression" != none ] && echo "compression = $compression"
    for line in "$@"; do echo "$line"; done
    echo
    echo "[pg1]"
    echo "description = benchmark server"
    echo "conninfo = host=127.0.0.1 port=1 user=postgres dbname=postgres"
    echo "backup_method = postgres"
    echo "archiver = on"
  } >"$file"
}

# barman_home_layout HOME: the directories Barman's archive-wal expects for server pg1.
barman_home_layout() {
  mkdir -p "$1/pg1/incoming" "$1/pg1/wals" "$1/pg1/errors" "$1/pg1/streaming"
}

# ---- running the two archivers -------------------------------------------------------------

bench_user="${BENCH_USER:-barman}"   # both tools run as this non-root user, owner of their copies
run_dir="$cache_dir/run"

# ensure_tools: Barman (Debian's package), GNU time, the bench user, the published barman-wal.
ensure_tools() {
  apt_ensure barman time
  id "$bench_user" >/dev/null 2>&1 || useradd --system --create-home --shell /bin/bash "$bench_user"
  build_barman_wal
  barman_version="Barman $(barman --version 2>&1 | awk '/Barman/ { print $1; exit }')"
}

# barman_supports CODEC: whether the installed Barman (3.4 on Debian 12) knows the compression.
barman_supports() {
  [ "$1" = none ] && return 0
  # Barman's own registry: 3.4 has gzip, bzip2, pigz, pygzip, pybzip2, custom (xz, zstd, lz4 came in
  # 3.12, snappy in 3.14)
  /usr/bin/python3 -c 'import sys; from barman.compression import compression_registry as r; sys.exit(0 if sys.argv[1] in r else 1)' "$1" 2>/dev/null
}

# one_run TOOL CODEC FILES...: fresh barman_home with FILES in incoming, owned by the bench user;
# runs TOOL's archive-wal pg1 once and sets run_s, run_rss, run_bytes (stored bytes, no catalog).
# TOOL is barman-wal or barman.
one_run() {
  local tool="$1" codec="$2"; shift 2
  local home="$run_dir/$tool" conf="$run_dir/$tool.conf" bin stored
  rm -rf "$home"; barman_home_layout "$home"
  [ $# -gt 0 ] && copy_files "$home/pg1/incoming" "$@"
  write_conf "$conf" "$home" "$bench_user" "$codec"
  chown -R "$bench_user": "$home"
  sync
  if [ "$tool" = barman-wal ]; then bin="$bin_dir/barman-wal"; else bin=barman; fi
  measure run runuser -u "$bench_user" -- "$bin" -c "$conf" archive-wal pg1
  stored="$(find "$home/pg1/wals" -type f ! -name '*xlog.db' | wc -l)"
  [ "$stored" -eq $# ] || { cat "$cache_dir/last-run.log" >&2; die "$tool ($codec) stored $stored of $# files"; }
  [ -z "$(ls -A "$home/pg1/incoming")" ] || die "$tool ($codec) left files in incoming"
  run_bytes="$(find "$home/pg1/wals" -type f ! -name '*xlog.db' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
}

# run_pair CODEC REPS FILES...: REPS alternating runs of both tools (barman-wal first on even
# repetitions, Barman first on odd ones) on identical fresh copies. Sets bw_s / b_s (median
# seconds), bw_cpu / b_cpu (median CPU seconds), bw_rss / b_rss (max KiB), bw_bytes / b_bytes; Barman's values are n/a when it lacks
# CODEC.
run_pair() {
  local codec="$1" reps="$2"; shift 2
  local i bw_t=() b_t=() bw_m=() b_m=() bw_c=() b_c=() order tool
  local with_barman=1
  barman_supports "$codec" || with_barman=0
  for ((i = 0; i < reps; i++)); do
    if [ $((i % 2)) -eq 0 ]; then order="barman-wal barman"; else order="barman barman-wal"; fi
    for tool in $order; do
      [ "$tool" = barman ] && [ "$with_barman" -eq 0 ] && continue
      one_run "$tool" "$codec" "$@"
      if [ "$tool" = barman-wal ]; then bw_t+=("$run_s"); bw_m+=("$run_rss"); bw_c+=("$run_cpu"); bw_bytes="$run_bytes"
      else b_t+=("$run_s"); b_m+=("$run_rss"); b_c+=("$run_cpu"); b_bytes="$run_bytes"; fi
      note "  $codec $tool: ${run_s}s wall, ${run_cpu}s CPU, $(mib "$run_rss") MiB RSS, $run_bytes bytes"
    done
  done
  bw_s="$(median "${bw_t[@]}")"; bw_rss="$(max "${bw_m[@]}")"; bw_cpu="$(median "${bw_c[@]}")"
  if [ "$with_barman" -eq 1 ]; then
    b_s="$(median "${b_t[@]}")"; b_rss="$(max "${b_m[@]}")"; b_cpu="$(median "${b_c[@]}")"
  else
    b_s=n/a; b_rss=n/a; b_bytes=n/a; b_cpu=n/a
  fi
  rm -rf "$run_dir/barman-wal" "$run_dir/barman"
}

# warm_up: one no-op run of each tool (loads binaries, Python modules, the .NET runtime).
warm_up() {
  one_run barman-wal none
  one_run barman none
}

# parse_bench_options HELP_RANGE ARGS...: the options every benchmark script takes. The caller sets
# the defaults of segments, codecs and reps first; --ref (s3.sh only) sets ref.
parse_bench_options() {
  local help_range="$1"; shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --segments) segments="$2"; shift 2 ;;
      --codecs) codecs="$2"; shift 2 ;;
      --reps) reps="$2"; shift 2 ;;
      --quick) segments=8; reps=1; shift ;;
      --ref) ref="$2"; shift 2 ;;
      -h|--help) sed -n "$help_range" "$0"; exit 0 ;;
      *) die "unknown option $1" ;;
    esac
  done
}
