package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** batch(maxSize, maxWait): a batch closes when full or when its wait is over, even while the source is silent. */
class TimedBatchTest {

    /** A source the test feeds by hand; a negative number ends it. */
    private static Flow<Integer> fed(LinkedBlockingQueue<Integer> q) {
        return Flow.generate(out -> {
            while (true) {
                int x = q.take();
                if (x < 0) {
                    return;
                }
                out.emit(x);
            }
        });
    }

    private static void await(List<List<Integer>> got, int size) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            synchronized (got) {
                if (got.size() >= size) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("expected " + size + " batches, got " + got);
    }

    @Test
    void inVirtualTimeABatchClosesOnItsDeadlineAndNotBefore() throws Exception {
        VirtualClock clock = new VirtualClock();
        LinkedBlockingQueue<Integer> q = new LinkedBlockingQueue<>();
        List<List<Integer>> got = Collections.synchronizedList(new ArrayList<>());
        Pipeline p = fed(q).batch(10, Duration.ofSeconds(1)).to(Sinks.collect(got));
        CompletableFuture<RunSummary> run =
                CompletableFuture.supplyAsync(() -> p.run(LocalRunner.get().withClock(clock)));
        q.put(1);
        q.put(2);
        q.put(3);
        Thread.sleep(100); // real time passes; virtual time does not
        clock.advance(Duration.ofMillis(999));
        Thread.sleep(100);
        assertEquals(List.of(), got, "999 ms after the first record the batch is still open");
        clock.advance(Duration.ofMillis(1));
        await(got, 1);
        assertEquals(List.of(List.of(1, 2, 3)), got, "closed on its deadline, though the source is silent");
        for (int i = 4; i <= 13; i++) {
            q.put(i);
        }
        await(got, 2);
        assertEquals(List.of(4, 5, 6, 7, 8, 9, 10, 11, 12, 13), got.get(1), "a full batch closes at once");
        clock.advance(Duration.ofSeconds(5));
        Thread.sleep(100);
        assertEquals(2, got.size(), "the full batch's timer was cancelled: no empty batch");
        q.put(14);
        q.put(-1);
        RunSummary s = run.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(List.of(1, 2, 3), List.of(4, 5, 6, 7, 8, 9, 10, 11, 12, 13), List.of(14)), got);
        assertEquals(3, s.recordsOut());
    }

    @Test
    void inRealTimeABatchLeavesWhileTheGeneratorSleeps() throws Exception {
        long[] resumed = new long[1];
        Flow<Integer> slow = Flow.generate(out -> {
            out.emit(1);
            out.emit(2);
            Thread.sleep(1500);
            resumed[0] = System.nanoTime();
            out.emit(3);
        });
        List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        List<List<Integer>> got = new ArrayList<>();
        long t0 = System.nanoTime();
        slow.batch(100, Duration.ofMillis(200)).forEach(b -> {
            got.add(b);
            arrivals.add(System.nanoTime());
        });
        assertEquals(List.of(List.of(1, 2), List.of(3)), got);
        assertTrue(arrivals.get(0) < resumed[0], "the first batch left while the generator slept");
        assertTrue(arrivals.get(0) - t0 < TimeUnit.MILLISECONDS.toNanos(1200), "about 200 ms, not 1.5 s");
        // pulled, the same
        try (CloseableIterator<List<Integer>> it =
                slow.batch(100, Duration.ofMillis(200)).iterator()) {
            long start = System.nanoTime();
            assertEquals(List.of(1, 2), it.next());
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1200));
            assertEquals(List.of(3), it.next());
        }
    }

    @Test
    void timedMiniBatchingAndItsChecks() {
        List<Integer> calls = new ArrayList<>();
        List<String> out = Flow.range(0, 25)
                .mapBatches(10, Duration.ofSeconds(30), b -> {
                    calls.add(b.size());
                    return b.stream().map(x -> "r" + x).toList();
                })
                .toList();
        assertEquals(25, out.size());
        assertEquals(List.of(10, 10, 5), calls);
        assertThrows(IllegalArgumentException.class, () -> Flow.of(1).batch(10, Duration.ZERO));
        assertTrue(Flow.of(1).batch(5, Duration.ofMillis(250)).explain().contains("batch(5, PT0.25S)"));
    }

    @Test
    void closingHalfWayStopsTheReadingThreadAndClosesTheSourceOnce() throws Exception {
        java.util.concurrent.atomic.AtomicInteger finallies = new java.util.concurrent.atomic.AtomicInteger();
        Flow<Long> endless = Flow.generate(out -> {
            try {
                for (long i = 0; ; i++) {
                    out.emit(i);
                }
            } finally {
                finallies.incrementAndGet();
            }
        });
        try (CloseableIterator<List<Long>> it =
                endless.batch(1000, Duration.ofSeconds(10)).iterator()) {
            assertEquals(1000, it.next().size());
            assertEquals(1000L, it.next().get(0));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (finallies.get() == 0 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(1, finallies.get(), "the generator's finally ran once");
        assertTrue(
                Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().startsWith("sluice-read-ahead") && t.isAlive()),
                "no reading thread is left");
    }
}
