package dev.sluice;

/**
 * What one stage did in a run.
 *
 * @param name the stage's name
 * @param kind what the stage does: {@code source}, {@code map}, {@code limit}, {@code concat}, {@code sink}, ...
 * @param memoryClass its memory class
 * @param in records that entered it (for a source: records read)
 * @param out records it emitted
 * @param rejected records it rejected under a skip or dead-letter policy
 * @param spilledBytes bytes it wrote to temporary files because its state outgrew its memory budget (0 for streaming
 *     stages)
 * @param peakMemoryBytes the most memory budget it held at once, in bytes (0 for stages that hold none)
 * @param late records a {@link Flow#window window} stage received after their windows had closed (also counted in
 *     {@link #rejected}); 0 for other stages
 */
public record StageSummary(
        String name,
        String kind,
        MemoryClass memoryClass,
        long in,
        long out,
        long rejected,
        long spilledBytes,
        long peakMemoryBytes,
        long late) {

    /** A summary of a stage that sets no record aside as late. */
    public StageSummary(
            String name,
            String kind,
            MemoryClass memoryClass,
            long in,
            long out,
            long rejected,
            long spilledBytes,
            long peakMemoryBytes) {
        this(name, kind, memoryClass, in, out, rejected, spilledBytes, peakMemoryBytes, 0);
    }

    /** Whether this stage is a source: its {@link #in} counts records read. */
    public boolean isSource() {
        return "source".equals(kind);
    }
}
