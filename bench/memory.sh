#!/usr/bin/env bash
# Memory check (not a timed test): pipelines A and B over a generated file under a 64 MB heap.
# Usage: bench/memory.sh [ROWS]   (default 5,000,000 rows, about 1 GB; the file is kept in bench/data/)
# Prints each pipeline's summary and the process's peak RSS (from /proc, VmHWM).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-5000000}"
data=bench/data
mkdir -p "$data"
in="$data/parking_${rows}.csv"
./sluice --version >/dev/null   # builds on first use
[ -f "$in" ] || ./sluice generate parking --rows "$rows" --seed 1 --out "$in"

peak_rss() { # runs "$@", then prints its peak RSS in MB
  "$@" & local pid=$! hwm=0 v
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$v" ] && hwm=$v
    sleep 0.2
  done
  wait "$pid"
  echo "peak RSS: $((hwm / 1024)) MB"
}

for p in A B; do
  echo "== pipeline $p, JAVA_OPTS=-Xmx64m, $(du -h "$in" | cut -f1) input"
  JAVA_OPTS="-Xmx64m" peak_rss ./sluice demo --input "$in" \
      --out "$data/out" --pipelines "$p"
done
