package dev.sluice.internal.op;

import dev.sluice.Agg;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.SortKey;
import dev.sluice.internal.op.Accumulators.Acc;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.KeyEncoder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: a group-by's folding, for runners that place groups themselves (the Flink runner keys a stream by
 * {@link #key} and folds each key's rows here): the key of a row or of a first-phase partial group, fresh states,
 * adding a row, merging a partial group, and the group's result row. One instance per thread.
 */
public final class GroupFold {
    private final String[] keyNames;
    private final Acc[] accs;
    private final KeyEncoder encoder;
    private final Schema out;
    private final Bytes key = new Bytes(128);
    private final Object[] inputs;
    private Schema schema;
    private int[] keyIndex;

    /** A group's key values (null: read back from its key's bytes, all text) and its aggregates' states. */
    public record Group(Object[] keyValues, Object[] states) implements Serializable {}

    public GroupFold(GroupStage stage) {
        this.keyNames = stage.keys().toArray(new String[0]);
        List<SortKey> sk = new ArrayList<>();
        List<String> names = new ArrayList<>(stage.keys());
        for (String k : stage.keys()) {
            sk.add(SortKey.asc(k));
        }
        this.encoder = new KeyEncoder(sk, true);
        this.accs = new Acc[stage.aggs().size()];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = Accumulators.of(stage.aggs().get(i));
            names.add(stage.aggs().get(i).name());
        }
        this.out = Schema.of(names);
        this.inputs = new Object[accs.length];
    }

    /** Whether every aggregate gives the same result whatever order rows arrive in (not first, last, collect). */
    public static boolean orderFree(List<Agg> aggs) {
        for (Agg a : aggs) {
            if (a.kind() == Agg.Kind.FIRST || a.kind() == Agg.Kind.LAST || a.kind() == Agg.Kind.COLLECT) {
                return false;
            }
        }
        return true;
    }

    private Row row(Object t) {
        Row r = Keyed.row(t, "group", "groups");
        if (r.schema() != schema) {
            keyIndex = new int[keyNames.length];
            for (int i = 0; i < keyNames.length; i++) {
                keyIndex[i] = r.schema().require(keyNames[i]);
            }
            for (Acc a : accs) {
                a.column = a.agg.column() == null ? -1 : r.schema().require(a.agg.column());
            }
            schema = r.schema();
        }
        return r;
    }

    /** The binary-comparable key of a row or of a partial group (equal keys, equal bytes). */
    public byte[] key(Object t) {
        if (t instanceof PartialGroupStage.Partial p) {
            return p.key();
        }
        key.reset();
        encoder.encode(row(t), key);
        return java.util.Arrays.copyOf(key.array(), key.length());
    }

    /** Folds {@code t} (a row, or a partial group) into {@code g} (null: a new group); returns the group. */
    public Group add(Group g, Object t, long seq) {
        if (t instanceof PartialGroupStage.Partial p) {
            if (g == null) {
                return new Group(p.keyValues(), p.states());
            }
            for (int i = 0; i < accs.length; i++) {
                g.states()[i] = accs[i].merge(g.states()[i], p.states()[i]);
            }
            return g;
        }
        Row r = row(t);
        for (int i = 0; i < accs.length; i++) {
            inputs[i] = accs[i].input(r);
        }
        if (g == null) {
            Object[] kv = new Object[keyIndex.length];
            for (int i = 0; i < kv.length; i++) {
                Object v = r.value(keyIndex[i]);
                kv[i] = v instanceof String s && s.isEmpty() ? null : v;
            }
            Object[] states = new Object[accs.length];
            for (int i = 0; i < accs.length; i++) {
                states[i] = accs[i].create();
            }
            g = new Group(kv, states);
        }
        for (int i = 0; i < accs.length; i++) {
            g.states()[i] = accs[i].add(g.states()[i], inputs[i], seq);
        }
        return g;
    }

    /** The group's output row: its key columns, then one column per aggregate. */
    public Row result(byte[] key, Group g) {
        Object[] values = new Object[keyNames.length + accs.length];
        Object[] kv =
                g.keyValues() != null ? g.keyValues() : KeyEncoder.decodeText(key, 0, key.length, keyNames.length);
        System.arraycopy(kv, 0, values, 0, keyNames.length);
        for (int i = 0; i < accs.length; i++) {
            values[keyNames.length + i] = accs[i].result(g.states()[i]);
        }
        return Row.of(out, values, null);
    }
}
