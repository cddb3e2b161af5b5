package dev.sluice;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock whose time moves only when told to: for testing timed stages without waiting. Give it to the runner
 * ({@code LocalRunner.get().withClock(clock)}), then {@link #advance} it from the test; a run waiting for a
 * deadline notices within about a millisecond of real time.
 */
public final class VirtualClock implements Clock {
    private final AtomicLong now = new AtomicLong();

    /** A clock at time zero. */
    public VirtualClock() {}

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** Moves time on by {@code d}. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time moves forward only, was " + d);
        }
        now.addAndGet(d.toNanos());
    }

    @Override
    public long pollNanos() {
        return 1_000_000L;
    }

    @Override
    public String toString() {
        return "virtual clock at " + Duration.ofNanos(now.get());
    }
}
