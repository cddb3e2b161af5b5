package dev.sluice.flink;

import dev.sluice.Rejected;
import java.util.List;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;

/** A stage's counts as Flink accumulators, from which the runner builds the run summary. */
final class Counts {
    private Counts() {}

    /** The records into and out of the stage at {@code position} in the summary, and those it rejected. */
    static void publish(RuntimeContext context, int position, long in, long out, long rejected) {
        add(context, FlinkRunner.key(position, "in"), in);
        add(context, FlinkRunner.key(position, "out"), out);
        add(context, FlinkRunner.key(position, "rejected"), rejected);
    }

    /** The first rejections seen by the operator at {@code position}. */
    static void firstRejections(RuntimeContext context, int position, List<Rejected> first) {
        ListAccumulator<Rejected> acc = new ListAccumulator<>();
        context.addAccumulator(FlinkRunner.FIRST_REJECTIONS + "." + position, acc);
        for (Rejected r : first) {
            acc.add(r);
        }
    }

    private static void add(RuntimeContext context, String name, long v) {
        LongCounter c = new LongCounter();
        context.addAccumulator(name, c);
        c.add(v);
    }
}
