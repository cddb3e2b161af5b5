package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every source is closed exactly once, however the run ends. */
class ResourceSafetyTest {

    private static void assertClosedOnce(TrackingSource src) {
        assertEquals(1, src.opened.get(), "opened");
        assertEquals(1, src.closed.get(), "closed exactly once");
    }

    @Test
    void onCompletion() {
        TrackingSource src = new TrackingSource(100);
        Flow.from(src).map(x -> x + 1).run();
        assertClosedOnce(src);
        TrackingSource src2 = new TrackingSource(100);
        try (CloseableIterator<Integer> it = Flow.from(src2).iterator()) {
            while (it.hasNext()) {
                it.next();
            }
            assertClosedOnce(src2); // closed as soon as exhausted
        }
        assertClosedOnce(src2);
    }

    @Test
    void onFailureInAnyStage() {
        TrackingSource src = new TrackingSource(100);
        assertThrows(
                StageException.class,
                () -> Flow.from(src)
                        .map(x -> {
                            if (x == 50) {
                                throw new IllegalStateException("boom");
                            }
                            return x;
                        })
                        .filter(x -> true)
                        .run());
        assertClosedOnce(src);

        TrackingSource src2 = new TrackingSource(100);
        assertThrows(
                StageException.class,
                () -> Flow.from(src2)
                        .filter(x -> {
                            if (x == 7) {
                                throw new Exception("checked");
                            }
                            return true;
                        })
                        .toList());
        assertClosedOnce(src2);

        TrackingSource src3 = new TrackingSource(100);
        try (CloseableIterator<Integer> it =
                Flow.from(src3).map(x -> 10 / (x - 3)).iterator()) {
            it.next();
            it.next();
            it.next();
            assertThrows(StageException.class, it::next);
            assertClosedOnce(src3);
        }
        assertClosedOnce(src3);
    }

    @Test
    void whenTheSinkFails() {
        TrackingSource src = new TrackingSource(100);
        AtomicInteger sinkClosed = new AtomicInteger();
        Sink<Integer> failing = new Sink<>() {
            @Override
            public SinkWriter<Integer> open() {
                return new SinkWriter<>() {
                    @Override
                    public void write(Integer record) throws Exception {
                        if (record == 3) {
                            throw new java.io.IOException("disk full");
                        }
                    }

                    @Override
                    public void close(boolean success) {
                        assertEquals(false, success);
                        sinkClosed.incrementAndGet();
                    }
                };
            }

            @Override
            public String name() {
                return "failing";
            }
        };
        SluiceException e = assertThrows(
                SluiceException.class, () -> Flow.from(src).to(failing).run());
        assertEquals("writing to failing failed: disk full", e.getMessage());
        assertClosedOnce(src);
        assertEquals(1, sinkClosed.get());
    }

    @Test
    void whenTheConsumerThrows() {
        TrackingSource src = new TrackingSource(100);
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Flow.from(src).forEach(x -> {
                    if (x == 5) {
                        throw new IllegalStateException("consumer gave up");
                    }
                }));
        assertEquals("consumer gave up", e.getMessage());
        assertClosedOnce(src);
        assertEquals(6, src.read.get());
    }

    @Test
    void whenALimitIsReached() {
        TrackingSource src = new TrackingSource(1_000_000);
        assertEquals(3, Flow.from(src).limit(3).toList().size());
        assertClosedOnce(src);
        assertEquals(3, src.read.get(), "nothing is read past the limit");

        TrackingSource src2 = new TrackingSource(1_000_000);
        assertEquals(Optional.of(0), Flow.from(src2).first());
        assertClosedOnce(src2);
        assertEquals(1, src2.read.get());
    }

    @Test
    void whenTheIteratorIsClosedHalfWay() {
        TrackingSource src = new TrackingSource(100);
        CloseableIterator<Integer> it = Flow.from(src).iterator();
        it.next();
        it.next();
        it.close();
        assertClosedOnce(src);
        it.close();
        assertClosedOnce(src);
        assertEquals(false, it.hasNext());
    }

    private static int firstOver(Flow<Integer> f, int threshold) {
        try (CloseableIterator<Integer> it = f.iterator()) {
            while (it.hasNext()) {
                int x = it.next();
                if (x > threshold) {
                    return x; // an early return
                }
            }
            return -1;
        }
    }

    @Test
    void onAnEarlyReturn() {
        TrackingSource src = new TrackingSource(100);
        assertEquals(11, firstOver(Flow.from(src), 10));
        assertClosedOnce(src);
    }

    @Test
    void whenAnAbandonedIteratorIsCollected() throws Exception {
        TrackingSource src = new TrackingSource(100);
        abandon(src);
        for (int i = 0; i < 50 && src.closed.get() == 0; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertClosedOnce(src);
    }

    private static void abandon(TrackingSource src) {
        CloseableIterator<Integer> it = Flow.from(src).iterator();
        it.next();
    }

    @Test
    void generatorsUnwindTheirFinallyBlocks() throws Exception {
        AtomicInteger finallyRan = new AtomicInteger();
        Flow<Integer> gen = Flow.generate(out -> {
            try {
                for (int i = 0; ; i++) {
                    out.emit(i);
                }
            } finally {
                finallyRan.incrementAndGet();
            }
        });
        assertEquals(5, gen.limit(5).toList().size());
        assertEquals(1, finallyRan.get(), "pushed: the limit unwinds the generator");

        CountDownLatch done = new CountDownLatch(1);
        Flow<Integer> gen2 = Flow.generate(out -> {
            try {
                for (int i = 0; ; i++) {
                    out.emit(i);
                }
            } finally {
                done.countDown();
            }
        });
        try (CloseableIterator<Integer> it = gen2.iterator()) {
            it.next();
            it.next();
        }
        assertTrue(done.await(5, TimeUnit.SECONDS), "pulled: closing the iterator unwinds the generator thread");

        AtomicInteger finallyOnFailure = new AtomicInteger();
        assertThrows(
                StageException.class,
                () -> Flow.<Integer>generate(out -> {
                            try {
                                for (int i = 0; ; i++) {
                                    out.emit(i);
                                }
                            } finally {
                                finallyOnFailure.incrementAndGet();
                            }
                        })
                        .map(x -> 1 / (x - 2))
                        .run());
        assertEquals(1, finallyOnFailure.get(), "a failing stage unwinds the generator too");
    }

    @Test
    void streamsAreClosed() {
        AtomicInteger closed = new AtomicInteger();
        Flow.from(java.util.stream.Stream.iterate(0, x -> x + 1).onClose(closed::incrementAndGet))
                .limit(3)
                .run();
        assertEquals(1, closed.get());
    }

    @Test
    @SuppressWarnings("finally") // the finally block throws on purpose
    void aGeneratorsFailureWhileClosingIsReported() {
        Flow<Integer> g = Flow.generate(out -> {
            try {
                for (int i = 0; ; i++) {
                    out.emit(i);
                }
            } finally {
                throw new java.io.IOException("cleanup failed");
            }
        });
        assertThrows(java.io.UncheckedIOException.class, () -> g.limit(1).toList(), "pushed");
        CloseableIterator<Integer> it = g.iterator();
        it.next();
        Exception e = assertThrows(Exception.class, it::close, "pulled");
        assertTrue(
                String.valueOf(e.getMessage()).contains("cleanup failed")
                        || String.valueOf(e.getCause()).contains("cleanup failed"),
                String.valueOf(e));
    }

    @Test
    void anOuterGeneratorsExitIsNotSwallowedByAnInnerOne() {
        AtomicInteger after = new AtomicInteger();
        Flow<Integer> inner = Flow.generate(o -> {
            for (int i = 0; i < 100; i++) {
                o.emit(i);
            }
        });
        Flow<Integer> outer = Flow.generate(o -> {
            inner.forEach(o::emit);
            after.incrementAndGet(); // like Python: not reached once the consumer has stopped
        });
        assertEquals(java.util.List.of(0, 1), outer.limit(2).toList());
        assertEquals(0, after.get());
    }
}
