package dev.sluice.internal;

/**
 * Internal, not part of the API. One link of a fused operator chain: records are pushed in, one call per record,
 * and {@link #finish} is called once at the end of the input so bounded stages can flush.
 *
 * <p>Demand, for the pull path: a stage that makes several outputs from one input (a {@code flatMap}, a blocking
 * stage at its end) emits them only while {@link #full()} is false downstream and keeps the rest pending; the
 * driver calls {@link #resume()} before it reads the next input, so {@code iterator()} holds a bounded number of
 * records whatever one input expands into. In push mode nothing is ever full and this costs one call per output.
 */
public abstract class Downstream<T> {
    public abstract void push(T t);

    public void finish() {}

    /** Whether the consumer wants nothing more for now. A terminal says so; a link asks its downstream. */
    public boolean full() {
        return false;
    }

    /**
     * Emits outputs held back while downstream was full, the most downstream stage's first. Returns true if any
     * stage had something pending (it may have more), false if none had.
     */
    public boolean resume() {
        return false;
    }

    /** The run ends before this chain has finished (a closed iterator, a failure): release anything held. */
    public void abandon() {}

    /** A link with one downstream, to which demand questions are passed on. */
    public abstract static class Link extends Downstream<Object> {
        protected final Downstream<Object> down;

        protected Link(Downstream<Object> down) {
            this.down = down;
        }

        @Override
        public void finish() {
            down.finish();
        }

        @Override
        public boolean full() {
            return down.full();
        }

        @Override
        public boolean resume() {
            return down.resume();
        }

        @Override
        public void abandon() {
            down.abandon();
        }
    }

    /** A link that passes every record on and counts it in and out: what a source's or a merge's stage does. */
    public static final class Counting extends Link {
        private final StageStats stats;

        public Counting(Downstream<Object> down, StageStats stats) {
            super(down);
            this.stats = stats;
        }

        @Override
        public void push(Object t) {
            stats.in++;
            stats.out++;
            down.push(t);
        }
    }
}
