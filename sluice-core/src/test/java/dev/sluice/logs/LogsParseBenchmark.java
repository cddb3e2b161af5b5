package dev.sluice.logs;

import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.text.Text;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: a single-threaded throughput check of {@link Logs#combined()}, run by {@code bench/logs.sh}. Writes
 * about 200 MB of combined log (the real access log's well-formed lines, repeated) to a temporary directory, then
 * parses it five times (1) as lines read with a BufferedReader and parsed to rows, and (2) as a flow,
 * {@code Flow.from(Text.lines(file)).map(Logs.combined()).count()}, and prints the median MB/s of each.
 *
 * <p>Usage: {@code LogsParseBenchmark <apache_logs> [megabytes]}.
 */
public final class LogsParseBenchmark {
    private LogsParseBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LogsParseBenchmark <apache_logs> [megabytes, default 200]");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        long target = (args.length > 1 ? Long.parseLong(args[1]) : 200) * 1_000_000L;
        LogFormat combined = Logs.combined();
        List<String> good = new ArrayList<>();
        for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
            try {
                combined.apply(line);
                good.add(line);
            } catch (RuntimeException e) {
                // the one malformed line is left out, so that every line of the big file parses
            }
        }
        Path dir = Files.createTempDirectory("sluice-logs-bench");
        Path big = dir.resolve("access.log");
        try {
            long bytes = 0;
            long lines = 0;
            try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
                while (bytes < target) {
                    for (String line : good) {
                        w.write(line);
                        w.write('\n');
                        bytes += line.length() + 1;
                        lines++;
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT, "%,d lines, %.1f MB of combined log in %s%n", lines, bytes / 1e6, big.getParent());
            double[] read = new double[5];
            double[] flow = new double[5];
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                long n = 0;
                long checksum = 0;
                try (BufferedReader r = Files.newBufferedReader(big, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        Row row = combined.apply(line);
                        checksum += (Integer) row.value(8);
                        n++;
                    }
                }
                read[round] = bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
                if (n != lines || checksum == 0) {
                    throw new IllegalStateException("parsed " + n + " of " + lines + " lines");
                }
                t0 = System.nanoTime();
                long m = Flow.from(Text.lines(big)).map(combined).count();
                flow[round] = bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
                if (m != lines) {
                    throw new IllegalStateException("the flow counted " + m + " of " + lines + " lines");
                }
                System.out.printf(
                        Locale.ROOT,
                        "round %d: read+parse %.0f MB/s, flow %.0f MB/s%n",
                        round + 1,
                        read[round],
                        flow[round]);
            }
            System.out.printf(
                    Locale.ROOT,
                    "median of 5: read+parse %.0f MB/s, Flow.from(Text.lines).map(Logs.combined()).count() %.0f MB/s%n",
                    median(read),
                    median(flow));
        } finally {
            Files.deleteIfExists(big);
            Files.deleteIfExists(dir);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
