#!/usr/bin/env bash
# The peer benchmark: Sluice vs DuckDB (JDBC), a FastCSV loop and the seeds' Python generators on pipelines A and B;
# SORT (every row by Plate ID, Issue Date, Summons Number), COPY (every row), GROUPMAKE (count and sum per make),
# GROUPPLATE (count, min and max date per plate and state), DISTINCT (plate, state, make), TOP (100 by summons number) and JOIN (tickets with
# generated registrations on plate and state) against DuckDB.
# Usage: bench/peers.sh [--rows N] [--runs R] [--pipelines A,B,SORT,COPY,GROUPMAKE,GROUPPLATE,DISTINCT,TOP,JOIN] [--peers sluice,duckdb,fastcsv,python]
# Defaults: 5,000,000 rows (about 1 GB, generated once into bench/data/), 3 runs each, all peers.
set -euo pipefail
cd "$(dirname "$0")/.."
./sluice --version >/dev/null                       # builds the launcher's jar on first use
./mvnw -q -B -DskipTests -pl sluice-bench -am install
./mvnw -q -B -pl sluice-bench dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="sluice-bench/target/classes:$(cat sluice-bench/target/bench-classpath.txt)"
exec java -cp "$cp" dev.sluice.bench.PeerBenchmark "$@"
