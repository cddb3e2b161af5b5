package dev.sluice;

import java.util.concurrent.atomic.AtomicInteger;

/** A test source over 0..n-1 that counts how often it is opened, read and closed. */
final class TrackingSource implements Source<Integer> {
    private static final long serialVersionUID = 1L;
    final int n;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger read = new AtomicInteger();

    TrackingSource(int n) {
        this.n = n;
    }

    @Override
    public SourceReader<Integer> open(SourceContext ctx) {
        opened.incrementAndGet();
        return new SourceReader<>() {
            int i;

            @Override
            public Integer next() {
                if (i >= n) {
                    return null;
                }
                read.incrementAndGet();
                return i++;
            }

            @Override
            public Location location() {
                return new Location("tracking", -1, i);
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }

    @Override
    public String name() {
        return "tracking";
    }
}
