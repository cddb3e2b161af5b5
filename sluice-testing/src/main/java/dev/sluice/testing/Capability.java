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
    /** Joins. */
    JOIN,
    /** The operators over sorted input: the sorted group-by and the merge join. */
    SORTED_INPUT,
    /** Plans that merge several inputs: concat and union. */
    MERGE
}
