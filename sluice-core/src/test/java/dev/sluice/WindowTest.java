package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.op.WindowStage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Windows: allowed lateness, idleness in virtual time, late records, session state, checkpoints, processing time. */
class WindowTest {
    private static final Schema SCHEMA = Schema.of("k", "time");
    private static final Row END = Row.of("end", "end");
    private static final Instant T0 = Instant.parse("2015-05-17T10:00:00Z");

    private static Row row(String origin, String key, Instant time) {
        return Row.of(SCHEMA, new Object[] {key, time}, origin == null ? null : new Location(origin, 1, 1));
    }

    private static Row row(String key, long millis) {
        return Row.of(SCHEMA, new Object[] {key, millis}, null);
    }

    private static Instant at(int minutes, int seconds) {
        return T0.plusSeconds(minutes * 60L + seconds);
    }

    /** A source the test feeds by hand; {@link #END} ends it. */
    private static Flow<Row> fed(LinkedBlockingQueue<Row> q) {
        return Flow.generate(out -> {
            while (true) {
                Row r = q.take();
                if (r == END) {
                    return;
                }
                out.emit(r);
            }
        });
    }

    private static void await(List<Row> got, int size) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            synchronized (got) {
                if (got.size() >= size) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("expected " + size + " rows, got " + got);
    }

    private static String show(Row r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.value("window_start")).append('-').append(r.value("window_end"));
        for (String n : r.schema().names()) {
            if (!n.startsWith("window_") && !n.equals("update")) {
                sb.append(' ').append(n).append('=').append(r.value(n));
            }
        }
        return sb.append(Boolean.TRUE.equals(r.value("update")) ? " update" : "")
                .toString();
    }

    private static List<String> show(List<Row> rows) {
        List<String> s = new ArrayList<>();
        synchronized (rows) {
            for (Row r : rows) {
                s.add(show(r));
            }
        }
        return s;
    }

    @Test
    void allowedLatenessReFiresWithUpdateAndLaterRecordsGoToTheSideOutput() {
        List<Row> late = Collections.synchronizedList(new ArrayList<>());
        List<Row> input = List.of(
                row(null, "a", at(0, 10)),
                row(null, "b", at(0, 20)),
                row(null, "a", at(1, 5)), // watermark 10:01:05: [10:00, 10:01) fires
                row(null, "a", at(0, 30)), // within the allowed lateness: a's row again, updated
                row(null, "c", at(0, 40)), // a key new to the fired window: its first row
                row(null, "a", at(7, 0)), // watermark 10:07: [10:00, 10:01) is dropped (end + 5 min)
                row(null, "b", at(0, 50))); // late
        List<Row> out = new ArrayList<>();
        RunSummary s = Flow.from(input)
                .window(Window.tumbling(Duration.ofMinutes(1))
                        .on("time")
                        .allowedLateness(Duration.ofMinutes(5))
                        .lateTo(Sinks.collect(late)))
                .groupBy("k")
                .aggregate(Agg.count(), Agg.max("time"))
                .to(Sinks.collect(out))
                .run();
        assertEquals(
                List.of(
                        "2015-05-17T10:00:00Z-2015-05-17T10:01:00Z k=a count=1 max(time)=2015-05-17T10:00:10Z",
                        "2015-05-17T10:00:00Z-2015-05-17T10:01:00Z k=b count=1 max(time)=2015-05-17T10:00:20Z",
                        "2015-05-17T10:00:00Z-2015-05-17T10:01:00Z k=a count=2 max(time)=2015-05-17T10:00:30Z update",
                        "2015-05-17T10:00:00Z-2015-05-17T10:01:00Z k=c count=1 max(time)=2015-05-17T10:00:40Z",
                        "2015-05-17T10:01:00Z-2015-05-17T10:02:00Z k=a count=1 max(time)=2015-05-17T10:01:05Z",
                        "2015-05-17T10:07:00Z-2015-05-17T10:08:00Z k=a count=1 max(time)=2015-05-17T10:07:00Z"),
                show(out));
        assertEquals(List.of(input.get(6)), late, "the side output holds exactly the late record");
        assertEquals(1, s.late());
        assertEquals(1, s.rejected());
        assertEquals(
                "late: event time 2015-05-17T10:00:50Z is 370 s behind the watermark 2015-05-17T10:07:00Z; window "
                        + "[2015-05-17T10:00:00Z, 2015-05-17T10:01:00Z) closed (allowed lateness PT5M)",
                s.firstRejections().get(0).reason());
        assertEquals(7, s.stage("window").in());
        assertEquals(6, s.stage("window").out());
    }

    @Test
    void aLateRecordNeverFailsTheRunAndReachesTheDeadLetters() {
        List<Rejected> dead = new ArrayList<>();
        RunSummary s = Flow.of(row("a", 120_000), row("a", 1_000), row("a", 2_000))
                .window(Window.tumbling(Duration.ofMinutes(1)).on("time"))
                .count()
                .onError(ErrorPolicy.deadLetter(Sinks.collect(dead)))
                .run();
        assertEquals(2, s.late());
        assertEquals(2, dead.size());
        assertTrue(dead.get(0).reason().startsWith("late: event time 1970-01-01T00:00:01Z is 119 s behind"));
        // under the default policy (fail) too: late records are never errors
        assertEquals(
                2,
                Flow.of(row("a", 120_000), row("a", 1_000))
                        .window(Window.tumbling(Duration.ofMinutes(1)).on("time"))
                        .count()
                        .to(Sinks.discard())
                        .run()
                        .recordsIn());
    }

    @Test
    void anIdleInputStopsHoldingTheWatermarkAndAllIdleAdvancesWithTheClock() throws Exception {
        VirtualClock clock = new VirtualClock();
        LinkedBlockingQueue<Row> q = new LinkedBlockingQueue<>();
        List<Row> got = Collections.synchronizedList(new ArrayList<>());
        List<Row> late = Collections.synchronizedList(new ArrayList<>());
        Pipeline p = fed(q).window(Window.tumbling(Duration.ofMinutes(1))
                        .on("time")
                        .idleAfter(Duration.ofSeconds(10))
                        .lateTo(Sinks.collect(late)))
                .groupBy("k")
                .count()
                .to(Sinks.collect(got));
        CompletableFuture<RunSummary> run =
                CompletableFuture.supplyAsync(() -> p.run(LocalRunner.get().withClock(clock)));
        q.put(row("a.log", "x", at(0, 5)));
        q.put(row("b.log", "x", at(0, 10)));
        q.put(row("a.log", "x", at(1, 30))); // a's watermark 10:01:30, b's 10:00:10: nothing fires
        Thread.sleep(150);
        clock.advance(Duration.ofSeconds(6));
        q.put(row("a.log", "y", at(1, 31))); // a is heard from at 6 s; b last at 0 s
        Thread.sleep(150);
        assertEquals(List.of(), show(got), "b holds the watermark back");
        clock.advance(Duration.ofMillis(3_999));
        Thread.sleep(150);
        assertEquals(List.of(), show(got), "b is not idle before 10 s of silence");
        clock.advance(Duration.ofMillis(1));
        await(got, 1);
        assertEquals(
                List.of("2015-05-17T10:00:00Z-2015-05-17T10:01:00Z k=x count=2"),
                show(got),
                "b is idle: a alone holds the watermark (10:01:31), [10:00, 10:01) fires while the source is silent");
        // at 16 s a is idle too: event time moves on with the clock from the last arrival (6 s, at 10:01:31), so
        // [10:01, 10:02) fires when the watermark reaches 10:02:00, at 6 s + 29 s
        clock.advance(Duration.ofSeconds(24));
        Thread.sleep(150);
        assertEquals(1, got.size(), "34 s: the watermark is at 10:01:59");
        clock.advance(Duration.ofSeconds(1));
        await(got, 3);
        assertEquals(
                List.of(
                        "2015-05-17T10:00:00Z-2015-05-17T10:01:00Z k=x count=2",
                        "2015-05-17T10:01:00Z-2015-05-17T10:02:00Z k=x count=1",
                        "2015-05-17T10:01:00Z-2015-05-17T10:02:00Z k=y count=1"),
                show(got));
        Row bLate = row("b.log", "x", at(1, 50));
        q.put(bLate); // b rejoins, behind the watermark: late
        q.put(row("b.log", "x", at(2, 10)));
        q.put(END);
        RunSummary s = run.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(bLate), late);
        assertEquals(1, s.late());
        assertEquals("2015-05-17T10:02:00Z-2015-05-17T10:03:00Z k=x count=1", show(got.get(3)));
        assertEquals(4, got.size());
    }

    @Test
    void processingTimeWindowsFireOnTheClockWhileTheSourceIsSilent() throws Exception {
        VirtualClock clock = new VirtualClock();
        LinkedBlockingQueue<Row> q = new LinkedBlockingQueue<>();
        List<Row> got = Collections.synchronizedList(new ArrayList<>());
        Pipeline p = fed(q).window(Window.tumbling(Duration.ofMinutes(1)).processingTime())
                .groupBy("k")
                .count()
                .to(Sinks.collect(got));
        CompletableFuture<RunSummary> run =
                CompletableFuture.supplyAsync(() -> p.run(LocalRunner.get().withClock(clock)));
        q.put(row("a", 0));
        q.put(row("a", 0));
        q.put(row("b", 0));
        Thread.sleep(150);
        clock.advance(Duration.ofSeconds(30));
        q.put(row("a", 0));
        Thread.sleep(150);
        clock.advance(Duration.ofMillis(29_999));
        Thread.sleep(150);
        assertEquals(List.of(), show(got));
        clock.advance(Duration.ofMillis(1));
        await(got, 2);
        assertEquals(
                List.of(
                        "1970-01-01T00:00:00Z-1970-01-01T00:01:00Z k=a count=3",
                        "1970-01-01T00:00:00Z-1970-01-01T00:01:00Z k=b count=1"),
                show(got),
                "under a virtual clock, processing time is Instant.EPOCH plus its nanoTime()");
        q.put(row("b", 0));
        q.put(END);
        RunSummary s = run.get(10, TimeUnit.SECONDS);
        assertEquals("1970-01-01T00:01:00Z-1970-01-01T00:02:00Z k=b count=1", show(got.get(2)));
        assertEquals(0, s.late());
    }

    @Test
    void inRealTimeAProcessingTimeWindowLeavesWhileTheGeneratorSleeps() {
        long[] resumed = new long[1];
        Flow<Row> slow = Flow.generate(out -> {
            out.emit(row("a", 0));
            out.emit(row("a", 0));
            out.emit(row("a", 0));
            Thread.sleep(1200);
            resumed[0] = System.nanoTime();
            out.emit(row("a", 0));
        });
        List<Long> arrivals = new ArrayList<>();
        List<Row> got = new ArrayList<>();
        long t0 = System.nanoTime();
        slow.window(Window.tumbling(Duration.ofMillis(300)).processingTime())
                .count()
                .forEach(r -> {
                    got.add(r);
                    arrivals.add(System.nanoTime());
                });
        long before = 0;
        long total = 0;
        for (int i = 0; i < got.size(); i++) {
            Row r = got.get(i);
            Instant start = (Instant) r.value("window_start");
            assertEquals(
                    300,
                    Duration.between(start, (Instant) r.value("window_end")).toMillis());
            assertEquals(0, start.toEpochMilli() % 300, "aligned to the epoch on the wall clock");
            total += (Long) r.value("count");
            if (arrivals.get(i) < resumed[0]) {
                before += (Long) r.value("count");
            }
        }
        assertEquals(4, total);
        assertEquals(3, before, "the first records' windows left while the generator slept");
        assertTrue(arrivals.get(0) - t0 < TimeUnit.MILLISECONDS.toNanos(1000), "about 300 ms, not 1.2 s");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3));
    }

    /** A window stage's link, driven by hand: the output counted, or kept. */
    private static WindowStage.WindowLink link(Flow<Row> windowed, List<Row> keep, long[] count) {
        WindowStage stage = (WindowStage) windowed.tail();
        StageStats stats = new StageStats("window", "window", MemoryClass.BOUNDED, 1);
        return (WindowStage.WindowLink) stage.link(
                new Downstream<>() {
                    @Override
                    public void push(Object t) {
                        count[0]++;
                        if (keep != null) {
                            keep.add((Row) t);
                        }
                    }
                },
                stats,
                new RunState(ErrorPolicy.skip(), "test"));
    }

    @Test
    void sessionStateIsFreedWhenSessionsFire() {
        Flow<Row> sessions = Flow.<Row>empty()
                .window(Window.session(Duration.ofSeconds(1)).on("time"))
                .groupBy("k")
                .count();
        // a million keys, one record each, a millisecond apart: each session is freed once the watermark passes it
        long[] count = new long[1];
        WindowStage.WindowLink link = link(sessions, null, count);
        long most = 0;
        for (int i = 0; i < 1_000_000; i++) {
            link.push(row("k" + i, i));
            if (i % 1000 == 0) {
                most = Math.max(most, link.liveEntries());
            }
        }
        assertTrue(most <= 1001, "at most a second's sessions are held, was " + most);
        link.push(row("last", 10_000_000));
        assertEquals(1, link.liveEntries(), "the watermark passed every session but the last key's");
        assertEquals(1, link.sessionKeys());
        assertEquals(1_000_000, count[0]);
        link.finish();
        assertEquals(0, link.liveEntries());
        assertEquals(0, link.sessionKeys());

        // 200,000 sessions open at once, then the watermark passes them all
        long[] count2 = new long[1];
        WindowStage.WindowLink many = link(sessions, null, count2);
        for (int i = 0; i < 200_000; i++) {
            many.push(row("k" + i, i % 500));
        }
        assertEquals(200_000, many.liveEntries());
        assertEquals(200_000, many.sessionKeys());
        assertEquals(0, count2[0]);
        many.push(row("k1", 60_000));
        assertEquals(1, many.liveEntries());
        assertEquals(1, many.sessionKeys());
        assertEquals(200_000, count2[0]);
    }

    @Test
    void sessionsMergeWhenARecordBridgesThem() {
        List<Row> out = Flow.of(
                        row("a", 0),
                        row("a", 15_000), // two sessions of a: [0, 10 s) and [15 s, 25 s)
                        row("b", 5_000),
                        row("a", 10_000), // exactly the gap after a's first: joins only the second, [10 s, 25 s)...
                        row("a", 8_000), // ... until this one bridges the two: [0, 25 s)
                        row("a", 100_000))
                .window(Window.session(Duration.ofSeconds(10)).on("time").outOfOrder(Duration.ofSeconds(60)))
                .groupBy("k")
                .aggregate(Agg.count(), Agg.min("time").numeric())
                .toList();
        assertEquals(
                List.of(
                        "5000-15000 k=b count=1 min(time)=5000",
                        "0-25000 k=a count=4 min(time)=0",
                        "100000-110000 k=a " + "count=1 min(time)=100000"),
                show(out));
    }

    private static List<Row> synthetic() {
        Random random = new Random(42);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            long t = 1_000_000L + i * 500L + random.nextInt(40_000) - 30_000;
            if (random.nextInt(50) == 0) {
                t -= 400_000; // far behind: late
            }
            rows.add(row("k" + random.nextInt(20), t));
        }
        return rows;
    }

    private static Serializable roundTrip(Serializable s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Serializable) in.readObject();
        }
    }

    @Test
    void aSnapshotRestoredIntoAFreshLinkContinuesAsIfTheRunHadNotStopped() throws Exception {
        List<Row> rows = synthetic();
        for (Window spec : List.of(
                Window.tumbling(Duration.ofMinutes(1)),
                Window.sliding(Duration.ofMinutes(2), Duration.ofSeconds(30)),
                Window.session(Duration.ofSeconds(2)))) {
            Flow<Row> flow = Flow.<Row>empty()
                    .window(spec.on("time").outOfOrder(Duration.ofSeconds(5)).allowedLateness(Duration.ofSeconds(60)))
                    .groupBy("k")
                    .aggregate(Agg.count(), Agg.sum("time"), Agg.first("time"), Agg.countDistinct("time"));
            List<Row> whole = new ArrayList<>();
            WindowStage.WindowLink one = link(flow, whole, new long[1]);
            for (Row r : rows) {
                one.push(r);
            }
            one.finish();

            List<Row> resumed = new ArrayList<>();
            WindowStage.WindowLink first = link(flow, resumed, new long[1]);
            for (Row r : rows.subList(0, rows.size() / 2)) {
                first.push(r);
            }
            Serializable state = roundTrip(first.snapshot());
            WindowStage.WindowLink second = link(flow, resumed, new long[1]);
            second.restore(state);
            assertEquals(first.liveEntries(), second.liveEntries());
            assertEquals(first.watermark(), second.watermark());
            for (Row r : rows.subList(rows.size() / 2, rows.size())) {
                second.push(r);
            }
            second.finish();
            assertTrue(one.lateCount() > 0, spec + ": late records");
            assertEquals(one.lateCount(), second.lateCount(), spec + ": the late count goes on");
            assertTrue(whole.stream().anyMatch(r -> Boolean.TRUE.equals(r.value("update"))), spec + ": updates");
            assertEquals(show(whole), show(resumed), spec.toString());
        }
    }

    @Test
    void recordsWithoutAUsableTimeAreRejectedNamingTheColumnAndValue() {
        List<Row> input = List.of(
                row("a", 1_000),
                Row.of(SCHEMA, new Object[] {"a", null}, null),
                Row.of(SCHEMA, new Object[] {"a", "yesterday"}, null),
                Row.of(SCHEMA, new Object[] {"a", "1970-01-01T00:00:02Z"}, null),
                Row.of(SCHEMA, new Object[] {"a", "3000"}, null));
        RunSummary s = Flow.from(input)
                .window(Window.tumbling(Duration.ofMinutes(1)).on("time"))
                .count()
                .onError(ErrorPolicy.skip())
                .to(Sinks.discard())
                .run();
        assertEquals(2, s.rejected());
        assertEquals(0, s.late());
        assertTrue(s.firstRejections().get(0).reason().contains("time column 'time' is empty"));
        assertTrue(s.firstRejections().get(1).reason().contains("time column 'time' has 'yesterday', which is not"));
        List<Row> out = Flow.concat(Flow.from(input.subList(0, 1)), Flow.from(input.subList(3, 5)))
                .window(Window.tumbling(Duration.ofMinutes(1)).on("time"))
                .count()
                .toList();
        assertEquals(List.of("0-60000 count=3"), show(out), "ISO text and digits are times too; bounds as millis");
        assertThrows(
                StageException.class,
                () -> Flow.from(input.subList(1, 2))
                        .window(Window.tumbling(Duration.ofMinutes(1)).on("time"))
                        .count()
                        .toList());
    }

    @Test
    void pulledOneRowAtATimeTheSameAsPushed() {
        Flow<Row> windows = Flow.from(synthetic())
                .window(Window.sliding(Duration.ofMinutes(2), Duration.ofSeconds(30))
                        .on("time")
                        .outOfOrder(Duration.ofSeconds(5))
                        .allowedLateness(Duration.ofSeconds(60)))
                .groupBy("k")
                .count();
        List<Row> pulled = new ArrayList<>();
        try (CloseableIterator<Row> it = windows.iterator()) {
            it.forEachRemaining(pulled::add);
        }
        assertEquals(show(windows.toList()), show(pulled));
        assertEquals(show(windows.toList().subList(0, 3)), show(windows.limit(3).toList()));
    }

    @Test
    void specsAreCheckedAndExplained() {
        Flow<Row> f = Flow.of(row("a", 1));
        assertThrows(IllegalArgumentException.class, () -> f.window(Window.tumbling(Duration.ofMinutes(1))));
        assertThrows(
                IllegalArgumentException.class, () -> Window.sliding(Duration.ofMinutes(1), Duration.ofMinutes(2)));
        assertThrows(
                IllegalArgumentException.class,
                () -> f.window(
                        Window.tumbling(Duration.ofMinutes(1)).processingTime().outOfOrder(Duration.ofSeconds(1))));
        assertThrows(
                IllegalArgumentException.class,
                () -> f.window(Window.tumbling(Duration.ofMinutes(1)).on("time"))
                        .groupBy("update")
                        .count());
        String plan = f.window(Window.tumbling(Duration.ofMinutes(1))
                        .on("time")
                        .outOfOrder(Duration.ofSeconds(60))
                        .idleAfter(Duration.ofSeconds(5)))
                .groupBy("k")
                .count()
                .explain();
        assertTrue(
                plan.contains("window tumbling(PT1M) on time, out of order PT1M, idle after PT5S; group by k: [count]"),
                plan);
        assertTrue(plan.contains("-> window    bounded"), plan);
    }
}
