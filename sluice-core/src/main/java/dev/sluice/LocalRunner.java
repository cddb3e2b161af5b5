package dev.sluice;

import dev.sluice.internal.LocalExecution;
import java.util.Objects;

/**
 * Runs plans on this machine, on the calling thread and, for a plan made {@link Flow#parallel parallel}, on worker
 * threads. The default runner: {@link Pipeline#run()} is {@code pipeline.run(LocalRunner.get())}.
 */
public final class LocalRunner implements Runner {
    private static final LocalRunner INSTANCE = new LocalRunner(Clock.system(), 0, 0);

    private final Clock clock;
    private final int threads;
    private final int chunkBytes;

    private LocalRunner(Clock clock, int threads, int chunkBytes) {
        this.clock = clock;
        this.threads = threads;
        this.chunkBytes = chunkBytes;
    }

    /** The local runner, its timers on the system clock. */
    public static LocalRunner get() {
        return INSTANCE;
    }

    /** This runner with its timers on {@code clock} (e.g. a {@link VirtualClock} in tests). */
    public LocalRunner withClock(Clock clock) {
        return new LocalRunner(Objects.requireNonNull(clock, "clock"), threads, chunkBytes);
    }

    /**
     * This runner with {@code n} threads for every plan whose source can be split, whatever the plan asked for (0:
     * what the plan asked for, the default). For conformance tests and benchmarks.
     */
    public LocalRunner withThreads(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("threads must be at least 0, was " + n);
        }
        return new LocalRunner(clock, n, chunkBytes);
    }

    /**
     * This runner reading split sources in chunks of about {@code bytes} (0: the default, about 1 MB). Tiny chunks
     * make every record boundary a chunk boundary: a test of the parallel path's exactness, not a speed-up.
     */
    public LocalRunner withChunkBytes(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("chunk bytes must be at least 0, was " + bytes);
        }
        return new LocalRunner(clock, threads, bytes);
    }

    /** The clock its timers follow. */
    public Clock clock() {
        return clock;
    }

    @Override
    public RunSummary run(Plan plan, RunListener listener) {
        Objects.requireNonNull(plan, "plan");
        if (plan.sink() == null) {
            throw new IllegalArgumentException("the plan has no sink: give it one with Flow.to(sink), or iterate it");
        }
        return LocalExecution.run(
                plan.tail(),
                plan.errorPolicy(),
                plan.sink(),
                null,
                listener,
                threads > 0 ? threads : plan.parallelism(),
                clock,
                chunkBytes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CloseableIterator<T> iterate(Plan plan) {
        Objects.requireNonNull(plan, "plan");
        if (plan.sink() != null) {
            throw new IllegalArgumentException(
                    "the plan writes to " + plan.sink().name() + "; run it instead");
        }
        return (CloseableIterator<T>) LocalExecution.iterator(plan.tail(), plan.errorPolicy(), clock);
    }

    @Override
    public String toString() {
        return "local" + (threads > 0 ? ", " + threads + " threads" : "")
                + (chunkBytes > 0 ? ", chunks of " + chunkBytes + " bytes" : "");
    }
}
