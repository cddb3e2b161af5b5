package dev.sluice.internal;

import dev.sluice.Clock;
import java.util.PriorityQueue;

/**
 * Internal: a run's timers. Stages schedule actions at deadlines of the run's {@link Clock}; the driver fires the
 * due ones on the thread that runs the chain, between records, so a stage's state needs no locking.
 */
public final class Timers {
    private final Clock clock;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long seq;

    Timers(Clock clock) {
        this.clock = clock;
    }

    /** A scheduled action; {@link #cancel()} it if it is no longer wanted. */
    public static final class Timer implements Comparable<Timer> {
        final long deadline;
        final long order;
        final Runnable action;
        boolean cancelled;

        Timer(long deadline, long order, Runnable action) {
            this.deadline = deadline;
            this.order = order;
            this.action = action;
        }

        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** The run's clock. */
    public Clock clock() {
        return clock;
    }

    /** Runs {@code action} once the clock reaches {@code deadlineNanos}. */
    public Timer schedule(long deadlineNanos, Runnable action) {
        Timer t = new Timer(deadlineNanos, seq++, action);
        queue.add(t);
        return t;
    }

    /** The earliest deadline of a live timer, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        Timer t;
        while ((t = queue.peek()) != null && t.cancelled) {
            queue.poll();
        }
        return t == null ? Long.MAX_VALUE : t.deadline;
    }

    /** Fires every live timer whose deadline has passed. */
    public void fireDue() {
        long now = clock.nanoTime();
        Timer t;
        while ((t = queue.peek()) != null && (t.cancelled || t.deadline - now <= 0)) {
            queue.poll();
            if (!t.cancelled) {
                t.action.run();
            }
        }
    }
}
