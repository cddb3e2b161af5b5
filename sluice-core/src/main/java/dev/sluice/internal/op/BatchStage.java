package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.Timers;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code batch(n)}: lists of n records, the last one partial; holds at most one batch. With a wait, {@code
 * batch(n, maxWait)}: a batch also closes {@code maxWait} after its first record, by the run's clock, even while the
 * source is silent.
 */
public final class BatchStage extends Stage {
    private static final long serialVersionUID = 1L;
    private final int size;
    private final long maxWaitNanos;

    public BatchStage(Stage up, int size) {
        this(up, size, 0);
    }

    /** A batch of at most {@code size} records that also closes {@code maxWaitNanos} after its first (0: no wait). */
    public BatchStage(Stage up, int size, long maxWaitNanos) {
        super(up, "batch");
        this.size = size;
        this.maxWaitNanos = maxWaitNanos;
    }

    /** The longest a batch waits after its first record, in nanoseconds; 0 for no limit. */
    public long maxWaitNanos() {
        return maxWaitNanos;
    }

    @Override
    public boolean timed() {
        return maxWaitNanos > 0;
    }

    /** Records a batch. */
    public int size() {
        return size;
    }

    @Override
    public String describe() {
        return maxWaitNanos > 0
                ? "batch(" + size + ", " + java.time.Duration.ofNanos(maxWaitNanos) + ")"
                : "batch(" + size + ")";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BOUNDED;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new BatchLink(down, size, maxWaitNanos, stats, run);
    }

    /** The runtime link. */
    static final class BatchLink extends Downstream.Link {
        private final int size;
        private final long maxWaitNanos;
        private final StageStats stats;
        private final RunState run;
        private List<Object> batch;
        private Timers.Timer timer;

        BatchLink(Downstream<Object> down, int size, long maxWaitNanos, StageStats stats, RunState run) {
            super(down);
            this.size = size;
            this.maxWaitNanos = maxWaitNanos;
            this.stats = stats;
            this.run = run;
            this.batch = new ArrayList<>(Math.min(size, 1024));
        }

        @Override
        public void push(Object t) {
            stats.in++;
            batch.add(t);
            if (batch.size() == size) {
                emit();
            } else if (batch.size() == 1 && maxWaitNanos > 0) {
                Timers timers = run.timers();
                timer = timers.schedule(timers.clock().nanoTime() + maxWaitNanos, this::timeUp);
            }
        }

        /** The wait of the open batch is over: close it as it is. */
        private void timeUp() {
            timer = null;
            if (!batch.isEmpty() && !run.dead(stats.position)) {
                emit();
            }
        }

        private void emit() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            List<Object> full = batch;
            batch = new ArrayList<>(Math.min(size, 1024));
            stats.out++;
            down.push(full);
        }

        @Override
        public void finish() {
            if (!batch.isEmpty() && !run.dead(stats.position)) {
                emit(); // a partial batch, unless a limit downstream has already been satisfied
            }
            down.finish();
        }
    }
}
