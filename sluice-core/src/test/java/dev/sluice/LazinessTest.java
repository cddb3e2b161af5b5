package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Building runs nothing; pulling runs just far enough, like next() on a Python generator chain. */
class LazinessTest {

    @Test
    void buildingAPipelineRunsNothing() {
        TrackingSource src = new TrackingSource(100);
        AtomicInteger calls = new AtomicInteger();
        Flow<Integer> f = Flow.from(src)
                .map(x -> {
                    calls.incrementAndGet();
                    return x;
                })
                .batch(10)
                .flatMap(b -> b);
        f.explain();
        CloseableIterator<Integer> it = f.iterator();
        assertEquals(0, src.opened.get());
        assertEquals(0, calls.get());
        it.close();
        assertEquals(0, src.opened.get(), "an iterator closed before its first pull opens nothing");
    }

    @Test
    void miniBatchingCallsTheServiceOncePerBatchWhenPulled() {
        AtomicInteger serviceCalls = new AtomicInteger();
        TrackingSource src = new TrackingSource(25_000);
        Flow<String> enriched = Flow.from(src).mapBatches(10_000, batch -> {
            serviceCalls.incrementAndGet(); // one paid call per batch
            List<String> out = new ArrayList<>(batch.size());
            for (Integer x : batch) {
                out.add("enriched-" + x);
            }
            return out;
        });
        try (CloseableIterator<String> it = enriched.iterator()) {
            assertEquals(0, serviceCalls.get());
            assertEquals("enriched-0", it.next());
            assertEquals(1, serviceCalls.get(), "the first next() triggers one call");
            for (int i = 1; i < 10_000; i++) {
                assertEquals("enriched-" + i, it.next());
            }
            assertEquals(1, serviceCalls.get(), "the next 9,999 trigger none");
            assertEquals(10_000, src.read.get());
            assertEquals("enriched-10000", it.next());
            assertEquals(2, serviceCalls.get(), "the 10,001st triggers the second");
            int rest = 0;
            while (it.hasNext()) {
                it.next();
                rest++;
            }
            assertEquals(25_000 - 10_001, rest);
            assertEquals(3, serviceCalls.get(), "the partial last batch is one more call");
        }
    }

    @Test
    void generatorRunsInLockStepWithNext() {
        List<String> log = new ArrayList<>();
        Flow<Integer> counting = Flow.generate(out -> {
            int i = 0;
            while (true) {
                synchronized (log) {
                    log.add("yield " + i);
                }
                out.emit(i++);
            }
        });
        try (CloseableIterator<Integer> it = counting.iterator()) {
            synchronized (log) {
                assertEquals(List.of(), log);
            }
            assertEquals(0, it.next());
            synchronized (log) {
                assertEquals(List.of("yield 0"), log, "runs just far enough to produce one value");
            }
            assertEquals(1, it.next());
            assertEquals(2, it.next());
            synchronized (log) {
                assertEquals(List.of("yield 0", "yield 1", "yield 2"), log);
            }
        }
    }

    @Test
    void pushedGeneratorRunsInlineWithoutAThread() {
        List<String> threads = new ArrayList<>();
        Flow.<Integer>generate(out -> {
                    threads.add(Thread.currentThread().getName());
                    out.emit(1);
                })
                .toList();
        assertEquals(List.of(Thread.currentThread().getName()), threads);
    }

    @Test
    void generatorFailureSurfacesAtTheConsumer() {
        Flow<Integer> bad = Flow.generate(out -> {
            out.emit(1);
            throw new java.io.IOException("disk gone");
        });
        try (CloseableIterator<Integer> it = bad.iterator()) {
            assertEquals(1, it.next());
            java.io.UncheckedIOException e =
                    org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class, it::next);
            assertEquals("disk gone", e.getCause().getMessage(), "IOException arrives unchecked, the cause kept");
            assertFalse(it.hasNext());
        }
        org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class, bad::run);
    }
}
