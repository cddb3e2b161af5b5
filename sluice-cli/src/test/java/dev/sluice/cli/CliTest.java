package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testdata.MiniJson;
import dev.sluice.testdata.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command run in-process, as a user would type it. */
class CliTest {

    record Result(int code, String out, String err) {}

    static Result sluice(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void demoGeneratesRunsBothPipelinesAndSummarises(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("summary.json");
        Result r = sluice("demo", "--rows", "5000", "--out", dir.toString(), "--summary-json", json.toString());
        assertEquals(0, r.code(), r.err());
        // stderr is not a terminal here: just the one-line result
        assertTrue(r.err().startsWith("demo: pipelines A,B,DB over 5,000 records in "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals("", r.out());
        assertTrue(Files.exists(dir.resolve("nj_ford_police.csv")));
        assertTrue(Files.exists(dir.resolve("days_to_expiration.csv")));
        assertEquals(
                "vehicle_make,issuing_agency,address",
                Files.readAllLines(dir.resolve("nj_ford_police.csv")).get(0));
        assertEquals(
                5001, Files.readAllLines(dir.resolve("days_to_expiration.csv")).size());
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) MiniJson.parse(Files.readString(json));
        assertEquals(true, summary.get("ok"));
        assertEquals("sluice demo", summary.get("command"));
        List<?> runs = (List<?>) summary.get("runs");
        assertEquals(
                List.of("pipeline A", "pipeline B", "load", "pipeline A from the db"),
                runs.stream().map(m -> ((Map<?, ?>) m).get("name")).toList());
        Map<?, ?> b = (Map<?, ?>) runs.get(1);
        assertEquals(5000L, ((Number) b.get("records_in")).longValue());
        assertEquals(5000L, ((Number) b.get("records_out")).longValue());
        assertEquals(3, ((List<?>) b.get("stages")).size());
        assertEquals(
                List.of(
                        dir.resolve("nj_ford_police.csv").toString(),
                        dir.resolve("days_to_expiration.csv").toString(),
                        dir.resolve("parking.db").toString(),
                        dir.resolve("nj_ford_police_from_db.csv").toString()),
                summary.get("outputs"));
        // the database step: the same NJ Fords, read back from SQLite
        assertEquals(
                Files.readAllLines(dir.resolve("nj_ford_police.csv")),
                Files.readAllLines(dir.resolve("nj_ford_police_from_db.csv")));
        assertTrue(Files.exists(dir.resolve("parking.db")));
        // a second run reuses the generated file
        Result again = sluice("demo", "--rows", "5000", "--out", dir.toString(), "--pipelines", "B");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().startsWith("demo: pipelines B over 5,000 records"), again.err());
    }

    @Test
    void demoOnTheRealSample(@TempDir Path dir) throws Exception {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        Result r = sluice("demo", "--input", in.toString(), "--out", dir.toString(), "--pipelines", "A");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("over 4,999 records"), r.err());
        assertFalse(Files.exists(dir.resolve("days_to_expiration.csv")));
    }

    @Test
    void demoOnTheRaggedFy2018FileFailsWithFileAndLine(@TempDir Path dir) {
        Path in = SharedData.path("nyc-parking/pv_fy2018_1268rows_laraAqel.csv");
        Result r = sluice("demo", "--input", in.toString(), "--out", dir.toString(), "--pipelines", "A");
        assertEquals(1, r.code());
        assertEquals(
                "sluice: pv_fy2018_1268rows_laraAqel.csv line 787: record 786 has 1 field, but the header has 43\n",
                r.err());
        Path dead = dir.resolve("rejects.csv");
        Result skip = sluice(
                "demo",
                "--input",
                in.toString(),
                "--out",
                dir.toString(),
                "--pipelines",
                "A",
                "--dead-letter",
                dead.toString(),
                "--summary-json",
                "-");
        assertEquals(0, skip.code(), skip.err());
        assertTrue(skip.out().contains("\"rejected\":2"), skip.out());
        assertTrue(Files.exists(dead));
    }

    @Test
    void generateConvertAndCount(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("p.csv");
        Result g = sluice("generate", "parking", "--rows", "1000", "--seed", "3", "--out", csv.toString());
        assertEquals(0, g.code(), g.err());
        Result c = sluice("count", csv.toString());
        assertEquals(0, c.code(), c.err());
        assertEquals("1000\n", c.out());
        Path jsonl = dir.resolve("p.jsonl");
        Result j = sluice("convert", csv.toString(), jsonl.toString());
        assertEquals(0, j.code(), j.err());
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(1000, lines.size());
        assertTrue(lines.get(0).startsWith("{\"Summons Number\":\""), lines.get(0));
        assertTrue(lines.get(0).contains("\"Days Parking In Effect    \":"), lines.get(0));
    }

    @Test
    void convertWithDialectFlags(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("t.tsv");
        Files.writeString(tsv, "a\tb\n1\t\"x\n");
        Path out = dir.resolve("t.jsonl");
        Result r = sluice("convert", tsv.toString(), out.toString(), "--delimiter", "\\t", "--quote", "none");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"a\":\"1\",\"b\":\"\\\"x\"}\n", Files.readString(out));
    }

    @Test
    void errorsAreOneLineAndNonZero(@TempDir Path dir) {
        Result missing = sluice("count", dir.resolve("nope.csv").toString());
        assertEquals(1, missing.code());
        assertEquals("sluice: no such file: " + dir.resolve("nope.csv") + "\n", missing.err());
        Result verbose = sluice("count", dir.resolve("nope.csv").toString(), "--verbose");
        assertTrue(verbose.err().contains("at dev.sluice"), "a stack trace with --verbose");
        Result usage = sluice("demo", "--rows", "lots");
        assertEquals(2, usage.code());
        assertTrue(usage.err().startsWith("sluice: Invalid value for option '--rows'"), usage.err());
        Result badPipeline = sluice("demo", "--pipelines", "C", "--out", dir.toString());
        assertEquals(2, badPipeline.code());
        assertTrue(
                badPipeline
                        .err()
                        .startsWith(
                                "sluice: --pipelines takes A, B and DB, comma-separated; unknown " + "pipeline 'C'"),
                badPipeline.err());
        Result none = sluice();
        assertEquals(2, none.code());
    }

    @Test
    void countMatchesTheRealSamples() {
        Path in = SharedData.path("nyc-parking/pv_fy2017_2099rows_excel-mangled_crlf_TsaiMandy.csv");
        assertEquals("2099\n", sluice("count", in.toString()).out());
        Path fy2018 = SharedData.path("nyc-parking/pv_fy2018_1268rows_laraAqel.csv");
        Result r = sluice("count", fy2018.toString(), "--ragged", "skip");
        assertEquals("1266\n", r.out());
        assertTrue(
                r.err()
                        .contains("2 bad records were skipped; the first: stage 'csv(pv_fy2018_1268rows_laraAqel.csv)' "
                                + "record 786 (pv_fy2018_1268rows_laraAqel.csv line 787)"),
                r.err());
    }

    @Test
    void loadAndExportRoundTripThroughSqlite(@TempDir Path dir) throws Exception {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        String url = "jdbc:sqlite:" + dir.resolve("p.db");
        Result load = sluice("load", in.toString(), "--db", url, "--table", "tickets", "--batch", "500");
        assertEquals(0, load.code(), load.err());
        assertTrue(load.err().startsWith("loaded 4,999 rows into tickets"), load.err());
        Path out = dir.resolve("back.csv");
        Result export = sluice("export", "--db", url, "--query", "SELECT * FROM tickets", "--out", out.toString());
        assertEquals(0, export.code(), export.err());
        assertEquals(
                dev.sluice.Flow.from(dev.sluice.csv.Csv.read(in)).toList(),
                dev.sluice.Flow.from(dev.sluice.csv.Csv.read(out)).toList());
        Result bad = sluice("export", "--db", url, "--query", "SELECT * FROM nope", "--out", out.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("sluice: query failed on " + url + ": "), bad.err());
        assertTrue(bad.err().contains("no such table: nope"), bad.err());
    }
}
