package dev.sluice.flink;

import dev.sluice.CloseableIterator;
import dev.sluice.Plan;
import dev.sluice.Rejected;
import dev.sluice.RunListener;
import dev.sluice.RunSummary;
import dev.sluice.Runner;
import dev.sluice.SluiceException;
import dev.sluice.StageSummary;
import dev.sluice.internal.Hooks;
import dev.sluice.internal.SourceStage;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.op.DistinctStage;
import dev.sluice.internal.op.GroupStage;
import dev.sluice.internal.op.JoinStage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs Sluice plans on Apache Flink: {@code pipeline.run(FlinkRunner.local())} on an embedded MiniCluster (started on
 * the first run, stopped by {@link #close()}), or {@code FlinkRunner.remote("host:8081")} on a running cluster by its
 * REST address.
 *
 * <p>The plan is walked once and each node translated by type: the source becomes a Flink (FLIP-27) source whose
 * splits are the Sluice source's; runs of streaming stages are fused into one Flink operator that runs them; a
 * group-by becomes a keyed operation (keyed by the row's binary group key, folded with Sluice's mergeable
 * accumulators, each group leaving at the end of its key) followed by an ordering by key; a sort or a top-N runs on
 * one subtask; the sink becomes a Flink (Sink V2) sink. Bounded plans run in BATCH mode, endless ones in STREAMING.
 * Jobs run with {@code pipeline.generic-types: false}: records travel through Sluice's own serializer, never Kryo.
 * The run summary (records in and out per stage, rejections) comes back through Flink's accumulators and equals the
 * local runner's.
 *
 * <p>What this runner does not run yet is refused before anything is submitted, naming the stage: joins, sorted
 * group-bys, global aggregates and order-dependent aggregates (first, last, collect), merges, timed batches,
 * dead-letter sinks, and pulling ({@link #iterate}).
 *
 * <p>Parallelism ({@link #withParallelism}): a splittable source (a CSV file cut into exact byte ranges, a table read
 * by key ranges) is read by several subtasks at once, each split whole by one, and its stateless stages run with the
 * readers; each record carries its split and place, so the parts are put back in input order ({@link InOrder}) before
 * anything that needs order (a limit, a batch, a sort, the sink), and keyed steps (group-by, distinct, join) run on
 * every subtask and keep input order by those numbers. The output is the local runner's, byte for byte.
 */
public final class FlinkRunner implements Runner, AutoCloseable {
    static final String FIRST_REJECTIONS = "sluice.first-rejections";

    private final int taskManagers;
    private final int slots;
    private final String host;
    private final int port;
    private final int parallelism;
    private final long splitBytes;
    /** How often an endless plan's job takes a checkpoint; set once, right after construction. */
    private long checkpointMillis = 1000;

    /** What stops an endless job (null: nothing but a failure or a cancellation); set once, after construction. */
    private java.util.function.BooleanSupplier stop;

    /** Jars shipped with each job to a remote cluster (the program's own classes). */
    private final List<String> jars;
    /** The embedded MiniCluster, started on the first run; shared by the copies {@code with...} makes. */
    private final Embedded embedded;

    private static final class Embedded {
        MiniCluster cluster;
        /** Its working files (web uploads, temporary files), removed when it stops. */
        java.nio.file.Path dir;
    }

    private FlinkRunner(
            int taskManagers, int slots, String host, int port, int parallelism, long splitBytes, Embedded embedded) {
        this(taskManagers, slots, host, port, parallelism, splitBytes, embedded, List.of());
    }

    private FlinkRunner(
            int taskManagers,
            int slots,
            String host,
            int port,
            int parallelism,
            long splitBytes,
            Embedded embedded,
            List<String> jars) {
        this.embedded = embedded;
        this.taskManagers = taskManagers;
        this.slots = slots;
        this.host = host;
        this.port = port;
        this.parallelism = parallelism;
        this.splitBytes = splitBytes;
        this.jars = List.copyOf(jars);
    }

    /**
     * This runner shipping {@code jars} with each job to the remote cluster: the jars that hold the program's own
     * classes (its functions, its record types), which the cluster's TaskManagers load for the job. Sluice's and
     * Flink's own classes must already be on the cluster's class path (a cluster {@code sluice flink start} started
     * has them). An embedded MiniCluster shares the program's class path and needs none.
     */
    public FlinkRunner withJars(java.nio.file.Path... jars) {
        List<String> all = new ArrayList<>(this.jars);
        for (java.nio.file.Path j : jars) {
            if (!java.nio.file.Files.isRegularFile(j)) {
                throw new IllegalArgumentException("a jar to ship is not a file: " + j);
            }
            all.add(j.toAbsolutePath().toString());
        }
        return new FlinkRunner(taskManagers, slots, host, port, parallelism, splitBytes, embedded, all)
                .checkpointingEvery(checkpointMillis)
                .stoppedBy(stop);
    }

    private FlinkRunner checkpointingEvery(long millis) {
        this.checkpointMillis = millis;
        return this;
    }

    private FlinkRunner stoppedBy(java.util.function.BooleanSupplier s) {
        this.stop = s;
        return this;
    }

    /**
     * This runner stopping an endless job once {@code stop} says so (checked every 50 ms): Flink's stop with a
     * savepoint, without drain: the sources stop, a last checkpoint makes the output durable and the job ends as a
     * success with its counts, windows still open not emitted (as {@code LocalRunner.withStop}).
     */
    public FlinkRunner withStop(java.util.function.BooleanSupplier stop) {
        java.util.Objects.requireNonNull(stop, "stop");
        return new FlinkRunner(taskManagers, slots, host, port, parallelism, splitBytes, embedded, jars)
                .checkpointingEvery(checkpointMillis)
                .stoppedBy(stop);
    }

    /** Runs the job until it ends or {@code stop} says to stop it, then stops it with a savepoint (no drain). */
    private static JobExecutionResult stoppable(
            StreamExecutionEnvironment env, String job, java.util.function.BooleanSupplier stop) throws Exception {
        org.apache.flink.core.execution.JobClient client = env.executeAsync(job);
        java.util.concurrent.CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        while (!result.isDone()) {
            if (stop.getAsBoolean()) {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sluice-flink-stop-");
                try {
                    client.stopWithSavepoint(
                                    false,
                                    dir.toUri().toString(),
                                    org.apache.flink.core.execution.SavepointFormatType.CANONICAL)
                            .get();
                    return result.get();
                } finally {
                    deleteTree(dir);
                }
            }
            try {
                return result.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not yet
            }
        }
        return result.get();
    }

    /**
     * This runner checkpointing endless plans (a followed file, a socket) every {@code every} (default 1 s): each
     * checkpoint saves the source's position (a followed file's offsets, as Flink split state), the state of windows
     * and the sink's durable length together, so that after a failure (a TaskManager lost) the job restarts from the
     * last one with nothing lost and nothing written twice. Output written after the last checkpoint shows at once
     * and is cut away again if the job restarts from before it.
     */
    public FlinkRunner withCheckpointInterval(java.time.Duration every) {
        if (every.toMillis() < 10) {
            throw new IllegalArgumentException("the checkpoint interval must be at least 10 ms, was " + every);
        }
        return new FlinkRunner(taskManagers, slots, host, port, parallelism, splitBytes, embedded, jars)
                .checkpointingEvery(every.toMillis())
                .stoppedBy(stop);
    }

    /**
     * This runner with {@code n} parallel subtasks per parallel step: readers of a splittable source (a CSV file, a
     * keyset-paged table) and the stateless stages after them, group-bys, distincts and joins. Steps that need one
     * place (putting the parts back in input order, a sort, a limit, the sink) run on one subtask. By default: every
     * slot of the MiniCluster, or of the remote cluster as its REST API reports them when the job is submitted.
     */
    public FlinkRunner withParallelism(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + n);
        }
        return new FlinkRunner(taskManagers, slots, host, port, n, splitBytes, embedded, jars)
                .checkpointingEvery(checkpointMillis)
                .stoppedBy(stop);
    }

    /**
     * This runner cutting splittable files into splits of about {@code bytes} each (by default a quarter of the
     * input per subtask, between 1 MiB and 64 MiB).
     */
    public FlinkRunner withSplitBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a split holds at least one byte, was " + bytes);
        }
        return new FlinkRunner(taskManagers, slots, host, port, parallelism, bytes, embedded, jars)
                .checkpointingEvery(checkpointMillis)
                .stoppedBy(stop);
    }

    /** The parallelism jobs run with: as configured, else every slot of the cluster. */
    int parallelism() {
        if (parallelism > 0) {
            return parallelism;
        }
        if (host == null) {
            return taskManagers * slots;
        }
        try {
            String slots = FlinkCluster.field(FlinkCluster.get(host + ":" + port, "/overview"), "slots-total");
            return slots.equals("?") ? 1 : Math.max(1, Integer.parseInt(slots));
        } catch (java.io.IOException e) {
            throw new SluiceException(
                    "the Flink cluster at " + host + ":" + port + " does not answer its REST API: " + e.getMessage(),
                    e);
        }
    }

    /** An embedded MiniCluster of one TaskManager with two slots, started on the first run. */
    public static FlinkRunner local() {
        return local(1, 2);
    }

    /** An embedded MiniCluster of {@code taskManagers} TaskManagers with {@code slots} slots each. */
    public static FlinkRunner local(int taskManagers, int slots) {
        if (taskManagers < 1 || slots < 1) {
            throw new IllegalArgumentException("a MiniCluster needs at least one TaskManager and one slot");
        }
        return new FlinkRunner(taskManagers, slots, null, 0, 0, 0, new Embedded());
    }

    /** A running Flink cluster, by its REST address ({@code host:port}, e.g. {@code localhost:8081}). */
    public static FlinkRunner remote(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(
                    "a Flink REST address is host:port, e.g. localhost:8081, was " + address);
        }
        try {
            return new FlinkRunner(
                    0,
                    0,
                    address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)),
                    0,
                    0,
                    new Embedded());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "a Flink REST address is host:port, e.g. localhost:8081, was " + address);
        }
    }

    static String key(int position, String what) {
        return "sluice." + position + "." + what;
    }

    /** Checks every node of the plan's graph: each must be one this runner translates. */
    static void check(Plan plan) {
        for (Stage s : dev.sluice.internal.Graph.nodes(Hooks.tail(plan))) {
            if (s instanceof SourceStage) {
                continue;
            }
            if (s instanceof JoinStage j) {
                if (j.sorted()) {
                    throw refused(s, "is a merge join of sorted inputs, which has no Flink translation yet");
                }
                if (plan.unbounded()) {
                    throw refused(s, "joins an endless input, which the Flink runner joins only in BATCH mode yet");
                }
                continue;
            }
            if (s instanceof dev.sluice.internal.op.MergeStage) {
                continue; // concat: in order on one subtask; union: as the inputs come
            }
            if (s.inputs().size() > 1) {
                throw refused(s, "merges several inputs");
            }
            if (s instanceof GroupStage) {
                continue; // keyed, or on one subtask in input order
            }
            if (s instanceof DistinctStage) {
                if (plan.unbounded()) {
                    throw refused(s, "streams an endless input, which the Flink runner keys only in BATCH mode yet");
                }
                continue;
            }
            if (!Translation.FUSED.contains(s.getClass())) {
                throw refused(s, "has no Flink translation yet");
            }
        }
    }

    private static SluiceException refused(Stage s, String why) {
        return new SluiceException("the Flink runner cannot run stage '" + s.name() + "' (" + s.kind() + "): it " + why
                + "; run this plan on the local runner (LocalRunner.get())");
    }

    @Override
    @SuppressWarnings("unchecked")
    public RunSummary run(Plan plan, RunListener listener) {
        if (plan.sink() == null) {
            throw new IllegalArgumentException("a plan to run needs a sink");
        }
        check(plan);
        StreamExecutionEnvironment env = environment(plan.unbounded());
        if (plan.unbounded()) {
            // an endless plan: checkpoints save the source's position, stateful stages (windows) and the sink's
            // durable length together, so a restart after a failure neither loses nor repeats output
            env.enableCheckpointing(checkpointMillis, org.apache.flink.core.execution.CheckpointingMode.EXACTLY_ONCE);
        }
        boolean timed =
                dev.sluice.internal.Graph.nodes(Hooks.tail(plan)).stream().anyMatch(Stage::timed);
        // a timed batch needs records to flow on as they come, not at the end of each step: STREAMING
        env.setRuntimeMode(plan.unbounded() || timed ? RuntimeExecutionMode.STREAMING : RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        env.getConfig().enableObjectReuse(); // records are immutable: chained operators hand them on uncopied
        Translation t = new Translation(env, plan, parallelism(), splitBytes);
        DataStream<Object> stream = t.segment(Hooks.tail(plan), plan.sink().name(), false);
        List<StageStats> named = t.named;
        List<String> names = new ArrayList<>();
        for (StageStats s : named) {
            names.add(s.name);
        }
        dev.sluice.Sink<Object> sink = (dev.sluice.Sink<Object>) plan.sink();
        String job = "sluice: " + String.join(" → ", names);
        dev.sluice.Sink<Object> letterSink = (dev.sluice.Sink<Object>)
                (dev.sluice.Sink<?>) plan.errorPolicy().deadLetters();
        DataStream<Object> letters = null;
        if (letterSink != null) { // every operator's rejected records, to the one dead-letter sink
            for (var op : t.producers) {
                DataStream<Object> side = op.getSideOutput(DeadLetters.TAG);
                letters = letters == null ? side : letters.union(side);
            }
        }
        long started = System.nanoTime();
        JobExecutionResult result;
        try {
            org.apache.flink.util.CloseableIterator<Object> records = null;
            org.apache.flink.util.CloseableIterator<Object> rejected = null;
            if (sink.local()) { // records come back to the caller's sink
                records = stream.collectAsync();
            } else if (plan.unbounded()) {
                stream.sinkTo(new StreamingSink(sink)).name(sink.name());
            } else {
                stream.sinkTo(new SluiceSink(sink)).name(sink.name());
            }
            if (letters != null) {
                if (letterSink.local()) {
                    rejected = letters.collectAsync();
                } else {
                    letters.sinkTo(new SluiceSink(letterSink, true)).name("dead letters: " + letterSink.name());
                }
            }
            result = records == null && rejected == null
                    ? (stop != null ? stoppable(env, job, stop) : env.execute(job))
                    : collect(env, job, records, sink, rejected, letterSink);
        } catch (Exception e) {
            throw unwrap(e);
        }
        return summary(result, named, t.joins, started);
    }

    /**
     * Runs the job, writing here, in the caller's process, as they arrive: its output to {@code sink} (when {@code
     * records} is not null) and its rejected records to {@code letterSink} (when {@code rejected} is not null, on a
     * thread of its own, so that neither stream waits for the other). Dead letters are kept whether or not the job
     * succeeds, as the local runner keeps them.
     */
    private static JobExecutionResult collect(
            StreamExecutionEnvironment env,
            String job,
            org.apache.flink.util.CloseableIterator<Object> records,
            dev.sluice.Sink<Object> sink,
            org.apache.flink.util.CloseableIterator<Object> rejected,
            dev.sluice.Sink<Object> letterSink)
            throws Exception {
        org.apache.flink.core.execution.JobClient client = env.executeAsync(job);
        java.util.concurrent.CompletableFuture<Void> letters = rejected == null
                ? java.util.concurrent.CompletableFuture.completedFuture(null)
                : java.util.concurrent.CompletableFuture.runAsync(() -> drain(rejected, letterSink, true));
        try {
            if (records != null) {
                drain(records, sink, false);
            }
            JobExecutionResult r = client.getJobExecutionResult().get();
            letters.get();
            return r;
        } catch (Exception e) {
            letters.cancel(true);
            throw e;
        }
    }

    /**
     * Writes what {@code from} brings to {@code sink}; the writer is closed as a success at the end, and on failure
     * as a failure, unless {@code keep} (dead letters) or nothing came (a lazy sink opens on the first record).
     */
    private static void drain(
            org.apache.flink.util.CloseableIterator<Object> from, dev.sluice.Sink<Object> sink, boolean lazy) {
        dev.sluice.SinkWriter<Object> writer = null;
        boolean ok = false;
        try (from) {
            if (!lazy) {
                writer = sink.open();
            }
            while (from.hasNext()) {
                Object r = from.next();
                if (writer == null) {
                    writer = sink.open();
                }
                writer.write(r);
            }
            ok = true;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SluiceException(sink.name() + ": " + e.getMessage(), e);
        } finally {
            if (writer != null) {
                try {
                    writer.close(ok || lazy);
                } catch (Exception e) {
                    if (ok) {
                        throw new SluiceException(sink.name() + ": " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    /** The first Sluice exception in {@code e}'s causes (a stage's error, as the local runner reports it), or one. */
    static RuntimeException unwrap(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SluiceException s) {
                return s;
            }
        }
        Throwable root = e;
        boolean submission = false;
        while (root.getCause() != null) {
            submission |= root instanceof org.apache.flink.runtime.client.JobSubmissionException
                    || root instanceof org.apache.flink.runtime.rest.util.RestClientException;
            root = root.getCause();
        }
        submission |= root instanceof org.apache.flink.runtime.rest.util.RestClientException;
        if (submission) { // the cluster's own log has the cause; the REST answer does not
            return new SluiceException(
                    "the Flink cluster refused the job ("
                            + root.getMessage().strip().replaceAll("\\s+", " ")
                            + "): most often it cannot load a class of the program; ship the jars that hold the "
                            + "program's own classes with FlinkRunner.withJars(...), and run the cluster on the same "
                            + "Sluice and Flink versions (the JobManager's log says which class)",
                    e);
        }
        return new SluiceException("the Flink job failed: " + root, e);
    }

    private static RunSummary summary(
            JobExecutionResult result, List<StageStats> named, java.util.Set<Integer> joins, long started) {
        Map<String, Object> acc = result.getAllAccumulatorResults();
        List<StageSummary> list = new ArrayList<>();
        long rejected = 0;
        List<Rejected> first = new ArrayList<>();
        for (int i = 0; i < named.size(); i++) {
            StageStats s = named.get(i);
            long in = count(acc, key(i, "in"));
            long out = count(acc, key(i, "out"));
            if (i == named.size() - 1) { // the sink: what the last stage passed on
                in = list.get(i - 1).out();
                out = in;
            }
            long r = count(acc, key(i, "rejected"));
            rejected += r;
            list.add(new StageSummary(s.name, s.kind, s.memoryClass, in, out, r, 0, 0));
            Object l = acc.get(FIRST_REJECTIONS + "." + i);
            if (l instanceof List<?> rs) {
                List<Rejected> here = new ArrayList<>();
                for (Object x : rs) {
                    here.add((Rejected) x);
                }
                // subtasks report in any order: in input order, as the local runner lists them
                here.sort(java.util.Comparator.comparingLong(Rejected::line).thenComparingLong(Rejected::record));
                first.addAll(here);
            }
        }
        return new RunSummary(
                list,
                rejected,
                List.copyOf(first.subList(0, Math.min(10, first.size()))),
                Duration.ofNanos(System.nanoTime() - started),
                0);
    }

    private static long count(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    private StreamExecutionEnvironment environment() {
        return environment(false);
    }

    private StreamExecutionEnvironment environment(boolean endless) {
        synchronized (embedded) {
            return startedEnvironment(endless);
        }
    }

    private StreamExecutionEnvironment startedEnvironment(boolean endless) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        if (host != null) { // the cluster's own restart strategy recovers a job from a lost TaskManager
            return StreamExecutionEnvironment.createRemoteEnvironment(host, port, conf, jars.toArray(String[]::new));
        }
        if (endless) { // an endless job restarts from its last checkpoint after a failure
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ofMillis(500));
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // embedded: a failure is reported at once
        }
        if (embedded.cluster == null) {
            Configuration c = new Configuration();
            c.set(RestOptions.BIND_PORT, "0");
            try {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sluice-flink-");
                embedded.dir = dir;
                // a process stopped by a signal (Ctrl-C, kill) leaves no working files either
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "sluice-flink-cleanup"));
            } catch (java.io.IOException e) {
                throw new SluiceException("could not make a directory for the Flink MiniCluster: " + e.getMessage(), e);
            }
            c.set(
                    org.apache.flink.configuration.WebOptions.UPLOAD_DIR,
                    embedded.dir.resolve("web-upload").toString());
            c.set(
                    org.apache.flink.configuration.WebOptions.TMP_DIR,
                    embedded.dir.resolve("web").toString());
            c.set(
                    org.apache.flink.configuration.CoreOptions.TMP_DIRS,
                    embedded.dir.resolve("tmp").toString());
            c.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
            MiniCluster mc = new MiniCluster(new MiniClusterConfiguration.Builder()
                    .setConfiguration(c)
                    .setNumTaskManagers(taskManagers)
                    .setNumSlotsPerTaskManager(slots)
                    .build());
            try {
                mc.start();
            } catch (Exception e) {
                throw new SluiceException("could not start a Flink MiniCluster: " + e.getMessage(), e);
            }
            embedded.cluster = mc;
        }
        URI rest;
        try {
            rest = embedded.cluster.getRestAddress().get();
        } catch (Exception e) {
            throw new SluiceException("the Flink MiniCluster has no REST address: " + e.getMessage(), e);
        }
        return StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort(), conf);
    }

    /** The MiniCluster's REST address ({@code http://localhost:PORT}), starting it if need be; null for a remote runner. */
    public URI restAddress() {
        synchronized (embedded) {
            return startedRestAddress();
        }
    }

    private URI startedRestAddress() {
        if (host != null) {
            return URI.create("http://" + host + ":" + port);
        }
        environment();
        try {
            return embedded.cluster.getRestAddress().get();
        } catch (Exception e) {
            throw new SluiceException("the Flink MiniCluster has no REST address: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> CloseableIterator<T> iterate(Plan plan) {
        throw new UnsupportedOperationException(
                "the Flink runner does not pull plans yet: give the flow a sink and run it, or pull on the local runner");
    }

    /** Stops the embedded MiniCluster, if one was started. */
    @Override
    public void close() {
        synchronized (embedded) {
            stop();
        }
    }

    private void stop() {
        if (embedded.cluster != null) {
            try {
                embedded.cluster.close();
            } catch (Exception e) {
                throw new SluiceException("stopping the Flink MiniCluster failed: " + e.getMessage(), e);
            } finally {
                embedded.cluster = null;
                deleteTree(embedded.dir);
                embedded.dir = null;
            }
        }
    }

    private static void deleteTree(java.nio.file.Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p :
                    paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            // best effort: a file Flink still holds goes with the temporary directory's own cleaning
        }
    }

    @Override
    public String toString() {
        return host != null
                ? "FlinkRunner(" + host + ":" + port + ")"
                : "FlinkRunner(MiniCluster, " + taskManagers + " TaskManagers × " + slots + " slots)";
    }
}
