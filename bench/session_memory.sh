#!/usr/bin/env bash
# Session windows free their state (a benchmark, not a timed test): a combined access log with one line per second,
# each from a client never seen before (N distinct keys), sessionized per client with a 30-minute gap by
# `sluice tail --once --session 30m --by client` under JAVA_OPTS=-Xmx64m. Sessions close as the watermark passes them,
# so about 1,800 are open at a time whatever N is: the peak RSS is the same for 100,000 and 1,000,000 keys, and every
# key gets its row. Usage: bench/session_memory.sh [N ...]   default: 100000 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
work=$(mktemp -d /tmp/sluice-session-memory-XXXXXX)
trap 'rm -rf "$work"' EXIT
./sluice --version >/dev/null # builds on first use
printf '%-10s %-10s %-12s %s\n' keys "log MB" "rows out" "peak RSS (JAVA_OPTS=-Xmx64m)"
for n in "${sizes[@]}"; do
  python3 - "$n" "$work/access.log" <<'PY'
import sys, datetime
n, path = int(sys.argv[1]), sys.argv[2]
t0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
with open(path, "w") as f:
    for i in range(n):
        ip = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}" if i < (1 << 24) else f"11.0.0.{i & 255}"
        ts = (t0 + datetime.timedelta(seconds=i)).strftime("%d/%b/%Y:%H:%M:%S +0000")
        f.write(f'{ip} - - [{ts}] "GET /page/{i % 100} HTTP/1.1" 200 {i % 5000} "-" "bench"\n')
PY
  rm -rf "$work/st" "$work/sessions.csv"
  JAVA_OPTS="-Xmx64m -XX:+UseSerialGC" /usr/bin/time -f 'peak %M' ./sluice tail "$work/access.log" --format combined \
    --once --session 30m --by client --out "$work/sessions.csv" -q 2>"$work/time.log" || { cat "$work/time.log"; exit 1; }
  kb=$(awk '/^peak / {print $2}' "$work/time.log" | tail -1)
  rows=$(($(wc -l <"$work/sessions.csv") - 1))
  mb=$(($(stat -c %s "$work/access.log") / 1000000))
  printf '%-10s %-10s %-12s %s MB\n' "$n" "$mb" "$rows" "$((kb / 1024))"
  [ "$rows" -eq "$n" ] || { echo "expected $n sessions, got $rows" >&2; exit 1; }
done
