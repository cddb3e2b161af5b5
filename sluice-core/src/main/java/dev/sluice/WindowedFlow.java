package dev.sluice;

import java.util.List;

/**
 * A flow of rows cut into windows of time, waiting for its keys and aggregates: {@code flow.window(Window
 * .tumbling(Duration.ofMinutes(1)).on("time")).groupBy("status").aggregate(Agg.count())}. See {@link Window}.
 */
public final class WindowedFlow {
    private final Flow<Row> flow;
    private final Window window;

    WindowedFlow(Flow<Row> flow, Window window) {
        this.flow = flow;
        this.window = window;
    }

    /** Groups each window's rows by {@code keys}, for {@link GroupedFlow#aggregate}: one row per window and key. */
    public GroupedFlow groupBy(String... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("groupBy needs at least one key column");
        }
        return new GroupedFlow(flow, List.of(keys), window);
    }

    /**
     * One row of {@code aggs} per window over all its rows: {@code window_start}, {@code window_end}, the aggregates
     * and {@code update}. A window without rows has no row. See {@link GroupedFlow#aggregate}.
     */
    public Flow<Row> aggregate(Agg... aggs) {
        if (aggs.length == 0) {
            throw new IllegalArgumentException("aggregate needs at least one aggregate, e.g. Agg.count()");
        }
        return flow.windowStage(window, List.of(), List.of(aggs));
    }

    /** {@code aggregate(Agg.count())}: the number of rows per window. */
    public Flow<Row> count() {
        return aggregate(Agg.count());
    }
}
