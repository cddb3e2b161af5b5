package dev.sluice;

/**
 * The time a run's timers follow: when a {@link Flow#batch(int, java.time.Duration) timed batch} closes after its
 * wait, however silent the source. The local runner uses the {@link #system() system clock} unless given another
 * ({@link LocalRunner#withClock}); tests give a {@link VirtualClock} and move time on by hand.
 */
public interface Clock {
    /** Now, in nanoseconds from an arbitrary origin, never decreasing. */
    long nanoTime();

    /**
     * The longest a runtime waiting for a deadline of this clock may block, in real nanoseconds, before it looks at
     * the clock again. The system clock: no limit (the wait itself ends at the deadline). A virtual clock, whose time
     * moves only when a test moves it: a short real interval.
     */
    default long pollNanos() {
        return Long.MAX_VALUE;
    }

    /** The system's monotonic clock ({@link System#nanoTime()}). */
    static Clock system() {
        return System::nanoTime;
    }
}
