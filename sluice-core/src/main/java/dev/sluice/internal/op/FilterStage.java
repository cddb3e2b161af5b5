package dev.sluice.internal.op;

import dev.sluice.fn.FilterFn;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;

/** {@code filter(fn)}: keeps the records for which the predicate holds. */
public final class FilterStage extends FunctionStage<FilterFn<Object>> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unchecked")
    public FilterStage(Stage up, FilterFn<?> fn) {
        super(up, "filter", "filter", (FilterFn<Object>) fn);
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new FilterLink(down, fn(), stats, run);
    }

    /** The runtime link. */
    static final class FilterLink extends FunctionLink<FilterFn<Object>> {
        FilterLink(Downstream<Object> down, FilterFn<Object> fn, StageStats stats, RunState run) {
            super(down, fn, stats, run);
        }

        @Override
        public void push(Object t) {
            long n = ++stats.in;
            boolean keep;
            try {
                keep = fn.test(t);
            } catch (Exception e) {
                run.reject(stats, n, t, e);
                return;
            }
            if (keep) {
                stats.out++;
                down.push(t);
            }
        }
    }
}
