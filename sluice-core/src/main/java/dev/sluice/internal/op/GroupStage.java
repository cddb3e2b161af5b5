package dev.sluice.internal.op;

import dev.sluice.Agg;
import dev.sluice.DataException;
import dev.sluice.MemoryClass;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.SluiceException;
import dev.sluice.SortKey;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.op.Accumulators.Acc;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.ExternalSorter;
import dev.sluice.internal.spill.KeyEncoder;
import dev.sluice.internal.spill.MemoryBudget;
import dev.sluice.internal.spill.RecordCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@code groupBy(keys).aggregate(aggs)}: one row per group, in key order. Blocking. Groups live in a hash table whose
 * keys (their binary-comparable bytes) and states are counted against the memory budget (in slabs of 64 KiB
 * reserved at a time); when the table would outgrow it, its groups are written to a run file sorted by key, with
 * their partial states, and the table starts again empty. At the end, runs are merged by key and the partial states
 * of each group merged (an aggregate's {@code merge}), so any number of groups fits in any budget.
 */
public final class GroupStage extends Stage {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // immutable List.copyOf of strings
    private final List<String> keys;

    @SuppressWarnings("serial") // immutable List.copyOf of serializable aggregates
    private final List<Agg> aggs;

    private final long budget;

    public GroupStage(Stage up, List<String> keys, List<Agg> aggs, long budget) {
        super(List.of(up), "group", "group");
        this.keys = List.copyOf(keys);
        this.aggs = List.copyOf(aggs);
        this.budget = budget;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String k : keys) {
            if (!names.add(k)) {
                throw new IllegalArgumentException("groupBy names key column '" + k + "' twice");
            }
        }
        for (Agg a : aggs) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException(
                        "two output columns would be named '" + a.name() + "': rename one with as(\"...\")");
            }
        }
    }

    public List<String> keys() {
        return keys;
    }

    public List<Agg> aggs() {
        return aggs;
    }

    public long budget() {
        return budget;
    }

    public GroupStage withBudget(long bytes) {
        GroupStage s = new GroupStage(upstream(), keys, aggs, bytes);
        return name().equals(s.name()) ? s : (GroupStage) s.withName(name());
    }

    @Override
    public String describe() {
        return (keys.isEmpty() ? "aggregate of all records" : "group by " + String.join(", ", keys)) + ": " + aggs
                + "; memory "
                + (budget > 0 ? MemoryBudget.format(budget) : "the run's budget") + ", spills to the temp directory";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BLOCKING;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new GroupLink(down, this, stats, run);
    }

    /** One group: its key values (from its first row), its states, and the bytes it is counted for. */
    static final class Group {
        final Object[] keyValues;
        final Object[] states;
        long size;

        Group(Object[] keyValues, Object[] states) {
            this.keyValues = keyValues;
            this.states = states;
        }
    }

    static final class GroupLink extends Downstream.Link {
        private static final long SLAB = 64 << 10;
        private static final long ENTRY = 96; // the table's entry, the key object, the group, its arrays

        private final StageStats stats;
        private final RunState run;
        private final String name;
        private final KeyEncoder encoder;
        private final Acc[] accs;
        private final String[] keyNames;
        private final Schema out;
        private final RecordCodec codec;
        private final MemoryBudget budget;
        private final long own;
        private final ExternalSorter sorter;
        private final Bytes key = new Bytes(256);
        private final Bytes payload = new Bytes(1024);
        private final HashKey.Probe probe = new HashKey.Probe();
        private final Object[] inputs;
        private Map<Object, Group> table = new HashMap<>();
        private Schema schema;
        private int[] keyIndex;
        private long reserved;
        private long used;
        private long seq;
        private Iterator<Row> output;
        private boolean finished;
        /**
         * Sort mode: past its first spill, a group-by whose rows barely repeat their keys (fewer than two rows a
         * group) stops hashing; each row goes to the sorter as its key (with its row number, so equal keys keep input
         * order) and a one-row partial state, and the merge at the end folds equal keys. Hashing keys that do not
         * repeat only costs: this is a sort-based aggregation, the sorter's pages counted exactly.
         */
        private boolean sortMode;

        private long groupsMade;

        GroupLink(Downstream<Object> down, GroupStage stage, StageStats stats, RunState run) {
            super(down);
            this.stats = stats;
            this.run = run;
            this.name = stats.name.equals("group") ? "group" : "group '" + stats.name + "'";
            List<SortKey> sk = new ArrayList<>();
            for (String k : stage.keys) {
                sk.add(SortKey.asc(k));
            }
            this.encoder = new KeyEncoder(sk, true);
            this.keyNames = stage.keys.toArray(new String[0]);
            this.accs = new Acc[stage.aggs.size()];
            List<String> names = new ArrayList<>(stage.keys);
            for (int i = 0; i < accs.length; i++) {
                accs[i] = Accumulators.of(stage.aggs.get(i));
                names.add(stage.aggs.get(i).name());
            }
            this.out = Schema.of(names);
            this.inputs = new Object[accs.length];
            this.codec = new RecordCodec(name, run.codecs());
            this.budget = run.memory();
            this.own = stage.budget > 0 ? stage.budget : run.memoryShare();
            this.sorter = new ExternalSorter(name, budget, own, run.spillDir());
        }

        private void bind(Schema s) {
            keyIndex = new int[keyNames.length];
            for (int i = 0; i < keyNames.length; i++) {
                keyIndex[i] = s.require(keyNames[i]);
            }
            for (Acc a : accs) {
                a.column = a.agg.column() == null ? -1 : s.require(a.agg.column());
            }
            schema = s;
        }

        /** Counts {@code bytes} more held; false if they do not fit (the table must spill first). */
        private boolean charge(long bytes) {
            while (used + bytes > reserved) {
                long slab = Math.max(bytes, Math.min(SLAB, sorter.effectiveLimit() / 16));
                if ((own > 0 && reserved + slab > own) || !budget.tryReserve(slab)) {
                    return false;
                }
                reserved += slab;
            }
            used += bytes;
            stats.peakMemory = Math.max(stats.peakMemory, used);
            return true;
        }

        private void releaseAll() {
            budget.release(reserved);
            reserved = 0;
            used = 0;
        }

        @Override
        public void push(Object t) {
            long n = ++stats.in;
            if (t instanceof PartialGroupStage.Partial p) {
                merge(p);
                return;
            }
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
            long rowSeq = seq++;
            if (sortMode) {
                Object[] states = new Object[accs.length];
                for (int i = 0; i < accs.length; i++) {
                    states[i] = accs[i].add(accs[i].create(), inputs[i], rowSeq);
                }
                addSorted(keyValues(row), states, rowSeq);
                return;
            }
            probe.bytes = key.array();
            probe.len = key.length();
            probe.hash = HashKey.hash(probe.bytes, probe.len);
            Group g = table.get(probe);
            if (g == null) {
                groupsMade++;
                Object[] kv = keyValues(row);
                Object[] states = new Object[accs.length];
                long size = ENTRY + key.length();
                for (int i = 0; i < accs.length; i++) {
                    states[i] = accs[i].create();
                    size += accs[i].size(states[i]);
                }
                if (kv != null) {
                    for (Object v : kv) {
                        size += v instanceof String s ? 48 + 2L * s.length() : 24;
                    }
                }
                if (!charge(size)) {
                    spill();
                    if (sortMode) { // this row is the first to be sorted, not hashed
                        for (int i = 0; i < accs.length; i++) {
                            states[i] = accs[i].add(states[i], inputs[i], rowSeq);
                        }
                        addSorted(kv, states, rowSeq);
                        return;
                    }
                    if (!charge(size)) {
                        throw tooSmall(size);
                    }
                }
                g = new Group(kv, states);
                g.size = size;
                table.put(new HashKey(key.array(), key.length(), probe.hash), g);
            }
            long grown = 0;
            for (int i = 0; i < accs.length; i++) {
                Acc a = accs[i];
                if (a.variable()) {
                    long before = a.size(g.states[i]);
                    g.states[i] = a.add(g.states[i], inputs[i], rowSeq);
                    grown += a.size(g.states[i]) - before;
                } else {
                    g.states[i] = a.add(g.states[i], inputs[i], rowSeq);
                }
            }
            if (grown != 0) {
                g.size += grown;
                if (grown < 0) {
                    used += grown;
                } else if (!charge(grown)) {
                    spill(); // the row's states grew past the budget: the table goes out, this group with it
                }
            }
        }

        /** The row's key values, or null when they are all text (read back from the key's bytes: no second copy). */
        private Object[] keyValues(Row row) {
            Object[] kv = new Object[keyIndex.length];
            boolean text = true;
            for (int i = 0; i < kv.length; i++) {
                Object v = row.value(keyIndex[i]);
                kv[i] = v instanceof String s && s.isEmpty() ? null : v;
                text &= kv[i] == null || kv[i] instanceof String;
            }
            return text ? null : kv;
        }

        /** In sort mode: one partial group to the sorter, its key followed by its row number. */
        private void addSorted(Object[] kv, Object[] states, long rowSeq) {
            key.writeLong(rowSeq);
            payload.reset();
            writeGroup(new Group(kv, states), payload);
            sorter.add(key.array(), key.length(), payload.array(), payload.length());
            stats.spilled = sorter.spilledBytes();
            stats.peakMemory = Math.max(stats.peakMemory, sorter.peakBytes());
        }

        /** A partial group from the first phase: merged into its group, or made one. */
        private void merge(PartialGroupStage.Partial p) {
            if (sortMode) {
                key.reset();
                key.write(p.key(), 0, p.key().length);
                addSorted(p.keyValues(), p.states(), seq++);
                return;
            }
            probe.bytes = p.key();
            probe.len = p.key().length;
            probe.hash = HashKey.hash(probe.bytes, probe.len);
            Group g = table.get(probe);
            if (g == null) {
                long size = ENTRY + p.key().length;
                for (int i = 0; i < accs.length; i++) {
                    size += accs[i].size(p.states()[i]);
                }
                if (p.keyValues() != null) {
                    for (Object v : p.keyValues()) {
                        size += v instanceof String s ? 48 + 2L * s.length() : 24;
                    }
                }
                if (!charge(size)) {
                    spill();
                    if (sortMode) {
                        merge(p);
                        return;
                    }
                    if (!charge(size)) {
                        throw tooSmall(size);
                    }
                }
                g = new Group(p.keyValues(), p.states());
                g.size = size;
                table.put(new HashKey(p.key(), p.key().length, probe.hash), g);
                groupsMade++;
                return;
            }
            long grown = 0;
            for (int i = 0; i < accs.length; i++) {
                if (accs[i].variable()) {
                    long before = accs[i].size(g.states[i]);
                    g.states[i] = accs[i].merge(g.states[i], p.states()[i]);
                    grown += accs[i].size(g.states[i]) - before;
                } else {
                    g.states[i] = accs[i].merge(g.states[i], p.states()[i]);
                }
            }
            if (grown > 0 && !charge(grown)) {
                spill();
            } else if (grown < 0) {
                used += grown;
            }
        }

        private SluiceException tooSmall(long bytes) {
            return new SluiceException(String.format(
                    "%s: one group needs %s, more than its memory budget of %s: raise the budget (--memory, "
                            + "LocalRunner.withMemory)",
                    name, MemoryBudget.format(bytes), MemoryBudget.format(sorter.effectiveLimit())));
        }

        /** Writes the table's groups to a run file, in key order, and empties it. */
        private void spill() {
            if (table.isEmpty()) {
                return;
            }
            boolean first = !sorter.spilledAny();
            if (first && groupsMade * 2 > seq) {
                sortMode = true; // fewer than two rows a group so far: sort, do not hash (see sortMode)
            }
            List<Map.Entry<Object, Group>> entries = sorted();
            Bytes k8 = new Bytes(64);
            try (ExternalSorter.RunWriter w = sorter.newRun()) {
                for (Map.Entry<Object, Group> e : entries) {
                    HashKey k = (HashKey) e.getKey();
                    payload.reset();
                    writeGroup(e.getValue(), payload);
                    if (sortMode) { // the table's groups come before every later row of their keys
                        k8.reset();
                        k8.write(k.bytes, 0, k.bytes.length);
                        k8.writeLong(0);
                        w.write(k8.array(), k8.length(), payload.array(), payload.length());
                    } else {
                        w.write(k.bytes, k.bytes.length, payload.array(), payload.length());
                    }
                }
            }
            table = new HashMap<>();
            releaseAll();
            stats.spilled = sorter.spilledBytes();
        }

        private List<Map.Entry<Object, Group>> sorted() {
            List<Map.Entry<Object, Group>> entries = new ArrayList<>(table.entrySet());
            entries.sort((a, b) -> HashKey.compare((HashKey) a.getKey(), (HashKey) b.getKey()));
            return entries;
        }

        private void writeGroup(Group g, Bytes out) {
            if (g.keyValues == null) {
                out.write(0);
            } else {
                out.write(1);
                for (Object v : g.keyValues) {
                    codec.writeValue(v, out);
                }
            }
            for (int i = 0; i < accs.length; i++) {
                accs[i].write(g.states[i], out, codec);
            }
        }

        private Group readGroup(byte[] a, int off, int len) {
            Bytes.Reader in = new Bytes.Reader(a, off, len);
            Object[] kv = null;
            if (in.read() == 1) {
                kv = new Object[keyNames.length];
                for (int i = 0; i < kv.length; i++) {
                    kv[i] = codec.readValue(in);
                }
            }
            Object[] states = new Object[accs.length];
            for (int i = 0; i < accs.length; i++) {
                states[i] = accs[i].read(in, codec);
            }
            return new Group(kv, states);
        }

        private Row result(byte[] key, int koff, int klen, Group g) {
            Object[] values = new Object[keyNames.length + accs.length];
            Object[] kv = g.keyValues != null ? g.keyValues : KeyEncoder.decodeText(key, koff, klen, keyNames.length);
            System.arraycopy(kv, 0, values, 0, keyNames.length);
            for (int i = 0; i < accs.length; i++) {
                values[keyNames.length + i] = accs[i].result(g.states[i]);
            }
            return Row.of(out, values, null);
        }

        @Override
        public void finish() {
            finished = true;
            if (keyNames.length == 0 && table.isEmpty() && !sorter.spilledAny()) {
                // a global aggregate has one row even over no input, as in SQL (count 0, sum null)
                Object[] states = new Object[accs.length];
                for (int i = 0; i < accs.length; i++) {
                    states[i] = accs[i].create();
                }
                table.put(new HashKey(new byte[0], 0, HashKey.hash(new byte[0], 0)), new Group(null, states));
            }
            if (!sorter.spilledAny()) {
                List<Map.Entry<Object, Group>> entries = sorted();
                table = null;
                Iterator<Map.Entry<Object, Group>> it = entries.iterator();
                output = new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Row next() {
                        Map.Entry<Object, Group> e = it.next();
                        it.remove();
                        HashKey k = (HashKey) e.getKey();
                        return result(k.bytes, 0, k.bytes.length, e.getValue());
                    }
                };
            } else {
                spill();
                output = new Merged(sorter.finish());
            }
            emit();
        }

        /** The runs merged by key, the partial states of each group merged. */
        private final class Merged implements Iterator<Row>, AutoCloseable {
            private final ExternalSorter.Cursor cursor;
            private boolean has;
            private byte[] currentKey;
            private Group current;

            Merged(ExternalSorter.Cursor cursor) {
                this.cursor = cursor;
                this.has = cursor.next();
            }

            @Override
            public boolean hasNext() {
                return has;
            }

            @Override
            public Row next() {
                if (!has) {
                    throw new NoSuchElementException();
                }
                int suffix = sortMode ? 8 : 0; // the row number after the key in sort mode
                currentKey = Arrays.copyOfRange(
                        cursor.array(), cursor.keyOffset(), cursor.keyOffset() + cursor.keyLength() - suffix);
                current = readGroup(cursor.array(), cursor.payloadOffset(), cursor.payloadLength());
                while ((has = cursor.next())
                        && Arrays.equals(
                                cursor.array(),
                                cursor.keyOffset(),
                                cursor.keyOffset() + cursor.keyLength() - suffix,
                                currentKey,
                                0,
                                currentKey.length)) {
                    Group more = readGroup(cursor.array(), cursor.payloadOffset(), cursor.payloadLength());
                    for (int i = 0; i < accs.length; i++) {
                        current.states[i] = accs[i].merge(current.states[i], more.states[i]);
                    }
                }
                return result(currentKey, 0, currentKey.length, current);
            }

            @Override
            public void close() {
                cursor.close();
            }
        }

        private void emit() {
            while (output != null && !run.dead(stats.position)) {
                if (down.full()) {
                    return;
                }
                if (!output.hasNext()) {
                    close();
                    down.finish();
                    return;
                }
                Row r = output.next();
                stats.out++;
                down.push(r);
            }
            close();
        }

        private void close() {
            if (output instanceof Merged m) {
                m.close();
            }
            output = null;
            table = null;
            if (reserved > 0) {
                releaseAll();
            }
            sorter.close();
            stats.spilled = sorter.spilledBytes();
        }

        @Override
        public boolean resume() {
            if (down.resume()) {
                return true;
            }
            if (!finished || output == null) {
                return false;
            }
            emit();
            return true;
        }

        @Override
        public void abandon() {
            close();
            down.abandon();
        }
    }
}
