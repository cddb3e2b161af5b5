package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;

/** {@code limit(n)}: the first n records, then stops everything upstream of it. */
public final class LimitStage extends Stage {
    private static final long serialVersionUID = 1L;
    private final long limit;

    public LimitStage(Stage up, long limit) {
        super(up, "limit");
        this.limit = limit;
    }

    /** How many records pass. */
    public long limit() {
        return limit;
    }

    @Override
    public String describe() {
        return "limit(" + limit + ")";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.STREAMING;
    }

    /** Its output ends after {@code limit} records, whatever its input. */
    @Override
    public boolean unbounded(boolean anyInputUnbounded) {
        return false;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new LimitLink(down, limit, stats, run);
    }

    /** The runtime link. */
    static final class LimitLink extends Downstream.Link {
        private final long limit;
        private final StageStats stats;
        private final RunState run;

        LimitLink(Downstream<Object> down, long limit, StageStats stats, RunState run) {
            super(down);
            this.limit = limit;
            this.stats = stats;
            this.run = run;
        }

        @Override
        public void push(Object t) {
            stats.in++;
            if (stats.out < limit) {
                stats.out++;
                down.push(t);
                if (stats.out == limit) {
                    run.stop(stats.position);
                }
            }
        }
    }
}
