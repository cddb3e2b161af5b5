package dev.sluice.internal;

import dev.sluice.Clock;

/**
 * Internal: how the local runner runs a plan: the clock its timers follow, the memory budget of its blocking
 * operators (0: the default), where they spill (null: {@code java.io.tmpdir}) and the most they may spill (0: no
 * cap), and the chunk size of parallel reads (0: the default).
 */
public record LocalSettings(
        Clock clock, long memoryBytes, String tempDir, long maxSpillBytes, int chunkBytes, Checkpoints checkpoints) {
    public static final LocalSettings DEFAULT = new LocalSettings(Clock.system(), 0, null, 0, 0, null);

    public LocalSettings(Clock clock, long memoryBytes, String tempDir, long maxSpillBytes, int chunkBytes) {
        this(clock, memoryBytes, tempDir, maxSpillBytes, chunkBytes, null);
    }

    public LocalSettings withClock(Clock c) {
        return new LocalSettings(c, memoryBytes, tempDir, maxSpillBytes, chunkBytes, checkpoints);
    }

    public LocalSettings withCheckpoints(Checkpoints c) {
        return new LocalSettings(clock, memoryBytes, tempDir, maxSpillBytes, chunkBytes, c);
    }

    /**
     * Checkpointing an endless run: the state file, how often (in the run clock's nanoseconds), what says the run is
     * to stop (null: never asked to), and whether the end of the input closes every window (else they are saved).
     */
    public record Checkpoints(
            String stateFile, long everyNanos, java.util.function.BooleanSupplier stop, boolean drainAtEnd) {}
}
