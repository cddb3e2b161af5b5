package dev.sluice.testing;

/** What a runner may declare it does not do; {@link RunnerConformance} skips those tests and says so. */
public enum Capability {
    /** Pulling a plan lazily ({@code flow.iterator(runner)}). */
    PULL,
    /** Timed stages (a batch that closes after its wait). */
    TIMERS,
    /** Error policies that write dead letters to a sink. */
    DEAD_LETTERS,
    /** Reading and writing local files (CSV, JSON Lines). */
    LOCAL_FILES,
    /** Stages that hold records or keys: sort, group-by, distinct, top-N, joins (and their sorted-input forms). */
    BLOCKING,
    /** Plans that merge several inputs: concat and union. */
    MERGE
}
