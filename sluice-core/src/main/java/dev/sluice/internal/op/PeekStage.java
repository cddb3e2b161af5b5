package dev.sluice.internal.op;

import dev.sluice.fn.ConsumerFn;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;

/** {@code peek(fn)}: calls the function and passes the record on. */
public final class PeekStage extends FunctionStage<ConsumerFn<Object>> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unchecked")
    public PeekStage(Stage up, ConsumerFn<?> fn) {
        super(up, "peek", "peek", (ConsumerFn<Object>) fn);
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new PeekLink(down, fn(), stats, run);
    }

    /** The runtime link. */
    static final class PeekLink extends FunctionLink<ConsumerFn<Object>> {
        PeekLink(Downstream<Object> down, ConsumerFn<Object> fn, StageStats stats, RunState run) {
            super(down, fn, stats, run);
        }

        @Override
        public void push(Object t) {
            long n = ++stats.in;
            try {
                fn.accept(t);
            } catch (Exception e) {
                run.reject(stats, n, t, e);
                return;
            }
            stats.out++;
            down.push(t);
        }
    }
}
