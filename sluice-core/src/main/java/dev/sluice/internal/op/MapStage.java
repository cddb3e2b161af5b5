package dev.sluice.internal.op;

import dev.sluice.fn.MapFn;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;

/** {@code map(fn)}: one output per input. */
public final class MapStage extends FunctionStage<MapFn<Object, Object>> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unchecked")
    public MapStage(Stage up, MapFn<?, ?> fn) {
        super(up, "map", "map", (MapFn<Object, Object>) fn);
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new MapLink(down, fn(), stats, run);
    }

    /** The runtime link. */
    static final class MapLink extends FunctionLink<MapFn<Object, Object>> {
        /** The function, if it wants to know where each record was read (a log parser). */
        private final dev.sluice.fn.LocatedMapFn<Object, Object> located;

        @SuppressWarnings("unchecked")
        MapLink(Downstream<Object> down, MapFn<Object, Object> fn, StageStats stats, RunState run) {
            super(down, fn, stats, run);
            this.located = fn instanceof dev.sluice.fn.LocatedMapFn<?, ?> l
                    ? (dev.sluice.fn.LocatedMapFn<Object, Object>) l
                    : null;
        }

        @Override
        public void push(Object t) {
            long n = ++stats.in;
            Object r;
            try {
                r = located != null ? located.apply(t, run.location()) : fn.apply(t);
            } catch (Exception e) {
                run.reject(stats, n, t, e);
                return;
            }
            if (r == null) {
                run.reject(stats, n, t, new NullPointerException("the function returned null"));
                return;
            }
            stats.out++;
            down.push(r);
        }
    }
}
