package dev.sluice.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Flow;
import dev.sluice.LocalRunner;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.Runner;
import dev.sluice.Schema;
import dev.sluice.SluiceException;
import dev.sluice.StageSummary;
import dev.sluice.csv.Csv;
import dev.sluice.testdata.SharedData;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Flink runner on a real MiniCluster (one per class) against the local runner, on the real NYC parking sample. */
class FlinkRunnerTest {
    private static final FlinkRunner FLINK = FlinkRunner.local(2, 2);
    /** The same MiniCluster, reading files in parts of about 40 KB on four subtasks at once. */
    private static final FlinkRunner PARALLEL = FLINK.withParallelism(4).withSplitBytes(40_000);

    private static final List<FlinkRunner> BOTH = List.of(FLINK, PARALLEL);

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        FLINK.close();
    }

    private static Flow<Row> njFords(Path in) {
        return Flow.from(Csv.read(in))
                .filter(r -> r.is("Registration State", "NJ"))
                .named("nj")
                .map(r -> r.select("Summons Number", "Plate ID", "Vehicle Make", "Street Name")
                        .with("make", r.get("Vehicle Make").toLowerCase(java.util.Locale.ROOT)))
                .named("shape");
    }

    private RunSummary run(Runner runner, Path out) {
        return njFords(SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv"))
                .to(Csv.write(out))
                .run(runner);
    }

    @Test
    void aPipelineOnFlinkWritesTheLocalRunnersBytesAndSummary() throws Exception {
        for (FlinkRunner runner : BOTH) {
            sameBytesAndSummary(runner);
        }
    }

    private void sameBytesAndSummary(FlinkRunner runner) throws Exception {
        Path local = dir.resolve("local.csv");
        Path flink = dir.resolve("flink.csv");
        RunSummary l = run(LocalRunner.get(), local);
        RunSummary f = run(runner, flink);
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(flink));
        assertTrue(l.recordsOut() > 100, "the sample has NJ tickets: " + l.recordsOut());
        assertEquals(l.stages().size(), f.stages().size());
        for (int i = 0; i < l.stages().size(); i++) {
            StageSummary a = l.stages().get(i);
            StageSummary b = f.stages().get(i);
            assertEquals(
                    List.of(i == l.stages().size() - 1 ? b.name() : a.name(), a.kind(), a.in(), a.out(), a.rejected()),
                    List.of(b.name(), b.kind(), b.in(), b.out(), b.rejected()),
                    "stage " + i);
        }
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of("flink.csv", "local.csv"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file left");
        }
    }

    /**
     * Read in parts, a CSV output is encoded where each part is read and appended in order by the one writer; rows
     * whose columns come in another order than the file's header (so a chunk's header differs) are written column by
     * column: the local runner's bytes either way.
     */
    @Test
    void encodedPartsMakeTheLocalRunnersBytesAlsoWhenColumnsComeInAnotherOrder() throws Exception {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        java.util.function.Function<Path, dev.sluice.Pipeline> pipeline = out -> Flow.from(Csv.read(in))
                .map(r -> r.get("Summons Number").endsWith("7")
                        ? r.select("Plate ID", "Street Name", "Issue Date")
                        : r.select("Street Name", "Issue Date", "Plate ID"))
                .to(Csv.write(out));
        Path local = dir.resolve("local.csv");
        Path flink = dir.resolve("flink.csv");
        pipeline.apply(local).run(LocalRunner.get());
        pipeline.apply(flink).run(PARALLEL);
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(flink));
    }

    @Test
    void aFailingStageNamesItsRecordAndLeavesNoOutput() {
        for (FlinkRunner runner : BOTH) {
            failingStage(runner);
        }
    }

    private void failingStage(FlinkRunner runner) {
        Path out = dir.resolve("out.csv");
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(Csv.read(SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv")))
                        .map(r -> {
                            if (r.get("Summons Number").equals("1413656420")) {
                                throw new IllegalStateException("a bad ticket");
                            }
                            return r;
                        })
                        .named("check")
                        .to(Csv.write(out))
                        .run(runner));
        assertTrue(e.getMessage().startsWith("stage 'check' failed on record "), e.getMessage());
        assertTrue(e.getMessage().contains("a bad ticket"), e.getMessage());
        assertFalse(Files.exists(out), "a failed job leaves no output");
    }

    @Test
    void whatItCannotRunIsRefusedBeforeSubmissionNamingTheStage() {
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.of(Row.of("k", "1"))
                        .joinSorted(Flow.of(Row.of("k", "1")), dev.sluice.Join.on("k"))
                        .named("both")
                        .to(dev.sluice.Sinks.collect(new ArrayList<>()))
                        .run(FLINK));
        assertTrue(e.getMessage().startsWith("the Flink runner cannot run stage 'both' (sorted join)"), e.getMessage());
    }

    /** A group-by and a distinct as keyed Flink operations, a sort and a top-N on one subtask: the local runner's rows and counts. */
    @Test
    void groupByAndSortOnFlinkEqualTheLocalRunner() {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        java.util.function.Function<Runner, dev.sluice.testing.RunResult<Row>> run =
                runner -> dev.sluice.testing.RunResult.of(
                        Flow.from(Csv.read(in))
                                .onError(dev.sluice.ErrorPolicy.skip())
                                .groupBy("Vehicle Make", "Registration State")
                                .aggregate(
                                        dev.sluice.Agg.count(),
                                        dev.sluice.Agg.sum("Violation Code"),
                                        dev.sluice.Agg.sum("Vehicle Year"),
                                        dev.sluice.Agg.countDistinct("Plate ID"),
                                        dev.sluice.Agg.max("Issue Date"))
                                .sortBy(dev.sluice.SortKey.desc("count"), dev.sluice.SortKey.asc("Vehicle Make"))
                                .topN(
                                        40,
                                        dev.sluice.SortKey.desc("count_distinct(Plate ID)")
                                                .numeric())
                                .distinct("Registration State"),
                        runner);
        dev.sluice.testing.RunResult<Row> l = run.apply(LocalRunner.get());
        for (FlinkRunner runner : BOTH) {
            sameGroups(l, run.apply(runner));
        }
    }

    private static void sameGroups(dev.sluice.testing.RunResult<Row> l, dev.sluice.testing.RunResult<Row> f) {
        assertEquals(l.records(), f.records());
        assertTrue(
                f.records().size() == 3,
                "one per state: "
                        + f.records().stream()
                                .map(r -> r.get("Registration State"))
                                .toList());
        for (int i = 0; i < l.summary().stages().size(); i++) {
            StageSummary a = l.summary().stages().get(i);
            StageSummary b = f.summary().stages().get(i);
            assertEquals(
                    List.of(a.name(), a.kind(), a.in(), a.out(), a.rejected()),
                    List.of(b.name(), b.kind(), b.in(), b.out(), b.rejected()),
                    "stage " + i);
        }
    }

    /** Every kind of join, as a keyed Flink operation, gives the local runner's rows in its order, and its counts. */
    @Test
    void joinsOnFlinkEqualTheLocalRunner() {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        List<Row> makes = new ArrayList<>();
        for (String m : List.of("TOYOT", "HONDA", "FORD", "NISSA", "NOSUCH")) {
            makes.add(Row.of("make", m, "country", m.equals("FORD") ? "US" : "JP"));
            makes.add(Row.of("make", m, "country", "again"));
        }
        makes.add(Row.of("make", "", "country", "none"));
        for (dev.sluice.Join.Type type : dev.sluice.Join.Type.values()) {
            java.util.function.Function<Runner, dev.sluice.testing.RunResult<Row>> run =
                    runner -> dev.sluice.testing.RunResult.of(
                            Flow.from(Csv.read(in))
                                    .map(r -> r.select("Summons Number", "Vehicle Make"))
                                    .join(
                                            Flow.from(makes),
                                            dev.sluice.Join.on(List.of("Vehicle Make"), List.of("make"))
                                                    .type(type)),
                            runner);
            dev.sluice.testing.RunResult<Row> l = run.apply(LocalRunner.get());
            for (FlinkRunner runner : BOTH) {
                sameJoin(type, l, run.apply(runner));
            }
        }
    }

    private static void sameJoin(
            dev.sluice.Join.Type type, dev.sluice.testing.RunResult<Row> l, dev.sluice.testing.RunResult<Row> f) {
        {
            assertEquals(l.records(), f.records(), type + ": rows, in order");
            assertTrue(l.records().size() > 0, type.toString());
            assertEquals(l.summary().stages().size(), f.summary().stages().size());
            for (int i = 0; i < l.summary().stages().size(); i++) {
                StageSummary a = l.summary().stages().get(i);
                StageSummary b = f.summary().stages().get(i);
                assertEquals(
                        List.of(a.name(), a.kind(), a.in(), a.out()),
                        List.of(b.name(), b.kind(), b.in(), b.out()),
                        type + ", stage " + i);
            }
        }
    }

    /**
     * Read in parts on four subtasks, a file's records still meet a limit, a skip, a batch, a sort and a concat in
     * input order, and a distinct keeps the first of each key: the local runner's rows.
     */
    @Test
    void inPartsOnFourSubtasksOrderDependentStagesSeeInputOrder() {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        List<java.util.function.Function<Flow<Row>, Flow<?>>> pipelines = List.of(
                f -> f.filter(r -> !r.get("Plate ID").startsWith("A"))
                        .skip(1000)
                        .limit(2500),
                f -> f.map(r -> r.select("Summons Number", "Plate ID")).batch(7).map(b -> b.size() + ":" + b.get(0)),
                f -> f.sortBy("Vehicle Make", "Street Name"),
                f -> f.distinct("Vehicle Make", "Registration State"),
                f -> f.map(r -> r.select("Plate ID")).distinct().limit(3000),
                f -> Flow.concat(
                        f.filter(r -> r.is("Registration State", "NJ")),
                        Flow.from(Csv.read(in))
                                .filter(r -> r.is("Registration State", "NY"))
                                .limit(700)));
        for (var p : pipelines) {
            dev.sluice.testing.RunResult<?> l =
                    dev.sluice.testing.RunResult.of(p.apply(Flow.from(Csv.read(in))), LocalRunner.get());
            dev.sluice.testing.RunResult<?> f =
                    dev.sluice.testing.RunResult.of(p.apply(Flow.from(Csv.read(in))), PARALLEL);
            assertEquals(l.records(), f.records());
            assertEquals(l.summary().recordsOut(), f.summary().recordsOut());
        }
    }

    /**
     * A global aggregate (also of an empty input), a group-by with first, last and collect (whose results depend on
     * input order), and a group-by of sorted input run on one subtask in input order: the local runner's rows.
     */
    @Test
    void globalOrderDependentAndSortedAggregatesEqualTheLocalRunner() {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        List<java.util.function.Function<Flow<Row>, Flow<Row>>> pipelines = List.of(
                f -> f.aggregate(
                        dev.sluice.Agg.count(), dev.sluice.Agg.sum("Violation Code"), dev.sluice.Agg.max("Issue Date")),
                f -> f.filter(r -> false).aggregate(dev.sluice.Agg.count(), dev.sluice.Agg.sum("Violation Code")),
                f -> f.aggregate(dev.sluice.Agg.first("Plate ID"), dev.sluice.Agg.last("Plate ID")),
                f -> f.groupBy("Registration State")
                        .aggregate(
                                dev.sluice.Agg.first("Summons Number"),
                                dev.sluice.Agg.last("Summons Number"),
                                dev.sluice.Agg.collect("Plate ID", 5),
                                dev.sluice.Agg.count()),
                f -> f.sortBy("Vehicle Make")
                        .groupSorted("Vehicle Make")
                        .aggregate(dev.sluice.Agg.count(), dev.sluice.Agg.first("Street Name")));
        for (var p : pipelines) {
            dev.sluice.testing.RunResult<Row> l =
                    dev.sluice.testing.RunResult.of(p.apply(Flow.from(Csv.read(in))), LocalRunner.get());
            assertFalse(l.records().isEmpty());
            for (FlinkRunner runner : BOTH) {
                dev.sluice.testing.RunResult<Row> f =
                        dev.sluice.testing.RunResult.of(p.apply(Flow.from(Csv.read(in))), runner);
                assertEquals(l.records(), f.records(), runner.toString());
            }
        }
    }

    /**
     * Records rejected by the source (ragged rows), by a stage's function and by a group-by's key go to one
     * dead-letter file, read in parts on four subtasks too: the local runner's rejections (in some order), with the
     * file, line and raw text of each, and the same counts.
     */
    @Test
    void deadLettersFromEveryStageReachOneSinkWithTheirLocations() throws Exception {
        Path in = dir.resolve("tickets.csv");
        List<String> lines = Files.readAllLines(SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv"));
        StringBuilder b = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 1; i < lines.size(); i++) {
            b.append(i % 500 == 0 ? "ragged,row" : lines.get(i)).append('\n');
        }
        Files.writeString(in, b.toString());
        java.util.function.Function<Path, Flow<Row>> pipeline = letters -> Flow.from(Csv.read(in))
                .onError(dev.sluice.ErrorPolicy.deadLetter(letters))
                .map(r -> {
                    if (r.get("Plate ID").startsWith("Z")) {
                        throw new IllegalArgumentException("no Z plates: " + r.get("Plate ID"));
                    }
                    return r;
                })
                .named("no-z")
                .filter(r -> !r.get("Vehicle Make").isEmpty());
        Path localLetters = dir.resolve("local-letters.csv");
        RunSummary l = pipeline.apply(localLetters)
                .to(Csv.write(dir.resolve("local.csv")))
                .run(LocalRunner.get());
        assertTrue(l.rejected() > 10, "rejections: " + l.rejected());
        for (FlinkRunner runner : BOTH) {
            Path letters = dir.resolve("flink-letters.csv");
            Path out = dir.resolve("flink.csv");
            RunSummary f = pipeline.apply(letters).to(Csv.write(out)).run(runner);
            assertArrayEquals(Files.readAllBytes(dir.resolve("local.csv")), Files.readAllBytes(out), runner.toString());
            assertEquals(l.rejected(), f.rejected(), runner.toString());
            assertEquals(sortedLetters(localLetters), sortedLetters(letters), runner.toString());
            Files.delete(letters);
        }
    }

    /** A dead-letter file's rows without the record number (which counts records into a stage on its subtask). */
    private static List<String> sortedLetters(Path letters) {
        List<String> out = new ArrayList<>();
        for (Row r : Flow.from(Csv.read(letters)).toList()) {
            out.add(String.join("|", r.get("stage"), r.get("source"), r.get("line"), r.get("reason"), r.get("raw")));
        }
        out.sort(null);
        return out;
    }

    @Test
    void theRecordSerializerRoundTripsCopiesAndSnapshots() throws Exception {
        record Ticket(String plate, long fine) implements java.io.Serializable {}
        Schema s = Schema.of("a", "b", "c", "d", "e", "f", "g");
        Object[] values = {"text ü", 42L, 7, 1.5, new BigDecimal("12.30"), LocalDate.of(2017, 1, 2), null};
        List<Object> records =
                List.of(Row.of(s, values, null), "plain", 5L, new Ticket("ABC123", 65), Instant.ofEpochSecond(1, 2));
        RecordSerializer ser = new RecordSerializer();
        for (Object r : records) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            ser.serialize(r, out);
            Object back = ser.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertEquals(r, back);
            if (r instanceof Row row) {
                assertEquals(
                        Arrays.asList(values),
                        Arrays.asList(
                                ((Row) back).value(0),
                                ((Row) back).value(1),
                                ((Row) back).value(2),
                                ((Row) back).value(3),
                                ((Row) back).value(4),
                                ((Row) back).value(5),
                                ((Row) back).value(6)),
                        "typed values kept");
                assertEquals(row.schema().names(), ((Row) back).schema().names());
            }
            assertTrue(ser.copy(r) == r, "records are immutable: a copy is the record");
        }
        TypeSerializerSnapshot<Object> snap = ser.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        snap.writeSnapshot(out);
        TypeSerializerSnapshot<Object> read = new RecordSerializer.Snapshot();
        read.readSnapshot(
                snap.getCurrentVersion(),
                new DataInputDeserializer(out.getCopyOfBuffer()),
                getClass().getClassLoader());
        assertEquals(ser, read.restoreSerializer());
        TypeSerializerSchemaCompatibility<Object> c =
                ser.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertTrue(c.isCompatibleAsIs());
        assertEquals(RecordType.INSTANCE.createSerializer(null), ser);
    }
}
