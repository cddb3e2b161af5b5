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
    private final Window window; // window(...).groupBy: the windows; null for groupBy

    GroupedFlow(Flow<Row> flow, List<String> keys) {
        this(flow, keys, (Window) null);
    }

    GroupedFlow(Flow<Row> flow, List<String> keys, Window window) {
        this.flow = flow;
        this.keys = List.copyOf(keys);
        this.sorted = null;
        this.window = window;
    }

    GroupedFlow(Flow<Row> flow, List<SortKey> sorted, boolean unused) {
        this.flow = flow;
        this.sorted = List.copyOf(sorted);
        List<String> names = new java.util.ArrayList<>();
        for (SortKey k : sorted) {
            names.add(k.column());
        }
        this.keys = List.copyOf(names);
        this.window = null;
    }

    /**
     * One row per group: the key columns, then one column per aggregate, groups in key order (text by code point,
     * null keys last). Rows with null (empty or absent) keys form a group of their own, as in SQL. Blocking: groups
     * live in a hash table under the run's memory budget; past it, they are written to temporary files sorted by
     * key and merged at the end (partial results merged), so the number of groups is not limited by memory. A
     * group-by that fits its budget never touches a file. After {@link Flow#groupSorted}, groups leave in input
     * order as each ends, holding one group.
     *
     * <p>After {@link Flow#window}: one row per window and key as each window fires (see {@link Window}), with
     * columns {@code window_start}, {@code window_end} (of the time column's type: {@link java.time.Instant} for
     * processing time), the keys, the aggregates and {@code update} (false for a window and key's first row, true for
     * a row that replaces it after a late record within the allowed lateness, so a sink can upsert by window bounds
     * and keys). Windows leave in order of their end, keys within a window in key order. Memory class bounded: it
     * holds the open windows' groups (plus those kept for the allowed lateness).
     */
    public Flow<Row> aggregate(Agg... aggs) {
        if (aggs.length == 0) {
            throw new IllegalArgumentException("aggregate needs at least one aggregate, e.g. Agg.count()");
        }
        if (window != null) {
            return flow.windowStage(window, keys, List.of(aggs));
        }
        return sorted != null ? flow.sortedGroupStage(sorted, List.of(aggs)) : flow.groupStage(keys, List.of(aggs));
    }

    /**
     * One row per group with only its key columns, in key order: SQL's {@code SELECT DISTINCT k1, k2} (or {@code
     * GROUP BY} without aggregates). Beyond memory like {@link #aggregate}; unlike {@link Flow#distinct(String...)} it
     * neither keeps the other columns nor the input's order, which makes it the faster of the two.
     */
    public Flow<Row> keys() {
        if (window != null) {
            return flow.windowStage(window, keys, List.of());
        }
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
