package dev.sluice;

/**
 * What one stage did in a run.
 *
 * @param name the stage's name
 * @param memoryClass its memory class
 * @param in records that entered it (for a source: records read)
 * @param out records it emitted
 * @param rejected records it rejected under a skip or dead-letter policy
 */
public record StageSummary(String name, MemoryClass memoryClass, long in, long out, long rejected) {}
