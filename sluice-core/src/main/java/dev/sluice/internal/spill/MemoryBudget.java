package dev.sluice.internal.spill;

import java.util.Locale;

/**
 * Internal: the bytes that a run's blocking operators may hold, shared by all of them and accounted exactly: an
 * operator reserves the pages and arrays it allocates before it allocates them and releases them when it frees them,
 * so the sum it holds never exceeds the limit. Thread-safe (inputs of a union run on threads of their own).
 */
public final class MemoryBudget {
    /** The default: 40% of the heap the JVM may use, at most 1 GiB, at least 4 MiB. */
    public static long defaultBytes() {
        long max = Runtime.getRuntime().maxMemory();
        long b = max == Long.MAX_VALUE ? 256L << 20 : (long) (max * 0.4);
        return Math.max(4L << 20, Math.min(1L << 30, b));
    }

    private final long limit;
    private long used;
    private long peak;

    public MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive, was " + limit);
        }
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** Reserves {@code bytes} if they fit; false (nothing reserved) if they do not. */
    public synchronized boolean tryReserve(long bytes) {
        if (used + bytes > limit) {
            return false;
        }
        used += bytes;
        peak = Math.max(peak, used);
        return true;
    }

    public synchronized void release(long bytes) {
        used -= bytes;
        if (used < 0) {
            throw new IllegalStateException("released more than was reserved");
        }
    }

    public synchronized long used() {
        return used;
    }

    public synchronized long peak() {
        return peak;
    }

    /** A size for messages: {@code 64 MiB}, {@code 512 KiB}, {@code 100 bytes}. */
    public static String format(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20) {
            return bytes % (1L << 20) == 0
                    ? (bytes >> 20) + " MiB"
                    : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }
        if (bytes >= 1L << 10) {
            return bytes % (1L << 10) == 0
                    ? (bytes >> 10) + " KiB"
                    : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return bytes + " bytes";
    }

    @Override
    public String toString() {
        return format(limit);
    }
}
