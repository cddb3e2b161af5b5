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
    /** Sorting: sort and top-N. */
    SORT,
    /** Group-by and aggregate. */
    GROUP,
    /** Distinct. */
    DISTINCT,
    /** Joins, and the operators over sorted input (sorted group-by, merge join). */
    JOIN,
    /** Plans that merge several inputs: concat and union. */
    MERGE
}
