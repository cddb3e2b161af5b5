package dev.sluice.internal;

import dev.sluice.ErrorPolicy;
import dev.sluice.Location;
import dev.sluice.RunListener;
import dev.sluice.RunProgress;
import dev.sluice.RunSummary;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.SluiceException;
import dev.sluice.Source;
import dev.sluice.SourceReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Internal, not part of the API. Runs a plan whose source is {@link Splittable} on several threads, with output
 * in input order and the same results, summary, errors and dead letters as a sequential run.
 *
 * <p>The plan is cut after its longest prefix of stateless stages (map, filter, flatMap, peek). Workers read
 * chunks of the source and run that prefix on them; if nothing follows and the sink can encode chunks ({@link
 * ChunkEncoding}), they encode the output too, so the coordinator only appends bytes. The coordinator takes chunk
 * results in order, checks each chunk's speculative start, runs the rest of the plan, and writes. A chunk whose
 * worker failed for any reason (a bad record, a wrong start guess, a header that differs) is read again by the
 * coordinator, in order, with exact record numbers and the run's real error policy: so errors and dead letters are
 * the sequential ones. At most {@code threads + 1} chunks are in flight, which bounds memory.
 *
 * <p>User functions in the prefix run on several threads at once and must be thread-safe.
 */
public final class ParallelRunner {
    private ParallelRunner() {}

    /** Bytes per chunk. Internal knob; tests set it tiny to put chunk boundaries everywhere. */
    public static volatile int chunkBytes = 1 << 20;

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Whether {@code tail}'s plan can run in parallel: a splittable source. */
    public static boolean eligible(Stage tail) {
        List<Stage> stages = Graph.segment(tail);
        for (Stage t : stages) {
            if (t.timed()) {
                return false; // timers run on the thread that reads the source: sequentially
            }
        }
        return stages.get(0) instanceof SourceStage src && ExactSplits.splittable(src.source());
    }

    /** Whether a stage can run on several threads at once, each on its own chunk. */
    static boolean stateless(Stage s) {
        return s.parallelSafe();
    }

    private static final class ChunkResult {
        Splittable.ChunkRead read;
        Object output;
        long count;
        StageStats[] stats;
        Throwable failed;
    }

    /** Returns null if the source declines to split (e.g. compressed input); the caller then runs sequentially. */
    @SuppressWarnings("unchecked")
    public static RunSummary run(
            Stage tail,
            ErrorPolicy policy,
            Sink<?> sink,
            Downstream<Object> terminal,
            RunListener listener,
            int threads,
            int chunkSize,
            LocalSettings settings) {
        List<Stage> stages = Graph.segment(tail);
        Source<Object> source = (Source<Object>) ((SourceStage) stages.get(0)).source();
        int k = 0;
        while (k + 1 < stages.size() && stateless(stages.get(k + 1))) {
            k++;
        }
        final int prefix = k; // stages 0..prefix run on workers
        RunState run = new RunState(policy, source.name());
        run.configure(settings);
        run.shareMemoryAmong(tail);
        List<StageStats> stats = StageStats.forPlan(stages, sink == null ? null : sink.name());
        long started = System.nanoTime();
        LocalExecution.resetPeakHeap();
        Splittable.SplitPlan plan;
        try {
            plan = ExactSplits.plan(source, run, chunkSize, threads);
        } catch (Exception e) {
            throw LocalExecution.unchecked(e);
        }
        if (plan == null) {
            return null;
        }
        SinkWriter<Object> writer = null;
        ExecutorService pool = null;
        Throwable failure = null;
        int[] done = {0};
        try {
            Downstream<Object> end = terminal;
            if (sink != null) {
                writer = ((Sink<Object>) sink).open();
                end = LocalExecution.sinkPush(writer, stats.get(stats.size() - 1), run, sink.name());
            }
            Downstream<Object> suffix = end;
            for (int i = stages.size() - 1; i > prefix; i--) {
                suffix = stages.get(i).link(suffix, stats.get(i), run);
            }
            Downstream<Object> exact = suffix; // the coordinator's own prefix chain, for chunks read again
            for (int i = prefix; i >= 0; i--) {
                exact = stages.get(i).link(exact, stats.get(i), run);
            }
            Cursor cursor = new Cursor(plan);
            run.attach(cursor, stats.get(0));
            Downstream<Object> rereadHead = cursor.tracking(exact);
            ChunkEncoding<Object> encoding = Hooks.encoding(sink);
            boolean encoded = prefix == stages.size() - 1 && encoding != null && writer instanceof ChunkEncoding.Writer;
            if (listener != null) {
                listener.started(progress(plan, done, stats, started));
            }
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "sluice-worker-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            int n = plan.chunks();
            ArrayDeque<Future<ChunkResult>> inFlight = new ArrayDeque<>();
            int submitted = 0;
            long prevEnd = plan.dataStart();
            long prevLine = plan.dataStartLine();
            long records = 0;
            for (int i = 0; i < n && !run.dead(0); i++) {
                while (submitted < n && submitted < i + threads + 1) {
                    int chunk = submitted++;
                    inFlight.add(pool.submit(() ->
                            work(plan, chunk, stages, prefix, stats, source.name(), run, encoded ? encoding : null)));
                }
                ChunkResult r = inFlight.poll().get();
                boolean ok = r.failed == null && r.read.first == prevEnd;
                if (ok && encoded) {
                    try {
                        ok = ((ChunkEncoding.Writer) writer).writeEncoded(r.output);
                    } catch (java.io.IOException e) {
                        throw new SluiceException("writing to " + sink.name() + " failed: " + e.getMessage(), e);
                    }
                }
                long endLine;
                Splittable.ChunkRead read;
                if (ok) {
                    for (int s = 0; s <= prefix; s++) {
                        stats.get(s).in += r.stats[s].in;
                        stats.get(s).out += r.stats[s].out;
                    }
                    if (encoded) {
                        StageStats sinkStats = stats.get(stats.size() - 1);
                        sinkStats.in += r.count;
                        sinkStats.out += r.count;
                    } else {
                        for (Object o : (List<Object>) r.output) {
                            if (run.dead(prefix + 1)) {
                                break;
                            }
                            cursor.current = o; // so a later stage's error names this record's origin
                            suffix.push(o);
                        }
                    }
                    read = r.read;
                    endLine = prevLine
                            + (read.endLine - read.firstLine); // the worker counted lines from its guessed start
                } else {
                    read = plan.reread(i, prevEnd, prevLine, records, rereadHead, run);
                    endLine = read.endLine;
                }
                records += read.records;
                prevEnd = read.end;
                prevLine = endLine;
                plan.settled(i, prevEnd, prevLine);
                done[0] = i + 1;
            }
            exact.finish();
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (Throwable t) {
            failure = t;
        }
        if (pool != null) {
            pool.shutdownNow();
        }
        Splittable.SplitPlan splits = plan;
        return RunEnd.finish(
                failure,
                f -> {
                    try {
                        splits.close();
                    } catch (Throwable t) {
                        f = RunEnd.chain(
                                f, new SluiceException("closing " + source.name() + " failed: " + t.getMessage(), t));
                    }
                    return f;
                },
                run,
                writer,
                sink,
                listener,
                () -> StageStats.summarize(stats, run, started, LocalExecution.peakHeap()));
    }

    /** On a worker: reads chunk {@code i} through the stateless prefix, into a list or an encoded chunk. */
    private static ChunkResult work(
            Splittable.SplitPlan plan,
            int i,
            List<Stage> stages,
            int prefix,
            List<StageStats> global,
            String sourceName,
            RunState coordinator,
            ChunkEncoding<Object> encoding) {
        ChunkResult r = new ChunkResult();
        StageStats[] local = new StageStats[prefix + 1];
        for (int s = 0; s <= prefix; s++) {
            local[s] = new StageStats(global.get(s).name, global.get(s).kind, global.get(s).memoryClass, s);
        }
        r.stats = local;
        RunState ws = RunState.worker(sourceName, coordinator);
        List<Object> list = encoding == null ? new ArrayList<>() : null;
        ChunkEncoding.Encoder<Object> encoder = encoding == null ? null : encoding.newEncoder();
        Downstream<Object> head = encoder == null
                ? new Downstream<>() {
                    @Override
                    public void push(Object t) {
                        list.add(t);
                    }
                }
                : new Downstream<>() {
                    @Override
                    public void push(Object t) {
                        try {
                            encoder.write(t);
                        } catch (Exception e) {
                            throw new RunState.ChunkAbort(e);
                        }
                    }
                };
        for (int s = prefix; s >= 0; s--) {
            head = stages.get(s).link(head, local[s], ws);
        }
        try {
            r.read = plan.read(i, head, ws);
            head.finish();
            if (encoder != null) {
                r.count = encoder.count();
                r.output = encoder.finish();
            } else {
                r.count = list.size();
                r.output = list;
            }
        } catch (Throwable t) {
            r.failed = t;
            r.output = null;
        }
        return r;
    }

    /** Tells the run's error reporting where the record being re-read came from. */
    private static final class Cursor implements SourceReader<Object> {
        private final Splittable.SplitPlan plan;
        Object current;

        Cursor(Splittable.SplitPlan plan) {
            this.plan = plan;
        }

        Downstream<Object> tracking(Downstream<Object> down) {
            return new Downstream.Link(down) {
                @Override
                public void push(Object t) {
                    current = t;
                    down.push(t);
                }

                @Override
                public void finish() {
                    down.finish();
                }
            };
        }

        @Override
        public Object next() {
            throw new UnsupportedOperationException("a cursor is not read");
        }

        @Override
        public Location location() {
            return current == null ? null : plan.location(current);
        }

        @Override
        public String rawText() {
            return current == null ? null : plan.rawText(current);
        }

        @Override
        public void close() {}
    }

    private static RunProgress progress(Splittable.SplitPlan plan, int[] done, List<StageStats> stats, long started) {
        return new RunProgress() {
            @Override
            public double fraction() {
                return plan.progress(done[0]);
            }

            @Override
            public long recordsIn() {
                return stats.get(0).in;
            }

            @Override
            public long elapsedNanos() {
                return System.nanoTime() - started;
            }
        };
    }
}
