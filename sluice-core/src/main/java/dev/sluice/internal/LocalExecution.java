package dev.sluice.internal;

import dev.sluice.Clock;
import dev.sluice.CloseableIterator;
import dev.sluice.ErrorPolicy;
import dev.sluice.RunListener;
import dev.sluice.RunProgress;
import dev.sluice.RunSummary;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.SluiceException;
import dev.sluice.Source;
import dev.sluice.SourceReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Internal, not part of the API. Runs a plan on this machine, on the calling thread: the plan's stages are linked
 * into one fused chain of {@link Downstream} calls, and the source is driven either to the end ({@link #run}) or one
 * record at a time ({@link #iterator}). The source is opened when the run starts and closed exactly once.
 */
public final class LocalExecution {
    private LocalExecution() {}

    /**
     * One run's linked chain and its bookkeeping: one segment of the plan graph, headed by a source or by a merging
     * stage whose inputs are executions of their own.
     */
    static final class Execution implements RunProgress {
        final List<Stage> stages;
        /** The source read, or null when the segment is headed by a merging stage. */
        final Source<Object> source;
        /** The executions of a merging head's inputs, in order; empty for a source. */
        final List<Execution> inputs = new ArrayList<>();

        final String name;
        final RunState run;
        final List<StageStats> stats;
        final long started = System.nanoTime();
        volatile SourceReader<Object> reader;
        Downstream<Object> head;
        /** Whether a stage acts on timers: then the source is read ahead on its own thread (see {@link ReadAhead}). */
        final boolean timed;

        ReadAhead readAhead;

        /** The execution of the whole plan ending at {@code tail}. */
        Execution(Stage tail, ErrorPolicy policy, String sinkName, LocalSettings settings) {
            this(tail, rootState(tail, policy, settings), sinkName, new java.util.HashMap<>());
        }

        private static RunState rootState(Stage tail, ErrorPolicy policy, LocalSettings settings) {
            RunState run = new RunState(policy, Graph.segment(tail).get(0).name());
            run.configure(settings);
            run.shareMemoryAmong(tail);
            return run;
        }

        @SuppressWarnings("unchecked")
        private Execution(Stage tail, RunState run, String sinkName, java.util.Map<String, Integer> seen) {
            this.stages = Graph.segment(tail);
            Stage first = stages.get(0);
            for (Stage in : first.inputs()) {
                inputs.add(new Execution(in, run.input(Graph.segment(in).get(0).name()), null, seen));
            }
            this.source = first instanceof SourceStage src ? (Source<Object>) src.source() : null;
            this.name = first.name();
            this.run = run;
            this.stats = StageStats.forPlan(stages, sinkName, seen);
            boolean anyTimed = false;
            for (Stage s : stages) {
                anyTimed |= s.timed();
            }
            this.timed = anyTimed;
        }

        /** The record being handled in a timed plan, with where it was read. */
        volatile ReadAhead.Positioned current;

        /** Starts reading ahead, for a timed plan. */
        ReadAhead readAhead() {
            if (readAhead == null) {
                readAhead = new ReadAhead(reader, name, false);
                // errors, and functions that ask (a log parser), are told where the record being handled came from,
                // not where the reading thread is
                run.attach(currentView(() -> current), stats.get(0));
            }
            return readAhead;
        }

        /**
         * For a timed plan: the next input record, null at the end, or {@link #TICK} after firing the timers that came
         * due while it waited.
         */
        Object nextTimed() throws Exception {
            ReadAhead ra = readAhead();
            Timers timers = run.timers();
            Clock clock = timers.clock();
            long deadline = timers.nextDeadline();
            long wait = clock.pollNanos();
            if (deadline != Long.MAX_VALUE) {
                wait = Math.min(wait, deadline - clock.nanoTime());
            }
            Object t = ra.poll(wait);
            if (t == ReadAhead.TIMEOUT) {
                timers.fireDue();
                return TICK;
            }
            if (t == ReadAhead.DONE) {
                return null;
            }
            ReadAhead.Positioned p = (ReadAhead.Positioned) t;
            current = p;
            return p.record();
        }

        /** The run-time links of the chain, first to last, once {@link #open opened}. */
        final List<Downstream<Object>> links = new ArrayList<>();

        /** Opens the source (or the merged inputs) and links the chain in front of {@code terminal}. */
        void open(Downstream<Object> terminal) throws Exception {
            open(terminal, null);
        }

        /** As {@link #open(Downstream)}, the source resuming at {@code position} (null: from its start). */
        void open(Downstream<Object> terminal, dev.sluice.Position position) throws Exception {
            Downstream<Object> down = terminal;
            for (int i = stages.size() - 1; i >= 0; i--) {
                down = stages.get(i).link(down, stats.get(i), run);
                links.add(0, down);
            }
            head = down;
            SourceReader<Object> r = source != null
                    ? (position != null ? source.open(run, position) : source.open(run))
                    : MergeReaders.open(stages.get(0), inputs, run, stats.get(0));
            reader = r;
            run.attach(r, stats.get(0));
        }

        /** Closes the source (once) and what the chain holds; reports the first failure, suppressing later ones. */
        Throwable closeSource(Throwable primary) {
            ReadAhead ra = readAhead;
            if (ra != null) {
                ra.stop(); // the reading thread leaves before its source is closed
            }
            Downstream<Object> h = head;
            if (h != null) {
                try {
                    h.abandon(); // e.g. a flatMap's pending iterator, when the run ends early
                } catch (Throwable t) {
                    primary = chain(primary, t);
                }
            }
            SourceReader<Object> r;
            synchronized (this) { // a union's input may be closed by its thread and by the run
                r = reader;
                reader = null;
            }
            if (r != null) {
                try {
                    r.close();
                } catch (Throwable t) {
                    primary = chain(
                            primary,
                            t instanceof SluiceException
                                    ? t
                                    : new SluiceException("closing " + name + " failed: " + t.getMessage(), t));
                }
            }
            return primary;
        }

        /** Closes the source and the dead-letter sink (for the pull path, which has no sink writer). */
        Throwable close(Throwable primary) {
            primary = closeSource(primary);
            if (run.isRoot()) {
                run.closeSpill(); // not when one input of a concat ends: the run goes on
            }
            try {
                run.closeDeadLetters();
            } catch (Throwable t) {
                primary = chain(primary, t);
            }
            return primary;
        }

        /** The counters of every stage of the graph: the inputs' first, in order, then this segment's. */
        List<StageStats> allStats() {
            List<StageStats> all = new ArrayList<>();
            for (Execution in : inputs) {
                all.addAll(in.allStats());
            }
            all.addAll(stats);
            return all;
        }

        RunSummary summary(long peakHeap) {
            return StageStats.summarize(allStats(), run, started, peakHeap);
        }

        @Override
        public double fraction() {
            SourceReader<Object> r = reader;
            return r == null ? -1 : r.progress();
        }

        @Override
        public long recordsIn() {
            if (inputs.isEmpty()) {
                return stats.get(0).in;
            }
            long n = 0;
            for (Execution in : inputs) {
                n += in.recordsIn();
            }
            return n;
        }

        @Override
        public long elapsedNanos() {
            return System.nanoTime() - started;
        }
    }

    /** A reader answering for the record a run is handling: its location and raw text, as {@code current} gives. */
    static SourceReader<Object> currentView(java.util.function.Supplier<ReadAhead.Positioned> current) {
        return new SourceReader<>() {
            @Override
            public Object next() {
                throw new UnsupportedOperationException();
            }

            @Override
            public dev.sluice.Location location() {
                ReadAhead.Positioned p = current.get();
                return p == null ? null : p.location();
            }

            @Override
            public String rawText() {
                ReadAhead.Positioned p = current.get();
                return p == null ? null : p.rawText();
            }

            @Override
            public void close() {}
        };
    }

    /** What {@link Execution#nextTimed} returns after firing timers instead of reading a record. */
    static final Object TICK = new Object();

    static Throwable chain(Throwable primary, Throwable next) {
        return RunEnd.chain(primary, next);
    }

    /**
     * Runs the plan ending at {@code tail} to the end, pushing every output into {@code sink} (if not null) or
     * else into {@code terminal}.
     */
    public static RunSummary run(
            Stage tail,
            ErrorPolicy policy,
            Sink<?> sink,
            Downstream<Object> terminal,
            RunListener listener,
            int parallelism) {
        return run(tail, policy, sink, terminal, listener, parallelism, LocalSettings.DEFAULT);
    }

    /** As {@link #run(Stage, ErrorPolicy, Sink, Downstream, RunListener, int)}, with these settings. */
    public static RunSummary run(
            Stage tail,
            ErrorPolicy policy,
            Sink<?> sink,
            Downstream<Object> terminal,
            RunListener listener,
            int parallelism,
            LocalSettings settings) {
        int chunkBytes = settings.chunkBytes();
        FileSafety.check(tail, policy, sink);
        if (settings.checkpoints() != null) {
            return CheckpointedRun.run(tail, policy, sink, listener, settings);
        }
        if (parallelism > 1 && ParallelRunner.eligible(tail)) {
            RunSummary s = ParallelRunner.run(
                    tail,
                    policy,
                    sink,
                    terminal,
                    listener,
                    parallelism,
                    chunkBytes > 0 ? chunkBytes : ParallelRunner.chunkBytes,
                    settings);
            if (s != null) {
                return s;
            }
        }
        return run(tail, policy, sink, terminal, listener, settings);
    }

    @SuppressWarnings("unchecked")
    static RunSummary run(
            Stage tail,
            ErrorPolicy policy,
            Sink<?> sink,
            Downstream<Object> terminal,
            RunListener listener,
            LocalSettings settings) {
        resetPeakHeap();
        Execution ex = new Execution(tail, policy, sink == null ? null : sink.name(), settings);
        SinkWriter<Object> writer = null;
        Throwable failure = null;
        try {
            Downstream<Object> end = terminal;
            if (sink != null) {
                writer = ((Sink<Object>) sink).open();
                end = sinkPush(writer, ex.stats.get(ex.stats.size() - 1), ex.run, sink.name());
            }
            ex.open(end);
            if (listener != null) {
                listener.started(ex);
            }
            drive(ex);
        } catch (Throwable t) {
            failure = t;
        }
        return RunEnd.finish(failure, ex::closeSource, ex.run, writer, sink, listener, () -> ex.summary(peakHeap()));
    }

    /** Drives {@code ex}'s chain to the end of its input (or a satisfied limit), then finishes it. */
    @SuppressWarnings("unchecked")
    static void drive(Execution ex) throws Exception {
        SourceReader<Object> r = ex.reader;
        Downstream<Object> head = ex.head;
        RunState run = ex.run;
        if (ex.timed) {
            Object t;
            while (!run.dead(0) && (t = ex.nextTimed()) != null) {
                if (t != TICK) {
                    head.push(t);
                    run.timers().fireDue(); // timers that came due while records kept coming
                }
            }
        } else if (r instanceof PushingReader) {
            if (!run.dead(0)) {
                ((PushingReader<Object>) r).pushAll(head, run);
            }
        } else {
            Object t;
            while (!run.dead(0) && (t = r.next()) != null) {
                head.push(t);
            }
        }
        head.finish();
    }

    static Downstream<Object> sinkPush(SinkWriter<Object> w, StageStats stats, RunState run, String name) {
        return new Downstream<>() {
            @Override
            public void push(Object t) {
                long n = ++stats.in;
                try {
                    w.write(t);
                } catch (dev.sluice.DataException e) {
                    run.reject(stats, n, t, e);
                    return;
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new SluiceException("writing to " + name + " failed: " + e.getMessage(), e);
                }
                stats.out++;
            }
        };
    }

    /** Pulls the plan one output at a time. The source is opened on the first {@code hasNext}/{@code next}. */
    public static CloseableIterator<Object> iterator(Stage tail, ErrorPolicy policy) {
        return iterator(tail, policy, LocalSettings.DEFAULT);
    }

    /** As {@link #iterator(Stage, ErrorPolicy)}, with timers on {@code clock}. */
    public static CloseableIterator<Object> iterator(Stage tail, ErrorPolicy policy, LocalSettings settings) {
        FileSafety.check(tail, policy, null);
        return new PullIterator(new Execution(tail, policy, null, settings));
    }

    /** Pulls {@code ex} one output at a time; the input of a {@code concat}. */
    static CloseableIterator<Object> pull(Execution ex) {
        return new PullIterator(ex);
    }

    /** State shared with the cleaner: must not refer to the iterator itself. */
    private static final class Resources implements Runnable {
        final Execution ex;
        boolean closed;

        Resources(Execution ex) {
            this.ex = ex;
        }

        @Override
        public synchronized void run() {
            if (!closed) {
                closed = true;
                Throwable t = ex.close(null);
                if (t != null) {
                    throw unchecked(t);
                }
            }
        }
    }

    private static final class BufferPush extends Downstream<Object> {
        private final ArrayDeque<Object> buffer;

        BufferPush(ArrayDeque<Object> buffer) {
            this.buffer = buffer;
        }

        @Override
        public void push(Object t) {
            buffer.add(t);
        }

        /** Full as soon as it holds a record: the pull path runs just far enough for the next one. */
        @Override
        public boolean full() {
            return !buffer.isEmpty();
        }
    }

    private static final class PullIterator implements CloseableIterator<Object> {
        private final Execution ex;
        private final Resources resources;
        private final java.lang.ref.Cleaner.Cleanable cleanable;
        private final ArrayDeque<Object> buffer = new ArrayDeque<>();
        private boolean opened;
        private boolean finishing;
        private boolean done;

        PullIterator(Execution ex) {
            this.ex = ex;
            this.resources = new Resources(ex);
            this.cleanable = Cleaners.CLEANER.register(this, resources);
        }

        @Override
        public boolean hasNext() {
            if (!buffer.isEmpty()) {
                return true;
            }
            if (done) {
                return false;
            }
            try {
                if (!opened) {
                    opened = true;
                    ex.open(new BufferPush(buffer)); // must not refer to this iterator, or the cleaner could never run
                }
                SourceReader<Object> r = ex.reader;
                while (buffer.isEmpty()) {
                    if (ex.head.resume()) {
                        continue; // a stage had outputs pending: they come before the next input
                    }
                    if (finishing) {
                        done = true;
                        cleanable.clean(); // close the source now; what finish() flushed stays in the buffer
                        break;
                    }
                    Object t = ex.run.dead(0) ? null : ex.timed ? ex.nextTimed() : r.next();
                    if (t == TICK) {
                        continue; // timers fired; they may have emitted
                    }
                    if (t == null) {
                        finishing = true;
                        ex.head.finish();
                        continue;
                    }
                    ex.head.push(t);
                    if (ex.timed) {
                        ex.run.timers().fireDue();
                    }
                }
            } catch (Throwable t) {
                done = true;
                buffer.clear();
                resources.closed = true;
                cleanable.clean();
                throw unchecked(ex.close(t));
            }
            return !buffer.isEmpty();
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the pipeline has no more records");
            }
            return buffer.poll();
        }

        @Override
        public void close() {
            done = true;
            buffer.clear();
            cleanable.clean(); // runs Resources.run at most once
        }
    }

    /**
     * What a run throws for {@code t}: unchecked exceptions and errors as they are, an {@link java.io.IOException}
     * as an {@link java.io.UncheckedIOException}, any other checked exception wrapped in a {@link SluiceException};
     * the cause is always kept, so {@code run()} never throws an undeclared checked exception.
     */
    public static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t instanceof java.io.IOException) {
            return new java.io.UncheckedIOException(t.getMessage(), (java.io.IOException) t);
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new SluiceException(t.getMessage() == null ? t.toString() : t.getMessage(), t);
    }

    static void resetPeakHeap() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                try {
                    p.resetPeakUsage();
                } catch (RuntimeException ignored) {
                    // a pool that cannot reset keeps its earlier peak; the figure is then an upper bound
                }
            }
        }
    }

    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
