package dev.sluice.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ErrorPolicy;
import dev.sluice.Flow;
import dev.sluice.Rejected;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.Sinks;
import dev.sluice.StageSummary;
import dev.sluice.internal.ParallelRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parallel run equals a sequential one: the same output bytes, summary, row lines and offsets, errors and dead
 * letters, with chunk boundaries everywhere (tiny chunks put them inside quoted fields and quoted newlines).
 */
class ParallelCsvTest {
    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        ParallelRunner.chunkBytes = 1 << 20;
    }

    /** Messy CSV: quoted fields with CR, LF, CRLF, delimiters and quotes; empty lines; mixed line endings. */
    static String messy(long seed, int records, boolean ragged) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("id,text,n\r\n");
        String[] pieces = {"a", "b c", ",", "\"\"", "\n", "\r\n", "\r", "é", "😀", "x,y"};
        for (int i = 0; i < records; i++) {
            sb.append(i).append(',');
            if (r.nextInt(3) == 0) {
                sb.append('"');
                for (int k = r.nextInt(6); k > 0; k--) {
                    sb.append(pieces[r.nextInt(pieces.length)]);
                }
                sb.append('"');
            } else {
                sb.append("plain").append(r.nextInt(1000));
            }
            sb.append(',').append(r.nextInt(100));
            if (ragged && r.nextInt(40) == 0) {
                sb.append(",extra");
            }
            sb.append(r.nextBoolean() ? "\n" : "\r\n");
            if (r.nextInt(30) == 0) {
                sb.append('\n'); // an empty line
            }
        }
        return sb.toString();
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static Flow<Row> pipeline(Path in, CsvFormat f) {
        return Flow.from(Csv.read(in, f))
                .filter(r -> !r.get("n").endsWith("7"))
                .named("drop-7s")
                .map(r -> r.with("len", r.get("text").length()))
                .named("measure");
    }

    private static List<String> origins(List<Row> rows) {
        return rows.stream()
                .map(r -> r.origin().line() + "@" + r.origin().byteOffset())
                .collect(Collectors.toList());
    }

    private static List<String> counts(RunSummary s) {
        List<String> out = new ArrayList<>();
        for (StageSummary st : s.stages()) {
            String name = st.name().startsWith("csv(") && out.size() > 0 ? "sink" : st.name(); // output files differ
            out.add(name + ":" + st.in() + "/" + st.out() + "/" + st.rejected());
        }
        return out;
    }

    @Test
    void sameOutputSummaryLinesAndOffsetsAtEveryChunkSize() throws Exception {
        Path in = write("in.csv", messy(1, 3000, false));
        Path seqOut = dir.resolve("seq.csv");
        RunSummary seq = pipeline(in, CsvFormat.DEFAULT).to(Csv.write(seqOut)).run();
        List<Row> seqRows = pipeline(in, CsvFormat.DEFAULT).toList();
        for (int chunk : new int[] {1, 7, 64, 333, 4096, 1 << 20}) {
            ParallelRunner.chunkBytes = chunk;
            Path parOut = dir.resolve("par" + chunk + ".csv");
            RunSummary par = pipeline(in, CsvFormat.DEFAULT)
                    .parallel(3)
                    .to(Csv.write(parOut))
                    .run();
            assertEquals(-1, Files.mismatch(seqOut, parOut), "chunk " + chunk);
            assertEquals(counts(seq), counts(par), "chunk " + chunk);
            List<Row> parRows = pipeline(in, CsvFormat.DEFAULT).parallel(3).toList();
            assertEquals(seqRows, parRows, "chunk " + chunk);
            assertEquals(origins(seqRows), origins(parRows), "lines and offsets, chunk " + chunk);
        }
    }

    @Test
    void raggedRowsDeadLetteredExactlyAsSequentially() throws Exception {
        Path in = write("ragged.csv", messy(2, 2000, true));
        CsvFormat f = CsvFormat.DEFAULT.withRagged(RaggedPolicy.SKIP);
        List<Rejected> seqDead = new ArrayList<>();
        RunSummary seq = pipeline(in, f)
                .onError(ErrorPolicy.deadLetter(Sinks.collect(seqDead)))
                .to(Csv.write(dir.resolve("seq.csv")))
                .run();
        assertTrue(seqDead.size() > 10, "the data has ragged rows: " + seqDead.size());
        for (int chunk : new int[] {50, 900, 1 << 20}) {
            ParallelRunner.chunkBytes = chunk;
            List<Rejected> parDead = new ArrayList<>();
            Path parOut = dir.resolve("par" + chunk + ".csv");
            RunSummary par = pipeline(in, f)
                    .onError(ErrorPolicy.deadLetter(Sinks.collect(parDead)))
                    .parallel(2)
                    .to(Csv.write(parOut))
                    .run();
            assertEquals(seqDead, parDead, "chunk " + chunk);
            assertEquals(counts(seq), counts(par), "chunk " + chunk);
            assertEquals(seq.rejected(), par.rejected());
            assertEquals(-1, Files.mismatch(dir.resolve("seq.csv"), parOut));
        }
    }

    @Test
    void errorsAreTheSequentialOnes() throws Exception {
        Path in = write("ragged.csv", messy(3, 2000, true));
        Exception seq = assertThrows(
                Exception.class, () -> pipeline(in, CsvFormat.DEFAULT).run());
        ParallelRunner.chunkBytes = 100;
        Exception par = assertThrows(
                Exception.class,
                () -> pipeline(in, CsvFormat.DEFAULT).parallel(2).run());
        assertEquals(seq.getMessage(), par.getMessage());
        assertTrue(seq.getMessage().contains("has 4 fields, but the header has 3"), seq.getMessage());

        Path good = write("good.csv", messy(4, 2000, false));
        Flow<Row> failing = Flow.from(Csv.read(good))
                .map(r -> {
                    if (r.get("id").equals("1234")) {
                        throw new IllegalStateException("bad id");
                    }
                    return r;
                })
                .named("check");
        String expected = assertThrows(Exception.class, failing::run).getMessage();
        assertTrue(expected.startsWith("stage 'check' failed on record 1,235 (good.csv line "), expected);
        assertEquals(
                expected,
                assertThrows(Exception.class, () -> failing.parallel(2).run()).getMessage());
        assertEquals(
                expected,
                assertThrows(
                                Exception.class,
                                () -> failing.parallel(2)
                                        .to(Csv.write(dir.resolve("x.csv")))
                                        .run())
                        .getMessage());
        assertTrue(!Files.exists(dir.resolve("x.csv")), "a failed run leaves no file");

        // a stage after the parallel prefix (behind a limit) names the same record and line
        Flow<Row> late = Flow.from(Csv.read(good))
                .filter(r -> true)
                .limit(5000)
                .map(r -> {
                    if (r.get("id").equals("1500")) {
                        throw new IllegalStateException("late");
                    }
                    return r;
                })
                .named("late-check");
        String lateExpected = assertThrows(Exception.class, late::run).getMessage();
        assertTrue(lateExpected.contains("(good.csv line "), lateExpected);
        assertEquals(
                lateExpected,
                assertThrows(Exception.class, () -> late.parallel(2).run()).getMessage());
    }

    @Test
    void statefulStagesAfterTheParallelPrefixStillWork() throws Exception {
        Path in = write("in.csv", messy(5, 3000, false));
        ParallelRunner.chunkBytes = 500;
        List<List<Row>> seq =
                pipeline(in, CsvFormat.DEFAULT).limit(777).batch(100).toList();
        List<List<Row>> par = pipeline(in, CsvFormat.DEFAULT)
                .parallel(2)
                .limit(777)
                .batch(100)
                .toList();
        assertEquals(seq, par);
        assertEquals(8, par.size());
        assertEquals(77, par.get(7).size());
    }

    @Test
    void headerOnlyEmptyAndTinyFiles() throws Exception {
        for (String text : new String[] {"", "a,b\n", "a,b\n1,2", "a,b\r\n\r\n1,2\r\n", "\uFEFFa,b\n1,2\n3,4\n"}) {
            Path in = write("t.csv", text);
            ParallelRunner.chunkBytes = 1;
            assertEquals(
                    Flow.from(Csv.read(in)).toList(),
                    Flow.from(Csv.read(in)).parallel(4).toList(),
                    text);
        }
    }

    @Test
    void noHeaderAndGzipFallBack() throws Exception {
        Path in = write("nh.csv", "1,2\n3,4\n5,6\n");
        ParallelRunner.chunkBytes = 3;
        CsvFormat f = CsvFormat.DEFAULT.withHeader(false);
        assertEquals(
                Flow.from(Csv.read(in, f)).toList(),
                Flow.from(Csv.read(in, f)).parallel(2).toList());
        Path gz = dir.resolve("in.csv.gz");
        try (var os = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            os.write("a\n1\n2\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(2, Flow.from(Csv.read(gz)).parallel(2).count(), "compressed input runs sequentially");
        assertTrue(Flow.from(Csv.read(gz)).parallel(2).explain().contains("parallel: 2 threads"));
    }
}
