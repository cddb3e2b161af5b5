#!/usr/bin/env bash
# The Flink runner's proof on a real cluster, as a user can run it: starts a 1 JobManager + 2 TaskManager cluster
# (2 slots each) with `sluice flink start`, runs pipelines A and B, a sort and a join over generated parking data at
# parallelism 4 on it and checks that each output is byte-identical to the local runner's and that subtasks ran on
# both TaskManagers (`sluice flink jobs`, from the REST API); then starts a sort at parallelism 2, kills the
# TaskManager running it with kill -9 in the middle, and checks that the job recovers (the cluster's restart
# strategy, on the other TaskManager's slots) with its output still identical. Stops the cluster; leaves nothing.
# Usage: bench/flink-cluster-proof.sh [ROWS]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000}"
work=$(mktemp -d "${TMPDIR:-/tmp}/sluice-flink-proof.XXXXXX")
cluster="$work/cluster"
started=""
cleanup() {
  if [ -n "$started" ]; then ./sluice flink stop --dir "$cluster" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

./sluice generate parking --rows "$rows" --out "$work/tickets.csv" >/dev/null
./sluice generate registrations --rows "$rows" --out "$work/regs.csv" >/dev/null
address=$(./sluice flink start --taskmanagers 2 --slots 2 --port 0 --dir "$cluster" 2>/dev/null)
started=1
echo "cluster: $(./sluice flink status --dir "$cluster")"

# each pipeline: locally, then on the cluster at parallelism 4; the outputs must be the same bytes
check() { # NAME FILE -- COMMAND... (the command gets --out FILE appended, or writes FILE itself)
  local name="$1" out="$2"; shift 3
  "$@" --runner local >/dev/null 2>&1 || fail "$name locally"
  mv "$out" "$out.local"
  "$@" --runner "flink://$address" --threads 4 >/dev/null 2>&1 || fail "$name on the cluster"
  cmp -s "$out.local" "$out" || fail "$name: the cluster's output differs from the local runner's"
  echo "ok: $name at parallelism 4, $(wc -l < "$out") lines, byte-identical to the local runner's"
}
check "pipeline A" "$work/a/nj_ford_police.csv" -- ./sluice demo --pipelines A --input "$work/tickets.csv" --out "$work/a"
check "pipeline B" "$work/b/days_to_expiration.csv" -- ./sluice demo --pipelines B --input "$work/tickets.csv" --out "$work/b"
check "sort" "$work/sorted.csv" -- ./sluice sort "$work/tickets.csv" --by "Plate ID,Summons Number" --out "$work/sorted.csv"
check "join" "$work/joined.csv" -- ./sluice join "$work/tickets.csv" "$work/regs.csv" --on "Plate ID,Registration State" --out "$work/joined.csv"

jobs=$(./sluice flink jobs --dir "$cluster")
echo "$jobs" | grep -q "parallelism 4 on {tm-1=2, tm-2=2}" || { echo "$jobs"; fail "no subtasks on both TaskManagers"; }
echo "ok: subtasks at parallelism 4 ran on both TaskManagers: $(echo "$jobs" | grep -c "parallelism 4 on {tm-1=2, tm-2=2}") operator chains"

# kill -9 the TaskManager running a sort in the middle of it; the job recovers with the same output
./sluice sort "$work/tickets.csv" --by "Street Name,Summons Number" --out "$work/k.csv" >/dev/null 2>&1
mv "$work/k.csv" "$work/k.csv.local"
./sluice sort "$work/tickets.csv" --by "Street Name,Summons Number" --out "$work/k.csv" \
  --runner "flink://$address" --threads 2 >/dev/null 2>"$work/k.err" &
job=$!
tm=""
for _ in $(seq 100); do
  tm=$(./sluice flink jobs --dir "$cluster" | awk '/ RUNNING /{run=1; next} /^[^ ]/{run=0} run && /tm-/ {match($0, /tm-[0-9]/); print substr($0, RSTART, RLENGTH); exit}')
  [ -n "$tm" ] && break
  sleep 0.2
done
[ -n "$tm" ] || fail "the sort did not start running"
sleep 1
pids=$(./sluice flink status --dir "$cluster" | sed -n 's/.*processes \[\(.*\)\].*/\1/p' | tr -d ',')
set -- $pids # the JobManager, then tm-1, tm-2
victim=$([ "$tm" = tm-1 ] && echo "$2" || echo "$3")
kill -9 "$victim"
echo "killed $tm (pid $victim) with kill -9 in the middle of the sort"
wait "$job" || { cat "$work/k.err" >&2; fail "the sort did not recover"; }
cmp -s "$work/k.csv.local" "$work/k.csv" || fail "after the kill, the output differs from the local runner's"
echo "ok: the job recovered; its output is byte-identical to the local runner's ($(wc -l < "$work/k.csv") lines)"
