package dev.sluice.internal;

import dev.sluice.DataException;
import dev.sluice.ErrorPolicy;
import dev.sluice.Location;
import dev.sluice.Rejected;
import dev.sluice.SinkWriter;
import dev.sluice.SluiceException;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.StageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Internal, not part of the API. The mutable state of one run on the local runner: the error policy at work,
 * rejection counts, the dead-letter writer (opened on the first rejection), and how far a satisfied {@code limit}
 * has stopped the chain.
 */
public final class RunState implements SourceContext {
    private static final int MAX_KEPT = 10;
    private static final int MAX_RAW = 10_000;

    private final ErrorPolicy policy;
    private final String sourceName;
    private SourceReader<?> reader;
    private StageStats sourceStats;
    private SinkWriter<Rejected> deadLetters;
    private long rejected;
    private long limitedRejections;
    private final List<Rejected> firstRejections = new ArrayList<>();
    private int stopAt = -1;

    private final boolean abortOnReject;
    private Timers timers;
    /**
     * The run's state that every input of a merge shares: rejection counts, the first rejections, the dead-letter
     * writer and the policy's limit live there. {@code this} for a run's own state.
     */
    private final RunState root;

    /** The run's timers, on the system clock unless {@link #useClock} chose another. */
    public Timers timers() {
        if (timers == null) {
            timers = new Timers(dev.sluice.Clock.system());
        }
        return timers;
    }

    private dev.sluice.internal.spill.MemoryBudget memory;
    private dev.sluice.internal.spill.SpillDir spill;

    /** Sets the run's clock, memory budget and spill directory. */
    public void configure(LocalSettings s) {
        useClock(s.clock());
        memory = new dev.sluice.internal.spill.MemoryBudget(
                s.memoryBytes() > 0 ? s.memoryBytes() : dev.sluice.internal.spill.MemoryBudget.defaultBytes());
        spill = new dev.sluice.internal.spill.SpillDir(
                s.tempDir() == null ? null : java.nio.file.Path.of(s.tempDir()), s.maxSpillBytes());
    }

    /**
     * Sets the budget of a run whose stages a runner hosts itself (a cluster runner's operator, one of several in a
     * worker's heap), instead of the default share of the heap.
     */
    public void useMemory(long bytes) {
        RunState r = root;
        synchronized (r) {
            r.memory = new dev.sluice.internal.spill.MemoryBudget(bytes);
        }
    }

    private int blockingStages = 1;
    private java.util.List<dev.sluice.Codec<?>> codecs = java.util.List.of();

    /**
     * Reads what the run's stages share from the plan: the number of blocking stages, among which the memory budget
     * is divided, and the codecs users gave ({@code flow.codec}).
     */
    void shareMemoryAmong(Stage tail) {
        int n = 0;
        java.util.List<dev.sluice.Codec<?>> cs = new java.util.ArrayList<>();
        for (Stage s : Graph.nodes(tail)) {
            if (s.memoryClass() == dev.sluice.MemoryClass.BLOCKING) {
                n++;
            }
            if (s instanceof dev.sluice.internal.op.CodecStage c) {
                cs.add(c.codec());
            }
        }
        root.blockingStages = Math.max(1, n);
        root.codecs = java.util.List.copyOf(cs);
    }

    /** The codecs the plan's users gave, for the blocking stages' {@code RecordCodec}s. */
    public java.util.List<dev.sluice.Codec<?>> codecs() {
        return root.codecs;
    }

    /**
     * A blocking stage's share of the budget when it sets none of its own: the budget divided equally among the
     * plan's blocking stages, so one that is emitting (a group-by) and one that is filling (a sort after it) both
     * fit.
     */
    public long memoryShare() {
        return memory().limit() / root.blockingStages;
    }

    /** The memory budget all blocking operators of the run share. */
    public dev.sluice.internal.spill.MemoryBudget memory() {
        RunState r = root;
        synchronized (r) {
            if (r.memory == null) {
                r.memory = new dev.sluice.internal.spill.MemoryBudget(
                        dev.sluice.internal.spill.MemoryBudget.defaultBytes());
            }
            return r.memory;
        }
    }

    /** Where the run's blocking operators spill. */
    public dev.sluice.internal.spill.SpillDir spillDir() {
        RunState r = root;
        synchronized (r) {
            if (r.spill == null) {
                r.spill = new dev.sluice.internal.spill.SpillDir(null, 0);
            }
            return r.spill;
        }
    }

    /** Whether this is the run's own state, not that of one input of a merge. */
    boolean isRoot() {
        return root == this;
    }

    /** Deletes the run's spill directory, if anything spilled. */
    public void closeSpill() {
        dev.sluice.internal.spill.SpillDir d;
        synchronized (root) {
            d = root.spill;
        }
        if (d != null) {
            d.close();
        }
    }

    /** Makes the run's timers follow {@code clock}. */
    void useClock(dev.sluice.Clock clock) {
        timers = new Timers(clock);
    }

    public RunState(ErrorPolicy policy, String sourceName) {
        this(policy, sourceName, false);
    }

    private RunState(ErrorPolicy policy, String sourceName, boolean abortOnReject) {
        this(policy, sourceName, abortOnReject, null);
    }

    private RunState(ErrorPolicy policy, String sourceName, boolean abortOnReject, RunState root) {
        this.policy = policy;
        this.sourceName = sourceName;
        this.abortOnReject = abortOnReject;
        this.root = root == null ? this : root;
    }

    /**
     * The state of one input of a merging stage: its own source, limits and timers (on the same clock), while its
     * rejections count toward this run's and go to its dead-letter sink. Safe to use from the input's own thread.
     */
    RunState input(String inputSourceName) {
        RunState child = new RunState(policy, inputSourceName, abortOnReject, root);
        child.useClock(timers().clock());
        return child;
    }

    /**
     * The state of a speculative parallel worker: any bad record, whatever the policy, aborts the chunk (throws
     * {@link ChunkAbort}), and the coordinator re-reads the chunk in order to report it exactly.
     */
    static RunState worker(String sourceName, RunState coordinator) {
        return new RunState(ErrorPolicy.fail(), sourceName, true, coordinator.root);
    }

    private final java.util.concurrent.ConcurrentHashMap<Object, Object> shared =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * What the links of one stage share across a run, made by {@code make} on first use: the links that a parallel
     * run makes per chunk learn from each other (a pre-aggregation that stops folding keys that never repeat).
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(Object key, java.util.function.Supplier<T> make) {
        return (T) root.shared.computeIfAbsent(key, k -> make.get());
    }

    /** Thrown on a worker to hand a chunk back to the coordinator. Carries no stack trace. */
    static final class ChunkAbort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChunkAbort(Throwable cause) {
            super("chunk aborted", cause, false, false);
        }
    }

    /**
     * Says where records come from: {@code reader} answers the location and raw text of the record being handled (a
     * runner that hands records to stages itself may give a view of the current record).
     */
    public void attach(SourceReader<?> reader, StageStats sourceStats) {
        this.reader = reader;
        this.sourceStats = sourceStats;
    }

    /** A limit at chain position {@code position} is satisfied: every stage upstream of it is done. */
    public void stop(int position) {
        stopAt = Math.max(stopAt, position);
    }

    /** Whether the stage at {@code position} can no longer affect the output (a limit downstream is satisfied). */
    public boolean dead(int position) {
        return position < stopAt;
    }

    public long rejected() {
        synchronized (root) {
            return root.rejected;
        }
    }

    public List<Rejected> firstRejections() {
        synchronized (root) {
            return List.copyOf(root.firstRejections);
        }
    }

    /** The source's current location, or null. */
    public Location location() {
        try {
            return reader == null ? null : reader.location();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A stage's function failed on record {@code n}: fail the run or reject the record, as the policy says.
     */
    public synchronized void reject(StageStats stage, long n, Object record, Throwable cause) {
        if (abortOnReject) {
            throw new ChunkAbort(cause);
        }
        if (cause instanceof StageException) {
            throw (StageException) cause; // already attributed (e.g. a nested pipeline)
        }
        Location where = location();
        if (policy.mode() == ErrorPolicy.Mode.FAIL) {
            throw new StageException(stage.name, n, where, cause);
        }
        stage.rejected++;
        String raw = reader == null ? null : reader.rawText();
        if (raw == null) {
            raw = String.valueOf(record);
        }
        record(
                new Rejected(
                        stage.name,
                        n,
                        where == null ? "" : where.source(),
                        where == null ? -1 : where.line(),
                        describe(cause),
                        truncate(raw)),
                cause,
                true);
    }

    /**
     * A stage sets record {@code n} aside for a reason that is not an error in it (a late record of a window): it is
     * counted as rejected and dead-lettered whatever the policy, never toward the policy's limit, and never fails the
     * run. {@code where} is the record's origin, or null for the source's current location.
     */
    public synchronized void skip(StageStats stage, long n, Location where, String rawText, String reason) {
        if (abortOnReject) {
            throw new ChunkAbort(null);
        }
        if (where == null) {
            where = location();
        }
        stage.rejected++;
        record(
                new Rejected(
                        stage.name,
                        n,
                        where == null ? "" : where.source(),
                        where == null ? -1 : where.line(),
                        reason,
                        truncate(rawText == null ? "" : rawText)),
                null,
                false);
    }

    @Override
    public synchronized void reject(Location where, String rawText, String reason, Throwable cause) {
        if (abortOnReject) {
            throw new ChunkAbort(cause);
        }
        if (policy.mode() == ErrorPolicy.Mode.FAIL) {
            throw new DataException(where == null ? reason : where + ": " + reason, where, cause);
        }
        skip(where, rawText, reason, false);
    }

    @Override
    public synchronized void skip(Location where, String rawText, String reason) {
        skip(where, rawText, reason, true);
    }

    /** {@code forced}: the source was told to skip such records, so they never count toward the policy's limit. */
    private void skip(Location where, String rawText, String reason, boolean forced) {
        if (abortOnReject) {
            throw new ChunkAbort(null);
        }
        long n = where == null ? -1 : where.record();
        if (sourceStats != null) {
            sourceStats.rejected++;
        }
        record(
                new Rejected(
                        sourceName,
                        n,
                        where == null ? sourceName : where.source(),
                        where == null ? -1 : where.line(),
                        reason,
                        truncate(rawText == null ? "" : rawText)),
                null,
                policy.mode() != ErrorPolicy.Mode.FAIL && !forced);
    }

    private void record(Rejected r, Throwable cause, boolean limited) {
        if (root != this) {
            synchronized (root) {
                root.record(r, cause, limited);
            }
            return;
        }
        rejected++;
        if (firstRejections.size() < MAX_KEPT) {
            firstRejections.add(r);
        }
        if (policy.deadLetters() != null) {
            try {
                if (deadLetters == null) {
                    deadLetters = policy.deadLetters().open();
                }
                deadLetters.write(r);
            } catch (Exception e) {
                throw new SluiceException(
                        "writing to the dead-letter sink "
                                + policy.deadLetters().name() + " failed: " + e.getMessage(),
                        e);
            }
        }
        // after dead-lettering: the record past the limit is kept too
        if (limited && ++limitedRejections > policy.maxRejected()) {
            throw new SluiceException(
                    String.format(
                            Locale.ROOT,
                            "more than %,d records were rejected, the limit of the error policy; the last: %s",
                            policy.maxRejected(),
                            r),
                    cause);
        }
    }

    /** Closes the dead-letter writer, if one was opened. Dead letters are kept whether or not the run succeeded. */
    void closeDeadLetters() throws Exception {
        SinkWriter<Rejected> w = deadLetters;
        deadLetters = null;
        if (w != null) {
            w.close(true);
        }
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String m = cause.getMessage();
        String s = m == null || m.isEmpty() ? cause.getClass().getName() : m;
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    private static String truncate(String s) {
        return s.length() <= MAX_RAW ? s : s.substring(0, MAX_RAW) + "...";
    }
}
