package dev.sluice.bench;

import dev.sluice.Flow;
import dev.sluice.csv.Csv;
import dev.sluice.examples.ParkingGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The peer benchmark: the seeds' pipelines A and B over one generated NYC parking-violations file, run by Sluice
 * (the {@code ./sluice} launcher with its default settings, as a user runs it), DuckDB through JDBC, a hand-written
 * FastCSV loop, and the seeds' Python generators (when {@code python3} is present). Each contender runs as its own
 * process; runs alternate between contenders; the table shows medians, throughput, peak RSS and Sluice's ratio to
 * each peer. Finally it checks that every contender wrote the same rows.
 *
 * <p>Usage: {@code bench/peers.sh [--rows N] [--runs R] [--pipelines A,B,SORT,COPY] [--peers
 * sluice,duckdb,fastcsv,python]}. SORT sorts every row by Plate ID, Issue Date and Summons Number (Sluice with a
 * 64 MB budget, DuckDB with {@code memory_limit='256MB'}); COPY writes every row as it is; both against DuckDB only.
 */
public final class PeerBenchmark {
    private PeerBenchmark() {}

    record Contender(String name, String description) {}

    record Result(double seconds, long rssKb) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        opt.put("--rows", "5000000");
        opt.put("--runs", "3");
        opt.put("--pipelines", "A,B");
        opt.put("--peers", "sluice,duckdb,fastcsv,python");
        opt.put("--data", "bench/data");
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!opt.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + opt.keySet());
            }
            opt.put(args[i], args[i + 1]);
        }
        long rows = Long.parseLong(opt.get("--rows"));
        int runs = Integer.parseInt(opt.get("--runs"));
        Path data = Path.of(opt.get("--data"));
        Files.createDirectories(data);
        Path in = data.resolve("parking_" + rows + ".csv");
        if (!Files.exists(in)) {
            System.out.printf(Locale.ROOT, "generating %s (%,d rows)...%n", in, rows);
            ParkingGenerator.write(in, rows, 1);
        }
        double mb = Files.size(in) / 1e6;
        List<String> peers = new ArrayList<>(Arrays.asList(opt.get("--peers").split(",")));
        if (peers.contains("python") && !canRun("python3", "--version")) {
            System.out.println("note: python3 is not installed; the Python peer is skipped");
            peers.remove("python");
        }
        if (opt.get("--pipelines").contains("JOIN")) {
            Path regs = DuckDbPeer.registrations(in);
            if (!Files.exists(regs)) {
                System.out.printf(Locale.ROOT, "generating %s...%n", regs);
                ParkingGenerator.writeRegistrations(dev.sluice.Output.file(regs), rows, 1);
            }
            warm(regs);
        }
        warm(in);
        String cp = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        System.out.printf(
                Locale.ROOT,
                "input: %s, %,d rows, %.0f MB; %d runs each, alternating; %d cores; %s%n%n",
                in,
                rows,
                mb,
                runs,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        StringBuilder table = new StringBuilder();
        table.append(
                String.format(Locale.ROOT, "| pipeline | contender | median s | MB/s | peak RSS MB | Sluice is |%n"));
        table.append("|---|---|---|---|---|---|\n");
        boolean allSame = true;
        for (String pipeline : opt.get("--pipelines").split(",")) {
            Map<String, List<Result>> results = new LinkedHashMap<>();
            Map<String, Path> outputs = new LinkedHashMap<>();
            boolean blocking = !pipeline.equals("A") && !pipeline.equals("B");
            List<String> contenders = blocking
                    ? peers.stream()
                            .filter(x -> x.equals("sluice") || x.equals("duckdb"))
                            .toList()
                    : peers;
            for (int run = 0; run < runs; run++) {
                for (String peer : contenders) {
                    Path out = data.resolve("out-" + peer + "-" + pipeline + ".csv");
                    Files.deleteIfExists(out);
                    List<String> cmd = command(peer, pipeline, in, out, java, cp, data);
                    Result r = time(cmd);
                    Path produced = peer.equals("sluice") && !blocking
                            ? data.resolve("sluice-out")
                                    .resolve(pipeline.equals("A") ? "nj_ford_police.csv" : "days_to_expiration.csv")
                            : out;
                    outputs.put(peer, produced);
                    results.computeIfAbsent(peer, k -> new ArrayList<>()).add(r);
                    System.out.printf(
                            Locale.ROOT,
                            "  %s %-8s run %d: %6.2f s, %,7d MB RSS%n",
                            pipeline,
                            peer,
                            run + 1,
                            r.seconds(),
                            r.rssKb() / 1024);
                }
            }
            double sluice = median(results.get("sluice"));
            for (String peer : contenders) {
                double m = median(results.get(peer));
                long rss = results.get(peer).stream()
                                .mapToLong(Result::rssKb)
                                .max()
                                .orElse(0)
                        / 1024;
                String ratio = peer.equals("sluice") ? "—" : String.format(Locale.ROOT, "%.2f× faster", m / sluice);
                table.append(String.format(
                        Locale.ROOT, "| %s | %s | %.2f | %.0f | %d | %s |%n", pipeline, peer, m, mb / m, rss, ratio));
            }
            Map<String, String> digests = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : outputs.entrySet()) {
                // a join's and a distinct's order is each engine's own: compared as multisets
                digests.put(
                        e.getKey(),
                        pipeline.equals("JOIN") || pipeline.equals("DISTINCT")
                                ? multisetDigest(e.getValue())
                                : digest(e.getValue()));
            }
            boolean same = digests.values().stream().distinct().count() == 1;
            allSame &= same;
            System.out.printf(
                    Locale.ROOT,
                    "%n  pipeline %s: every contender wrote the same rows: %s%s%n%n",
                    pipeline,
                    same ? "yes" : "NO",
                    same ? "" : " " + digests);
        }
        System.out.println(table);
        System.out.println(
                allSame
                        ? "outputs: identical rows from every contender (line endings and quoting aside)"
                        : "outputs: DIFFER, see above");
        if (!allSame) {
            System.exit(1);
        }
    }

    static List<String> command(String peer, String pipeline, Path in, Path out, String java, String cp, Path data) {
        switch (peer) {
            case "sluice":
                if (pipeline.equals("SORT")) {
                    return List.of(
                            "./sluice",
                            "sort",
                            in.toString(),
                            "--by",
                            "Plate ID,Issue Date,Summons Number",
                            "--memory",
                            "64MB",
                            "--out",
                            out.toString(),
                            "-q");
                }
                if (pipeline.equals("COPY")) {
                    return List.of("./sluice", "cat", in.toString(), "--out", out.toString(), "-q");
                }
                if (pipeline.equals("GROUPMAKE")) {
                    return List.of(
                            "./sluice",
                            "group",
                            in.toString(),
                            "--by",
                            "Vehicle Make",
                            "--agg",
                            "count,sum:Violation Code",
                            "--out",
                            out.toString(),
                            "-q");
                }
                if (pipeline.equals("GROUPPLATE")) {
                    return List.of(
                            "./sluice",
                            "group",
                            in.toString(),
                            "--by",
                            "Plate ID,Registration State",
                            "--agg",
                            "count,min:Issue Date,max:Issue Date",
                            "--memory",
                            "64MB",
                            "--out",
                            out.toString(),
                            "-q");
                }
                if (pipeline.equals("JOIN")) {
                    return List.of(
                            "./sluice",
                            "join",
                            in.toString(),
                            DuckDbPeer.registrations(in).toString(),
                            "--on",
                            "Plate ID,Registration State",
                            "--memory",
                            "64MB",
                            "--out",
                            out.toString(),
                            "-q");
                }
                if (pipeline.equals("DISTINCT")) {
                    return List.of(
                            "./sluice",
                            "dedup",
                            in.toString(),
                            "--by",
                            "Plate ID,Registration State,Vehicle Make",
                            "--keys-only",
                            "--memory",
                            "64MB",
                            "--out",
                            out.toString(),
                            "-q");
                }
                if (pipeline.equals("TOP")) {
                    return List.of(
                            "./sluice",
                            "sort",
                            in.toString(),
                            "--by",
                            "Summons Number",
                            "--limit",
                            "100",
                            "--out",
                            out.toString(),
                            "-q");
                }
                return List.of(
                        "./sluice",
                        "demo",
                        "--input",
                        in.toString(),
                        "--out",
                        data.resolve("sluice-out").toString(),
                        "--pipelines",
                        pipeline);
            case "duckdb":
                // under memory_limit='256MB' DuckDB's sort runs out of memory with 2 threads on this data (2.0.0):
                // it runs with 1
                return pipeline.equals("SORT")
                        ? List.of(
                                java,
                                "-cp",
                                cp,
                                DuckDbPeer.class.getName(),
                                pipeline,
                                in.toString(),
                                out.toString(),
                                "1")
                        : List.of(java, "-cp", cp, DuckDbPeer.class.getName(), pipeline, in.toString(), out.toString());
            case "fastcsv":
                return List.of(java, "-cp", cp, FastCsvPeer.class.getName(), pipeline, in.toString(), out.toString());
            case "python":
                return List.of("python3", "bench/seeds.py", pipeline, in.toString(), out.toString());
            default:
                throw new IllegalArgumentException("unknown peer " + peer + "; peers: sluice, duckdb, fastcsv, python");
        }
    }

    /** Runs a command, returning its wall time and peak RSS (GNU time when installed, else polling /proc). */
    static Result time(List<String> cmd) throws Exception {
        return time(cmd, java.util.Map.of());
    }

    /** {@link #time(List)} with extra environment variables. */
    static Result time(List<String> cmd, java.util.Map<String, String> env) throws Exception {
        boolean gnuTime = Files.isExecutable(Path.of("/usr/bin/time"));
        Path rssFile = Files.createTempFile("rss", ".txt");
        List<String> full = new ArrayList<>();
        if (gnuTime) {
            full.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", rssFile.toString()));
        }
        full.addAll(cmd);
        long t0 = System.nanoTime();
        Path log = Files.createTempFile("run", ".log");
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        long peak = 0;
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            if (!gnuTime) {
                peak = Math.max(peak, hwm(p.pid()));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n"
                    + output.substring(Math.max(0, output.length() - 2000)));
        }
        if (gnuTime) {
            String s = Files.readString(rssFile).trim();
            peak = Long.parseLong(s.substring(s.lastIndexOf('\n') + 1).trim());
        }
        Files.deleteIfExists(rssFile);
        return new Result(secs, peak);
    }

    private static long hwm(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has ended
        }
        return 0;
    }

    static double median(List<Result> rs) {
        double[] t = rs.stream().mapToDouble(Result::seconds).sorted().toArray();
        return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
    }

    /** A digest of the rows (parsed, so line endings and quoting choices do not matter). */
    static String digest(Path csv) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Flow.from(Csv.read(csv)).forEach(r -> {
            md.update(String.join("\u0001", r.values()).getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        });
        return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    }

    /** A digest of the rows as a multiset: the sum and the xor of 64-bit row hashes, and the count. */
    static String multisetDigest(Path csv) throws Exception {
        long[] acc = new long[3];
        Flow.from(Csv.read(csv)).forEach(r -> {
            byte[] b = String.join("\u0001", r.values()).getBytes(StandardCharsets.UTF_8);
            long h = 1125899906842597L;
            for (byte x : b) {
                h = 31 * h + x;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            acc[0] += h;
            acc[1] ^= h * 0x9E3779B97F4A7C15L;
            acc[2]++;
        });
        return String.format(Locale.ROOT, "%016x%016x/%d", acc[0], acc[1], acc[2])
                        .substring(0, 12) + "/" + acc[2];
    }

    static void warm(Path file) throws IOException {
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            while (in.read(buf) >= 0) {
                // read the file once so every contender finds it in the page cache
            }
        }
    }

    static boolean canRun(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
