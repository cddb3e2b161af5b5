package dev.sluice.flink;

import dev.sluice.Plan;
import dev.sluice.SluiceException;
import dev.sluice.internal.SourceStage;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.op.BatchStage;
import dev.sluice.internal.op.BoundedStage;
import dev.sluice.internal.op.CodecStage;
import dev.sluice.internal.op.ComparatorSortStage;
import dev.sluice.internal.op.DistinctStage;
import dev.sluice.internal.op.FilterStage;
import dev.sluice.internal.op.FlatMapStage;
import dev.sluice.internal.op.GroupStage;
import dev.sluice.internal.op.JoinStage;
import dev.sluice.internal.op.LimitStage;
import dev.sluice.internal.op.MapStage;
import dev.sluice.internal.op.MergeStage;
import dev.sluice.internal.op.PartialGroupStage;
import dev.sluice.internal.op.PeekStage;
import dev.sluice.internal.op.SkipStage;
import dev.sluice.internal.op.SortStage;
import dev.sluice.internal.op.TopNStage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One plan's translation into a Flink job: the graph walked once from the sink back to the sources, each node
 * translated by its class (see {@link FlinkRunner}); what it collects on the way (the stages' names in the local
 * runner's summary order, where the joins are, the operators whose rejected records go to the dead-letter sink).
 */
final class Translation {

    private final StreamExecutionEnvironment env;
    private final Plan plan;
    private final int parallelism;
    private final long splitBytes;
    private final Map<String, Integer> seen = new HashMap<>();
    /** The stages, in the local runner's summary order. */
    final List<StageStats> named = new ArrayList<>();
    /** The summary positions of joins. */
    final Set<Integer> joins = new HashSet<>();
    /** The operators whose side outputs hold rejected records. */
    final List<SingleOutputStreamOperator<Object>> producers = new ArrayList<>();

    Translation(StreamExecutionEnvironment env, Plan plan, int parallelism, long splitBytes) {
        this.env = env;
        this.plan = plan;
        this.parallelism = plan.unbounded() ? 1 : parallelism;
        this.splitBytes = splitBytes;
    }

    /**
     * Whether {@code s} is a group-by that runs as a keyed Flink operation: one with keys and order-free aggregates.
     * A global aggregate, or one with first, last or collect, runs on one subtask in input order, as Sluice's own
     * stage (which spills under its byte budget).
     */
    static boolean keyed(Stage s) {
        return s instanceof GroupStage g && !g.keys().isEmpty() && dev.sluice.internal.op.GroupFold.orderFree(g.aggs());
    }

    /** Whether the plan's sink is one whose output the readers can encode (a CSV file), to be appended in order. */
    private boolean encodable() {
        return plan.sink() != null && !plan.sink().local() && dev.sluice.internal.Hooks.encoding(plan.sink()) != null;
    }

    /** Registers {@code op} as one whose rejected records leave on the dead-letter side output. */
    private SingleOutputStreamOperator<Object> letters(SingleOutputStreamOperator<Object> op) {
        producers.add(op);
        return op;
    }

    private static final java.util.Comparator<Object> BY_SEQ = (java.util.Comparator<Object> & java.io.Serializable)
            (a, b) -> Long.compare(((DistinctFunction.Numbered) a).seq(), ((DistinctFunction.Numbered) b).seq());
    private static final dev.sluice.fn.MapFn<Object, Object> UNWRAP = r -> ((DistinctFunction.Numbered) r).record();

    /** The nodes this runner translates, by class. */
    static final Set<Class<? extends Stage>> FUSED = Set.of(
            dev.sluice.internal.op.WindowStage.class, // on one subtask, in input order, its state checkpointed
            MapStage.class,
            FilterStage.class,
            FlatMapStage.class,
            PeekStage.class,
            CodecStage.class,
            BoundedStage.class,
            LimitStage.class,
            SkipStage.class,
            BatchStage.class,
            PartialGroupStage.class,
            dev.sluice.internal.op.SortedGroupStage.class,
            SortStage.class,
            TopNStage.class);

    /**
     * Translates the segment of the graph that ends at {@code tail} (a source or a join, then single-input stages),
     * its inputs first; adds its stages' names to {@code named} in the local runner's summary order (the inputs'
     * stages first, then the segment's, the sink last).
     */
    DataStream<Object> segment(Stage tail, String sinkName, boolean forJoin) {
        List<Stage> stages = dev.sluice.internal.Graph.segment(tail);
        Stage head = stages.get(0);
        DataStream<Object> left = null;
        DataStream<Object> right = null;
        List<DataStream<Object>> merged = new ArrayList<>();
        if (head instanceof JoinStage j) {
            left = segment(j.inputs().get(0), null, true);
            right = segment(j.inputs().get(1), null, true);
        } else if (head instanceof MergeStage m) {
            for (Stage in : m.inputs()) { // each in its input order
                merged.add(segment(in, null, false));
            }
        }
        int base = named.size();
        List<StageStats> mine = StageStats.forPlan(stages, sinkName, seen);
        named.addAll(mine);
        List<String> names = new ArrayList<>();
        for (StageStats s : mine) {
            names.add(s.name);
        }
        DataStream<Object> stream;
        int readers = 1;
        if (head instanceof SourceStage source) {
            List<? extends dev.sluice.spi.Split> parts =
                    parallelism > 1 && !plan.unbounded() ? splits(source.source(), parallelism) : null;
            readers = parts == null ? 1 : Math.min(parallelism, parts.size());
            stream = env.fromSource(
                            new SluiceSource(source.source(), parts, plan.errorPolicy(), !plan.unbounded()),
                            WatermarkStrategy.noWatermarks(),
                            source.name(),
                            RecordType.INSTANCE)
                    .setParallelism(readers);
        } else if (head instanceof MergeStage m) {
            stream = merged.get(0);
            for (int i = 1; i < merged.size(); i++) {
                stream = m.order() == MergeStage.Order.CONCAT
                        ? stream.connect(merged.get(i))
                                .transform(names.get(0), RecordType.INSTANCE, new Concat())
                                .setParallelism(1)
                        : stream.union(merged.get(i));
            }
        } else {
            JoinStage j = (JoinStage) head;
            joins.add(base);
            stream = left.connect(right)
                    .keyBy(
                            new JoinFunction.Key(j.join().leftKeys(), 'L'),
                            new JoinFunction.Key(j.join().rightKeys(), 'R'),
                            org.apache.flink.api.common.typeinfo.Types.STRING)
                    .process(new JoinFunction(j, base), RecordType.INSTANCE)
                    .name(names.get(0))
                    .setParallelism(parallelism);
        }
        return translate(
                stream,
                stages,
                names,
                base,
                head instanceof SourceStage,
                plan.errorPolicy(),
                head.name(),
                readers,
                parallelism,
                forJoin,
                sinkName != null && !forJoin);
    }

    /**
     * The source's exact splits for {@code parallelism} readers (about four per reader, by the input files' size), or
     * null when it cannot be split: then one reader reads it whole.
     */
    private List<? extends dev.sluice.spi.Split> splits(dev.sluice.Source<?> source, int parallelism) {
        if (!(source instanceof dev.sluice.spi.SplittableSource<?> ss)) {
            return null;
        }
        long bytes = 0;
        for (java.nio.file.Path f : source.inputFiles()) {
            try {
                bytes += java.nio.file.Files.size(f);
            } catch (java.io.IOException e) {
                return null; // the read reports it
            }
        }
        long target = splitBytes > 0 ? splitBytes : Math.max(1 << 20, Math.min(64L << 20, bytes / (4L * parallelism)));
        try {
            List<? extends dev.sluice.spi.Split> parts = ss.splits(
                    new dev.sluice.internal.RunState(dev.sluice.ErrorPolicy.fail(), source.name()),
                    new dev.sluice.spi.SplitHint(parallelism, target, 100_000));
            return parts == null || parts.size() < 2 ? null : parts;
        } catch (Exception e) {
            throw new SluiceException(
                    source.name() + ": could not be split for the Flink runner: " + e.getMessage(), e);
        }
    }

    private static DataStream<Object> number(DataStream<Object> stream, String name) {
        return stream.transform("number " + name, RecordType.INSTANCE, new DistinctFunction.Number())
                .setParallelism(1);
    }

    /**
     * The stages after the source: runs of streaming stages fused into one operator each (the first of them also
     * counts the records read and takes the source's reports out of the stream), a group-by as a keyed operation
     * followed by an ordering by key (the local runner's output order), a sort or a top-N on one subtask (a total
     * order, as Flink's own partition sort at parallelism one).
     */
    private DataStream<Object> translate(
            DataStream<Object> stream,
            List<Stage> nodes,
            List<String> names,
            int base,
            boolean source,
            dev.sluice.ErrorPolicy policy,
            String sourceName,
            int readers,
            int parallelism,
            boolean forJoin,
            boolean atSink) {
        List<Stage> run = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<String> runNames = new ArrayList<>();
        boolean first = source; // the source's records are counted by the first operator after it
        boolean numbered = false; // whether the stream's records are numbered in input order
        int from = 1;
        if (readers > 1) { // the source is read in parts at once: its stateless stages run with the readers
            int end = 1;
            while (end < nodes.size()
                    && FUSED.contains(nodes.get(end).getClass())
                    && nodes.get(end).parallelSafe()) {
                run.add(nodes.get(end));
                positions.add(base + end);
                runNames.add(names.get(end));
                end++;
            }
            Stage next = end < nodes.size() ? nodes.get(end) : null;
            FusedOperator.Numbering numbering =
                    keyed(next) || run.stream().anyMatch(x -> x instanceof PartialGroupStage)
                            ? FusedOperator.Numbering.NONE // a group-by's output does not depend on input order
                            // nor does a fold of partial states, which the first phase emits when its input ends
                            : next instanceof DistinctStage || (next == null && forJoin)
                                    ? FusedOperator.Numbering.NUMBERED // keyed by number
                                    : next == null && atSink && encodable()
                                            ? FusedOperator.Numbering.ENCODED // the sink's bytes, made by the readers
                                            : FusedOperator.Numbering.ORDERED; // in order for what follows
            stream = fused(stream, run, positions, runNames, true, base, policy, sourceName, numbering)
                    .setParallelism(readers);
            if (numbering == FusedOperator.Numbering.ORDERED || numbering == FusedOperator.Numbering.ENCODED) {
                stream = stream.transform("in order: " + sourceName, RecordType.INSTANCE, new InOrder(sourceName))
                        .setParallelism(1);
            }
            numbered = numbering == FusedOperator.Numbering.NUMBERED;
            first = false;
            run.clear();
            positions.clear();
            runNames.clear();
            from = end;
        }
        if (nodes.get(0) instanceof MergeStage m) { // counts what passes
            run.add(m);
            positions.add(base);
            runNames.add(names.get(0));
        }
        if (nodes.get(0) instanceof JoinStage j) { // its tagged outputs in the local runner's order, made rows
            run.add(new ComparatorSortStage(j, JoinFunction.ORDER).withName("order of " + names.get(0)));
            positions.add(-1);
            runNames.add("order of " + names.get(0));
            run.add(new FlatMapStage(j, new JoinFunction.Rows(j.join()), "rows of " + names.get(0)));
            positions.add(-1);
            runNames.add("rows of " + names.get(0));
        }
        for (int i = from; i <= nodes.size(); i++) {
            Stage s = i < nodes.size() ? nodes.get(i) : null;
            if (s == null || keyed(s) || s instanceof DistinctStage) {
                if (first || !run.isEmpty()) {
                    stream = fused(
                            stream,
                            run,
                            positions,
                            runNames,
                            first,
                            base,
                            policy,
                            sourceName,
                            FusedOperator.Numbering.NONE);
                    first = false;
                    run.clear();
                    positions.clear();
                    runNames.clear();
                }
            }
            if (keyed(s)) {
                GroupStage g = (GroupStage) s;
                stream = stream.keyBy(new GroupFunction.Key(g), org.apache.flink.api.common.typeinfo.Types.STRING)
                        .process(new GroupFunction(g, names.get(i), base + i, policy), RecordType.INSTANCE)
                        .name(names.get(i))
                        .setParallelism(parallelism);
                letters((SingleOutputStreamOperator<Object>) stream);
                List<dev.sluice.SortKey> byKey = new ArrayList<>();
                for (String k : g.keys()) {
                    byKey.add(dev.sluice.SortKey.asc(k));
                }
                run.add(new SortStage(g, byKey, 0).withName("order of " + names.get(i)));
                positions.add(-1);
                runNames.add("order of " + names.get(i));
            } else if (s instanceof DistinctStage d) {
                stream = (numbered ? stream : number(stream, names.get(i)))
                        .keyBy(new DistinctFunction.Key(d), org.apache.flink.api.common.typeinfo.Types.STRING)
                        .process(new DistinctFunction(d, names.get(i), base + i, policy), RecordType.INSTANCE)
                        .name(names.get(i))
                        .setParallelism(parallelism);
                letters((SingleOutputStreamOperator<Object>) stream);
                numbered = false; // put back in order and unwrapped below
                // back in input order, then unwrapped
                run.add(new ComparatorSortStage(d, BY_SEQ).withName("order of " + names.get(i)));
                positions.add(-1);
                runNames.add("order of " + names.get(i));
                run.add(new MapStage(d, UNWRAP).withName("unnumber " + names.get(i)));
                positions.add(-1);
                runNames.add("unnumber " + names.get(i));
            } else if (s != null) {
                run.add(s);
                positions.add(base + i);
                runNames.add(names.get(i));
            }
        }
        return forJoin && !numbered ? number(stream, sourceName) : stream;
    }

    private SingleOutputStreamOperator<Object> fused(
            DataStream<Object> stream,
            List<Stage> stages,
            List<Integer> positions,
            List<String> stageNames,
            boolean source,
            int sourcePosition,
            dev.sluice.ErrorPolicy policy,
            String sourceName,
            FusedOperator.Numbering numbering) {
        int[] pos = new int[positions.size()];
        for (int j = 0; j < pos.length; j++) {
            pos[j] = positions.get(j);
        }
        SingleOutputStreamOperator<Object> op = stream.transform(
                stages.isEmpty() ? "read " + sourceName : String.join(" → ", stageNames),
                RecordType.INSTANCE,
                new FusedOperator(
                        stages, pos, stageNames, source, sourcePosition, policy, sourceName, numbering, plan.sink()));
        if (stages.stream().anyMatch(Stage::timed)) {
            // a task of its own: its timers fire while the source waits for its next record
            op.disableChaining();
        }
        return letters(op);
    }
}
