#!/usr/bin/env bash
# Single-threaded throughput of the combined access-log parser (Logs.combined()), not a timed test: builds about
# 200 MB of combined log in a temporary directory by repeating the real access log's lines
# (../shared/data/logs/apache-access/apache_logs), parses it five times and prints the median MB/s, both for lines
# read and parsed to rows and for Flow.from(Text.lines(file)).map(Logs.combined()).count().
# Usage: bench/logs.sh [MEGABYTES]   default: 200. Needs no install: runs from sluice-core's target directories.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${SLUICE_SHARED_DATA:-../shared/data}/logs/apache-access/apache_logs"
[ -f "$data" ] || { echo "no $data: the shared test data is not present" >&2; exit 1; }
./mvnw -q -B -o test-compile -pl sluice-core -Dspotless.check.skip
exec java ${JAVA_OPTS:-} -cp sluice-core/target/classes:sluice-core/target/test-classes \
    dev.sluice.logs.LogsParseBenchmark "$data" "${1:-200}"
