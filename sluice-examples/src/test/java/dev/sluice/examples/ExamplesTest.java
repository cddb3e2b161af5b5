package dev.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.CloseableIterator;
import dev.sluice.ErrorPolicy;
import dev.sluice.Flow;
import dev.sluice.Rejected;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.Sinks;
import dev.sluice.csv.Csv;
import dev.sluice.testdata.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {

    @Test
    void readLargeCsvWithAGenerator() {
        Path file = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        assertEquals(5000, ReadLargeCsv.rowCount(file), "header and 4,999 records; the file has no final newline");
        long fords = ReadLargeCsv.fords(file);
        assertTrue(fords > 100 && fords < 2000, "fords: " + fords);
        assertTrue(ReadLargeCsv.sumOfViolationCodes(file) > 0);
    }

    @Test
    void countingGeneratorPulledWithNext() {
        try (CloseableIterator<Integer> gen =
                CountingGenerator.infiniteSequence().iterator()) {
            assertEquals(0, gen.next());
            assertEquals(1, gen.next());
            assertEquals(2, gen.next());
        }
        assertEquals(
                List.of(0, 1, 2, 3, 4),
                CountingGenerator.infiniteSequence().limit(5).toList());
    }

    @Test
    void miniBatchedPaidService() {
        MiniBatchService.PaidService service = new MiniBatchService.PaidService();
        try (CloseableIterator<String> it =
                MiniBatchService.enriched(25_000, 10_000, service).iterator()) {
            assertEquals(0, service.calls(), "building and opening the iterator calls nothing");
            it.next();
            assertEquals(1, service.calls());
            for (int i = 1; i < 10_000; i++) {
                it.next();
            }
            assertEquals(1, service.calls());
            it.next();
            assertEquals(2, service.calls());
        }
        MiniBatchService.PaidService s2 = new MiniBatchService.PaidService();
        assertEquals(25_000, MiniBatchService.enriched(25_000, 10_000, s2).count());
        assertEquals(3, s2.calls());
    }

    /** Ground truth from ../shared/data/SOURCES.md: status counts of the 9,999 good lines, and the one malformed line. */
    @Test
    void logProcessingChainOverARealAccessLog() {
        Path log = SharedData.path("logs/apache-access/apache_logs");
        RunSummary[] s = new RunSummary[1];
        Map<Integer, Long> counts = LogProcessing.statusCounts(log, s);
        assertEquals(Map.of(200, 9125L, 304, 445L, 404, 213L, 301, 164L, 206, 45L, 500, 3L, 403, 2L, 416, 2L), counts);
        assertEquals(1, s[0].rejected());
        Rejected bad = s[0].firstRejections().get(0);
        assertEquals(8899, bad.line());
        assertEquals("parse", bad.stage());
        assertEquals("not a combined-format access-log line", bad.reason());
        assertTrue(bad.rawText().endsWith("+http://www.google.com/bot.html"), bad.rawText());

        List<String> big = LogProcessing.bigResponses(log, 1_000_000).limit(3).toList();
        assertEquals(3, big.size());
        assertTrue(big.get(0).startsWith("2015-05-"), big.get(0));
    }

    /** The loghub Apache error log parses to its published ground truth, line for line. */
    @Test
    void errorLogMatchesLoghubGroundTruth() {
        Path dir = SharedData.path("logs/loghub/Apache");
        List<LogProcessing.ErrorLine> parsed = Flow.lines(dir.resolve("Apache_2k.log"))
                .map(LogProcessing::parseErrorLine)
                .toList();
        List<Row> truth =
                Flow.from(Csv.read(dir.resolve("Apache_2k.log_structured.csv"))).toList();
        assertEquals(2000, parsed.size());
        assertEquals(truth.size(), parsed.size());
        for (int i = 0; i < truth.size(); i++) {
            Row t = truth.get(i);
            LogProcessing.ErrorLine p = parsed.get(i);
            assertEquals(t.get("Time"), p.time(), "line " + (i + 1));
            assertEquals(t.get("Level"), p.level(), "line " + (i + 1));
            assertEquals(t.get("Content"), p.content(), "line " + (i + 1));
        }
    }

    @Test
    void pipelineSemantics() {
        assertEquals(365, ParkingPipelines.daysToExpiration("2016-07-10T00:00:00.000", "20170710"));
        assertEquals(365, ParkingPipelines.daysToExpiration("2016-07-10", "20170710.0"));
        assertEquals(-10, ParkingPipelines.daysToExpiration("2016-07-10T00:00:00.000", "20160630"));
        assertEquals(-1, ParkingPipelines.daysToExpiration("07/10/2016", "20170710"), "not yyyy-MM-dd");
        assertEquals(-1, ParkingPipelines.daysToExpiration("2016-07-10", "0"));
        assertEquals(-1, ParkingPipelines.daysToExpiration("2016-07-10", "88880088"), "month 00");
        assertEquals(-1, ParkingPipelines.daysToExpiration("2016-07-10", "20170631"), "June has 30 days");
        assertEquals(-1, ParkingPipelines.daysToExpiration("2016-07-10", ""));
        assertEquals(-1, ParkingPipelines.daysToExpiration(null, "20170710"));
    }

    /** Both pipelines over a generated file; the output is what the seeds' Python code writes (line endings aside). */
    @Test
    void pipelinesAAndBOverGeneratedData(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("parking.csv");
        ParkingGenerator.write(in, 20_000, 7);
        List<Row> rows = Flow.from(Csv.read(in)).toList();
        assertEquals(20_000, rows.size());
        assertEquals(43, rows.get(0).size());

        Path a = dir.resolve("a.csv");
        RunSummary sa = ParkingPipelines.pipelineA(in, a).run();
        List<String> aLines = Files.readAllLines(a);
        assertEquals("vehicle_make,issuing_agency,address", aLines.get(0));
        long expectedA = rows.stream()
                .filter(r -> r.get("Registration State").equals("NJ")
                        && r.get("Vehicle Make").equals("FORD")
                        && r.get("Issuing Agency").equals("P"))
                .count();
        assertTrue(expectedA > 5, "the generated data has NJ Fords ticketed by police: " + expectedA);
        assertEquals(expectedA, aLines.size() - 1);
        assertEquals(expectedA, sa.recordsOut());
        assertTrue(aLines.get(1).startsWith("FORD,police,"), aLines.get(1));

        Path b = dir.resolve("b.csv");
        RunSummary sb = ParkingPipelines.pipelineB(in, b).run();
        assertEquals(20_000, sb.recordsOut());
        List<Row> out = Flow.from(Csv.read(b)).toList();
        assertEquals(44, out.get(0).size());
        long parsed =
                out.stream().filter(r -> r.getLong("days_to_expiration") != -1).count();
        assertTrue(parsed > 10_000 && parsed < 20_000, "most rows have both dates: " + parsed);
        assertEquals(rows.get(5).values(), out.get(5).values().subList(0, 43));

        // deterministic: the same seed gives the same bytes
        Path again = dir.resolve("again.csv");
        ParkingGenerator.write(again, 20_000, 7);
        assertEquals(-1, Files.mismatch(in, again));
    }

    /** Pipeline A over the real FY2017 sample; the real Issue Dates (MM/dd/yyyy) make B's column -1, as specified. */
    @Test
    void pipelinesOverTheRealSample(@TempDir Path dir) throws Exception {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        List<Rejected> dead = new ArrayList<>();
        RunSummary a = Flow.from(Csv.read(in))
                .apply(ParkingPipelines.NJ_FORD_POLICE)
                .onError(ErrorPolicy.deadLetter(Sinks.collect(dead)))
                .to(Csv.write(dir.resolve("a.csv")))
                .run();
        assertEquals(0, a.rejected());
        assertEquals(4999, a.recordsIn());
        assertTrue(Flow.from(Csv.read(dir.resolve("a.csv"))).count() == a.recordsOut());
        RunSummary b = ParkingPipelines.pipelineB(in, dir.resolve("b.csv")).run();
        assertEquals(4999, b.recordsOut());
        assertEquals(
                4999,
                Flow.from(Csv.read(dir.resolve("b.csv")))
                        .filter(r -> r.is("days_to_expiration", "-1"))
                        .count());
    }

    @Test
    void generateFromDbReadsInBatches(@TempDir Path dir) throws Exception {
        dev.sluice.jdbc.Database db = dev.sluice.jdbc.Jdbc.connect("jdbc:sqlite:" + dir.resolve("g.db"));
        Path in = dir.resolve("p.csv");
        ParkingGenerator.write(in, 25_000, 3);
        Flow.from(Csv.read(in))
                .to(db.table("tickets").write().withCreateTable(true).withBatchSize(10_000))
                .run();
        assertEquals(
                25_000,
                GenerateFromDb.generateFromDb(db, "SELECT * FROM tickets", 10_000)
                        .count());
        assertEquals(
                3,
                GenerateFromDb.generateFromDb(db, "SELECT * FROM tickets", 10_000)
                        .limit(3)
                        .toList()
                        .size());
        assertEquals(
                Flow.from(Csv.read(in)).limit(100).toList(),
                GenerateFromDb.rows(db, "SELECT * FROM tickets").limit(100).toList());
    }
}
