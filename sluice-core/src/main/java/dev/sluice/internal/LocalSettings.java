package dev.sluice.internal;

import dev.sluice.Clock;

/**
 * Internal: how the local runner runs a plan: the clock its timers follow, the memory budget of its blocking
 * operators (0: the default), where they spill (null: {@code java.io.tmpdir}) and the most they may spill (0: no
 * cap), and the chunk size of parallel reads (0: the default).
 */
public record LocalSettings(Clock clock, long memoryBytes, String tempDir, long maxSpillBytes, int chunkBytes) {
    public static final LocalSettings DEFAULT = new LocalSettings(Clock.system(), 0, null, 0, 0);

    public LocalSettings withClock(Clock c) {
        return new LocalSettings(c, memoryBytes, tempDir, maxSpillBytes, chunkBytes);
    }
}
