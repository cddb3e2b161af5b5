package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** distinct: the first of each key, in input order, the same at any budget; streaming while it fits. */
class DistinctTest {
    @TempDir
    Path dir;

    private static List<Row> rows(int n, int keys, long seed) {
        Random r = new Random(seed);
        Schema s = Schema.of("plate", "state", "id");
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String plate = r.nextInt(3) == 0 ? "HOT" : "P" + r.nextInt(keys);
            out.add(s.row(r.nextInt(40) == 0 ? "" : plate, r.nextBoolean() ? "NY" : "NJ", Integer.toString(i)));
        }
        return out;
    }

    private static List<String> reference(List<Row> rows, boolean allColumns) {
        Map<List<String>, String> first = new LinkedHashMap<>();
        for (Row r : rows) {
            List<String> k = allColumns ? r.values() : List.of(r.get("plate"), r.get("state"));
            first.putIfAbsent(k, r.get("id"));
        }
        return new ArrayList<>(first.values());
    }

    @Test
    void firstOfEachKeyInInputOrderAtEveryBudget() throws Exception {
        for (int keys : new int[] {10, 40_000}) {
            List<Row> input = rows(100_000, keys, keys);
            List<String> expected = reference(input, false);
            for (long budget : new long[] {256 << 10, 4 << 20, 0}) {
                List<Row> out = new ArrayList<>();
                RunSummary s = Flow.from(input)
                        .distinct("plate", "state")
                        .to(Sinks.collect(out))
                        .run(LocalRunner.get().withMemory(budget).withTempDir(dir));
                assertEquals(expected, out.stream().map(r -> r.get("id")).toList(), keys + " keys, budget " + budget);
                if (keys > 10 && budget == 256 << 10) {
                    assertTrue(s.stage("distinct").spilledBytes() > 0);
                }
                try (Stream<Path> left = Files.list(dir)) {
                    assertEquals(0, left.count());
                }
            }
        }
        List<Row> dup = new ArrayList<>(rows(1000, 50, 1));
        dup.addAll(dup);
        assertEquals(1000, Flow.from(dup).distinct().count(), "whole rows: the second copy goes");
        assertEquals(
                List.of("b", "a", "c"),
                Flow.of("b", "a", "b", "c", "a").distinct().toList());
    }

    @Test
    void itStreamsWhileItsKeysFitEvenOnAnEndlessInput() {
        AtomicLong made = new AtomicLong();
        Flow<Row> endless = Flow.generate(out -> {
            for (long i = 0; ; i++) {
                made.incrementAndGet();
                out.emit(Row.of("k", Long.toString(i % 5)));
            }
        });
        try (CloseableIterator<Row> it = endless.distinct("k").iterator()) {
            for (int i = 0; i < 5; i++) {
                assertEquals(Integer.toString(i), it.next().get("k"));
            }
        }
        assertTrue(made.get() < 100, "pulled lazily: " + made.get());
        Flow<Row> growing = Flow.generate(out -> {
            for (long i = 0; ; i++) {
                out.emit(Row.of("k", Long.toString(i)));
            }
        });
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> growing.distinct("k")
                        .to(Sinks.discard())
                        .run(LocalRunner.get().withMemory(256 << 10)));
        assertTrue(
                e.getMessage().startsWith("distinct remembers every key it has seen, and on an endless input"),
                e.getMessage());
    }
}
