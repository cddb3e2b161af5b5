#!/usr/bin/env bash
# Flat memory (not a timed test): pipelines A and B over generated files of several sizes, with the launcher's
# default JVM options and with JAVA_OPTS=-Xmx64m. Prints one line per run: peak RSS (VmHWM) and throughput.
# Usage: bench/memory.sh [ROWS ...]   default: 5000000 25000000 (about 1 GB and 5 GB; generated into bench/data/)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000000 25000000)
data=bench/data
mkdir -p "$data"
./sluice --version >/dev/null   # builds on first use

peak_rss() { # runs "$@" with output to a log; prints "peak-RSS-MB throughput"
  "$@" >"$data/memory-run.log" 2>&1 & local pid=$! hwm=0 v
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$v" ] && hwm=$v
    sleep 0.1
  done
  wait "$pid" || { cat "$data/memory-run.log"; return 1; }
  echo "$((hwm / 1024)) $(grep -o '[0-9]* MB/s' "$data/memory-run.log" | tail -1)"
}

printf '%-10s %-8s %-9s %-22s %s\n' rows size pipeline JAVA_OPTS "peak RSS, throughput"
for rows in "${sizes[@]}"; do
  in="$data/parking_${rows}.csv"
  [ -f "$in" ] || ./sluice generate parking --rows "$rows" --seed 1 --out "$in" >/dev/null
  size=$(du -h "$in" | cut -f1)
  for p in A B; do
    for opts in "" "-Xmx64m"; do
      r=$(JAVA_OPTS="$opts" peak_rss ./sluice demo --input "$in" --out "$data/out" --pipelines "$p")
      printf '%-10s %-8s %-9s %-22s %s MB, %s\n' "$rows" "$size" "$p" "${opts:-(launcher default)}" \
          "${r%% *}" "${r#* }"
    done
  done
done
rm -f "$data/out/days_to_expiration.csv" "$data/out/nj_ford_police.csv"
