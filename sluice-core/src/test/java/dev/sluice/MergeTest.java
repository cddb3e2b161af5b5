package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.csv.Csv;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.Graph;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Plans with several inputs: concat, union, their errors, limits, summaries and explain; checks made at build. */
class MergeTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void concatReadsEachInputInTurnAndCountsThemAll() throws Exception {
        Path a = csv("a.csv", "x\n1\n2\n");
        Path b = csv("b.csv", "x\n3\n4\n5\n");
        Path out = dir.resolve("out.csv");
        RunSummary s = Flow.concat(
                        Flow.from(Csv.read(a)), Flow.from(Csv.read(b)).filter(r -> !r.is("x", "4")))
                .map(r -> r.with("x", "v" + r.get("x")))
                .to(Csv.write(out))
                .run();
        assertEquals("x\nv1\nv2\nv3\nv5\n", Files.readString(out));
        assertEquals(5, s.recordsIn());
        assertEquals(4, s.recordsOut());
        assertEquals(
                List.of("csv(a.csv)", "csv(b.csv)", "filter", "concat", "map", "csv(out.csv)"),
                s.stages().stream().map(StageSummary::name).toList());
        assertEquals("concat", s.stage("concat").kind());
        assertEquals(4, s.stage("concat").in());
    }

    @Test
    void concatOpensTheNextInputOnlyWhenTheOneBeforeHasEnded() {
        TrackingSource first = new TrackingSource(3);
        TrackingSource second = new TrackingSource(3);
        try (CloseableIterator<Integer> it =
                Flow.concat(Flow.from(first), Flow.from(second)).iterator()) {
            assertEquals(0, first.opened.get());
            assertEquals(0, it.next());
            assertEquals(1, first.opened.get());
            assertEquals(0, second.opened.get());
            it.next();
            it.next();
            assertEquals(0, it.next()); // the second's first
            assertEquals(1, first.closed.get(), "the first input is closed at its end");
            assertEquals(1, second.opened.get());
        }
        assertEquals(1, second.closed.get());
    }

    @Test
    void aLimitAfterConcatStopsBeforeTheLaterInputsAreOpened() {
        TrackingSource first = new TrackingSource(10);
        TrackingSource second = new TrackingSource(10);
        List<Integer> got =
                Flow.concat(Flow.from(first), Flow.from(second)).limit(4).toList();
        assertEquals(List.of(0, 1, 2, 3), got);
        assertEquals(0, second.opened.get());
        assertEquals(1, first.closed.get());
        List<Integer> across = Flow.concat(Flow.from(first).limit(2), Flow.from(second))
                .limit(5)
                .toList();
        assertEquals(List.of(0, 1, 0, 1, 2), across, "a limit inside one input ends that input only");
        assertEquals(first.opened.get(), first.closed.get());
        assertEquals(second.opened.get(), second.closed.get());
    }

    @Test
    void errorsInAnInputNameItsOwnFileAndLine() throws Exception {
        Path a = csv("a.csv", "x\n1\n2\n");
        Path b = csv("b.csv", "x\n3\noops\n5\n");
        StageException e = assertThrows(
                StageException.class,
                () -> Flow.concat(Flow.from(Csv.read(a)), Flow.from(Csv.read(b)))
                        .map(r -> Integer.parseInt(r.get("x")))
                        .named("parse")
                        .toList());
        assertTrue(e.getMessage().contains("parse"), e.getMessage());
        assertTrue(e.getMessage().contains("b.csv line 3"), e.getMessage());
    }

    @Test
    void rejectionsOfEveryInputCountTowardTheRunAndShareOneDeadLetterFile() throws Exception {
        Path a = csv("a.csv", "x\n1\nbad-a\n");
        Path b = csv("b.csv", "x\nbad-b\n4\n");
        Path dead = dir.resolve("dead.csv");
        for (boolean union : new boolean[] {false, true}) {
            Flow<Integer> ia = Flow.from(Csv.read(a))
                    .map(r -> Integer.parseInt(r.get("x")))
                    .named("parse-a");
            Flow<Integer> ib = Flow.from(Csv.read(b))
                    .map(r -> Integer.parseInt(r.get("x")))
                    .named("parse-b");
            Flow<Integer> both = union ? ia.union(ib) : Flow.concat(ia, ib);
            List<Integer> seen = new ArrayList<>();
            RunSummary s = both.onError(ErrorPolicy.deadLetter(dead)).forEach(seen::add);
            assertEquals(List.of(1, 4), seen.stream().sorted().toList());
            assertEquals(2, s.rejected());
            assertEquals(1, s.stage("parse-a").rejected());
            assertEquals(1, s.stage("parse-b").rejected());
            String letters = Files.readString(dead);
            assertTrue(letters.contains("bad-a") && letters.contains("bad-b"), letters);
            assertTrue(letters.contains("a.csv") && letters.contains("b.csv"), letters);
        }
    }

    @Test
    void unionHasEveryRecordOnceEachInputInItsOrder() {
        Flow<String> a = Flow.range(0, 50_000).map(i -> "a" + i);
        Flow<String> b = Flow.range(0, 30_000).map(i -> "b" + i);
        Flow<String> c = Flow.range(0, 20_000).map(i -> "c" + i);
        for (int round = 0; round < 3; round++) {
            List<String> got = a.union(b, c).toList();
            assertEquals(100_000, got.size());
            Map<Character, Integer> next = new HashMap<>();
            for (String s : got) {
                int n = Integer.parseInt(s.substring(1));
                int expected = next.getOrDefault(s.charAt(0), 0);
                assertEquals(expected, n, "input " + s.charAt(0) + " out of order");
                next.put(s.charAt(0), expected + 1);
            }
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aSilentInputDoesNotHoldBackTheOthers() {
        Flow<Long> silent = Flow.generate("silent", out -> {
            out.emit(-1L);
            Thread.sleep(60_000); // interrupted when the union closes
        });
        long t0 = System.nanoTime();
        List<Long> got;
        try (CloseableIterator<Long> it = silent.union(Flow.range(0, 1000)).iterator()) {
            got = new ArrayList<>();
            while (got.size() < 1001) {
                got.add(it.next());
            }
        }
        assertTrue(got.contains(-1L));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void aFailingInputFailsTheUnionAndTheOthersAreClosed() {
        TrackingSource other = new TrackingSource(1_000_000);
        Flow<Integer> failing = Flow.range(0, 100)
                .map(i -> {
                    if (i == 50) {
                        throw new IllegalStateException("boom at 50");
                    }
                    return i.intValue();
                })
                .named("explode");
        StageException e = assertThrows(
                StageException.class, () -> failing.union(Flow.from(other)).count());
        assertTrue(e.getMessage().contains("explode"), e.getMessage());
        assertEquals(other.opened.get(), other.closed.get());
    }

    @Test
    void explainShowsTheInputsAboveTheMerge() throws Exception {
        Path a = csv("a.csv", "x\n1\n");
        String text = Flow.concat(Flow.from(Csv.read(a)).limit(1), Flow.of(Row.of("x", "2")))
                .filter(r -> true)
                .to(Sinks.discard())
                .explain();
        String expected = String.join(
                "\n",
                "input 1 of concat:",
                "       csv(a.csv)  streaming  source",
                "    -> limit       streaming  limit(1)",
                "input 2 of concat:",
                "       iterable    streaming  source",
                "   concat          streaming  concat of 2 inputs, in order",
                "-> filter          streaming  filter",
                "-> discard         streaming  sink",
                "error policy: fail");
        assertEquals(expected, text);
    }

    /** A stand-in for a blocking stage (sort, group) until they exist: holds everything. */
    static final class HoldAll extends Stage {
        private static final long serialVersionUID = 1L;

        HoldAll(Stage up) {
            super(up, "hold-all");
        }

        @Override
        public String describe() {
            return "holds all";
        }

        @Override
        public MemoryClass memoryClass() {
            return MemoryClass.BLOCKING;
        }

        @Override
        public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
            throw new UnsupportedOperationException();
        }
    }

    private static Stage tail(Flow<?> f) {
        Plan p = f.plan();
        try {
            java.lang.reflect.Method m = Plan.class.getDeclaredMethod("tail");
            m.setAccessible(true);
            return (Stage) m.invoke(p);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBlockingStageOnAnEndlessInputIsRefusedWhenThePlanIsBuilt() {
        Flow<Long> endless = Flow.generate("ticks", out -> {
            for (long i = 0; ; i++) {
                out.emit(i);
            }
        });
        assertTrue(endless.isUnbounded());
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> Graph.validate(new HoldAll(tail(endless.map(i -> i)))));
        assertEquals(
                "hold-all needs all of its input before it can emit, but its input from ticks may be endless: bound "
                        + "it first (limit(n)), or declare that it ends (bounded())",
                e.getMessage());
        Flow<Long> merged = Flow.concat(Flow.range(0, 3), endless);
        assertTrue(merged.isUnbounded());
        assertThrows(IllegalStateException.class, () -> Graph.validate(new HoldAll(tail(merged))));
        // bounded by a limit, or by the user's word
        Graph.validate(new HoldAll(tail(endless.limit(10))));
        Graph.validate(new HoldAll(tail(endless.bounded())));
        assertFalse(endless.limit(10).isUnbounded());
        assertFalse(Flow.range(0, 3).isUnbounded());
        assertFalse(Flow.concat(Flow.range(0, 3), endless.limit(1)).isUnbounded());
        assertEquals(List.of(0L, 1L, 2L), endless.bounded().limit(3).toList());
    }
}
