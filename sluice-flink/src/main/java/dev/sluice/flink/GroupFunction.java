package dev.sluice.flink;

import dev.sluice.DataException;
import dev.sluice.ErrorPolicy;
import dev.sluice.internal.op.GroupFold;
import dev.sluice.internal.op.GroupStage;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.util.Collector;

/**
 * A Sluice group-by as a Flink keyed operation: the stream is keyed by each row's binary-comparable group key (or a
 * first-phase partial group's), each key's rows are folded into its state with Sluice's mergeable accumulators, and the
 * group's row leaves when Flink's BATCH mode moves past the key (its end-of-key timer).
 */
final class GroupFunction extends KeyedStage {
    private static final long serialVersionUID = 1L;
    private final GroupStage stage;
    private transient GroupFold fold;
    private transient ValueState<Object> state;
    private transient long seq;

    GroupFunction(GroupStage stage, String name, int position, ErrorPolicy policy) {
        super(stage, name, position, policy);
        this.stage = stage;
    }

    /** The key a stream of rows (or partial groups) is grouped by: the key's bytes, one char each. */
    static final class Key implements KeySelector<Object, String> {
        private static final long serialVersionUID = 1L;
        private final GroupStage stage;
        private transient GroupFold fold;

        Key(GroupStage stage) {
            this.stage = stage;
        }

        @Override
        public String getKey(Object t) {
            if (fold == null) {
                fold = new GroupFold(stage);
            }
            try {
                return new String(fold.key(t), StandardCharsets.ISO_8859_1);
            } catch (DataException | IllegalArgumentException e) {
                return BAD; // rejected by the function, which sees the same error
            }
        }
    }

    static final String BAD = "\u0000bad";

    @Override
    public void open(OpenContext context) throws Exception {
        super.open(context);
        fold = new GroupFold(stage);
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("group", RecordType.INSTANCE));
    }

    @Override
    public void processElement(Object t, Context ctx, Collector<Object> out) throws Exception {
        long n = ++stats.in;
        GroupFold.Group g = (GroupFold.Group) state.value();
        try {
            if (BAD.equals(ctx.getCurrentKey())) {
                fold.key(t); // throws the key's error
            }
            GroupFold.Group next = fold.add(g, t, seq++);
            if (g == null) {
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            }
            state.update(next);
        } catch (DataException | IllegalArgumentException e) {
            run.reject(stats, n, t, e);
            sendLetters(ctx);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Object> out) throws Exception {
        GroupFold.Group g = (GroupFold.Group) state.value();
        if (g != null) {
            stats.out++;
            out.collect(fold.result(ctx.getCurrentKey().getBytes(StandardCharsets.ISO_8859_1), g));
            state.clear();
        }
    }
}
