#!/usr/bin/env bash
# purge-wal benchmark: purging N catalogued synthetic small WAL files (issue 15).
#   bench/purge.sh [--files N] [--size BYTES]
#     --files N      catalogued WAL files in the archive (default 100000); all but the newest are purged
#     --size BYTES   bytes per file (default 16)
# Builds the archive (hash directories of 256 files, one 5-column xlog.db line each) in a temp
# barman_home, runs `barman-wal purge-wal --before <newest> pg1` (stdout to /dev/null) under
# /usr/bin/time -v, checks the result and prints a Markdown row: wall time, CPU, peak RSS.
set -euo pipefail
files=100000; size=16
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    *) echo "usage: bench/purge.sh [--files N] [--size BYTES]" >&2; exit 2 ;;
  esac
done

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool="$repo_dir/src/Barman.Wal.Cli/bin/Release/net10.0/barman-wal.dll"
[ -f "$tool" ] || { echo "build first: dotnet build Barman.Wal.sln -c Release" >&2; exit 1; }
work="$(mktemp -d /tmp/barman-wal-bench-purge-XXXXXX)"
trap 'rm -rf "$work"' EXIT

python3 - "$work" "$files" "$size" <<'PY'
import os, sys
work, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
home = os.path.join(work, "home"); wals = os.path.join(home, "pg1", "wals")
data = b"w" * size
with open(os.path.join(work, "barman.conf"), "w") as conf:
    conf.write(f"[barman]\nbarman_home = {home}\nbarman_user = {os.environ.get('USER', 'root')}\n"
               f"log_file = {work}/barman.log\nlog_level = INFO\n\n[pg1]\nconninfo = host=127.0.0.1 port=1\narchiver = on\n")
lines = []
for i in range(n):
    name = f"00000001{i // 256:08X}{i % 256:08X}"
    d = os.path.join(wals, name[:16]); os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
    t = 1796678522.5 + i
    os.utime(os.path.join(d, name), (t, t))
    lines.append(f"{name}\t{size}\t{t!r}\tNone\tNone\n")
with open(os.path.join(wals, "pg1-xlog.db"), "w") as f:
    f.writelines(lines)
print(name, file=open(os.path.join(work, "newest"), "w"))
PY
newest="$(cat "$work/newest")"
sync

/usr/bin/time -v -o "$work/time" dotnet "$tool" -c "$work/barman.conf" purge-wal --before "$newest" pg1 >/dev/null
left="$(find "$work/home/pg1/wals" -type f ! -name 'pg1-xlog.db' | wc -l)"
lines="$(wc -l <"$work/home/pg1/wals/pg1-xlog.db")"
[ "$left" -eq 1 ] && [ "$lines" -eq 1 ] || { echo "unexpected result: $left files, $lines catalog lines left" >&2; exit 1; }

wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time")"
cpu="$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$work/time")"
rss="$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$work/time")"
echo "| purge-wal, $files catalogued files of $size B, all but the newest removed | $wall | $cpu | $rss |"
