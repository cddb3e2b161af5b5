package dev.sluice.flink;

import dev.sluice.Join;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.SortKey;
import dev.sluice.internal.JoinOutput;
import dev.sluice.internal.op.JoinStage;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.KeyEncoder;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A Sluice join as a Flink keyed operation: both inputs numbered in input order, keyed by their join key, each key's
 * rows from both sides joined when BATCH mode moves past the key (null keys each on a key of their own, so they match
 * nothing), every output tagged with its left and right numbers so that the runner can put the output in the local
 * runner's order: each left row followed by its matches in the right's order, unmatched right rows last.
 */
final class JoinFunction extends KeyedCoProcessFunction<String, Object, Object, Object> {
    private static final long serialVersionUID = 1L;
    private static final String NULL_KEY = "\u0000null:";

    /** An output and where it goes: by its left row's number, then its right row's (schemas first). */
    record Ordered(long left, long right, Object record) implements Serializable {}

    record Pair(Row left, Row right) implements Serializable {}

    record LeftOnly(Row row) implements Serializable {}

    record RightOnly(Row row) implements Serializable {}

    record LeftSchema(Schema schema) implements Serializable {}

    record RightSchema(Schema schema) implements Serializable {}

    static final Comparator<Object> ORDER = (Comparator<Object> & Serializable) (a, b) -> {
        Ordered x = (Ordered) a;
        Ordered y = (Ordered) b;
        int c = Long.compare(x.left(), y.left());
        return c != 0 ? c : Long.compare(x.right(), y.right());
    };

    private final Join join;
    private final int position;
    private transient ListState<Object> lefts;
    private transient ListState<Object> rights;
    private transient boolean leftSchema;
    private transient boolean rightSchema;
    private transient long out;

    JoinFunction(JoinStage stage, int position) {
        this.join = stage.join();
        this.position = position;
    }

    /** A numbered row's join key on one side: the key's bytes, one char each, or a key of its own when null. */
    static final class Key implements KeySelector<Object, String> {
        private static final long serialVersionUID = 1L;
        private final List<String> columns;
        private final char side;
        private transient KeyEncoder encoder;
        private transient Bytes key;

        Key(List<String> columns, char side) {
            this.columns = List.copyOf(columns);
            this.side = side;
        }

        @Override
        public String getKey(Object t) {
            DistinctFunction.Numbered n = (DistinctFunction.Numbered) t;
            if (encoder == null) {
                List<SortKey> sk = new ArrayList<>();
                for (String c : columns) {
                    sk.add(SortKey.asc(c));
                }
                encoder = new KeyEncoder(sk, true);
                key = new Bytes(128);
            }
            key.reset();
            encoder.encode((Row) n.record(), key);
            if (JoinOutput.nullKey(key.array(), key.length(), columns.size())) {
                return NULL_KEY + side + n.seq(); // a key of its own: it matches nothing
            }
            return new String(key.array(), 0, key.length(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Turns the tagged outputs, in order, into rows: joined, or with nulls for the side without a match. */
    static final class Rows implements dev.sluice.fn.FlatMapFn<Object, Object> {
        private static final long serialVersionUID = 1L;
        private final Join join;
        private transient JoinOutput output;

        Rows(Join join) {
            this.join = join;
        }

        @Override
        public Iterable<Object> apply(Object t) {
            if (output == null) {
                output = new JoinOutput(join);
            }
            Object r = ((Ordered) t).record();
            if (r instanceof LeftSchema s) {
                output.left(s.schema());
                return List.of();
            }
            if (r instanceof RightSchema s) {
                output.right(s.schema());
                return List.of();
            }
            if (r instanceof Pair p) {
                return List.of(output.combine(p.left(), p.right()));
            }
            if (r instanceof LeftOnly l) {
                return List.of(output.combine(l.row(), null));
            }
            if (r instanceof RightOnly o) {
                return List.of(output.combine(null, o.row()));
            }
            return List.of(r); // semi and anti: the left row itself
        }
    }

    @Override
    public void open(OpenContext context) throws Exception {
        lefts = getRuntimeContext().getListState(new ListStateDescriptor<>("left", RecordType.INSTANCE));
        rights = getRuntimeContext().getListState(new ListStateDescriptor<>("right", RecordType.INSTANCE));
    }

    @Override
    public void processElement1(Object t, Context ctx, Collector<Object> o) throws Exception {
        lefts.add(t);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        if (!leftSchema) {
            leftSchema = true;
            o.collect(new Ordered(-1, 0, new LeftSchema(((Row) ((DistinctFunction.Numbered) t).record()).schema())));
        }
    }

    @Override
    public void processElement2(Object t, Context ctx, Collector<Object> o) throws Exception {
        rights.add(t);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        if (!rightSchema) {
            rightSchema = true;
            o.collect(new Ordered(-1, 1, new RightSchema(((Row) ((DistinctFunction.Numbered) t).record()).schema())));
        }
    }

    private static List<DistinctFunction.Numbered> sorted(ListState<Object> state) throws Exception {
        List<DistinctFunction.Numbered> l = new ArrayList<>();
        Iterable<Object> it = state.get();
        if (it != null) {
            for (Object o : it) {
                l.add((DistinctFunction.Numbered) o);
            }
        }
        l.sort(Comparator.comparingLong(DistinctFunction.Numbered::seq));
        return l;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Object> o) throws Exception {
        List<DistinctFunction.Numbered> ls = sorted(lefts);
        List<DistinctFunction.Numbered> rs = sorted(rights);
        lefts.clear();
        rights.clear();
        Join.Type type = join.type();
        for (DistinctFunction.Numbered l : ls) {
            boolean any = !rs.isEmpty();
            Row row = (Row) l.record();
            switch (type) {
                case SEMI -> {
                    if (any) {
                        emit(o, l.seq(), -1, row);
                    }
                }
                case ANTI -> {
                    if (!any) {
                        emit(o, l.seq(), -1, row);
                    }
                }
                default -> {
                    for (DistinctFunction.Numbered r : rs) {
                        emit(o, l.seq(), r.seq(), new Pair(row, (Row) r.record()));
                    }
                    if (!any && (type == Join.Type.LEFT || type == Join.Type.FULL)) {
                        emit(o, l.seq(), -1, new LeftOnly(row));
                    }
                }
            }
        }
        if (ls.isEmpty() && (type == Join.Type.RIGHT || type == Join.Type.FULL)) {
            for (DistinctFunction.Numbered r : rs) {
                emit(o, Long.MAX_VALUE, r.seq(), new RightOnly((Row) r.record()));
            }
        }
    }

    private void emit(Collector<Object> o, long l, long r, Object rec) {
        out++;
        o.collect(new Ordered(l, r, rec));
    }

    @Override
    public void close() throws Exception {
        Counts.publish(getRuntimeContext(), position, out, out, 0); // as the local join counts: rows out
        super.close();
    }
}
