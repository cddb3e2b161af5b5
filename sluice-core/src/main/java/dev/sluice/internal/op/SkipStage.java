package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;

/** {@code skip(n)}: drops the first n records. */
public final class SkipStage extends Stage {
    private static final long serialVersionUID = 1L;
    private final long skip;

    public SkipStage(Stage up, long skip) {
        super(up, "skip");
        this.skip = skip;
    }

    /** How many records are dropped. */
    public long skip() {
        return skip;
    }

    @Override
    public String describe() {
        return "skip(" + skip + ")";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.STREAMING;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new SkipLink(down, skip, stats);
    }

    /** The runtime link. */
    static final class SkipLink extends Downstream.Link {
        private final long skip;
        private final StageStats stats;

        SkipLink(Downstream<Object> down, long skip, StageStats stats) {
            super(down);
            this.skip = skip;
            this.stats = stats;
        }

        @Override
        public void push(Object t) {
            if (++stats.in > skip) {
                stats.out++;
                down.push(t);
            }
        }
    }
}
