package dev.sluice.flink;

import dev.sluice.ErrorPolicy;
import dev.sluice.Rejected;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A run of Sluice's streaming stages fused into one Flink operator: the very links the local runner uses, chained per
 * subtask, fed each record as it arrives; at the end of input they finish (a batch flushes its last records). Counts
 * per stage, rejections and the source's reports go to accumulators, from which the runner builds the run summary.
 */
final class FusedOperator extends AbstractStreamOperator<Object>
        implements OneInputStreamOperator<Object, Object>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // plan nodes are Serializable
    private final List<Stage> stages;

    @SuppressWarnings("serial")
    private final List<String> names;

    private final int[] positions;
    private final boolean source;
    private final int sourcePosition;
    private final ErrorPolicy policy;
    private final String sourceName;
    private final Numbering numbering;

    /** What this operator's output says of input order. */
    enum Numbering {
        /** Records as they are. */
        NONE,
        /** Each record with its number in input order ({@link Parts}): the source is read in parts, in parallel. */
        NUMBERED,
        /** Numbered, and each part's end marked, for {@link InOrder}. */
        ORDERED,
        /** As ORDERED, the records encoded for the sink in chunks ({@link Parts.Chunk}) where they are made. */
        ENCODED
    }

    /** Records encoded into one chunk before it is sent on. */
    private static final int CHUNK_RECORDS = 4096;

    @SuppressWarnings("serial")
    private final dev.sluice.Sink<?> sink;

    private transient dev.sluice.internal.ChunkEncoding<Object> encoding;
    private transient dev.sluice.internal.ChunkEncoding.Encoder<Object> encoder;

    private transient int part;
    private transient long index;

    private transient Downstream<Object> head;
    private transient StageStats[] stats;
    private transient StageStats sourceStats;
    private transient RunState run;
    private transient StreamRecord<Object> reuse;
    private transient List<Rejected> sourceFirst;
    private transient boolean ended;
    /** Whether a stage acts on timers (a batch that leaves after a wait), and the deadline a wake-up is set for. */
    private transient boolean timed;

    private transient long wakeAt;
    /** The record being handled. */
    private transient Object current;

    /** The links that hold state across records, their operator state, and what a restart restored of it. */
    private transient List<dev.sluice.internal.Checkpointed> links;

    private transient org.apache.flink.api.common.state.ListState<byte[]> state;
    private transient List<byte[]> restored;

    /** Where the record being handled came from, as far as it knows (a CSV row read here knows its file and line). */
    private final class Current implements dev.sluice.SourceReader<Object> {
        @Override
        public Object next() {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.sluice.Location location() {
            return current instanceof dev.sluice.Row r ? r.origin() : null;
        }

        @Override
        public String rawText() {
            return dev.sluice.internal.Hooks.rawText(current);
        }

        @Override
        public void close() {}
    }

    /**
     * @param stages the stages, in order
     * @param positions each stage's place in the run summary (-1: a stage of the translation's own, not counted)
     * @param names each stage's name in the summary
     * @param source whether the source's records arrive here (counted as the source's, its reports taken out)
     * @param sourcePosition the source's place in the summary
     */
    FusedOperator(
            List<Stage> stages,
            int[] positions,
            List<String> names,
            boolean source,
            int sourcePosition,
            ErrorPolicy policy,
            String sourceName,
            Numbering numbering,
            dev.sluice.Sink<?> sink) {
        this.numbering = numbering;
        this.sink = sink;
        this.stages = List.copyOf(stages);
        this.positions = positions.clone();
        this.names = List.copyOf(names);
        this.source = source;
        this.sourcePosition = sourcePosition;
        this.policy = policy;
        this.sourceName = sourceName;
    }

    @Override
    public void open() throws Exception {
        super.open();
        reuse = new StreamRecord<>(null);
        StreamRecord<Object> letter = new StreamRecord<>(null);
        run = new RunState(
                DeadLetters.local(policy, r -> output.collect(DeadLetters.TAG, letter.replace(r))), sourceName);
        sourceStats = new StageStats(sourceName, "source", dev.sluice.MemoryClass.STREAMING, 0);
        stats = new StageStats[stages.size()];
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            // positions in this chain: the local links' stop and dead checks count from 1, the source being 0
            stats[i] = new StageStats(names.get(i), s.kind(), s.memoryClass(), i + 1);
        }
        if (numbering == Numbering.ENCODED) {
            encoding = dev.sluice.internal.Hooks.encoding(sink);
        }
        Downstream<Object> down = numbering == Numbering.ENCODED
                ? new Downstream<>() {
                    @Override
                    public void push(Object t) {
                        encode(t);
                    }
                }
                : numbering == Numbering.NONE
                        ? new Downstream<>() {
                            @Override
                            public void push(Object t) {
                                output.collect(reuse.replace(t));
                            }
                        }
                        : new Downstream<>() {
                            @Override
                            public void push(Object t) {
                                output.collect(
                                        reuse.replace(new DistinctFunction.Numbered(Parts.number(part, index++), t)));
                            }
                        };
        if (stages.stream().anyMatch(x -> x.memoryClass() == dev.sluice.MemoryClass.BLOCKING)) {
            // several operators share a TaskManager's heap, and rows read back from the network take more room
            // than their encoded size: a twentieth of the heap each (counted by encoded size), past which a sort spills
            run.useMemory(Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 20));
        }
        List<dev.sluice.internal.Checkpointed> stateful = new ArrayList<>();
        for (int i = stages.size() - 1; i >= 0; i--) {
            down = stages.get(i).link(down, stats[i], run);
            if (down instanceof dev.sluice.internal.Checkpointed c) {
                stateful.add(0, c);
            }
        }
        head = down;
        links = stateful;
        if (restored != null && !restored.isEmpty()) { // the state of the last checkpoint, after a failure
            if (restored.size() != links.size()) {
                throw new IllegalStateException("the checkpoint holds " + restored.size() + " stage states for "
                        + links.size() + " stateful stages");
            }
            for (int i = 0; i < links.size(); i++) {
                links.get(i)
                        .restore(org.apache.flink.util.InstantiationUtil.deserializeObject(
                                restored.get(i), Thread.currentThread().getContextClassLoader()));
            }
        }
        timed = stages.stream().anyMatch(Stage::timed);
        wakeAt = Long.MAX_VALUE;
        run.attach(new Current(), null); // a rejection says where the record came from, when the record knows
        sourceFirst = new ArrayList<>();
    }

    /**
     * Stateful links (windows) are saved with each checkpoint, between records, as Java-serialized bytes in operator
     * state, and restored before the first record after a restart.
     */
    @Override
    public void initializeState(org.apache.flink.runtime.state.StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore()
                .getListState(new org.apache.flink.api.common.state.ListStateDescriptor<>(
                        "sluice-stage-states",
                        org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        restored = new ArrayList<>();
        if (context.isRestored()) {
            for (byte[] b : state.get()) {
                restored.add(b);
            }
        }
    }

    @Override
    public void snapshotState(org.apache.flink.runtime.state.StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (links == null || links.isEmpty()) {
            return;
        }
        List<byte[]> bytes = new ArrayList<>();
        for (dev.sluice.internal.Checkpointed c : links) {
            bytes.add(org.apache.flink.util.InstantiationUtil.serializeObject(c.snapshot()));
        }
        state.update(bytes);
    }

    @Override
    public void processElement(StreamRecord<Object> element) {
        Object t = element.getValue();
        if (t instanceof DeadLetters.Letter l) { // rejected by the source's reader
            output.collect(DeadLetters.TAG, new StreamRecord<>(l.rejected()));
            return;
        }
        if (t instanceof Parts.Start p) {
            part = p.part();
            index = 0;
            return;
        }
        if (t instanceof SourceReport r) {
            sourceStats.rejected += r.rejected();
            sourceFirst.addAll(r.first());
            if (numbering == Numbering.ENCODED) {
                sendChunk();
            }
            if (numbering == Numbering.ORDERED || numbering == Numbering.ENCODED) {
                output.collect(reuse.replace(new Parts.End(r.split())));
            }
            return;
        }
        if (run.dead(0)) {
            return; // a satisfied limit: the local runner would have stopped reading here
        }
        sourceStats.in++;
        sourceStats.out++;
        current = t;
        head.push(t);
        current = null;
        if (timed) {
            wake();
        }
    }

    private void encode(Object t) {
        try {
            if (encoder == null) {
                encoder = encoding.newEncoder();
            }
            encoder.write(t);
            if (encoder.count() >= CHUNK_RECORDS) {
                sendChunk();
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new dev.sluice.SluiceException(sink.name() + ": " + e.getMessage(), e);
        }
    }

    /** Sends the records encoded so far as one chunk of the current part. */
    private void sendChunk() {
        if (encoder == null || encoder.count() == 0) {
            return;
        }
        try {
            Object chunk = encoder.finish();
            encoder = null;
            output.collect(
                    reuse.replace(new DistinctFunction.Numbered(Parts.number(part, index++), new Parts.Chunk(chunk))));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new dev.sluice.SluiceException(sink.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Asks Flink to wake this operator (on its own thread, between records) when the stages' earliest timer is due:
     * a batch leaves after its wait even while no record comes.
     */
    private void wake() {
        long next = run.timers().nextDeadline();
        if (next == Long.MAX_VALUE || next - wakeAt >= 0) {
            return; // none, or a wake-up is already set for then or before
        }
        wakeAt = next;
        long delayMs = Math.max(0, (next - run.timers().clock().nanoTime()) / 1_000_000) + 1;
        var time = getProcessingTimeService();
        time.registerTimer(time.getCurrentProcessingTime() + delayMs, at -> {
            wakeAt = Long.MAX_VALUE;
            if (!ended) {
                run.timers().fireDue();
                wake();
            }
        });
    }

    @Override
    public void endInput() {
        if (!ended) {
            ended = true;
            head.finish();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (stats != null) {
                if (source) {
                    publish(sourcePosition, sourceStats.in, sourceStats.out, sourceStats.rejected);
                }
                for (int i = 0; i < stats.length; i++) {
                    if (positions[i] >= 0) {
                        publish(positions[i], stats[i].in, stats[i].out, stats[i].rejected);
                    }
                }
                List<Rejected> first = new ArrayList<>(sourceFirst);
                first.addAll(run.firstRejections());
                Counts.firstRejections(getRuntimeContext(), source ? sourcePosition : firstPosition(), first);
            }
        } finally {
            if (run != null) {
                run.closeSpill(); // a sort's or a top-N's temporary files never outlive the run
            }
            super.close();
        }
    }

    /** The first counted stage's place: where this operator's rejections are listed. */
    private int firstPosition() {
        for (int p : positions) {
            if (p >= 0) {
                return p;
            }
        }
        return -1 - sourcePosition; // none counted: a name of its own
    }

    private void publish(int position, long in, long out, long rejected) {
        Counts.publish(getRuntimeContext(), position, in, out, rejected);
    }
}
