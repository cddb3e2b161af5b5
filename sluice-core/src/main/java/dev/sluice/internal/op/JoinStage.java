package dev.sluice.internal.op;

import dev.sluice.Join;
import dev.sluice.MemoryClass;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import java.util.List;

/**
 * {@code left.join(right, on)}: a hash join with two inputs, the right one the build side. The local runner reads
 * the whole right input into a table under the memory budget (partitioning both sides to files by key hash when it
 * does not fit: a grace hash join), then streams the left input through it. This node's link only counts.
 */
public final class JoinStage extends Stage {
    private static final long serialVersionUID = 1L;
    private final Join join;

    public JoinStage(Stage left, Stage right, Join join) {
        super(List.of(left, right), "join", "join");
        this.join = join;
    }

    public Join join() {
        return join;
    }

    @Override
    public String describe() {
        return join + "; builds a table of the right input under the memory budget, partitions to files past it";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BLOCKING;
    }

    /** It emits as the left input streams, but only once the right input has ended. */
    @Override
    public boolean emitsAtEnd() {
        return false;
    }

    /** The right (build) input must end; the left one streams. */
    @Override
    public boolean needsEnd(int input) {
        return input == 1;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new Downstream.Counting(down, stats);
    }
}
