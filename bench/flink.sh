#!/usr/bin/env bash
# The Flink runner's figures: pipelines A and B and a sort (every row by Plate ID, Issue Date, Summons Number) over
# generated parking data, each run through the command line on three runners: the local runner, an embedded Flink
# MiniCluster (--runner flink) and the 3-process cluster `sluice flink start` starts (1 JobManager + 2 TaskManagers ×
# 2 slots, --runner flink://ADDRESS). Prints the median wall time and peak memory of each, and the cost of starting
# each runner. Peak memory: the command's own process (maximum resident set size); on the cluster, plus the
# JobManager's and TaskManagers' high-water marks (VmHWM) after the runs.
# Usage: bench/flink.sh [--rows "1000000 5000000"] [--runs 3] [--pipelines "A B SORT"] [--runners "local flink cluster"]
# The data is generated once into bench/data/ (about 211 MB per million rows).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="1000000 5000000"
runs=3
pipelines="A B SORT"
runners="local flink cluster"
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --pipelines) pipelines="$2"; shift 2 ;;
    --runners) runners="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
./sluice --version >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/sluice-flink-bench.XXXXXX")
cluster="$work/cluster"
address=""
cleanup() {
  if [ -n "$address" ]; then ./sluice flink stop --dir "$cluster" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# the sum of the cluster processes' peak resident set sizes so far, in MB
cluster_hwm() {
  local total=0 pid kb
  for pid in $(./sluice flink status --dir "$cluster" 2>/dev/null | sed -n 's/.*processes \[\(.*\)\].*/\1/p' | tr -d ','); do
    kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  echo $((total / 1024))
}

if [[ " $runners " == *" cluster "* ]]; then
  t0=$(date +%s.%N)
  address=$(./sluice flink start --taskmanagers 2 --slots 2 --port 0 --dir "$cluster" 2>/dev/null)
  t1=$(date +%s.%N)
  printf 'starting the 3-process cluster: %.1f s (%s)\n' "$(echo "$t1 - $t0" | bc)" "$address"
fi

# the cost of starting: a run over an empty input, through the command line (JVM start included)
printf '%s\n' "Summons Number" > "$work/empty.csv"
for runner in $runners; do
  case "$runner" in
    local) spec=local ;; flink) spec=flink ;; cluster) spec="flink://$address" ;;
  esac
  ts=()
  for r in $(seq "$runs"); do
    t0=$(date +%s.%N)
    ./sluice convert "$work/empty.csv" "$work/empty.jsonl" --runner "$spec" >/dev/null 2>&1
    t1=$(date +%s.%N)
    ts+=("$(echo "$t1 - $t0" | bc)")
  done
  printf 'an empty run on %-8s %.1f s (median of %d)\n' "$runner:" "$(printf '%s\n' "${ts[@]}" | median)" "$runs"
done

printf '\n%-10s %-6s %-8s %10s %14s\n' rows pipe runner "time (s)" "peak mem (MB)"
for n in $rows; do
  data="bench/data/parking_$n.csv"
  if [ ! -f "$data" ]; then
    mkdir -p bench/data
    ./sluice generate parking --rows "$n" --out "$data" >/dev/null 2>&1
  fi
  for p in $pipelines; do
    for runner in $runners; do
      case "$runner" in
        local) spec=local ;; flink) spec=flink ;; cluster) spec="flink://$address" ;;
      esac
      times=(); mems=()
      for r in $(seq "$runs"); do
        case "$p" in
          A|B) cmd=(./sluice demo --pipelines "$p" --input "$data" --out "$work/out" --runner "$spec") ;;
          SORT) cmd=(./sluice sort "$data" --by "Plate ID,Issue Date,Summons Number" --out "$work/sorted.csv" --runner "$spec") ;;
          *) echo "unknown pipeline $p" >&2; exit 2 ;;
        esac
        /usr/bin/time -f '%e %M' -o "$work/time" "${cmd[@]}" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
        read -r secs kb < "$work/time"
        mb=$((kb / 1024))
        if [ "$runner" = cluster ]; then mb=$((mb + $(cluster_hwm))); fi
        times+=("$secs"); mems+=("$mb")
      done
      printf '%-10s %-6s %-8s %10.1f %14d\n' "$n" "$p" "$runner" \
        "$(printf '%s\n' "${times[@]}" | median)" "$(printf '%s\n' "${mems[@]}" | median)"
      rm -rf "$work/out" "$work/sorted.csv"
    done
  done
done
