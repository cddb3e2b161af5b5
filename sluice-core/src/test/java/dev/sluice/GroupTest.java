package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** groupBy/aggregate against a reference computed with plain maps, at budgets from 256 KiB to unlimited. */
class GroupTest {
    @TempDir
    Path dir;

    private static List<Row> rows(int n, int keys, long seed) {
        Random r = new Random(seed);
        Schema s = Schema.of("make", "state", "code", "date", "id");
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String make = r.nextBoolean() ? "HOT" : "M" + r.nextInt(keys); // half the rows in one group
            if (r.nextInt(50) == 0) {
                make = r.nextBoolean() ? "" : null; // null keys group together
            }
            String code = r.nextInt(30) == 0 ? "" : Integer.toString(r.nextInt(100));
            String date = "2017-" + String.format("%02d-%02d", 1 + r.nextInt(12), 1 + r.nextInt(28));
            out.add(s.row(make, r.nextBoolean() ? "NY" : "NJ", code, date, Integer.toString(i)));
        }
        return out;
    }

    /** The reference: per (make, state) in key order, the same aggregates done by hand. */
    private static List<List<Object>> reference(List<Row> rows) {
        Map<List<String>, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            String make = r.get("make") == null || r.get("make").isEmpty() ? null : r.get("make");
            groups.computeIfAbsent(java.util.Arrays.asList(make, r.get("state")), k -> new ArrayList<>())
                    .add(r);
        }
        TreeMap<List<String>, List<Row>> sorted = new TreeMap<>((a, b) -> {
            for (int i = 0; i < 2; i++) {
                String x = a.get(i);
                String y = b.get(i);
                if (x == null || y == null) {
                    if (x != y) {
                        return x == null ? 1 : -1;
                    }
                    continue;
                }
                int c = x.compareTo(y);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        sorted.putAll(groups);
        List<List<Object>> out = new ArrayList<>();
        for (Map.Entry<List<String>, List<Row>> e : sorted.entrySet()) {
            List<Row> g = e.getValue();
            long count = g.size();
            long codes = 0;
            long sum = 0;
            String min = null;
            String max = null;
            Set<String> distinct = new HashSet<>();
            for (Row r : g) {
                String c = r.get("code");
                if (!c.isEmpty()) {
                    codes++;
                    sum += Long.parseLong(c);
                    distinct.add(c);
                }
                String d = r.get("date");
                min = min == null || d.compareTo(min) < 0 ? d : min;
                max = max == null || d.compareTo(max) > 0 ? d : max;
            }
            List<String> firstIds = g.stream().limit(3).map(r -> r.get("id")).toList();
            out.add(java.util.Arrays.asList(
                    e.getKey().get(0),
                    e.getKey().get(1),
                    Long.toString(count),
                    Long.toString(codes),
                    codes == 0 ? null : Long.toString(sum),
                    codes == 0 ? null : Double.toString((double) sum / codes),
                    min,
                    max,
                    g.get(0).get("id"),
                    g.get(g.size() - 1).get("id"),
                    Long.toString(distinct.size()),
                    String.join("|", firstIds)));
        }
        return out;
    }

    private static List<List<Object>> values(List<Row> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Row r : rows) {
            List<Object> v = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                Object x = r.value(i);
                v.add(x == null ? null : x.toString());
            }
            out.add(v);
        }
        return out;
    }

    @Test
    void equalsAReferenceAtEveryBudgetWithSkewNullsAndManyGroups() {
        for (int keys : new int[] {5, 20_000, 60_000}) {
            List<Row> input = rows(80_000, keys, keys);
            if (keys == 60_000) { // keys that barely repeat: past its first spill the group-by sorts, not hashes
                List<Row> unique = new ArrayList<>();
                for (int i = 0; i < input.size(); i++) {
                    Row r = input.get(i);
                    unique.add("HOT".equals(r.get("make")) ? r.with("make", "U" + i % 30_000) : r);
                }
                input = unique;
            }
            List<List<Object>> expected = reference(input);
            for (long budget : new long[] {256 << 10, 4 << 20, 0}) {
                List<Row> out = new ArrayList<>();
                RunSummary s = Flow.from(input)
                        .groupBy("make", "state")
                        .aggregate(
                                Agg.count(),
                                Agg.count("code"),
                                Agg.sum("code"),
                                Agg.avg("code"),
                                Agg.min("date"),
                                Agg.max("date"),
                                Agg.first("id"),
                                Agg.last("id"),
                                Agg.countDistinct("code"),
                                Agg.collect("id", 3))
                        .to(Sinks.collect(out))
                        .run(LocalRunner.get().withMemory(budget).withTempDir(dir));
                assertEquals(expected, values(out), keys + " keys, budget " + budget);
                StageSummary g = s.stage("group");
                if (keys > 5 && budget == 256 << 10) {
                    assertTrue(g.spilledBytes() > 0, "spills at 256 KiB");
                }
                if (keys == 5) {
                    assertEquals(0, g.spilledBytes(), "a few groups never spill");
                }
                if (budget > 0) {
                    assertTrue(g.peakMemoryBytes() <= budget, g.peakMemoryBytes() + " > " + budget);
                }
                assertEquals(
                        List.of(
                                "make",
                                "state",
                                "count",
                                "count(code)",
                                "sum(code)",
                                "avg(code)",
                                "min(date)",
                                "max(date)",
                                "first(id)",
                                "last(id)",
                                "count_distinct(code)",
                                "collect(id)"),
                        out.isEmpty() ? List.of() : out.get(0).schema().names());
                try (Stream<Path> left = Files.list(dir)) {
                    assertEquals(0, left.count(), "spill files outlived the run");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    @Test
    void sumsAreExactAndBadNumbersAreRejectedBeforeAnyStateChanges() {
        List<Row> in = List.of(
                Row.of("k", "a", "v", "9223372036854775807"),
                Row.of("k", "a", "v", "1"),
                Row.of("k", "a", "v", "0.25"),
                Row.of("k", "b", "v", "x"),
                Row.of("k", "b", "v", "2"));
        StageException e = assertThrows(
                StageException.class,
                () -> Flow.from(in).groupBy("k").aggregate(Agg.sum("v")).toList());
        assertTrue(e.getMessage().contains("sum(v): 'x' is not a number"), e.getMessage());
        List<Row> out = Flow.from(in)
                .onError(ErrorPolicy.skip())
                .groupBy("k")
                .aggregate(Agg.count(), Agg.sum("v"))
                .toList();
        assertEquals("9223372036854775808.25", out.get(0).get("sum(v)"));
        assertEquals("2", out.get(1).get("sum(v)"));
        assertEquals("1", out.get(1).get("count"), "the bad row counted nowhere");
        assertEquals(
                new BigDecimal("9223372036854775808.25"),
                new BigDecimal(out.get(0).get("sum(v)")));
    }

    @Test
    void customAggregatesMergeTheirPartialStatesAcrossSpills() {
        Aggregator<long[]> longest = new Aggregator<>() {
            @Override
            public long[] create() {
                return new long[1];
            }

            @Override
            public long[] add(long[] a, Row r) {
                a[0] = Math.max(a[0], r.get("id").length());
                return a;
            }

            @Override
            public long[] merge(long[] a, long[] b) {
                a[0] = Math.max(a[0], b[0]);
                return a;
            }

            @Override
            public Object result(long[] a) {
                return a[0];
            }
        };
        List<Row> input = rows(50_000, 30_000, 3);
        Map<String, Integer> expected = new HashMap<>();
        for (Row r : input) {
            String k = r.get("make") == null || r.get("make").isEmpty() ? null : r.get("make");
            expected.merge(String.valueOf(k), r.get("id").length(), Math::max);
        }
        List<Row> out = Flow.from(input)
                .groupBy("make")
                .aggregate(Agg.of("longest", longest), Agg.min("code").numeric().as("lowest"))
                .toList(); // default budget
        List<Row> small = new ArrayList<>();
        Flow.from(input)
                .groupBy("make")
                .aggregate(Agg.of("longest", longest), Agg.min("code").numeric().as("lowest"))
                .to(Sinks.collect(small))
                .run(LocalRunner.get().withMemory(256 << 10));
        assertEquals(values(out), values(small));
        assertEquals(expected.size(), out.size());
        for (Row r : out) {
            assertEquals((long) expected.get(String.valueOf(r.get("make"))), r.value("longest"));
        }
    }

    @Test
    void emptyInputDuplicateNamesAndEndlessInputs() {
        assertEquals(List.of(), Flow.<Row>empty().groupBy("k").count().toList());
        assertThrows(
                IllegalArgumentException.class,
                () -> Flow.of(Row.of("k", "1"))
                        .groupBy("k")
                        .aggregate(Agg.count().as("k")));
        Flow<Row> endless = Flow.generate(out -> {
            while (true) {
                out.emit(Row.of("k", "x"));
            }
        });
        assertThrows(IllegalStateException.class, () -> endless.groupBy("k").count());
        String plan = Flow.of(Row.of("k", "1"))
                .groupBy("k")
                .aggregate(Agg.count(), Agg.max("k"))
                .explain();
        assertTrue(plan.contains("blocking   group by k: [count, max(k)]"), plan);
    }

    @Test
    void approxCountDistinctIsCloseAndMergesExactlyAcrossSpills() {
        List<Row> input = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            String g = i % 3 == 0 ? "big" : "g" + (i % 2_000);
            input.add(Row.of("g", g, "v", g.equals("big") ? "v" + i : "v" + (i % 37)));
        }
        Flow<Row> f = Flow.from(input).groupBy("g").aggregate(Agg.approxCountDistinct("v"), Agg.countDistinct("v"));
        List<Row> unlimited = f.toList();
        List<Row> small = new ArrayList<>();
        // 2,000 sketches of 4 KiB do not fit in 4 MiB: the table spills and the sketches are merged
        RunSummary s = f.to(Sinks.collect(small)).run(LocalRunner.get().withMemory(4 << 20));
        assertTrue(s.stage("group").spilledBytes() > 0);
        assertEquals(values(unlimited), values(small), "sketches merge exactly: the same estimates at any budget");
        for (Row r : unlimited) {
            long exact = (Long) r.value("count_distinct(v)");
            long approx = (Long) r.value("approx_count_distinct(v)");
            double tolerance = exact < 200 ? 0.02 : 0.05;
            assertTrue(
                    Math.abs(approx - exact) <= Math.max(1, tolerance * exact),
                    r.get("g") + ": " + approx + " vs " + exact);
        }
        assertEquals(100_000L, unlimited.get(0).value("count_distinct(v)"));
    }

    @Test
    void twoPhaseAggregationOnParallelWorkersEqualsOnePhase() throws Exception {
        StringBuilder sb = new StringBuilder("make,code,date\n");
        Random r = new Random(5);
        for (int i = 0; i < 30_000; i++) {
            String code = i == 777 ? "oops" : r.nextInt(20) == 0 ? "" : Integer.toString(r.nextInt(99));
            sb.append(r.nextInt(50) == 0 ? "" : "MAKE" + r.nextInt(i < 15_000 ? 30 : 25_000))
                    .append(',')
                    .append(code)
                    .append(",2017-")
                    .append(1 + r.nextInt(12))
                    .append('\n');
        }
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, sb.toString());
        Agg[] aggs = {
            Agg.count(),
            Agg.count("code"),
            Agg.sum("code"),
            Agg.avg("code"),
            Agg.min("date"),
            Agg.max("code").numeric()
        };
        Flow<Row> grouped = Flow.from(dev.sluice.csv.Csv.read(csv))
                .onError(ErrorPolicy.skip())
                .groupBy("make")
                .aggregate(aggs);
        assertTrue(grouped.explain().contains("partial group"), grouped.explain());
        List<Row> sequential = new ArrayList<>();
        RunSummary s1 = grouped.to(Sinks.collect(sequential)).run();
        List<Row> parallel = new ArrayList<>();
        RunSummary s2 = grouped.parallel(2)
                .to(Sinks.collect(parallel))
                .run(LocalRunner.get().withThreads(2).withChunkBytes(1 << 10).withMemory(256 << 10));
        assertEquals(values(sequential), values(parallel));
        assertEquals(1, s1.rejected());
        assertEquals(1, s2.rejected());
        // the reference, by hand
        Map<String, long[]> ref = new TreeMap<>();
        for (String line : sb.toString().split("\n")) {
            String[] f = line.split(",", -1);
            if (f[0].equals("make") || f[1].equals("oops")) {
                continue;
            }
            long[] a = ref.computeIfAbsent(f[0].isEmpty() ? "\uffff" : f[0], k -> new long[2]);
            a[0]++;
            a[1] += f[1].isEmpty() ? 0 : Long.parseLong(f[1]);
        }
        assertEquals(ref.size(), sequential.size());
        int k = 0;
        for (Map.Entry<String, long[]> e : ref.entrySet()) {
            Row row = sequential.get(k++);
            assertEquals(e.getValue()[0], row.value("count"), e.getKey());
        }
    }

    /** groupSorted gives groupBy's groups over sorted input, streams (even an endless input) and checks the order. */
    @Test
    void groupSortedEqualsGroupByOnSortedInputStreamsAndNamesTheFirstRowOutOfOrder() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Row r : rows(20_000, 700, 5)) {
            rows.add(r.get("make") == null ? r.with("make", "") : r); // CSV has empty fields, not nulls
        }
        Agg[] aggs = {
            Agg.count(),
            Agg.sum("code"),
            Agg.min("date"),
            Agg.max("date"),
            Agg.first("id"),
            Agg.last("id"),
            Agg.countDistinct("code")
        };
        List<String> expected = new ArrayList<>();
        for (Row r : Flow.from(rows).groupBy("make", "state").aggregate(aggs).toList()) {
            expected.add(r.values().toString());
        }
        List<Row> sortedRows = Flow.from(rows).sortBy("make", "state").toList();
        List<String> got = new ArrayList<>();
        for (Row r : Flow.from(sortedRows)
                .groupSorted("make", "state")
                .aggregate(aggs)
                .toList()) {
            got.add(r.values().toString());
        }
        expected.sort(null);
        got.sort(null);
        assertEquals(expected, got);
        // descending keys, endless input: a group leaves as the next begins
        List<Row> firstThree = Flow.generate(out -> {
                    for (long i = 1L << 40; ; i--) {
                        out.emit(Row.of("k", Long.toString(i / 4), "v", "1"));
                    }
                })
                .groupSorted(SortKey.desc("k").numeric())
                .count()
                .limit(3)
                .toList();
        assertEquals(3, firstThree.size());
        assertEquals(4L, firstThree.get(1).value("count"));
        // out of order in a file: named by record and line
        Path csv = dir.resolve("unsorted.csv");
        Files.writeString(csv, "k,v\na,1\na,2\nb,3\nc,4\nb,5\nd,6\n");
        Exception e = assertThrows(
                SluiceException.class,
                () -> Flow.from(dev.sluice.csv.Csv.read(csv))
                        .groupSorted("k")
                        .count()
                        .toList());
        assertTrue(e.getMessage().contains("failed on record 5"), e.getMessage());
        assertTrue(e.getMessage().contains("unsorted.csv line 6"), e.getMessage());
        assertTrue(e.getMessage().contains("not sorted by [k]: key [b] comes after [c]"), e.getMessage());
        // the skip policy drops it, counted
        List<Row> skipped = new ArrayList<>();
        RunSummary s = Flow.from(dev.sluice.csv.Csv.read(csv))
                .onError(ErrorPolicy.skip())
                .groupSorted("k")
                .count()
                .to(Sinks.collect(skipped))
                .run();
        assertEquals(1, s.rejected());
        assertEquals(
                List.of("[a, 2]", "[b, 1]", "[c, 1]", "[d, 1]"),
                skipped.stream().map(r -> r.values().toString()).toList());
    }

    @Test
    void keysAreTheDistinctKeysInKeyOrderAtAnyBudget() {
        List<Row> input = rows(50_000, 30_000, 9);
        TreeMap<String, Boolean> expected = new TreeMap<>();
        for (Row r : input) {
            String make = r.get("make") == null || r.get("make").isEmpty() ? "\uffff" : r.get("make");
            expected.put(make + "\u0000" + r.get("state"), true); // tuple order: nulls last
        }
        for (long budget : new long[] {64 << 10, 0}) {
            List<Row> out = new ArrayList<>();
            Flow.from(input)
                    .groupBy("make", "state")
                    .keys()
                    .to(Sinks.collect(out))
                    .run(LocalRunner.get().withMemory(budget).withTempDir(dir));
            List<String> got = new ArrayList<>();
            for (Row r : out) {
                assertEquals(List.of("make", "state"), r.schema().names());
                got.add((r.get("make") == null ? "\uffff" : r.get("make")) + "\u0000" + r.get("state"));
            }
            assertTrue(new ArrayList<>(expected.keySet()).equals(got), "budget " + budget);
        }
    }
}
