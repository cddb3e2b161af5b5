package dev.sluice.internal.op;

import dev.sluice.Agg;
import dev.sluice.DataException;
import dev.sluice.MemoryClass;
import dev.sluice.Row;
import dev.sluice.SortKey;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.op.Accumulators.Acc;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.KeyEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The first half of a two-phase group-by: it folds rows into partial states in a small table (at most {@value
 * #MAX_GROUPS} groups) and passes the partial states on to the {@link GroupStage} after it, which merges them. It is
 * stateless across chunks in the sense that matters (its output, merged, is the same however the input is cut), so
 * on a parallel run it runs on the workers, each chunk folded where it was parsed. When its rows barely fold (most
 * keys new), it stops folding and passes rows on as they are. Only for aggregates whose partial states merge
 * regardless of order: count, sum, avg, min, max, and user-defined
 * aggregates (whose {@code merge} combines partial results by contract).
 */
public final class PartialGroupStage extends Stage {
    private static final long serialVersionUID = 1L;
    static final int MAX_GROUPS = 4096;
    private static final Set<Agg.Kind> FOLDABLE = Set.of(
            Agg.Kind.COUNT,
            Agg.Kind.COUNT_VALUES,
            Agg.Kind.SUM,
            Agg.Kind.AVG,
            Agg.Kind.MIN,
            Agg.Kind.MAX,
            Agg.Kind.CUSTOM);

    @SuppressWarnings("serial") // immutable List.copyOf of strings
    private final List<String> keys;

    @SuppressWarnings("serial") // immutable List.copyOf of serializable aggregates
    private final List<Agg> aggs;

    public PartialGroupStage(Stage up, List<String> keys, List<Agg> aggs) {
        super(List.of(up), "partial group", "partial group");
        this.keys = List.copyOf(keys);
        this.aggs = List.copyOf(aggs);
    }

    /** Whether these aggregates can be folded in two phases. */
    public static boolean foldable(List<Agg> aggs) {
        for (Agg a : aggs) {
            if (!FOLDABLE.contains(a.kind())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String describe() {
        return "pre-aggregation of " + aggs + (keys.isEmpty() ? "" : " by " + String.join(", ", keys)) + " (at most "
                + MAX_GROUPS + " groups; on the workers of a parallel run)";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BOUNDED;
    }

    @Override
    public boolean parallelSafe() {
        return true;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new PartialLink(down, this, stats, run);
    }

    /** A group's partial states, from the first phase: its key bytes, key values (null: read from the key), states. */
    record Partial(byte[] key, Object[] keyValues, Object[] states) implements java.io.Serializable {}

    /** What the links of one partial stage learn together (a parallel run makes one per chunk). */
    static final class Learned {
        final java.util.concurrent.atomic.AtomicLong rows = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong made = new java.util.concurrent.atomic.AtomicLong();
        volatile boolean passThrough;

        /** Adds one link's counts; once enough rows are seen, decides whether folding pays. */
        void learn(long r, long m) {
            long all = rows.addAndGet(r);
            long groups = made.addAndGet(m);
            if (all >= PartialLink.PROBE_ROWS && groups * 2 > all) {
                passThrough = true; // most keys are new: folding saves little
            }
        }
    }

    static final class PartialLink extends Downstream.Link {
        static final int PROBE_ROWS = 20_000;

        private final StageStats stats;
        private final RunState run;
        private final KeyEncoder encoder;
        private final Acc[] accs;
        private final String[] keyNames;
        private final Object[] inputs;
        private final Bytes key = new Bytes(128);
        private final HashKey.Probe probe = new HashKey.Probe();
        private Map<Object, Object[]> table = new HashMap<>();
        private final Map<Object, Object[]> keyValues = new HashMap<>();
        private dev.sluice.Schema schema;
        private int[] keyIndex;
        private long rows;
        private long made;
        private boolean passThrough;
        private final Learned learned;

        PartialLink(Downstream<Object> down, PartialGroupStage stage, StageStats stats, RunState run) {
            super(down);
            this.stats = stats;
            this.run = run;
            List<SortKey> sk = new ArrayList<>();
            for (String k : stage.keys) {
                sk.add(SortKey.asc(k));
            }
            this.encoder = new KeyEncoder(sk, true);
            this.keyNames = stage.keys.toArray(new String[0]);
            this.accs = new Acc[stage.aggs.size()];
            for (int i = 0; i < accs.length; i++) {
                accs[i] = Accumulators.of(stage.aggs.get(i));
            }
            this.inputs = new Object[accs.length];
            this.learned = run.shared(stage, Learned::new);
            this.passThrough = learned.passThrough;
        }

        private void bind(dev.sluice.Schema s) {
            keyIndex = new int[keyNames.length];
            for (int i = 0; i < keyNames.length; i++) {
                keyIndex[i] = s.require(keyNames[i]);
            }
            for (Acc a : accs) {
                a.column = a.agg.column() == null ? -1 : s.require(a.agg.column());
            }
            schema = s;
        }

        @Override
        public void push(Object t) {
            long n = ++stats.in;
            if (passThrough || !(t instanceof Row || t instanceof Record)) {
                stats.out++;
                down.push(t); // the group-by after it handles (or refuses) what is not folded
                return;
            }
            Row row = Keyed.row(t, "group", "groups");
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
            rows++;
            probe.set(key.array(), key.length());
            Object[] states = table.get(probe);
            if (states == null) {
                if (table.size() >= MAX_GROUPS) {
                    flush();
                }
                states = new Object[accs.length];
                for (int i = 0; i < accs.length; i++) {
                    states[i] = accs[i].create();
                }
                HashKey k = new HashKey(key.array(), key.length(), probe.hash);
                table.put(k, states);
                Object[] kv = new Object[keyIndex.length];
                boolean text = true;
                for (int i = 0; i < kv.length; i++) {
                    Object v = row.value(keyIndex[i]);
                    kv[i] = v instanceof String s && s.isEmpty() ? null : v;
                    text &= kv[i] == null || kv[i] instanceof String;
                }
                if (!text) {
                    keyValues.put(k, kv);
                }
                made++;
            }
            for (int i = 0; i < accs.length; i++) {
                states[i] = accs[i].add(states[i], inputs[i], 0);
            }
            if ((rows & 1023) == 0) { // share what this link saw, and learn what the others saw
                learned.learn(1024, made);
                made = 0;
                if (learned.passThrough) {
                    flush(); // most keys are new: folding saves little; pass rows on from now on
                    passThrough = true;
                }
            }
        }

        /** Passes every partial state on and empties the table. */
        private void flush() {
            for (Map.Entry<Object, Object[]> e : table.entrySet()) {
                HashKey k = (HashKey) e.getKey();
                stats.out++;
                down.push(new Partial(k.bytes, keyValues.get(k), e.getValue()));
            }
            table = new HashMap<>();
            keyValues.clear();
        }

        @Override
        public void finish() {
            flush();
            down.finish();
        }

        @Override
        public void abandon() {
            table = new HashMap<>();
            keyValues.clear();
            down.abandon();
        }
    }
}
