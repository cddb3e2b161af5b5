package dev.sluice.internal;

import dev.sluice.Emitter;
import dev.sluice.GeneratorExit;
import dev.sluice.Location;
import dev.sluice.SluiceException;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.fn.GeneratorFn;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Internal, not part of the API. A source written as a generator function with an {@link Emitter}.
 *
 * <p>When a run drives it to the end ({@code run}, {@code forEach}, ...), the generator runs inline on the
 * calling thread and each {@code emit} pushes straight into the fused chain: no thread, no queue. When it is pulled
 * one record at a time ({@code iterator()}), it runs on its own thread in strict lock-step with the consumer, like
 * a Python generator: the code after {@code emit(x)} runs only when the next value is asked for. Closing the
 * reader makes the pending {@code emit} throw {@link GeneratorExit} and waits for the generator to finish.
 */
public final class GeneratorSource<T> implements Source<T> {
    private static final long serialVersionUID = 1L;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final GeneratorFn<T> fn;
    private final String name;

    public GeneratorSource(GeneratorFn<T> fn, String name) {
        this.fn = fn;
        this.name = name;
    }

    @Override
    public SourceReader<T> open(SourceContext ctx) {
        return new Reader();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean bounded() {
        return false;
    }

    private final class Reader implements SourceReader<T>, PushingReader<T> {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private Thread thread;
        private T slot;
        private boolean hasValue;
        private boolean demand;
        private boolean finished;
        private boolean closed;
        private Throwable failure;
        private long count;
        /** This reader's own exit signal, so an outer generator's exit passing through is not mistaken for ours. */
        private final GeneratorExit exit = new GeneratorExit();

        // ---- push mode: run inline ----

        @Override
        public void pushAll(Downstream<Object> head, RunState run) throws Exception {
            Emitter<T> out = value -> {
                if (run.dead(0)) {
                    throw exit;
                }
                if (value == null) {
                    throw new NullPointerException("a generator emitted null; records must not be null");
                }
                count++;
                head.push(value);
                if (run.dead(0)) {
                    throw exit;
                }
            };
            try {
                fn.generate(out);
            } catch (GeneratorExit e) {
                if (e != exit) {
                    throw e; // another generator's exit, passing through this one
                }
            }
        }

        // ---- pull mode: a thread in lock-step ----

        @Override
        public T next() throws Exception {
            lock.lock();
            try {
                if (finished && !hasValue) {
                    return rethrowOrEnd();
                }
                if (thread == null) {
                    thread = new Thread(this::body, "sluice-generator-" + THREADS.incrementAndGet());
                    thread.setDaemon(true);
                    thread.start();
                }
                demand = true;
                changed.signalAll();
                while (!hasValue && !finished) {
                    changed.await();
                }
                if (hasValue) {
                    T v = slot;
                    slot = null;
                    hasValue = false;
                    count++;
                    return v;
                }
                return rethrowOrEnd();
            } finally {
                lock.unlock();
            }
        }

        private T rethrowOrEnd() throws Exception {
            Throwable f = failure;
            if (f != null) {
                failure = null;
                if (f instanceof Exception) {
                    throw (Exception) f;
                }
                throw (Error) f;
            }
            return null;
        }

        private void body() {
            Throwable error = null;
            try {
                fn.generate(this::handOver);
            } catch (GeneratorExit e) {
                if (e != exit) {
                    error = e;
                }
            } catch (Throwable t) {
                error = t;
            }
            lock.lock();
            try {
                finished = true;
                failure = error;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void handOver(T value) {
            if (value == null) {
                throw new NullPointerException("a generator emitted null; records must not be null");
            }
            lock.lock();
            try {
                if (closed) {
                    throw exit;
                }
                slot = value;
                hasValue = true;
                demand = false;
                changed.signalAll();
                while (!demand && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (closed) {
                    throw exit;
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Location location() {
            return new Location(name, -1, count);
        }

        @Override
        public void close() throws Exception {
            Thread t;
            lock.lock();
            try {
                closed = true;
                slot = null;
                hasValue = false;
                changed.signalAll();
                t = thread;
            } finally {
                lock.unlock();
            }
            if (t != null && t != Thread.currentThread()) {
                t.join(CLOSE_WAIT_MILLIS);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(CLOSE_WAIT_MILLIS);
                    if (t.isAlive()) {
                        throw new SluiceException("generator '" + name + "' did not stop within "
                                + (2 * CLOSE_WAIT_MILLIS / 1000) + " s of being closed; does it catch GeneratorExit?");
                    }
                }
                Throwable f;
                lock.lock();
                try {
                    f = failure; // e.g. thrown by the generator's finally block as it unwound
                    failure = null;
                } finally {
                    lock.unlock();
                }
                if (f instanceof Exception) {
                    throw (Exception) f;
                } else if (f != null) {
                    throw (Error) f;
                }
            }
        }
    }
}
