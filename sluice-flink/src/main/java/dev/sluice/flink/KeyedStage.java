package dev.sluice.flink;

import dev.sluice.ErrorPolicy;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * A Sluice stage as a Flink keyed function: its counters and its error policy, published as accumulators at the end
 * under its place in the run summary.
 */
abstract class KeyedStage extends KeyedProcessFunction<String, Object, Object> {
    private static final long serialVersionUID = 1L;
    private final Stage stage;
    private final String name;
    private final int position;
    private final ErrorPolicy policy;
    transient StageStats stats;
    transient RunState run;
    private transient java.util.List<dev.sluice.Rejected> letters;

    /** Puts the records rejected while handling the current element on the dead-letter side output. */
    void sendLetters(Context ctx) {
        if (!letters.isEmpty()) {
            for (dev.sluice.Rejected r : letters) {
                ctx.output(DeadLetters.TAG, r);
            }
            letters.clear();
        }
    }

    KeyedStage(Stage stage, String name, int position, ErrorPolicy policy) {
        this.stage = stage;
        this.name = name;
        this.position = position;
        this.policy = policy;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        stats = new StageStats(name, stage.kind(), stage.memoryClass(), position);
        letters = new java.util.ArrayList<>();
        run = new RunState(DeadLetters.local(policy, letters::add), name);
    }

    @Override
    public void close() throws Exception {
        if (stats != null) {
            Counts.publish(getRuntimeContext(), position, stats.in, stats.out, run.rejected());
            Counts.firstRejections(getRuntimeContext(), position, run.firstRejections());
        }
        super.close();
    }
}
