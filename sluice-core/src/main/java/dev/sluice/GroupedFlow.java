package dev.sluice;

import java.util.List;

/**
 * A flow of rows grouped by key columns, waiting for its aggregates: {@code flow.groupBy("Vehicle Make")
 * .aggregate(Agg.count(), Agg.sum("Violation Code"))}. See {@link #aggregate}.
 */
public final class GroupedFlow {
    private final Flow<Row> flow;
    private final List<String> keys;
    private final List<SortKey> sorted; // groupSorted: the input's order; null for groupBy

    GroupedFlow(Flow<Row> flow, List<String> keys) {
        this.flow = flow;
        this.keys = List.copyOf(keys);
        this.sorted = null;
    }

    GroupedFlow(Flow<Row> flow, List<SortKey> sorted, boolean unused) {
        this.flow = flow;
        this.sorted = List.copyOf(sorted);
        List<String> names = new java.util.ArrayList<>();
        for (SortKey k : sorted) {
            names.add(k.column());
        }
        this.keys = List.copyOf(names);
    }

    /**
     * One row per group: the key columns, then one column per aggregate, groups in key order (text by code point,
     * null keys last). Rows with null (empty or absent) keys form a group of their own, as in SQL. Blocking: groups
     * live in a hash table under the run's memory budget; past it, they are written to temporary files sorted by
     * key and merged at the end (partial results merged), so the number of groups is not limited by memory. A
     * group-by that fits its budget never touches a file. After {@link Flow#groupSorted}, groups leave in input
     * order as each ends, holding one group.
     */
    public Flow<Row> aggregate(Agg... aggs) {
        if (aggs.length == 0) {
            throw new IllegalArgumentException("aggregate needs at least one aggregate, e.g. Agg.count()");
        }
        return sorted != null ? flow.sortedGroupStage(sorted, List.of(aggs)) : flow.groupStage(keys, List.of(aggs));
    }

    /**
     * One row per group with only its key columns, in key order: SQL's {@code SELECT DISTINCT k1, k2} (or {@code
     * GROUP BY} without aggregates). Beyond memory like {@link #aggregate}; unlike {@link Flow#distinct(String...)} it
     * neither keeps the other columns nor the input's order, which makes it the faster of the two.
     */
    public Flow<Row> keys() {
        if (sorted != null) {
            return flow.sortedGroupStage(sorted, List.of());
        }
        return flow.groupStage(keys, List.of());
    }

    /** {@code aggregate(Agg.count())}: the number of rows per group. */
    public Flow<Row> count() {
        return aggregate(Agg.count());
    }
}
