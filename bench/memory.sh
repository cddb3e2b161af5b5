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

peak_rss() { # runs "$@" with output to a log; prints "peak-RSS-MB seconds"
  # GNU time's %M is the largest resident set of the process or of any child it waited for, so it holds whether
  # the launcher execs the JVM or (while it makes its class-data archive) runs it as a child
  /usr/bin/time -f 'peak %M' "$@" >"$data/memory-run.log" 2>&1 || { cat "$data/memory-run.log"; return 1; }
  local kb secs
  kb=$(awk '/^peak / {print $2}' "$data/memory-run.log" | tail -1)
  secs=$(grep -o 'records in [0-9.]* s' "$data/memory-run.log" | tail -1 | awk '{print $3}')
  echo "$((kb / 1024)) $secs"
}

printf '%-10s %-8s %-9s %-22s %s\n' rows size pipeline JAVA_OPTS "peak RSS, throughput"
for rows in "${sizes[@]}"; do
  in="$data/parking_${rows}.csv"
  [ -f "$in" ] || ./sluice generate parking --rows "$rows" --seed 1 --out "$in" >/dev/null
  size=$(du -hL "$in" | cut -f1)
  bytes=$(stat -L -c %s "$in")
  for p in A B; do
    for opts in "" "-Xmx64m"; do
      r=$(JAVA_OPTS="$opts" peak_rss ./sluice demo --input "$in" --out "$data/out" --pipelines "$p")
      secs=${r#* }
      printf '%-10s %-8s %-9s %-22s %s MB, %s s, %s MB/s\n' "$rows" "$size" "$p" "${opts:-(launcher default)}" \
          "${r%% *}" "$secs" "$(awk -v b="$bytes" -v s="$secs" 'BEGIN {printf "%.0f", (s > 0 ? b / 1e6 / s : 0)}')"
    done
  done
done
rm -f "$data/out/days_to_expiration.csv" "$data/out/nj_ford_police.csv"
