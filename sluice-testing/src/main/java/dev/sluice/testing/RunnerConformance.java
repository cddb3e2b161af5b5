package dev.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.CloseableIterator;
import dev.sluice.DataException;
import dev.sluice.ErrorPolicy;
import dev.sluice.Flow;
import dev.sluice.Rejected;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.Runner;
import dev.sluice.Sinks;
import dev.sluice.StageException;
import dev.sluice.csv.Csv;
import dev.sluice.json.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One semantics, every runner: the behaviour every {@link Runner} must give a plan, as a JUnit 5 suite. Extend it,
 * say which runner to test and which {@link Capability capabilities} it skips; each skipped test reports itself as
 * skipped, naming the runner and the capability.
 *
 * <pre>{@code
 * class MyRunnerConformanceTest extends RunnerConformance {
 *   protected Runner runner() { return new MyRunner(); }
 *   protected Set<Capability> skipped() { return Set.of(Capability.TIMERS); }
 * }
 * }</pre>
 */
public abstract class RunnerConformance {
    /** For subclasses, one per runner under test. */
    protected RunnerConformance() {}

    @TempDir
    protected Path dir;

    /** The runner under test. */
    protected abstract Runner runner();

    /** What the runner does not do; by default nothing is skipped. */
    protected Set<Capability> skipped() {
        return Set.of();
    }

    private void requires(Capability c) {
        boolean skip = skipped().contains(c);
        if (skip) {
            System.out.println("conformance: " + runner() + " skips " + c);
        }
        Assumptions.assumeFalse(skip, () -> runner() + " skips " + c);
    }

    private <T> List<T> collect(Flow<T> flow) {
        return RunResult.of(flow, runner()).records();
    }

    @Test
    public void statelessStagesEqualJavaStreams() {
        List<Long> ours = collect(Flow.range(0, 10_000)
                .map(x -> x * 3)
                .filter(x -> x % 2 == 0)
                .flatMap(x -> List.of(x, x + 1))
                .skip(7)
                .limit(5_000));
        List<Long> streams = LongStream.range(0, 10_000)
                .map(x -> x * 3)
                .filter(x -> x % 2 == 0)
                .flatMap(x -> LongStream.of(x, x + 1))
                .skip(7)
                .limit(5_000)
                .boxed()
                .collect(Collectors.toList());
        assertEquals(streams, ours);
    }

    @Test
    public void batchesAreFullExceptTheLastAndLimitsStopPositionally() {
        assertEquals(
                List.of(List.of(0L, 1L, 2L), List.of(3L, 4L, 5L), List.of(6L)),
                collect(Flow.range(0, 7).batch(3)));
        // a partial batch before a limit is flushed; a flatMap after a limit still expands fully
        assertEquals(
                List.of(List.of(0L, 1L)), collect(Flow.range(0, 100).limit(2).batch(5)));
        assertEquals(
                List.of(0L, 0L, 1L, 1L), collect(Flow.range(0, 100).limit(2).flatMap(x -> List.of(x, x))));
    }

    @Test
    public void theSummaryCountsEveryStage() {
        RunResult<Long> r = RunResult.of(
                Flow.range(0, 1000)
                        .filter(x -> x % 10 == 0)
                        .named("tenths")
                        .map(x -> x + 1)
                        .named("plus-one"),
                runner());
        r.assertStage("tenths", 1000, 100).assertStage("plus-one", 100, 100).assertRejected(0);
        assertEquals(100, r.summary().recordsOut());
    }

    @Test
    public void errorsFailSkipOrDeadLetterAsThePolicySays() {
        Flow<Long> risky = Flow.range(0, 20)
                .map(x -> {
                    if (x % 7 == 3) {
                        throw new IllegalStateException("bad " + x);
                    }
                    return x;
                })
                .named("risky");
        StageException e = assertThrows(StageException.class, () -> collect(risky));
        assertTrue(e.getMessage().contains("stage 'risky' failed on record 4"), e.getMessage());
        assertEquals(17, collect(risky.onError(ErrorPolicy.skip(10))).size());
        dev.sluice.SluiceException past =
                assertThrows(dev.sluice.SluiceException.class, () -> collect(risky.onError(ErrorPolicy.skip(2))));
        assertTrue(past.getMessage().startsWith("more than 2 records were rejected"), past.getMessage());
        requires(Capability.DEAD_LETTERS);
        List<Rejected> letters = Collections.synchronizedList(new ArrayList<>());
        RunResult<Long> r = RunResult.of(risky.onError(ErrorPolicy.deadLetter(Sinks.collect(letters))), runner());
        r.assertRejected(3);
        assertEquals(
                List.of("bad 3", "bad 10", "bad 17"),
                letters.stream().map(l -> l.reason().replaceAll(".*: ", "")).collect(Collectors.toList()));
    }

    @Test
    public void csvInCsvOutIsByteIdentical() throws Exception {
        requires(Capability.LOCAL_FILES);
        StringBuilder sb = new StringBuilder("id,name,note\n");
        for (int i = 0; i < 600; i++) {
            sb.append(i)
                    .append(",n")
                    .append(i)
                    .append(',')
                    .append(i % 5 == 0 ? "\"a, \"\"quoted\"\"\nline\"" : "plain")
                    .append('\n');
        }
        Path in = dir.resolve("in.csv");
        Files.writeString(in, sb.toString());
        Path out = dir.resolve("out.csv");
        RunSummary s = Flow.from(Csv.read(in))
                .filter(r -> !r.get("id").endsWith("7"))
                .to(Csv.write(out))
                .run(runner());
        assertEquals(540, s.recordsOut());
        StringBuilder expected = new StringBuilder("id,name,note\n");
        for (int i = 0; i < 600; i++) {
            if (i % 10 != 7) {
                expected.append(i)
                        .append(",n")
                        .append(i)
                        .append(',')
                        .append(i % 5 == 0 ? "\"a, \"\"quoted\"\"\nline\"" : "plain")
                        .append('\n');
            }
        }
        assertEquals(expected.toString(), Files.readString(out));
        Path json = dir.resolve("out.jsonl");
        Flow.from(Csv.read(out)).to(JsonLines.write(json)).run(runner());
        assertEquals(540, Files.readAllLines(json).size());
    }

    @Test
    public void aBadCsvRecordNamesItsFileAndLine() throws Exception {
        requires(Capability.LOCAL_FILES);
        Path in = dir.resolve("ragged.csv");
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 1500; i++) {
            sb.append(i).append(i == 1321 ? "\n" : ",x\n");
        }
        Files.writeString(in, sb.toString());
        DataException e = assertThrows(DataException.class, () -> collect(Flow.from(Csv.read(in))));
        assertEquals("ragged.csv line 1,323: record 1,322 has 1 field, but the header has 2", e.getMessage());
        List<Row> kept = collect(Flow.from(Csv.read(in)).onError(ErrorPolicy.skip(1)));
        assertEquals(1499, kept.size());
    }

    @Test
    public void pullingIsLazyAndClosingHalfWayClosesTheSource() {
        requires(Capability.PULL);
        AtomicInteger made = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        Flow<Integer> g = Flow.generate(out -> {
            try {
                for (int i = 0; ; i++) {
                    made.incrementAndGet();
                    out.emit(i);
                }
            } finally {
                closed.incrementAndGet();
            }
        });
        try (CloseableIterator<Integer> it = g.map(x -> x * 2).iterator(runner())) {
            assertEquals(0, made.get(), "nothing runs before the first pull");
            assertEquals(0, it.next());
            assertEquals(2, it.next());
            assertTrue(made.get() <= 3, "ran only as far as needed: " + made.get());
        }
        assertEquals(1, closed.get(), "the source is closed exactly once");
    }

    @Test
    public void aTimedBatchLeavesWhileTheSourceIsSilent() {
        requires(Capability.TIMERS);
        Flow<Integer> slow = Flow.generate(out -> {
            out.emit(1);
            Thread.sleep(800);
            out.emit(2);
        });
        long t0 = System.currentTimeMillis();
        // each batch with the time it left (wall-clock: a runner may run the stage in another process)
        List<List<Object>> got = RunResult.of(
                        slow.batch(10, Duration.ofMillis(100)).map(b -> List.<Object>of(b, System.currentTimeMillis())),
                        runner())
                .records();
        assertEquals(
                List.of(List.of(1), List.of(2)), got.stream().map(b -> b.get(0)).collect(Collectors.toList()));
        assertTrue(
                (Long) got.get(0).get(1) - t0 < 700,
                "the first batch left on its deadline, before the source woke: after "
                        + ((Long) got.get(0).get(1) - t0) + " ms");
    }

    @Test
    public void concatKeepsInputOrderAndUnionKeepsEveryRecordOnce() {
        requires(Capability.MERGE);
        Flow<Long> a = Flow.range(0, 3000).map(x -> x * 2);
        Flow<Long> b = Flow.range(0, 2000).map(x -> x * 2 + 1).filter(x -> x % 3 != 0);
        List<Long> expectedB = LongStream.range(0, 2000)
                .map(x -> x * 2 + 1)
                .filter(x -> x % 3 != 0)
                .boxed()
                .collect(Collectors.toList());
        List<Long> expected = new ArrayList<>(
                LongStream.range(0, 3000).map(x -> x * 2).boxed().toList());
        expected.addAll(expectedB);
        RunResult<Long> concat = RunResult.of(Flow.concat(a, b.limit(500)).limit(3200), runner());
        assertEquals(expected.subList(0, 3200), concat.records());
        assertEquals(3200, concat.summary().recordsOut());
        List<Long> union = new ArrayList<>(collect(a.union(b)));
        assertEquals(expected.size(), union.size());
        List<Long> odd = union.stream().filter(x -> x % 2 == 1).collect(Collectors.toList());
        assertEquals(expectedB, odd, "each input's records keep their order");
        Collections.sort(union);
        List<Long> sorted = new ArrayList<>(expected);
        Collections.sort(sorted);
        assertEquals(sorted, union);
    }

    @Test
    public void sortIsStableAndEqualsAnInMemorySortWhateverTheBudget() {
        requires(Capability.SORT);
        List<Row> rows = new ArrayList<>();
        java.util.Random r = new java.util.Random(11);
        for (int i = 0; i < 40_000; i++) {
            String k = r.nextInt(4) == 0 ? "" : Integer.toString(r.nextInt(300));
            rows.add(Row.of("k", k, "i", Integer.toString(i), "pad", "p".repeat(r.nextInt(30))));
        }
        List<Row> expected = new ArrayList<>(rows);
        expected.sort(java.util.Comparator.comparing(
                (Row x) -> x.get("k").isEmpty() ? null : Double.valueOf(x.get("k")),
                java.util.Comparator.nullsFirst(java.util.Comparator.<Double>reverseOrder())));
        RunResult<Row> got =
                RunResult.of(Flow.from(rows).sortBy(dev.sluice.SortKey.desc("k").numeric()), runner());
        assertEquals(
                expected.stream().map(x -> x.get("i")).collect(Collectors.toList()),
                got.records().stream().map(x -> x.get("i")).collect(Collectors.toList()));
        assertEquals(40_000, got.summary().stage("sort").out());
    }

    @Test
    public void groupByEqualsAReferenceWhateverTheBudget() {
        requires(Capability.GROUP);
        List<Row> rows = new ArrayList<>();
        java.util.Map<String, long[]> expected = new java.util.TreeMap<>();
        for (int i = 0; i < 30_000; i++) {
            String k = "k" + (i * 7919 % 5_000);
            rows.add(Row.of("k", k, "v", Integer.toString(i % 13)));
            long[] e = expected.computeIfAbsent(k, x -> new long[2]);
            e[0]++;
            e[1] += i % 13;
        }
        RunResult<Row> got = RunResult.of(
                Flow.from(rows).groupBy("k").aggregate(dev.sluice.Agg.count(), dev.sluice.Agg.sum("v")), runner());
        List<String> want = new ArrayList<>();
        expected.forEach((k, e) -> want.add(k + "=" + e[0] + "/" + e[1]));
        assertEquals(
                want,
                got.records().stream()
                        .map(r -> r.get("k") + "=" + r.get("count") + "/" + r.get("sum(v)"))
                        .collect(Collectors.toList()));
    }

    @Test
    public void distinctKeepsTheFirstOfEachKeyInInputOrder() {
        requires(Capability.DISTINCT);
        List<Row> rows = new ArrayList<>();
        java.util.LinkedHashMap<String, String> first = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 30_000; i++) {
            String k = "k" + (i * 7919 % 6_000);
            rows.add(Row.of("k", k, "i", Integer.toString(i)));
            first.putIfAbsent(k, Integer.toString(i));
        }
        List<Row> got = collect(Flow.from(rows).distinct("k"));
        assertEquals(
                new ArrayList<>(first.values()),
                got.stream().map(r -> r.get("i")).collect(Collectors.toList()));
    }

    @Test
    public void joinsMatchEqualKeysAndKeepNullKeysOutOfMatches() {
        requires(Capability.JOIN);
        List<Row> left = new ArrayList<>();
        List<Row> right = new ArrayList<>();
        for (int i = 0; i < 8_000; i++) {
            left.add(Row.of("k", i % 10 == 0 ? "" : "k" + (i % 700), "l", Integer.toString(i)));
        }
        for (int i = 0; i < 1_400; i++) {
            right.add(Row.of("k", "k" + (i % 1000), "r", Integer.toString(i)));
        }
        java.util.Map<String, Integer> rightCount = new java.util.HashMap<>();
        right.forEach(r -> rightCount.merge(r.get("k"), 1, Integer::sum));
        long expectedInner = 0;
        long expectedAnti = 0;
        for (Row l : left) {
            int n = l.get("k").isEmpty() ? 0 : rightCount.getOrDefault(l.get("k"), 0);
            expectedInner += n;
            expectedAnti += n == 0 ? 1 : 0;
        }
        assertEquals(
                expectedInner,
                collect(Flow.from(left).join(Flow.from(right), dev.sluice.Join.on("k")))
                        .size());
        assertEquals(
                expectedAnti,
                collect(Flow.from(left)
                                .join(Flow.from(right), dev.sluice.Join.on("k").anti()))
                        .size());
        List<Row> leftJoin = collect(
                Flow.from(left).join(Flow.from(right), dev.sluice.Join.on("k").left()));
        assertEquals(expectedInner + expectedAnti, leftJoin.size());
        assertEquals(List.of("k", "l", "r"), leftJoin.get(0).schema().names());
    }

    @Test
    public void sortedGroupAndMergeJoinEqualTheirHashFormsAndStreamInKeyOrder() {
        requires(Capability.SORTED_INPUT);
        List<Row> left = new ArrayList<>();
        List<Row> right = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            left.add(Row.of("k", String.format("k%05d", i / 4), "l", Integer.toString(i)));
        }
        for (int i = 0; i < 3_000; i++) {
            right.add(Row.of("k", String.format("k%05d", i / 2 * 3), "r", Integer.toString(i)));
        }
        List<Row> grouped = collect(Flow.from(left).groupSorted("k").aggregate(dev.sluice.Agg.count()));
        assertEquals(3_000, grouped.size());
        assertEquals("k00000", grouped.get(0).get("k"));
        assertEquals("4", grouped.get(2_999).get("count"));
        for (dev.sluice.Join.Type type : dev.sluice.Join.Type.values()) {
            dev.sluice.Join on = dev.sluice.Join.on("k").type(type);
            List<String> merge = collect(Flow.from(left).joinSorted(Flow.from(right), on)).stream()
                    .map(r -> r.values().toString())
                    .collect(Collectors.toList());
            List<String> hash = collect(Flow.from(left).join(Flow.from(right), on)).stream()
                    .map(r -> r.values().toString())
                    .sorted()
                    .collect(Collectors.toList());
            List<String> keyOrder = new ArrayList<>(merge);
            assertEquals(hash, merge.stream().sorted().collect(Collectors.toList()), type + ": the hash join's rows");
            keyOrder.sort(java.util.Comparator.comparing(v -> v.substring(1, 7)));
            assertEquals(keyOrder, merge, type + ": in key order");
        }
    }
}
