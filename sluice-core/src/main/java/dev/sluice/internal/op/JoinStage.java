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
    private final boolean sorted;

    public JoinStage(Stage left, Stage right, Join join) {
        this(left, right, join, false);
    }

    /** {@code sorted}: a merge join of two inputs sorted on the keys ({@code joinSorted}). */
    public JoinStage(Stage left, Stage right, Join join, boolean sorted) {
        super(List.of(left, right), sorted ? "sorted join" : "join", sorted ? "sorted join" : "join");
        this.join = join;
        this.sorted = sorted;
    }

    public Join join() {
        return join;
    }

    /** Whether both inputs are sorted on the keys: a merge join that holds one key's right rows. */
    public boolean sorted() {
        return sorted;
    }

    @Override
    public String describe() {
        return sorted
                ? join
                        + " of inputs sorted by the keys: a merge join holding one key's right rows (the order is checked)"
                : join + "; builds a table of the right input under the memory budget, partitions to files past it";
    }

    @Override
    public MemoryClass memoryClass() {
        return sorted ? MemoryClass.BOUNDED : MemoryClass.BLOCKING;
    }

    /** It emits as the left input streams, but only once the right input has ended. */
    @Override
    public boolean emitsAtEnd() {
        return false;
    }

    /** The right (build) input must end; the left one streams. */
    @Override
    public boolean needsEnd(int input) {
        return !sorted && input == 1; // a merge join streams both
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new Downstream.Counting(down, stats);
    }
}
