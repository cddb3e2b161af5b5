package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** iterator() holds a bounded number of records, whatever one input expands into. */
class PullMemoryTest {

    /** {@code n} longs, counting how many were taken, closeable. */
    static final class Counted implements Iterable<Long> {
        final long n;
        final AtomicLong taken;
        final AtomicLong closed;

        Counted(long n, AtomicLong taken, AtomicLong closed) {
            this.n = n;
            this.taken = taken;
            this.closed = closed;
        }

        @Override
        public Iterator<Long> iterator() {
            return new CloseableIterator<Long>() {
                long i;

                @Override
                public boolean hasNext() {
                    return i < n;
                }

                @Override
                public Long next() {
                    taken.incrementAndGet();
                    return i++;
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    @Test
    void aFlatMapExpandingOneRecordIntoFiftyMillionIsPulledOneAtATime() {
        AtomicLong taken = new AtomicLong();
        AtomicLong closed = new AtomicLong();
        Flow<Long> f = Flow.of(1).flatMap(x -> new Counted(50_000_000L, taken, closed));
        try (CloseableIterator<Long> it = f.iterator()) {
            for (long i = 0; i < 10; i++) {
                assertEquals(i, it.next());
            }
            assertTrue(taken.get() <= 11, "pulled 10, the flatMap produced " + taken.get());
        }
        assertEquals(1, closed.get(), "the pending iterator is closed when the consumer closes half-way");
    }

    @Test
    void nestedExpansionsAndAFinalBatchStayBounded() {
        AtomicLong taken = new AtomicLong();
        AtomicLong closed = new AtomicLong();
        Flow<Long> nested = Flow.of(1, 2)
                .flatMap(x -> new Counted(1_000_000L, new AtomicLong(), closed))
                .map(x -> x * 2)
                .flatMap(x -> new Counted(1_000, taken, closed));
        try (CloseableIterator<Long> it = nested.iterator()) {
            for (int i = 0; i < 2500; i++) {
                it.next();
            }
            assertTrue(taken.get() <= 2501, "produced " + taken.get());
        }
        // a partial batch flushed at the end, expanded hugely, then every output drained in order
        AtomicLong t2 = new AtomicLong();
        Flow<Long> atEnd =
                Flow.range(0, 7).batch(3).flatMap(b -> b.size() == 1 ? new Counted(100_000, t2, closed) : List.of(-1L));
        try (CloseableIterator<Long> it = atEnd.iterator()) {
            assertEquals(-1L, it.next());
            assertEquals(-1L, it.next());
            assertEquals(0L, it.next());
            assertTrue(t2.get() <= 2, "produced " + t2.get());
            long n = 1;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            assertEquals(100_000, n);
        }
        assertEquals(
                List.of(0L, 1L, 2L, 10L, 11L),
                Flow.of(0L, 10L).flatMap(x -> List.of(x, x + 1, x + 2)).limit(5).toList(),
                "limits still stop positionally");
    }

    /** A child JVM with a 64 MB heap pulls 50 million records out of one expanded record. */
    @Test
    void fiftyMillionPulledUnderA64MbHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        PullMemoryTest.class.getName() + "$Child")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("50000000 " + (50_000_000L * 49_999_999L / 2), out);
    }

    /** The child: sums what a pulled iterator gives. */
    public static final class Child {
        public static void main(String[] args) {
            long n = 0;
            long sum = 0;
            try (CloseableIterator<Long> it = Flow.of(1)
                    .flatMap(x -> new Counted(50_000_000L, new AtomicLong(), new AtomicLong()))
                    .iterator()) {
                while (it.hasNext()) {
                    sum += it.next();
                    n++;
                }
            }
            System.out.println(n + " " + sum);
        }
    }
}
