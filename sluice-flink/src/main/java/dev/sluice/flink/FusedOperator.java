package dev.sluice.flink;

import dev.sluice.ErrorPolicy;
import dev.sluice.Rejected;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
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

    private final ErrorPolicy policy;
    private final String sourceName;

    private transient Downstream<Object> head;
    private transient StageStats[] stats;
    private transient RunState run;
    private transient StreamRecord<Object> reuse;
    private transient long sourceRejected;
    private transient List<Rejected> sourceFirst;
    private transient boolean ended;

    /**
     * @param stages the stages, in order
     * @param names the summary's names: the source's, then one per stage
     */
    FusedOperator(List<Stage> stages, List<String> names, ErrorPolicy policy, String sourceName) {
        this.stages = List.copyOf(stages);
        this.names = List.copyOf(names);
        this.policy = policy;
        this.sourceName = sourceName;
    }

    @Override
    public void open() throws Exception {
        super.open();
        reuse = new StreamRecord<>(null);
        run = new RunState(policy, sourceName);
        stats = new StageStats[stages.size() + 1];
        stats[0] = new StageStats(names.get(0), "source", dev.sluice.MemoryClass.STREAMING, 0);
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            stats[i + 1] = new StageStats(names.get(i + 1), s.kind(), s.memoryClass(), i + 1);
        }
        Downstream<Object> down = new Downstream<>() {
            @Override
            public void push(Object t) {
                output.collect(reuse.replace(t));
            }
        };
        for (int i = stages.size() - 1; i >= 0; i--) {
            down = stages.get(i).link(down, stats[i + 1], run);
        }
        head = down;
        sourceFirst = new ArrayList<>();
    }

    @Override
    public void processElement(StreamRecord<Object> element) {
        Object t = element.getValue();
        if (t instanceof SourceReport r) {
            sourceRejected += r.rejected();
            sourceFirst.addAll(r.first());
            return;
        }
        if (run.dead(0)) {
            return; // a satisfied limit: the local runner would have stopped reading here
        }
        stats[0].in++;
        stats[0].out++;
        head.push(t);
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
        if (stats != null) {
            stats[0].rejected = sourceRejected;
            for (StageStats s : stats) {
                counter(FlinkRunner.key(s.position, "in")).add(s.in);
                counter(FlinkRunner.key(s.position, "out")).add(s.out);
                counter(FlinkRunner.key(s.position, "rejected")).add(s.rejected);
            }
            counter(FlinkRunner.REJECTED).add(run.rejected() + sourceRejected);
            ListAccumulator<Rejected> first = new ListAccumulator<>();
            getRuntimeContext().addAccumulator(FlinkRunner.FIRST_REJECTIONS, first);
            for (Rejected r : sourceFirst) {
                first.add(r);
            }
            for (Rejected r : run.firstRejections()) {
                first.add(r);
            }
        }
        super.close();
    }

    private LongCounter counter(String name) {
        LongCounter c = new LongCounter();
        getRuntimeContext().addAccumulator(name, c);
        return c;
    }
}
