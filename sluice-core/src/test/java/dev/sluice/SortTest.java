package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.csv.Csv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sortBy against an in-memory reference (Java's stable sort) at budgets from 256 KiB to unlimited, and against
 * Python's sorted() on a CSV file; spill files never outlive a run; the budget is a contract.
 */
class SortTest {
    @TempDir
    Path dir;

    private static final String[] WORDS = {"", "a", "ab", "abc", "b", "Z", "zz", "é", "日本", "a\u0000b", "10", "9"};

    /** Random rows: a skewed text key (half the rows one value), a numeric text key with blanks, a payload. */
    private static List<Row> rows(int n, long seed) {
        Random r = new Random(seed);
        Schema s = Schema.of("k", "num", "id", "pad");
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String k = r.nextBoolean() ? "hot" : WORDS[r.nextInt(WORDS.length)] + r.nextInt(50);
            if (r.nextInt(20) == 0) {
                k = null;
            }
            String num = r.nextInt(15) == 0 ? "" : Integer.toString(r.nextInt(2000) - 1000);
            out.add(s.row(k, num, Integer.toString(i), "x".repeat(r.nextInt(40))));
        }
        return out;
    }

    private static Comparator<Row> textAscNullsLast() {
        return Comparator.comparing((Row x) -> x.get("k"), Comparator.nullsLast(SortTest::codePoints));
    }

    private static int codePoints(String a, String b) {
        return java.util.Arrays.compareUnsigned(
                a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Double num(Row r) {
        String v = r.get("num");
        return v == null || v.isEmpty() ? null : Double.parseDouble(v);
    }

    private static List<String> ids(List<Row> rows) {
        return rows.stream().map(r -> r.get("id")).toList();
    }

    @Test
    void equalsAStableInMemorySortAtEveryBudget() {
        List<Row> input = rows(60_000, 42);
        List<Row> byText = new ArrayList<>(input);
        byText.sort(textAscNullsLast());
        List<Row> byNumDescThenText = new ArrayList<>(input);
        byNumDescThenText.sort(
                Comparator.comparing(SortTest::num, Comparator.nullsFirst(Comparator.<Double>reverseOrder()))
                        .thenComparing(textAscNullsLast()));
        for (long budget : new long[] {256 << 10, 4 << 20, 64 << 20, 0}) {
            LocalRunner runner = LocalRunner.get().withMemory(budget).withTempDir(dir);
            RunResult a = sort(Flow.from(input).sortBy("k"), runner);
            assertEquals(ids(byText), ids(a.rows), "by text, budget " + budget);
            RunResult b = sort(Flow.from(input).sortBy(SortKey.desc("num").numeric(), SortKey.asc("k")), runner);
            assertEquals(ids(byNumDescThenText), ids(b.rows), "numeric desc, budget " + budget);
            StageSummary st = a.summary.stage("sort");
            if (budget == 256 << 10) {
                assertTrue(st.spilledBytes() > 0, "a 256 KiB budget spills");
            }
            if (budget > 0) {
                assertTrue(st.peakMemoryBytes() <= budget, st.peakMemoryBytes() + " > " + budget);
            }
            assertNoSpillFiles();
        }
    }

    private record RunResult(List<Row> rows, RunSummary summary) {}

    private static RunResult sort(Flow<Row> f, Runner runner) {
        List<Row> out = new ArrayList<>();
        RunSummary s = f.to(Sinks.collect(out)).run(runner);
        return new RunResult(out, s);
    }

    private void assertNoSpillFiles() {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> left = s.filter(p -> p.getFileName().toString().startsWith("sluice-spill-"))
                    .toList();
            assertEquals(List.of(), left, "spill files outlived the run");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void allEqualKeysEmptyInputAndRowsLargerThanAQuarterOfTheBudget() {
        LocalRunner tiny = LocalRunner.get().withMemory(256 << 10).withTempDir(dir);
        List<Row> same = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            same.add(Row.of("k", "same", "id", Integer.toString(i)));
        }
        assertEquals(ids(same), ids(sort(Flow.from(same).sortBy("k"), tiny).rows), "stable on all-equal keys");
        assertEquals(List.of(), sort(Flow.<Row>empty().sortBy("k"), tiny).rows);
        List<Row> big = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            big.add(Row.of("k", Integer.toString(11 - i % 12), "id", Integer.toString(i), "blob", "y".repeat(90_000)));
        }
        List<Row> sorted = sort(Flow.from(big).sortBy(SortKey.asc("k").numeric()), tiny).rows;
        assertEquals(List.of("11", "10", "9", "8", "7", "6", "5", "4", "3", "2", "1", "0"), ids(sorted));
        assertEquals(90_000, sorted.get(0).get("blob").length());
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> sort(
                        Flow.of(Row.of("k", "1", "blob", "z".repeat(400_000))).sortBy("k"), tiny));
        assertTrue(e.getMessage().contains("does not fit in its memory budget of 256 KiB"), e.getMessage());
        assertNoSpillFiles();
    }

    @Test
    void aPulledSortHoldsOneRecordDownstreamAndClosingEarlyRemovesItsFiles() {
        List<Row> input = rows(30_000, 7);
        LocalRunner tiny = LocalRunner.get().withMemory(256 << 10).withTempDir(dir);
        try (CloseableIterator<Row> it = Flow.from(input).sortBy("id").iterator(tiny)) {
            assertEquals("0", it.next().get("id"));
            assertEquals("1", it.next().get("id"));
            assertEquals("10", it.next().get("id"));
        }
        assertNoSpillFiles();
        List<Row> first = Flow.from(input).sortBy("id").limit(3).toList();
        assertEquals(List.of("0", "1", "10"), ids(first));
    }

    @Test
    void aFailureDownstreamRemovesTheSpillFiles() {
        LocalRunner tiny = LocalRunner.get().withMemory(256 << 10).withTempDir(dir);
        Flow<Row> f = Flow.from(rows(30_000, 3)).sortBy("k").map(r -> {
            if (r.get("id").equals("77")) {
                throw new IllegalStateException("boom");
            }
            return r;
        });
        assertThrows(StageException.class, () -> f.to(Sinks.discard()).run(tiny));
        assertNoSpillFiles();
    }

    @Test
    void aCapOnTemporaryBytesFailsWithTheStageAndItsBudget() {
        LocalRunner capped =
                LocalRunner.get().withMemory(256 << 10).withTempDir(dir).withMaxSpill(300 << 10);
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(rows(60_000, 5)).sortBy("k").to(Sinks.discard()).run(capped));
        assertTrue(
                e.getMessage()
                        .startsWith("sort needs more than the 300 KiB of temporary files allowed (its "
                                + "memory budget is 256 KiB"),
                e.getMessage());
        assertNoSpillFiles();
    }

    @Test
    void badNumericKeysAreRejectedByThePolicy() {
        List<Row> in = List.of(Row.of("n", "3"), Row.of("n", "x"), Row.of("n", "1"));
        StageException e = assertThrows(
                StageException.class,
                () -> Flow.from(in).sortBy(SortKey.asc("n").numeric()).toList());
        assertTrue(e.getMessage().contains("sort key 'n' is not a number: 'x'"), e.getMessage());
        List<Row> kept = Flow.from(in)
                .sortBy(SortKey.asc("n").numeric())
                .onError(ErrorPolicy.skip())
                .toList();
        assertEquals(List.of("1", "3"), kept.stream().map(r -> r.get("n")).toList());
    }

    @Test
    void theSortIsRefusedOnAnEndlessFlowAndExplained() {
        Flow<Row> endless = Flow.generate("ticks", out -> {
            for (long i = 0; ; i++) {
                out.emit(Row.of("n", Long.toString(i)));
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> endless.sortBy("n"));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "sort needs all of its input before it can emit, but its input from ticks may be endless"),
                e.getMessage());
        assertEquals(
                List.of("0", "1", "2"),
                endless.limit(3).sortBy("n").toList().stream()
                        .map(r -> r.get("n"))
                        .toList());
        String plan = Flow.of(Row.of("a", "1"))
                .sortBy(SortKey.desc("a"))
                .budget(1 << 20)
                .explain();
        assertTrue(plan.contains("blocking   sort by a desc, stable; memory 1 MiB"), plan);
    }

    @Test
    void sortingTheRealParkingSampleEqualsPythonsSorted() throws Exception {
        Path sample = dev.sluice.testdata.SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        assumeTrue(Files.exists(sample), "skipped: no " + sample);
        assumeTrue(python(), "skipped: python3 is not installed");
        Path ours = dir.resolve("ours.csv");
        Flow.from(Csv.read(sample))
                .sortBy(SortKey.asc("Plate ID"), SortKey.desc("Issue Date"), SortKey.asc("Summons Number"))
                .to(Csv.write(ours))
                .run(LocalRunner.get().withMemory(256 << 10).withTempDir(dir));
        Path theirs = dir.resolve("theirs.csv");
        String script = String.join(
                "\n",
                "import csv, sys",
                "rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))",
                "h, body = rows[0], rows[1:]",
                "p, d, s = h.index('Plate ID'), h.index('Issue Date'), h.index('Summons Number')",
                "body.sort(key=lambda r: r[s])",
                "body.sort(key=lambda r: r[d], reverse=True)",
                "body.sort(key=lambda r: r[p])",
                "w = csv.writer(open(sys.argv[2], 'w', newline='', encoding='utf-8'), lineterminator='\\n')",
                "w.writerow(h)",
                "w.writerows(body)");
        Process pr = new ProcessBuilder("python3", "-c", script, sample.toString(), theirs.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(pr.getInputStream().readAllBytes());
        assertEquals(0, pr.waitFor(), out);
        assertEquals(Files.readString(theirs), Files.readString(ours));
        assertNoSpillFiles();
    }

    private static boolean python() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void topNEqualsSortAndLimitStableAndHoldsOnlyN() {
        List<Row> input = rows(50_000, 9);
        for (int n : new int[] {0, 1, 7, 100, 5_000, 60_000}) {
            List<Row> expected = new ArrayList<>(input);
            expected.sort(textAscNullsLast());
            expected = expected.subList(0, Math.min(n, expected.size()));
            List<Row> got = Flow.from(input).topN(n, "k").toList();
            assertEquals(ids(expected), ids(got), "top " + n);
        }
        Flow<Row> rewritten =
                Flow.from(input).sortBy(SortKey.desc("num").numeric()).limit(10);
        assertTrue(rewritten.explain().contains("top 10 by num desc numeric"), rewritten.explain());
        List<Row> viaSort = new ArrayList<>(input);
        viaSort.sort(Comparator.comparing(SortTest::num, Comparator.nullsFirst(Comparator.<Double>reverseOrder())));
        assertEquals(ids(viaSort.subList(0, 10)), ids(rewritten.toList()));
        RunSummary s = Flow.from(input).topN(100, "k").to(Sinks.discard()).run();
        assertEquals(0, s.stage("topN").spilledBytes());
        assertTrue(
                s.stage("topN").peakMemoryBytes() > 0 && s.stage("topN").peakMemoryBytes() < 64 << 10,
                "holds about 100 records: " + s.stage("topN").peakMemoryBytes());
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(input)
                        .topN(40_000, "k")
                        .to(Sinks.discard())
                        .run(LocalRunner.get().withMemory(256 << 10)));
        assertTrue(
                e.getMessage().startsWith("topN holds its 40,000 records in memory and they do not fit"),
                e.getMessage());
        Flow<Row> endless = Flow.generate(out -> {
            while (true) {
                out.emit(Row.of("k", "x"));
            }
        });
        assertThrows(IllegalStateException.class, () -> endless.topN(3, "k"));
    }

    @Test
    void spillDirectoriesLeftByAKilledRunAreSweptByTheNextRunThatSpills() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stale = Files.createDirectory(dir.resolve("sluice-spill-" + gone.pid() + "-deadbeef"));
        Files.writeString(stale.resolve("sort-1.spill"), "left by a kill -9");
        Path alive = Files.createDirectory(
                dir.resolve("sluice-spill-" + ProcessHandle.current().pid() + "-cafe"));
        Flow.from(rows(20_000, 1))
                .sortBy("k")
                .to(Sinks.discard())
                .run(LocalRunner.get().withMemory(256 << 10).withTempDir(dir));
        assertFalse(Files.exists(stale), "a dead process's spill directory is removed");
        assertTrue(Files.exists(alive), "a live process's is left alone");
        Files.delete(alive);
    }

    /** A user's record type: spilled by its components. */
    record Ticket(String plate, int fine, long id) {}

    @Test
    void aComparatorSortsAnyRecordsStablyBeyondMemory() throws Exception {
        Random r = new Random(3);
        List<Ticket> input = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            input.add(new Ticket("P" + r.nextInt(500), r.nextInt(100), i));
        }
        Comparator<Ticket> byFineDesc = Comparator.comparingInt(Ticket::fine).reversed();
        List<Ticket> expected = new ArrayList<>(input);
        expected.sort(byFineDesc);
        for (long budget : new long[] {64 << 10, 0}) {
            List<Ticket> got = new ArrayList<>();
            RunSummary s = Flow.from(input)
                    .sortBy(byFineDesc)
                    .to(Sinks.collect(got))
                    .run(LocalRunner.get().withMemory(budget).withTempDir(dir));
            assertEquals(expected, got, "budget " + budget + ": stable, equal to List.sort");
            if (budget > 0) {
                assertTrue(s.stage("sort").spilledBytes() > 0);
            }
            assertNoSpillFiles();
        }
        List<String> words = Flow.of("pear", "fig", "apple", "kiwi", "date")
                .sortBy(Comparator.comparing(String::length))
                .toList();
        assertEquals(List.of("fig", "pear", "kiwi", "date", "apple"), words);
        try (CloseableIterator<Ticket> it = Flow.from(input)
                .sortBy(byFineDesc)
                .iterator(LocalRunner.get().withMemory(64 << 10).withTempDir(dir))) {
            assertEquals(expected.get(0), it.next());
        }
        assertNoSpillFiles();
    }

    @Test
    void explainShowsTheBudgetEachBlockingStageGetsAndWhereItSpills() {
        Flow<Row> f =
                Flow.from(List.of(Row.of("k", "1"))).sortBy("k").groupBy("k").count();
        String e = LocalRunner.get()
                .withMemory(64 << 20)
                .withTempDir(dir)
                .withMaxSpill(1L << 30)
                .explain(f.plan());
        assertTrue(
                e.contains("memory: 64 MiB, divided among 2 blocking stages: 32 MiB each; temporary files in " + dir
                        + ", at most 1 GiB"),
                e);
        assertTrue(f.explain().contains("(the default: 40% of the heap, at most 1 GiB)"), f.explain());
        assertTrue(
                !Flow.from(List.of(1)).map(x -> x).explain().contains("memory:"), "no blocking stage, no memory line");
    }
}
