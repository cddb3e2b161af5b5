package dev.sluice.internal;

import dev.sluice.CloseableIterator;
import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.SourceReader;
import dev.sluice.internal.LocalExecution.Execution;
import dev.sluice.internal.op.MergeStage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Internal: how the local runner reads the inputs of a merging stage, as the source of the chain after it. Each
 * input is an execution of its own (its source and stages, its own limits and timers); rejections anywhere count
 * toward the run.
 */
final class MergeReaders {
    private MergeReaders() {}

    static SourceReader<Object> open(Stage stage, List<Execution> inputs, RunState run, StageStats stats) {
        if (stage instanceof dev.sluice.internal.op.JoinStage join) {
            return join.sorted()
                    ? new MergeJoinReader(join, inputs.get(0), inputs.get(1), run, stats)
                    : new JoinReader(join, inputs.get(0), inputs.get(1), run, stats);
        }
        MergeStage merge = (MergeStage) stage;
        return switch (merge.order()) {
            case CONCAT -> new Concat(inputs);
            case UNION -> new Union(merge.name(), inputs);
        };
    }

    /**
     * Pulls {@code input} through a thread of its own that reads it ahead in batches (a union of one input), so the
     * stage that consumes it (a join) and the input's own parsing use two cores.
     */
    static CloseableIterator<Object> readAhead(String name, Execution input) {
        Union u = new Union(name, List.of(input));
        return new CloseableIterator<>() {
            private Object next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    try {
                        next = u.next();
                    } catch (Exception e) {
                        done = true;
                        throw LocalExecution.unchecked(e);
                    }
                    done = next == null;
                }
                return next != null;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Object t = next;
                next = null;
                return t;
            }

            @Override
            public void close() {
                done = true;
                u.close();
            }
        };
    }

    /** {@code concat}: pulls each input to its end in turn, on the calling thread; one open at a time. */
    static final class Concat implements SourceReader<Object> {
        private final List<Execution> inputs;
        private final List<CloseableIterator<Object>> pulls = new ArrayList<>();
        private int current;

        Concat(List<Execution> inputs) {
            this.inputs = inputs;
            for (Execution in : inputs) {
                pulls.add(LocalExecution.pull(in)); // opens its input on its first hasNext()
            }
        }

        @Override
        public Object next() {
            while (current < pulls.size()) {
                CloseableIterator<Object> it = pulls.get(current);
                if (it.hasNext()) {
                    return it.next();
                }
                current++; // an input at its end has closed its source
            }
            return null;
        }

        @Override
        public Location location() {
            return current < inputs.size() ? inputs.get(current).run.location() : null;
        }

        @Override
        public String rawText() {
            SourceReader<Object> r = current < inputs.size() ? inputs.get(current).reader : null;
            return r == null ? null : r.rawText();
        }

        @Override
        public double progress() {
            if (current >= inputs.size()) {
                return 1;
            }
            double p = Math.max(0, inputs.get(current).fraction());
            return (current + Math.min(1, p)) / inputs.size();
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            for (CloseableIterator<Object> it : pulls) {
                try {
                    it.close();
                } catch (RuntimeException e) {
                    failure = (RuntimeException) RunEnd.chain(failure, e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /**
     * {@code union}: each input runs on a thread of its own and hands its records over in batches through one
     * bounded queue, so memory stays bounded (at most {@code 2 × inputs + 2} batches of {@value #BATCH} records).
     * A batch is handed over when full, or at once while the reading thread is waiting, so a slow input's records
     * are not held back; each input's records keep their order.
     */
    static final class Union implements SourceReader<Object> {
        static final int BATCH = 256;

        private record Batch(int input, Object[] items, int size) {}

        private record End(int input, Throwable failure) {}

        /** Thrown inside an input's thread when the union is closed early. No stack trace. */
        private static final class Stopped extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Stopped() {
                super("union closed", null, false, false);
            }
        }

        private final List<Execution> inputs;
        private final ArrayBlockingQueue<Object> queue;
        private final Feed[] feeds;
        private final Thread[] threads;
        private volatile boolean stopped;
        /** Set while the reading thread waits for a batch: inputs then hand over what they hold at once. */
        private volatile boolean waiting;

        private int running;
        private Object[] items;
        private int pos;
        private int size;
        private int lastInput = -1;
        private Object last;

        Union(String name, List<Execution> inputs) {
            this.inputs = inputs;
            this.queue = new ArrayBlockingQueue<>(2 * inputs.size() + 2);
            this.feeds = new Feed[inputs.size()];
            this.threads = new Thread[inputs.size()];
            for (int i = 0; i < inputs.size(); i++) {
                feeds[i] = new Feed(i);
                int k = i;
                threads[i] = new Thread(
                        () -> runInput(k), "sluice-" + name + "-input-" + (i + 1) + "(" + inputs.get(i).name + ")");
                threads[i].setDaemon(true);
            }
            running = inputs.size();
            for (Thread t : threads) {
                t.start();
            }
        }

        private void runInput(int i) {
            Execution ex = inputs.get(i);
            Throwable failure = null;
            try {
                ex.open(feeds[i]);
                LocalExecution.drive(ex); // ends with finish(), which hands over the last partial batch
            } catch (Stopped e) {
                return;
            } catch (Throwable t) {
                failure = t;
            }
            failure = ex.closeSource(failure); // an input at its end lets its file go at once
            if (failure instanceof Stopped) {
                return;
            }
            try {
                queue.put(new End(i, failure)); // after this input's last batch, which finish() queued on this thread
            } catch (InterruptedException e) {
                // stopped
            }
        }

        /**
         * The end of one input's chain: collects its records into batches for the queue. The lock guards the buffer
         * only, never a wait: a full batch is swapped out under it and queued after it is released, so the input
         * pushes nothing more until its batch is queued.
         */
        private final class Feed extends Downstream<Object> {
            final int input;
            final ReentrantLock lock = new ReentrantLock();
            Object[] buf = new Object[BATCH];
            int n;

            Feed(int input) {
                this.input = input;
            }

            @Override
            public void push(Object t) {
                Batch full = null;
                lock.lock();
                try {
                    if (stopped) {
                        throw new Stopped();
                    }
                    buf[n++] = t;
                    if (n == BATCH || waiting) {
                        full = take();
                    }
                } finally {
                    lock.unlock();
                }
                if (full != null) {
                    put(full);
                }
            }

            @Override
            public void finish() {
                Batch rest;
                lock.lock();
                try {
                    rest = take();
                } finally {
                    lock.unlock();
                }
                if (rest != null) {
                    put(rest);
                }
            }

            /** Under the lock: what this input holds (the buffer is then empty), or null. */
            Batch take() {
                if (n == 0) {
                    return null;
                }
                Batch b = new Batch(input, buf, n);
                buf = new Object[BATCH];
                n = 0;
                return b;
            }
        }

        private void put(Object o) {
            try {
                queue.put(o);
            } catch (InterruptedException e) {
                throw new Stopped();
            }
        }

        @Override
        public Object next() throws Exception {
            while (pos == size) {
                if (running == 0) {
                    return null;
                }
                Object o = nextFromQueue();
                if (o instanceof Batch b) {
                    items = b.items();
                    size = b.size();
                    pos = 0;
                    lastInput = b.input();
                } else {
                    End e = (End) o;
                    running--;
                    if (e.failure() != null) {
                        running = 0;
                        Throwable t = e.failure();
                        if (t instanceof Exception x) {
                            throw x;
                        }
                        throw (Error) t;
                    }
                }
            }
            Object t = items[pos];
            items[pos++] = null;
            last = t;
            return t;
        }

        /** The next batch or end: from the queue, or taken straight from an input whose batch is not yet full. */
        private Object nextFromQueue() throws InterruptedException {
            Object o = queue.poll();
            if (o != null) {
                return o;
            }
            waiting = true; // from now on an input hands over each record at once
            try {
                for (Feed f : feeds) {
                    f.lock.lock();
                    try {
                        // An input's earlier batches are queued before it can push more, so if the queue is empty now
                        // none of
                        // them is waiting in it, and what it holds comes next in its order.
                        o = queue.poll();
                        if (o == null) {
                            o = f.take();
                        }
                    } finally {
                        f.lock.unlock();
                    }
                    if (o != null) {
                        return o;
                    }
                }
                return queue.take();
            } finally {
                waiting = false;
            }
        }

        @Override
        public Location location() {
            Object t = last;
            if (t instanceof Row r) {
                Location o = r.origin();
                if (o != null) {
                    return o;
                }
            }
            return lastInput < 0 ? null : new Location(inputs.get(lastInput).name, -1, -1);
        }

        @Override
        public double progress() {
            double sum = 0;
            for (Execution in : inputs) {
                sum += Math.min(1, Math.max(0, in.fraction()));
            }
            return sum / inputs.size();
        }

        @Override
        public void close() {
            stopped = true;
            queue.clear();
            for (Thread t : threads) {
                t.interrupt();
            }
            for (Thread t : threads) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                queue.clear(); // a thread may have put one more before it saw the stop
            }
            Throwable failure = null;
            for (Execution in : inputs) {
                failure = in.closeSource(failure);
            }
            if (failure != null && !(failure instanceof Stopped)) {
                throw LocalExecution.unchecked(failure);
            }
        }
    }
}
