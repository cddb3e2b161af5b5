#!/usr/bin/env bash
# JMH benchmarks of the CSV hot paths (parse, is, dates, raw vs encoded writing). Extra arguments go to JMH,
# e.g. bench/jmh.sh -f 1 -wi 2 -i 3 'CsvBench.parse'
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests -pl sluice-bench -am install
./mvnw -q -B -pl sluice-bench dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="sluice-bench/target/classes:$(cat sluice-bench/target/bench-classpath.txt)"
exec java -cp "$cp" org.openjdk.jmh.Main "${@:-CsvBench}"
