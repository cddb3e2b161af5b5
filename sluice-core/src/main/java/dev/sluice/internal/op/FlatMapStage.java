package dev.sluice.internal.op;

import dev.sluice.fn.FlatMapFn;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import java.util.Iterator;

/**
 * {@code flatMap(fn)}: zero or more outputs per input, streamed on one at a time. An iterator that is {@link
 * AutoCloseable} is closed when done or abandoned.
 */
public final class FlatMapStage extends FunctionStage<FlatMapFn<Object, Object>> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unchecked")
    public FlatMapStage(Stage up, FlatMapFn<?, ?> fn, String name) {
        super(up, name, "flatMap", (FlatMapFn<Object, Object>) fn);
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new FlatMapLink(down, fn(), stats, run);
    }

    /**
     * The runtime link of {@code flatMap}: streams each input's outputs on one at a time; when downstream is full (a
     * pulled iterator has what it asked for) it keeps the rest pending until {@link #resume()}.
     */
    static final class FlatMapLink extends FunctionLink<FlatMapFn<Object, Object>> {
        private Iterator<?> pending;
        private Object pendingIn;
        private long pendingN;
        private boolean finishAfter;

        FlatMapLink(Downstream<Object> down, FlatMapFn<Object, Object> fn, StageStats stats, RunState run) {
            super(down, fn, stats, run);
        }

        @Override
        public void push(Object t) {
            long n = ++stats.in;
            Iterator<?> it;
            try {
                Iterable<?> out = fn.apply(t);
                if (out == null) {
                    throw new NullPointerException("the function returned null");
                }
                it = out.iterator();
            } catch (Exception e) {
                run.reject(stats, n, t, e);
                return;
            }
            drain(it, t, n);
        }

        /** Emits from {@code it} until it ends, the run stops, or downstream is full (then keeps it pending). */
        private void drain(Iterator<?> it, Object t, long n) {
            boolean completed = false;
            boolean kept = false;
            try {
                while (!run.dead(stats.position)) {
                    if (down.full()) {
                        pending = it;
                        pendingIn = t;
                        pendingN = n;
                        kept = true;
                        return;
                    }
                    Object r;
                    try {
                        if (!it.hasNext()) {
                            break;
                        }
                        r = it.next();
                        if (r == null) {
                            throw new NullPointerException("the function's result holds a null");
                        }
                    } catch (Exception e) {
                        run.reject(stats, n, t, e);
                        return;
                    }
                    stats.out++;
                    down.push(r);
                }
                completed = true;
            } finally {
                if (!kept) {
                    close(it, completed, t, n);
                }
            }
        }

        private void close(Iterator<?> it, boolean completed, Object t, long n) {
            if (it instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) it).close();
                } catch (Exception e) {
                    if (completed) { // otherwise an exception is in flight, or the record was already rejected
                        run.reject(stats, n, t, e);
                    }
                }
            }
        }

        @Override
        public boolean resume() {
            if (down.resume()) {
                return true;
            }
            if (pending == null) {
                return false;
            }
            Iterator<?> it = pending;
            pending = null;
            drain(it, pendingIn, pendingN);
            if (pending == null) {
                pendingIn = null;
                if (finishAfter) {
                    finishAfter = false;
                    down.finish();
                }
            }
            return true;
        }

        @Override
        public void finish() {
            if (pending != null) {
                finishAfter = true; // the driver resumes the rest, then the finish goes on
                return;
            }
            down.finish();
        }

        @Override
        public void abandon() {
            Iterator<?> it = pending;
            pending = null;
            if (it instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) it).close();
                } catch (Exception e) {
                    // the run is being abandoned; its own outcome is what is reported
                }
            }
            down.abandon();
        }
    }
}
