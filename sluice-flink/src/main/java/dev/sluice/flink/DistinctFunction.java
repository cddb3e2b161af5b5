package dev.sluice.flink;

import dev.sluice.DataException;
import dev.sluice.ErrorPolicy;
import dev.sluice.internal.op.DistinctStage;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

/**
 * A Sluice distinct as a Flink keyed operation: records are numbered in input order (on one subtask), keyed by their
 * distinct key, and each key keeps its lowest-numbered record, which leaves at BATCH mode's end of the key; the
 * runner then puts the survivors back in input order by their numbers. The first of each key, in input order: the
 * local runner's output.
 */
final class DistinctFunction extends KeyedStage {
    private static final long serialVersionUID = 1L;

    /** A record and its number in input order. */
    record Numbered(long seq, Object record) implements Serializable {}

    private final DistinctStage stage;
    private transient ValueState<Object> first;
    private transient DistinctStage.Keys keys;

    DistinctFunction(DistinctStage stage, String name, int position, ErrorPolicy policy) {
        super(stage, name, position, policy);
        this.stage = stage;
    }

    /** Numbers records in input order (at parallelism one). */
    static final class Number extends AbstractStreamOperator<Object> implements OneInputStreamOperator<Object, Object> {
        private static final long serialVersionUID = 1L;
        private transient long seq;

        @Override
        public void processElement(StreamRecord<Object> element) {
            output.collect(element.replace(new Numbered(seq++, element.getValue())));
        }
    }

    /** A numbered record's distinct key: its bytes, one char each (a bad key goes to one key, and is rejected there). */
    static final class Key implements KeySelector<Object, String> {
        private static final long serialVersionUID = 1L;
        private final DistinctStage stage;
        private transient DistinctStage.Keys keys;

        Key(DistinctStage stage) {
            this.stage = stage;
        }

        @Override
        public String getKey(Object t) {
            if (keys == null) {
                keys = new DistinctStage.Keys(stage, List.of());
            }
            try {
                return new String(keys.key(((Numbered) t).record()), StandardCharsets.ISO_8859_1);
            } catch (DataException | IllegalArgumentException e) {
                return GroupFunction.BAD;
            }
        }
    }

    @Override
    public void open(OpenContext context) throws Exception {
        super.open(context);
        first = getRuntimeContext().getState(new ValueStateDescriptor<>("first", RecordType.INSTANCE));
        keys = new DistinctStage.Keys(stage, List.of());
    }

    @Override
    public void processElement(Object t, Context ctx, Collector<Object> out) throws Exception {
        long n = ++stats.in;
        Numbered r = (Numbered) t;
        if (GroupFunction.BAD.equals(ctx.getCurrentKey())) {
            try {
                keys.key(r.record()); // throws the key's error
            } catch (DataException | IllegalArgumentException e) {
                run.reject(stats, n, r.record(), e);
                sendLetters(ctx);
                return;
            }
        }
        Numbered held = (Numbered) first.value();
        if (held == null) {
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            first.update(r);
        } else if (r.seq() < held.seq()) {
            first.update(r);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Object> out) throws Exception {
        Object held = first.value();
        if (held != null) {
            stats.out++;
            out.collect(held);
            first.clear();
        }
    }
}
