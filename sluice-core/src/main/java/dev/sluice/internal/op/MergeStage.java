package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import java.util.List;

/**
 * A stage with several inputs that passes on every record of each: {@code concat} (all of the first input, then all
 * of the second, ...) or {@code union} (records of all inputs as they come; on the local runner the inputs are read
 * on threads of their own). Streaming. The local runner reads the inputs as the head of a chain; this node's link
 * only counts what passes.
 */
public final class MergeStage extends Stage {
    private static final long serialVersionUID = 1L;

    /** How the inputs are merged. */
    public enum Order {
        /** All of each input in turn, in input order. */
        CONCAT,
        /** As they come, inputs read concurrently; each input's records stay in their order. */
        UNION
    }

    private final Order order;

    public MergeStage(List<Stage> inputs, Order order) {
        super(inputs, order == Order.CONCAT ? "concat" : "union", order == Order.CONCAT ? "concat" : "union");
        if (inputs.size() < 2) {
            throw new IllegalArgumentException(kind() + " needs at least 2 inputs, got " + inputs.size());
        }
        this.order = order;
    }

    public Order order() {
        return order;
    }

    @Override
    public String describe() {
        return kind() + " of " + inputs().size() + " inputs"
                + (order == Order.UNION ? ", read concurrently" : ", in order");
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.STREAMING;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new Downstream.Counting(down, stats);
    }
}
