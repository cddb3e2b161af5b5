package dev.sluice;

import java.util.List;

/**
 * A flow of rows grouped by key columns, waiting for its aggregates: {@code flow.groupBy("Vehicle Make")
 * .aggregate(Agg.count(), Agg.sum("Violation Code"))}. See {@link #aggregate}.
 */
public final class GroupedFlow {
    private final Flow<Row> flow;
    private final List<String> keys;

    GroupedFlow(Flow<Row> flow, List<String> keys) {
        this.flow = flow;
        this.keys = List.copyOf(keys);
    }

    /**
     * One row per group: the key columns, then one column per aggregate, groups in key order (text by code point,
     * null keys last). Rows with null (empty or absent) keys form a group of their own, as in SQL. Blocking: groups
     * live in a hash table under the run's memory budget; past it, they are written to temporary files sorted by
     * key and merged at the end (partial results merged), so the number of groups is not limited by memory. A
     * group-by that fits its budget never touches a file.
     */
    public Flow<Row> aggregate(Agg... aggs) {
        if (aggs.length == 0) {
            throw new IllegalArgumentException("aggregate needs at least one aggregate, e.g. Agg.count()");
        }
        return flow.groupStage(keys, List.of(aggs));
    }

    /** {@code aggregate(Agg.count())}: the number of rows per group. */
    public Flow<Row> count() {
        return aggregate(Agg.count());
    }
}
