package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;

/** {@code bounded()}: the user's word that an input its source cannot vouch for ends; passes every record on. */
public final class BoundedStage extends Stage {
    private static final long serialVersionUID = 1L;

    public BoundedStage(Stage up) {
        super(up, "bounded");
    }

    @Override
    public String describe() {
        return "declared to end";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.STREAMING;
    }

    @Override
    public boolean unbounded(boolean anyInputUnbounded) {
        return false;
    }

    @Override
    public boolean parallelSafe() {
        return true;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new Downstream.Counting(down, stats);
    }
}
