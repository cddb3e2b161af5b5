package dev.sluice;

/** How much a stage holds in memory; shown by {@code explain()}. */
public enum MemoryClass {
    /** Holds O(1) records at a time. */
    STREAMING,
    /** Holds at most a batch or a window of records. */
    BOUNDED,
    /** Must see all its input before it emits (sort, group, join, distinct); runs under a byte budget. */
    BLOCKING;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
