package dev.sluice.internal.op;

import dev.sluice.Agg;
import dev.sluice.DataException;
import dev.sluice.MemoryClass;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.SortKey;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.op.Accumulators.Acc;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.KeyEncoder;
import dev.sluice.internal.spill.MemoryBudget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code groupSorted(keys).aggregate(aggs)}: a group-by over input already sorted on its keys. It holds one group's
 * states, emits the group when the key changes, and so streams (it works on endless inputs, a group leaving as soon as
 * the next begins). It checks the order on the fly: a record whose key sorts before the current group's is an
 * out-of-order record, failed (or rejected, as the error policy says) with its number and place.
 */
public final class SortedGroupStage extends Stage {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // immutable List.copyOf of serializable keys
    private final List<SortKey> keys;

    @SuppressWarnings("serial") // immutable List.copyOf of serializable aggregates
    private final List<Agg> aggs;

    public SortedGroupStage(Stage up, List<SortKey> keys, List<Agg> aggs) {
        super(List.of(up), "sorted group", "sorted group");
        new GroupStage(up, names(keys), aggs, 0); // the same checks of names as groupBy
        this.keys = List.copyOf(keys);
        this.aggs = List.copyOf(aggs);
    }

    static List<String> names(List<SortKey> keys) {
        List<String> out = new ArrayList<>();
        for (SortKey k : keys) {
            out.add(k.column());
        }
        return out;
    }

    @Override
    public String describe() {
        return "group of input sorted by " + keys + ": " + aggs + " (holds one group; the order is checked)";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BOUNDED;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new Link(down, this, stats, run);
    }

    static final class Link extends Downstream.Link {
        private final StageStats stats;
        private final RunState run;
        private final String name;
        private final KeyEncoder encoder;
        private final List<SortKey> sortKeys;
        private final Acc[] accs;
        private final Object[] inputs;
        private final Schema out;
        private final MemoryBudget budget;
        private Bytes key = new Bytes(128);
        private Bytes current = new Bytes(128);
        private boolean open;
        private Object[] keyValues;
        private Object[] states;
        private long groupSeq;
        private long reserved;
        private Schema schema;
        private int[] keyIndex;

        Link(Downstream<Object> down, SortedGroupStage stage, StageStats stats, RunState run) {
            super(down);
            this.stats = stats;
            this.run = run;
            this.name = stats.name.equals("sorted group") ? "sorted group" : "sorted group '" + stats.name + "'";
            this.sortKeys = stage.keys;
            this.encoder = new KeyEncoder(stage.keys, false); // the order sortBy(keys) gives
            this.accs = new Acc[stage.aggs.size()];
            List<String> names = new ArrayList<>(names(stage.keys));
            for (int i = 0; i < accs.length; i++) {
                accs[i] = Accumulators.of(stage.aggs.get(i));
                names.add(stage.aggs.get(i).name());
            }
            this.out = Schema.of(names);
            this.inputs = new Object[accs.length];
            this.budget = run.memory();
        }

        private void bind(Schema s) {
            keyIndex = new int[sortKeys.size()];
            for (int i = 0; i < keyIndex.length; i++) {
                keyIndex[i] = s.require(sortKeys.get(i).column());
            }
            for (Acc a : accs) {
                a.column = a.agg.column() == null ? -1 : s.require(a.agg.column());
            }
            schema = s;
        }

        @Override
        public void push(Object t) {
            long n = ++stats.in;
            Row row = Keyed.row(t, name, "groups");
            try {
                if (row.schema() != schema) {
                    bind(row.schema());
                }
                for (int i = 0; i < accs.length; i++) {
                    inputs[i] = accs[i].input(row);
                }
                key.reset();
                encoder.encode(row, key);
            } catch (DataException | IllegalArgumentException e) {
                run.reject(stats, n, t, e);
                return;
            }
            if (open) {
                int c = Arrays.compareUnsigned(key.array(), 0, key.length(), current.array(), 0, current.length());
                if (c < 0) {
                    run.reject(stats, n, t, outOfOrder(row));
                    return;
                }
                if (c > 0) {
                    emitGroup();
                }
            }
            if (!open) {
                Bytes swap = current;
                current = key;
                key = swap;
                keyValues = new Object[keyIndex.length];
                for (int i = 0; i < keyValues.length; i++) {
                    Object v = row.value(keyIndex[i]);
                    keyValues[i] = v instanceof String s && s.isEmpty() ? null : v;
                }
                states = new Object[accs.length];
                for (int i = 0; i < accs.length; i++) {
                    states[i] = accs[i].create();
                }
                groupSeq = 0;
                open = true;
            }
            long grown = 0;
            for (int i = 0; i < accs.length; i++) {
                Acc a = accs[i];
                if (a.variable()) {
                    long before = a.size(states[i]);
                    states[i] = a.add(states[i], inputs[i], groupSeq);
                    grown += a.size(states[i]) - before;
                } else {
                    states[i] = a.add(states[i], inputs[i], groupSeq);
                }
            }
            groupSeq++;
            if (grown > 0) {
                charge(grown);
            }
        }

        private void charge(long bytes) {
            if (!budget.tryReserve(bytes)) {
                throw new dev.sluice.SluiceException(String.format(
                        "%s: one group's aggregates (%s) outgrew the memory budget of %s: raise it (--memory, "
                                + "LocalRunner.withMemory), or use groupBy, which spills",
                        name, MemoryBudget.format(reserved + bytes), MemoryBudget.format(budget.limit())));
            }
            reserved += bytes;
            stats.peakMemory = Math.max(stats.peakMemory, reserved);
        }

        private DataException outOfOrder(Row row) {
            Object[] now = new Object[keyIndex.length];
            for (int i = 0; i < now.length; i++) {
                Object v = row.value(keyIndex[i]);
                now[i] = v instanceof String s && s.isEmpty() ? null : v;
            }
            return new DataException(
                    String.format(
                            "the input is not sorted by %s: key %s comes after %s; sort it first (sortBy) or use "
                                    + "groupBy, which needs no order",
                            sortKeys, Arrays.toString(now), Arrays.toString(keyValues)),
                    row.origin(),
                    null);
        }

        private void emitGroup() {
            Object[] values = new Object[keyValues.length + accs.length];
            System.arraycopy(keyValues, 0, values, 0, keyValues.length);
            for (int i = 0; i < accs.length; i++) {
                values[keyValues.length + i] = accs[i].result(states[i]);
            }
            open = false;
            states = null;
            if (reserved > 0) {
                budget.release(reserved);
                reserved = 0;
            }
            stats.out++;
            down.push(Row.of(out, values, null));
        }

        @Override
        public void finish() {
            if (open) {
                emitGroup();
            }
            down.finish();
        }

        @Override
        public void abandon() {
            if (reserved > 0) {
                budget.release(reserved);
                reserved = 0;
            }
            down.abandon();
        }
    }
}
