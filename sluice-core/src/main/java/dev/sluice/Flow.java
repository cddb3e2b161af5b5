package dev.sluice;

import dev.sluice.fn.ConsumerFn;
import dev.sluice.fn.FilterFn;
import dev.sluice.fn.FlatMapFn;
import dev.sluice.fn.FlowFn;
import dev.sluice.fn.GeneratorFn;
import dev.sluice.fn.MapFn;
import dev.sluice.fn.SupplierFn;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.GeneratorSource;
import dev.sluice.internal.Graph;
import dev.sluice.internal.InMemorySources;
import dev.sluice.internal.LocalExecution;
import dev.sluice.internal.SourceStage;
import dev.sluice.internal.Stage;
import dev.sluice.internal.op.BatchStage;
import dev.sluice.internal.op.BoundedStage;
import dev.sluice.internal.op.ColumnStats;
import dev.sluice.internal.op.ComparatorSortStage;
import dev.sluice.internal.op.DistinctStage;
import dev.sluice.internal.op.FilterStage;
import dev.sluice.internal.op.FlatMapStage;
import dev.sluice.internal.op.GroupStage;
import dev.sluice.internal.op.JoinStage;
import dev.sluice.internal.op.LimitStage;
import dev.sluice.internal.op.LookupStage;
import dev.sluice.internal.op.MapStage;
import dev.sluice.internal.op.MergeStage;
import dev.sluice.internal.op.PartialGroupStage;
import dev.sluice.internal.op.PeekStage;
import dev.sluice.internal.op.SkipStage;
import dev.sluice.internal.op.SortStage;
import dev.sluice.internal.op.SortedGroupStage;
import dev.sluice.internal.op.TopNStage;
import dev.sluice.internal.op.WindowStage;
import dev.sluice.text.Text;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A lazy pipeline of records: a plan. Building a flow runs nothing; a terminal operation ({@link #run}, {@link
 * #forEach}, {@link #toList}, {@link #count}, {@link #first}, {@link #iterator}) runs it, and every run reads the
 * source afresh (single-use sources such as an {@code Iterator} excepted).
 *
 * <pre>{@code
 * RunSummary s = Flow.from(Csv.read(Path.of("parking.csv")))
 *     .filter(r -> r.is("Registration State", "NJ"))
 *     .map(r -> r.select("Plate ID", "Vehicle Make"))
 *     .to(Csv.write(Path.of("nj.csv")))
 *     .run();
 *
 * Flow<Long> naturals = Flow.generate(out -> { for (long i = 0; ; i++) out.emit(i); });
 * try (CloseableIterator<Long> it = naturals.iterator()) {   // nothing has run yet
 *   it.next();                                              // runs just far enough for one value
 * }
 * }</pre>
 *
 * <p><b>Memory.</b> Every stage has a {@link MemoryClass}, shown by {@link #explain()}: the operators here are
 * streaming (one record at a time) except {@link #batch}, which holds one batch.
 *
 * <p><b>Resources.</b> The source is opened when a run starts and closed exactly once: when the input ends, when a
 * stage or the consumer throws, when a {@link #limit} is satisfied, or when the {@link #iterator()} is closed.
 *
 * <p><b>Errors.</b> A function's exception is handled by the flow's {@link ErrorPolicy} ({@link #onError}); by
 * default the run fails with a {@link StageException} naming the stage, the record number and where it came from.
 *
 * <p>Flows are immutable and thread-safe to build and share; each run is single-threaded on the local runner.
 * Records must not be null.
 */
public final class Flow<T> {
    private final Stage tail;
    private final ErrorPolicy policy;
    private final int parallelism;

    private Flow(Stage tail, ErrorPolicy policy, int parallelism) {
        this.tail = Graph.validate(tail);
        this.policy = policy;
        this.parallelism = parallelism;
    }

    // ---- sources ---------------------------------------------------------------------------------------------------

    /** A flow that reads {@code source}. */
    public static <T> Flow<T> from(Source<T> source) {
        Objects.requireNonNull(source, "source");
        return new Flow<>(new SourceStage(source), ErrorPolicy.fail(), 1);
    }

    /** A flow over an iterable; each run calls {@code iterator()} again. */
    public static <T> Flow<T> from(Iterable<? extends T> items) {
        return from(InMemorySources.iterable(Objects.requireNonNull(items, "items")));
    }

    /** A flow over an iterator. It can be run once; closed at the end if it is {@link AutoCloseable}. */
    public static <T> Flow<T> from(Iterator<? extends T> iterator) {
        return from(InMemorySources.iterator(Objects.requireNonNull(iterator, "iterator")));
    }

    /** A flow over a {@link Stream}. It can be run once; the stream is closed when the run ends. */
    public static <T> Flow<T> from(Stream<? extends T> stream) {
        return from(InMemorySources.stream(Objects.requireNonNull(stream, "stream")));
    }

    /** A flow over these values. */
    @SafeVarargs
    public static <T> Flow<T> of(T... values) {
        List<T> copy = new ArrayList<>(values.length);
        for (T v : values) {
            copy.add(v);
        }
        return from(copy);
    }

    /** An empty flow. */
    public static <T> Flow<T> empty() {
        return from(List.<T>of());
    }

    /** The longs from {@code from} (inclusive) to {@code to} (exclusive). */
    public static Flow<Long> range(long from, long to) {
        return from(InMemorySources.range(from, to));
    }

    /**
     * A flow that calls {@code supplier} for each record; it ends when the supplier returns {@code null} (like
     * Python's {@code iter(callable, None)}), so it may be endless.
     */
    public static <T> Flow<T> supply(SupplierFn<? extends T> supplier) {
        return from(InMemorySources.supply(Objects.requireNonNull(supplier, "supplier")));
    }

    /**
     * A flow written as a generator: the function emits records with {@code out.emit(x)}, like {@code yield}. It
     * may be endless. See {@link GeneratorFn} for how it stops.
     */
    public static <T> Flow<T> generate(GeneratorFn<T> generator) {
        return generate("generator", generator);
    }

    /** A named generator flow; the name shows in {@link #explain()}, summaries and errors. */
    public static <T> Flow<T> generate(String name, GeneratorFn<T> generator) {
        return from(new GeneratorSource<>(Objects.requireNonNull(generator, "generator"), name));
    }

    /** The lines of a UTF-8 text file (LF, CRLF or CR), without their terminators. */
    public static Flow<String> lines(Path file) {
        return from(Text.lines(file));
    }

    /**
     * All records of {@code first}, then all of {@code second}, and so on, in order: like reading the inputs one after
     * another. Each input is opened when the one before it has ended, and closed at its end. Streaming.
     *
     * <p>The combined flow is a new plan: its error policy is the first input's (set another with {@link #onError} on
     * the result; it applies to every input), and it runs sequentially. Errors name the input's own source and line.
     */
    @SafeVarargs
    public static <T> Flow<T> concat(Flow<? extends T> first, Flow<? extends T>... more) {
        List<Stage> inputs = new ArrayList<>();
        for (Flow<? extends T> f : more) {
            inputs.add(Objects.requireNonNull(f, "flow").tail);
        }
        return merge(MergeStage.Order.CONCAT, first, inputs);
    }

    private static <T> Flow<T> merge(MergeStage.Order order, Flow<? extends T> first, List<Stage> more) {
        Objects.requireNonNull(first, "first");
        List<Stage> inputs = new ArrayList<>();
        inputs.add(first.tail);
        inputs.addAll(more);
        if (inputs.size() < 2) {
            throw new IllegalArgumentException(
                    (order == MergeStage.Order.CONCAT ? "concat" : "union") + " needs at least two flows");
        }
        return new Flow<>(new MergeStage(inputs, order), first.policy, 1);
    }

    /**
     * The records of this flow and of {@code others}, interleaved as they come: on the local runner each input is read
     * on a thread of its own, so a slow or silent input does not hold the others back, and each input's records keep
     * their order. Streaming (memory: a few batches of 256 records per input). Use {@link #concat} for one input
     * after another.
     *
     * <p>The combined flow's error policy is this flow's (set another on the result; it applies to every input).
     * Stages inside the inputs run on the inputs' threads: their functions must not share unsynchronized state.
     */
    @SafeVarargs
    public final Flow<T> union(Flow<? extends T>... others) {
        List<Stage> inputs = new ArrayList<>();
        for (Flow<? extends T> f : others) {
            inputs.add(Objects.requireNonNull(f, "flow").tail);
        }
        return merge(MergeStage.Order.UNION, this, inputs);
    }

    /**
     * Declares that this flow ends by itself, though its source cannot promise it (a generator that returns, an
     * iterator over a finite collection): stages that need all of their input, such as a sort, may then follow. A
     * flow that does not end then runs until it is stopped.
     */
    public Flow<T> bounded() {
        return Graph.unbounded(tail) ? then(new BoundedStage(tail)) : this;
    }

    /** Whether this flow may be endless: it reads an endless source (a generator, a socket) without a {@link #limit}. */
    public boolean isUnbounded() {
        return Graph.unbounded(tail);
    }

    // ---- operators -------------------------------------------------------------------------------------------------

    private <R> Flow<R> then(Stage next) {
        return new Flow<>(next, policy, parallelism);
    }

    /** One output per record. The function must not return null (use {@link #flatMap} or {@link #filter}). */
    public <R> Flow<R> map(MapFn<? super T, ? extends R> fn) {
        return then(new MapStage(tail, Objects.requireNonNull(fn, "fn")));
    }

    /** The records for which {@code predicate} holds. */
    public Flow<T> filter(FilterFn<? super T> predicate) {
        return then(new FilterStage(tail, Objects.requireNonNull(predicate, "predicate")));
    }

    /** Zero or more outputs per record, streamed on one at a time. */
    public <R> Flow<R> flatMap(FlatMapFn<? super T, ? extends R> fn) {
        return then(new FlatMapStage(tail, Objects.requireNonNull(fn, "fn"), "flatMap"));
    }

    /** Calls {@code action} on each record as it passes. */
    public Flow<T> peek(ConsumerFn<? super T> action) {
        return then(new PeekStage(tail, Objects.requireNonNull(action, "action")));
    }

    /**
     * The first {@code n} records; once they have passed, the source is closed and nothing more is read. Right after
     * {@link #sortBy}, a limit of at most 10,000 makes the two one {@link #topN} stage (the same records, from one pass
     * through a heap of {@code n}).
     */
    public Flow<T> limit(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be at least 0, was " + n);
        }
        if (tail instanceof SortStage s && s.budget() == 0 && s.name().equals("sort") && n <= TOP_N_REWRITE) {
            // a sort and a small limit: one pass through a heap of n records instead of sorting everything
            return new Flow<>(new TopNStage(s.upstream(), (int) n, s.keys()), policy, parallelism);
        }
        return then(new LimitStage(tail, n));
    }

    /** The largest limit after a sort that becomes a top-N (a heap of that many records). */
    private static final long TOP_N_REWRITE = 10_000;

    /** All but the first {@code n} records. */
    public Flow<T> skip(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("skip must be at least 0, was " + n);
        }
        return then(new SkipStage(tail, n));
    }

    /**
     * Lists of {@code size} records, the last one partial (never empty). Holds one batch: memory class bounded.
     * When pulled, the first {@code next()} reads a whole batch from upstream.
     */
    public Flow<List<T>> batch(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("batch size must be positive, was " + size);
        }
        return then(new BatchStage(tail, size));
    }

    /**
     * Lists of at most {@code maxSize} records, each closed when it is full or {@code maxWait} after its first record,
     * whichever comes first, by the run's {@link Clock}: a batch closes on time even while the source is silent (a
     * generator that sleeps, a quiet socket). The last one may be partial; none is empty. Memory class bounded.
     *
     * <p>How: a plan with a timed stage reads its source ahead on a thread of its own (at most a few records ahead),
     * so the thread running the stages can wait for a record and a deadline at once; it runs sequentially, each record
     * handed over with where it was read, so errors name it exactly. Tests run it in virtual time with {@code
     * LocalRunner.get().withClock(new VirtualClock())}.
     */
    public Flow<List<T>> batch(int maxSize, java.time.Duration maxWait) {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, was " + maxSize);
        }
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be positive, was " + maxWait);
        }
        return then(new BatchStage(tail, maxSize, maxWait.toNanos()));
    }

    /**
     * Mini-batching with a deadline: as {@link #mapBatches(int, FlatMapFn)}, but a batch is also sent {@code maxWait}
     * after its first record (see {@link #batch(int, java.time.Duration)}), so a slow trickle of records is not held
     * back waiting for a full batch.
     */
    public <R> Flow<R> mapBatches(int maxSize, java.time.Duration maxWait, FlatMapFn<? super List<T>, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        Flow<List<T>> batches = batch(maxSize, maxWait);
        return batches.then(new FlatMapStage(batches.tail, fn, "mapBatches"));
    }

    /**
     * Mini-batching: groups records into batches of {@code size}, calls {@code fn} once per batch (e.g. one request
     * to a paid service), and streams its results on one by one. Pulled lazily, the first result triggers one call
     * and the rest of that batch's results trigger none.
     */
    public <R> Flow<R> mapBatches(int size, FlatMapFn<? super List<T>, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        Flow<List<T>> batches = batch(size);
        return batches.then(new FlatMapStage(batches.tail, fn, "mapBatches"));
    }

    /**
     * The records in order of {@code columns}, each ascending (see {@link SortKey} for how values compare): a stable
     * sort of rows. Blocking: it emits its first record once its input has ended, so it is refused on a flow that
     * may be endless. It holds records under the run's memory budget and spills sorted runs to temporary files past
     * it, so it sorts inputs far larger than memory; see {@link #sortBy(SortKey...)}.
     */
    public Flow<T> sortBy(String... columns) {
        SortKey[] keys = new SortKey[columns.length];
        for (int i = 0; i < columns.length; i++) {
            keys[i] = SortKey.asc(columns[i]);
        }
        return sortBy(keys);
    }

    /**
     * The records in the order of {@code comparator}, for records of any type (for rows, {@link #sortBy(SortKey...)}
     * compares binary keys and is much faster). Stable. Beyond memory like the key sort: records are counted by their
     * encoded size and spilled as sorted runs, encoded by value (records by their components, strings and numbers
     * directly, other types by Java serialization, so they must be {@link java.io.Serializable}), and merged by the
     * comparator. The comparator must be serializable to ship with the plan (a lambda cast to {@code Comparator<T>
     * & Serializable}), and consistent across calls.
     */
    public Flow<T> sortBy(java.util.Comparator<? super T> comparator) {
        Objects.requireNonNull(comparator, "comparator");
        return then(new ComparatorSortStage(tail, comparator));
    }

    /**
     * The records (rows) in order of {@code keys}: per key a column, a direction, where nulls go and how values
     * compare ({@code SortKey.desc("Fine Amount").numeric()}). Stable: records with equal keys keep their input
     * order. Blocking, under the run's memory budget ({@link LocalRunner#withMemory}; {@link #budget} gives this
     * stage a smaller one of its own), spilling past it: the result is the same at any budget.
     */
    public Flow<T> sortBy(SortKey... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("sortBy needs at least one key");
        }
        for (SortKey k : keys) {
            Objects.requireNonNull(k, "key");
        }
        return then(new SortStage(tail, List.of(keys), 0));
    }

    /**
     * The first {@code n} rows in order of {@code columns} (ascending): {@code sortBy(columns).limit(n)} in one pass
     * that holds at most {@code n} records (memory class bounded; it never spills). Stable: of equal keys, the
     * earlier records.
     */
    public Flow<T> topN(int n, String... columns) {
        SortKey[] keys = new SortKey[columns.length];
        for (int i = 0; i < columns.length; i++) {
            keys[i] = SortKey.asc(columns[i]);
        }
        return topN(n, keys);
    }

    /** The first {@code n} rows in order of {@code keys}; see {@link #topN(int, String...)}. */
    public Flow<T> topN(int n, SortKey... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("topN needs at least one key");
        }
        for (SortKey k : keys) {
            Objects.requireNonNull(k, "key");
        }
        return then(new TopNStage(tail, n, List.of(keys)));
    }

    /**
     * The first of each distinct record, in input order: rows compare by all their columns (an empty field as null),
     * other records by value. See {@link #distinct(String...)}.
     */
    public Flow<T> distinct() {
        return then(new DistinctStage(tail, List.of(), Graph.unbounded(tail)));
    }

    /**
     * The first row of each distinct value of {@code keys}, in input order (stable, like SQL's {@code DISTINCT ON}
     * with the input's order). It streams while the keys it has seen fit in half of its memory share, passing each
     * row on the moment its key is new; past that it keeps those keys and sorts the rest by key (spilling as a sort
     * does), then puts the survivors back in input order, so the result is the same at any budget. On an endless
     * input it streams, and fails if its keys outgrow memory.
     */
    public Flow<T> distinct(String... keys) {
        if (keys.length == 0) {
            return distinct();
        }
        return then(new DistinctStage(tail, List.of(keys), Graph.unbounded(tail)));
    }

    /**
     * This flow's rows joined with {@code right}'s on {@code on}'s keys: inner, left, right, full, semi or anti (see
     * {@link Join} for nulls and column names). A hash join: the right flow is read whole into a table under the
     * memory budget (so put the smaller side on the right), then this flow streams through it, so the output follows
     * this flow's order, each row followed by its matches in the right flow's order; for right and full joins the
     * unmatched right rows come last. When the right side does not fit its memory share, both sides are
     * partitioned to temporary files by key hash and joined partition by partition (a grace hash join): the same
     * rows, in partition order. The right flow must end; this one may be endless (an enrichment stream).
     */
    @SuppressWarnings("unchecked")
    public Flow<Row> join(Flow<Row> right, Join on) {
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(on, "on");
        return new Flow<>(Graph.validate(new JoinStage(tail, right.tail, on)), policy, 1);
    }

    /**
     * {@link #join} of two inputs each already sorted by the join keys (ascending, in the order {@link
     * #sortBy(String...)} gives): a merge join. Both inputs stream and it holds only the right rows of the current key
     * (under the memory budget; one key with more right rows than fit fails with a clear message), so it joins inputs
     * of any size, and endless ones, without a table or a temporary file. The same rows as {@link #join}, in key
     * order: each left row followed by its matches in the right input's order, unmatched right rows (right and full
     * joins) at their key's place. Each input's order is checked as it is read; a record out of order fails the run,
     * named with its number and place. Null and empty keys match nothing, as in {@link #join}.
     */
    @SuppressWarnings("unchecked")
    public Flow<Row> joinSorted(Flow<Row> right, Join on) {
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(on, "on");
        return new Flow<>(Graph.validate(new JoinStage(tail, right.tail, on, true)), policy, 1);
    }

    /**
     * Each row enriched with the rows {@code source} holds for the values of {@code keys} (in the order of the
     * source's key columns): a left join against a table too big to read whole, such as a database table, fetched in
     * batches of 1,000 distinct keys (one query per batch, never one per row) through a cache of 16 MB. Streaming:
     * rows leave in input order, a batch at a time. See {@link #lookup(dev.sluice.spi.LookupSource, boolean, int,
     * long, String...)} for the options.
     */
    public Flow<Row> lookup(dev.sluice.spi.LookupSource source, String... keys) {
        return lookup(source, false, 1000, 16L << 20, keys);
    }

    /**
     * {@link #lookup(dev.sluice.spi.LookupSource, String...)} with its options: {@code inner} drops rows without a
     * match (else they leave with nulls), {@code batch} distinct keys a call, and a cache of {@code cacheBytes}
     * (least recently used keys go first).
     */
    public Flow<Row> lookup(
            dev.sluice.spi.LookupSource source, boolean inner, int batch, long cacheBytes, String... keys) {
        Objects.requireNonNull(source, "source");
        return new Flow<>(
                Graph.validate(new LookupStage(tail, source, List.of(keys), inner, batch, cacheBytes)),
                policy,
                parallelism);
    }

    /**
     * Groups rows by {@code keys}, for {@link GroupedFlow#aggregate}: {@code groupBy("Vehicle Make")
     * .aggregate(Agg.count(), Agg.sum("Violation Code"))} gives one row per make. Beyond memory, like {@link #sortBy}.
     */
    @SuppressWarnings("unchecked")
    public GroupedFlow groupBy(String... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("groupBy needs at least one key column");
        }
        return new GroupedFlow((Flow<Row>) this, List.of(keys));
    }

    /**
     * One row of {@code aggs} over all rows, like SQL's {@code SELECT count(*), sum(x) FROM t}: one row even when the
     * input is empty (count 0, other aggregates null). In fixed memory for fixed-size aggregates; on a parallel run
     * count, sum, avg, min, max and user-defined aggregates are folded on the workers and merged.
     */
    public Flow<Row> aggregate(Agg... aggs) {
        if (aggs.length == 0) {
            throw new IllegalArgumentException("aggregate needs at least one aggregate, e.g. Agg.count()");
        }
        return groupStage(List.of(), List.of(aggs));
    }

    /**
     * A profile of a flow of rows: one row per column (in the order columns were first seen; inputs with different
     * headers give the union), with {@code field}, {@code type} ({@code integer} if every value is a whole number,
     * {@code number} if every value is a number, {@code date} if every value is a date written one way ({@code
     * 2017-12-31} or {@code 12/31/2017}), {@code text}, or {@code empty} if the column has no value),
     * {@code count} (non-empty values), {@code empty} (empty or absent fields), {@code distinct} (exact up to 1,000
     * distinct values, then a HyperLogLog estimate within about 2%), {@code min} and {@code max} (compared as numbers
     * in numeric columns, as dates in date columns, else as text by code point), {@code min_length} and {@code max_length} (in characters), and
     * for numeric columns {@code mean} and {@code stddev} (the population standard deviation), rounded to 6 places.
     * One pass in fixed memory per column (about 4 KiB plus up to 1,000 values); on a parallel run each chunk is
     * profiled on its worker and the profiles merged.
     */
    @SuppressWarnings("unchecked")
    public Flow<Row> stats() {
        return ((Flow<Row>) this)
                .aggregate(Agg.of("stats", new ColumnStats()))
                .flatMap(r -> ColumnStats.rows(r.value(0)))
                .named("stats");
    }

    /**
     * Groups rows of an input already sorted by {@code keys} (ascending, in the order {@link #sortBy(String...)}
     * gives), for {@link GroupedFlow#aggregate}: the same rows as {@link #groupBy}, but it holds one group and emits
     * each group as soon as the next begins, so it streams, in fixed memory, on inputs of any size and on endless ones.
     * The order is checked as rows arrive: a row whose key sorts before the current group's is out of order, and
     * fails the run naming its record number and place (or is rejected, as the error policy says). In sorted input an
     * empty field (the smallest text) and a null (the largest value) form two groups, both with a null key.
     */
    public GroupedFlow groupSorted(String... keys) {
        SortKey[] sk = new SortKey[keys.length];
        for (int i = 0; i < keys.length; i++) {
            sk[i] = SortKey.asc(keys[i]);
        }
        return groupSorted(sk);
    }

    /** {@link #groupSorted(String...)} for input sorted by {@code keys} with their directions and types. */
    @SuppressWarnings("unchecked")
    public GroupedFlow groupSorted(SortKey... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("groupSorted needs at least one key column");
        }
        return new GroupedFlow((Flow<Row>) this, List.of(keys), true);
    }

    /**
     * Cuts a flow of rows into windows of time, to aggregate per window (and key): {@code flow.window(Window
     * .tumbling(Duration.ofMinutes(1)).on("time").outOfOrder(Duration.ofSeconds(60))).groupBy("status")
     * .aggregate(Agg.count())}. Event-time windows fire as the watermark passes their end, processing-time windows
     * on the run's clock; see {@link Window} for the semantics and {@link GroupedFlow#aggregate} for the output. It
     * streams, on endless inputs too, holding the open windows (memory class bounded); it acts on timers (idleness,
     * processing time), so the run reads its source ahead on a thread of its own and runs sequentially, like {@link
     * #batch(int, java.time.Duration)}.
     */
    @SuppressWarnings("unchecked")
    public WindowedFlow window(Window spec) {
        Objects.requireNonNull(spec, "spec");
        spec.check();
        return new WindowedFlow((Flow<Row>) this, spec);
    }

    /** The stage behind {@link GroupedFlow#aggregate} after {@link #window}. */
    Flow<Row> windowStage(Window spec, List<String> keys, List<Agg> aggs) {
        return then(new WindowStage(tail, spec, keys, aggs));
    }

    /** The stage behind {@link GroupedFlow#aggregate} after {@link #groupSorted}. */
    Flow<Row> sortedGroupStage(List<SortKey> keys, List<Agg> aggs) {
        return then(new SortedGroupStage(tail, keys, aggs));
    }

    /** The stage behind {@link GroupedFlow#aggregate}. */
    Flow<Row> groupStage(List<String> keys, List<Agg> aggs) {
        GroupStage check = new GroupStage(tail, keys, aggs, 0); // refuses bad names before anything else
        if (PartialGroupStage.foldable(aggs)) {
            // two phases: rows folded into partial states where they are parsed (on the workers of a parallel run)
            Stage partial = Graph.validate(new PartialGroupStage(tail, keys, aggs));
            return new Flow<>(new GroupStage(partial, keys, aggs, 0), policy, parallelism);
        }
        return then(check);
    }

    /**
     * Tells the blocking stages after this point how to write records of {@code codec}'s type when they hold or spill
     * them (see {@link Codec}): for types that are neither rows, Java records nor {@link java.io.Serializable}, or to
     * write them more compactly. Records pass through unchanged.
     */
    public Flow<T> codec(Codec<? super T> codec) {
        Objects.requireNonNull(codec, "codec");
        return then(new dev.sluice.internal.op.CodecStage(tail, codec));
    }

    /**
     * Gives the last stage, a blocking one such as {@link #sortBy}, a memory cap of its own within the run's budget.
     */
    public Flow<T> budget(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a budget must be positive, was " + bytes);
        }
        if (tail instanceof SortStage s) {
            return new Flow<>(s.withBudget(bytes), policy, parallelism);
        }
        if (tail instanceof GroupStage g) {
            return new Flow<>(g.withBudget(bytes), policy, parallelism);
        }
        throw new IllegalStateException("budget(bytes) applies to a blocking stage such as sortBy or groupBy; the last "
                + "stage is " + tail.name() + " (" + tail.describe() + ")");
    }

    /** Applies a reusable stage: a plain function from one flow to another. */
    public <R> Flow<R> apply(FlowFn<T, R> stage) {
        return Objects.requireNonNull(stage.apply(this), "the stage function returned null");
    }

    /** Names the last stage (or the source, if there is no stage yet) for {@link #explain()}, summaries and errors. */
    public Flow<T> named(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a stage name must not be blank, was '" + name + "'");
        }
        return new Flow<>(tail.withName(name), policy, parallelism);
    }

    /** Sets what runs of this flow do with bad records; see {@link ErrorPolicy}. Default: fail. */
    public Flow<T> onError(ErrorPolicy errorPolicy) {
        return new Flow<>(tail, Objects.requireNonNull(errorPolicy, "errorPolicy"), parallelism);
    }

    /** Runs on all cores: {@code parallel(Runtime.getRuntime().availableProcessors())}. */
    public Flow<T> parallel() {
        return parallel(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Runs on {@code threads} threads when the source can be split by byte ranges (an uncompressed CSV file); other
     * sources, and {@link #iterator()}, run sequentially. Output stays in input order, and results, summaries,
     * errors and dead letters are those of a sequential run.
     *
     * <p>How: the longest prefix of stateless stages ({@code map}, {@code filter}, {@code flatMap}, {@code peek})
     * runs on workers, chunk by chunk, and a CSV sink right after it encodes on the workers too; later stages run on
     * the calling thread. <b>The functions of that prefix are called from several threads at once: they must be
     * thread-safe.</b> A chunk with a bad record is read again on the calling thread, in order, so a user function
     * may see some records of such a chunk twice. Memory stays bounded: at most {@code threads + 1} chunks of about
     * 1 MB are in flight.
     */
    public Flow<T> parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        return new Flow<>(tail, policy, threads);
    }

    // ---- sinks and terminal operations -----------------------------------------------------------------------------

    /** A complete pipeline that writes this flow to {@code sink}; run it with {@link Pipeline#run()}. */
    public Pipeline to(Sink<? super T> sink) {
        return new Pipeline(tail, policy, Objects.requireNonNull(sink, "sink"), parallelism);
    }

    /** Runs the flow to the end, discarding its output, and reports what happened. */
    public RunSummary run() {
        return run(null);
    }

    /** Runs the flow to the end, discarding its output, telling {@code listener} when it starts and ends. */
    public RunSummary run(RunListener listener) {
        return LocalExecution.run(
                tail,
                policy,
                null,
                new Downstream<>() {
                    @Override
                    public void push(Object t) {}
                },
                listener,
                parallelism);
    }

    /**
     * Runs the flow, calling {@code action} for each record, in order and on the calling thread (also when the flow
     * is {@link #parallel}). An exception from it stops the run and is rethrown.
     */
    @SuppressWarnings("unchecked")
    public RunSummary forEach(ConsumerFn<? super T> action) {
        Objects.requireNonNull(action, "action");
        return LocalExecution.run(
                tail,
                policy,
                null,
                new Downstream<>() {
                    @Override
                    public void push(Object t) {
                        try {
                            action.accept((T) t);
                        } catch (RuntimeException | Error e) {
                            throw e;
                        } catch (Exception e) {
                            throw new SluiceException("the forEach action failed: " + e.getMessage(), e);
                        }
                    }
                },
                null,
                parallelism);
    }

    /** Runs the flow and returns every record. The list holds the whole output: for bounded results only. */
    @SuppressWarnings("unchecked")
    public List<T> toList() {
        List<T> out = new ArrayList<>();
        LocalExecution.run(
                tail,
                policy,
                null,
                new Downstream<>() {
                    @Override
                    public void push(Object t) {
                        out.add((T) t);
                    }
                },
                null,
                parallelism);
        return out;
    }

    /** Runs the flow and counts its records. */
    public long count() {
        return run().recordsOut();
    }

    /** Runs the flow just far enough to get its first record, then closes the source. */
    public Optional<T> first() {
        try (CloseableIterator<T> it = iterator()) {
            return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
        }
    }

    /**
     * Pulls the flow lazily: nothing runs until {@code hasNext()} or {@code next()}, and then only as far as needed
     * for the next record. Close the iterator when stopping early; it closes itself at the end or on failure.
     */
    public CloseableIterator<T> iterator() {
        return iterator(LocalRunner.get());
    }

    /** Pulls the flow lazily on {@code runner}; see {@link #iterator()}. */
    public CloseableIterator<T> iterator(Runner runner) {
        return java.util.Objects.requireNonNull(runner, "runner").iterate(plan());
    }

    /** The plan of this flow, without a sink: what {@link Runner#iterate} pulls. */
    public Plan plan() {
        return new Plan(tail, policy, null, parallelism);
    }

    /** A readable description of the plan: each stage with its name and memory class. */
    public String explain() {
        return plan().explain();
    }

    /** The plan's last node. Internal: for runners. */
    Stage tail() {
        return tail;
    }

    @Override
    public String toString() {
        return "Flow[" + tail.name() + "]";
    }
}
