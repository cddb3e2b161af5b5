package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;

/**
 * A stateless stage around one user function ({@code map}, {@code filter}, {@code flatMap}, {@code peek}): streaming,
 * and safe to run on several threads at once, each on its own chunk.
 *
 * @param <F> the function's type
 */
public abstract class FunctionStage<F> extends Stage {
    private static final long serialVersionUID = 1L;
    private final F fn;
    private final String kind;

    FunctionStage(Stage up, String name, String kind, F fn) {
        super(up, name);
        this.kind = kind;
        this.fn = fn;
    }

    /** The user's function. */
    public F fn() {
        return fn;
    }

    @Override
    public String describe() {
        return kind;
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.STREAMING;
    }

    @Override
    public boolean parallelSafe() {
        return true;
    }

    /** The runtime link of a function stage: the function, the stage's counters and the run (for its policy). */
    abstract static class FunctionLink<F> extends Downstream.Link {
        final F fn;
        final StageStats stats;
        final RunState run;

        FunctionLink(Downstream<Object> down, F fn, StageStats stats, RunState run) {
            super(down);
            this.fn = fn;
            this.stats = stats;
            this.run = run;
        }
    }
}
