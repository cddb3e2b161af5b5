#!/usr/bin/env bash
# The database benchmark: load the generated parking file into a real PostgreSQL (started by the benchmark) by COPY,
# batched inserts and row by row, compare with psql \copy when psql is installed, and stream it back.
# Usage: bench/db.sh [--rows N] [--slow-rows N] [--stream-rows N]   (defaults 5,000,000, 20,000 and 10,000,000;
# the stream rows are a table generated on the server and exported with JAVA_OPTS=-Xmx64m)
set -euo pipefail
cd "$(dirname "$0")/.."
./sluice --version >/dev/null
./mvnw -q -B -DskipTests -pl sluice-bench -am install
./mvnw -q -B -pl sluice-bench dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="sluice-bench/target/classes:$(cat sluice-bench/target/bench-classpath.txt)"
exec java -cp "$cp" dev.sluice.bench.DbBenchmark "$@"
