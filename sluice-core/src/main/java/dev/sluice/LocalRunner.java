package dev.sluice;

import dev.sluice.internal.LocalExecution;
import dev.sluice.internal.LocalSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Runs plans on this machine, on the calling thread and, for a plan made {@link Flow#parallel parallel}, on worker
 * threads. The default runner: {@link Pipeline#run()} is {@code pipeline.run(LocalRunner.get())}.
 *
 * <p><b>Memory.</b> Blocking stages ({@code sortBy}, ...) share one memory budget per run: by default 40% of the
 * heap the JVM may use (at most 1 GiB); {@link #withMemory} sets it. Past it they spill to temporary files in
 * {@link #withTempDir} (default {@code java.io.tmpdir}), removed when the run ends, however it ends.
 */
public final class LocalRunner implements Runner {
    private static final LocalRunner INSTANCE = new LocalRunner(LocalSettings.DEFAULT, 0);

    private final LocalSettings settings;
    private final int threads;

    private LocalRunner(LocalSettings settings, int threads) {
        this.settings = settings;
        this.threads = threads;
    }

    /** The local runner, its timers on the system clock. */
    public static LocalRunner get() {
        return INSTANCE;
    }

    /** This runner with its timers on {@code clock} (e.g. a {@link VirtualClock} in tests). */
    public LocalRunner withClock(Clock clock) {
        return new LocalRunner(settings.withClock(Objects.requireNonNull(clock, "clock")), threads);
    }

    /**
     * This runner with {@code n} threads for every plan whose source can be split, whatever the plan asked for (0:
     * what the plan asked for, the default). For conformance tests and benchmarks.
     */
    public LocalRunner withThreads(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("threads must be at least 0, was " + n);
        }
        return new LocalRunner(settings, n);
    }

    /**
     * This runner reading split sources in chunks of about {@code bytes} (0: the default, about 1 MB). Tiny chunks
     * make every record boundary a chunk boundary: a test of the parallel path's exactness, not a speed-up.
     */
    public LocalRunner withChunkBytes(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("chunk bytes must be at least 0, was " + bytes);
        }
        return new LocalRunner(
                new LocalSettings(
                        settings.clock(),
                        settings.memoryBytes(),
                        settings.tempDir(),
                        settings.maxSpillBytes(),
                        bytes,
                        settings.checkpoints()),
                threads);
    }

    /**
     * This runner giving each run's blocking stages {@code bytes} of memory in all (0: the default, 40% of the
     * maximum heap, at most 1 GiB). The budget is accounted exactly in the pages the stages hold; past it they spill.
     * Leave the JVM room beyond it: streaming stages, buffers and the records in flight need some 30 MB more.
     */
    public LocalRunner withMemory(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("memory must be at least 0, was " + bytes);
        }
        return new LocalRunner(
                new LocalSettings(
                        settings.clock(),
                        bytes,
                        settings.tempDir(),
                        settings.maxSpillBytes(),
                        settings.chunkBytes(),
                        settings.checkpoints()),
                threads);
    }

    /** This runner spilling to temporary files under {@code dir} (null: {@code java.io.tmpdir}). */
    public LocalRunner withTempDir(Path dir) {
        return new LocalRunner(
                new LocalSettings(
                        settings.clock(),
                        settings.memoryBytes(),
                        dir == null ? null : dir.toString(),
                        settings.maxSpillBytes(),
                        settings.chunkBytes(),
                        settings.checkpoints()),
                threads);
    }

    /**
     * This runner failing a run whose spill files would hold more than {@code bytes} at once (0: no cap), with a
     * message naming the stage, its budget and the bytes spilled.
     */
    public LocalRunner withMaxSpill(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("max spill must be at least 0, was " + bytes);
        }
        return new LocalRunner(
                new LocalSettings(
                        settings.clock(),
                        settings.memoryBytes(),
                        settings.tempDir(),
                        bytes,
                        settings.chunkBytes(),
                        settings.checkpoints()),
                threads);
    }

    /**
     * This runner checkpointing each run into {@code stateFile} every {@code every} of its clock, for endless runs
     * that must survive a crash (as {@code sluice tail --state} does). A checkpoint makes what the sink wrote durable
     * ({@link SinkWriter#checkpoint()}), then saves, atomically (a temporary file forced to disk, then renamed), the
     * position after the last record read ({@link SourceReader#position()}), the sink's token and the state of
     * stateful stages (windows). A run started with a state file present resumes from it: the sink goes on after its
     * token (a file is cut back to its checkpointed length), the source after its position, so after {@code kill -9}
     * nothing is lost and nothing is written twice. Plans with one source, streaming stages (and windows) and a
     * resumable sink (CSV, JSON Lines, text files) can be checkpointed; others are refused when the run starts.
     */
    public LocalRunner withCheckpoints(Path stateFile, java.time.Duration every) {
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(every, "every");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the checkpoint interval must be positive, was " + every);
        }
        LocalSettings.Checkpoints c = settings.checkpoints();
        return new LocalRunner(
                settings.withCheckpoints(new LocalSettings.Checkpoints(
                        stateFile.toString(),
                        every.toNanos(),
                        c == null ? null : c.stop(),
                        c == null || c.drainAtEnd())),
                threads);
    }

    /**
     * This runner stopping a checkpointed run once {@code stop} says so (checked between records and at least every
     * 50 ms): reading stops, a last checkpoint is taken and the run ends as a success, with open windows saved in the
     * state rather than emitted, so that the next run goes on where this one stopped. {@code sluice tail} stops so on
     * Ctrl-C.
     */
    public LocalRunner withStop(java.util.function.BooleanSupplier stop) {
        Objects.requireNonNull(stop, "stop");
        LocalSettings.Checkpoints c = settings.checkpoints();
        if (c == null) {
            throw new IllegalStateException("give withCheckpoints first; withStop applies to a checkpointed run");
        }
        return new LocalRunner(
                settings.withCheckpoints(
                        new LocalSettings.Checkpoints(c.stateFile(), c.everyNanos(), stop, c.drainAtEnd())),
                threads);
    }

    /**
     * Whether the end of a checkpointed run's input closes and emits every open window (true, the default, as for any
     * bounded input) or saves them in the state for the next run to go on with (false: {@code sluice tail --once
     * --state}, where the end of the input is only the end of what was written so far; Flink's stop without drain).
     */
    public LocalRunner withDrainAtEnd(boolean drain) {
        LocalSettings.Checkpoints c = settings.checkpoints();
        if (c == null) {
            throw new IllegalStateException("give withCheckpoints first; withDrainAtEnd applies to a checkpointed run");
        }
        return new LocalRunner(
                settings.withCheckpoints(new LocalSettings.Checkpoints(c.stateFile(), c.everyNanos(), c.stop(), drain)),
                threads);
    }

    /** The clock its timers follow. */
    public Clock clock() {
        return settings.clock();
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
                settings);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CloseableIterator<T> iterate(Plan plan) {
        Objects.requireNonNull(plan, "plan");
        if (plan.sink() != null) {
            throw new IllegalArgumentException(
                    "the plan writes to " + plan.sink().name() + "; run it instead");
        }
        return (CloseableIterator<T>) LocalExecution.iterator(plan.tail(), plan.errorPolicy(), settings);
    }

    /**
     * The plan as {@link Plan#explain()} draws it, with the memory budget this runner gives its blocking stages (and
     * each one's share) and where they spill: {@code LocalRunner.get().withMemory(64 << 20).explain(flow.plan())}.
     */
    public String explain(Plan plan) {
        return plan.explain(settings.memoryBytes(), settings.tempDir(), settings.maxSpillBytes());
    }

    @Override
    public String toString() {
        return "local" + (threads > 0 ? ", " + threads + " threads" : "")
                + (settings.chunkBytes() > 0 ? ", chunks of " + settings.chunkBytes() + " bytes" : "")
                + (settings.memoryBytes() > 0 ? ", memory " + settings.memoryBytes() + " bytes" : "");
    }
}
