package dev.sluice.internal.op;

import dev.sluice.DataException;
import dev.sluice.MemoryClass;
import dev.sluice.Row;
import dev.sluice.SluiceException;
import dev.sluice.SortKey;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.KeyEncoder;
import dev.sluice.internal.spill.MemoryBudget;
import dev.sluice.internal.spill.RecordCodec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code topN(n, keys)}: the first {@code n} records in key order, as {@code sortBy(keys).limit(n)} gives them
 * (stable: of equal keys, the earlier records), from one pass holding at most {@code n} records in a heap. Memory
 * class bounded: it never spills; the records it holds are counted against the run's budget, and a top-N that does
 * not fit fails with the budget named (a sort and a limit would then spill).
 */
public final class TopNStage extends Stage {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // an immutable List.copyOf of serializable keys
    private final List<SortKey> keys;

    private final int n;

    public TopNStage(Stage up, int n, List<SortKey> keys) {
        super(List.of(up), "topN", "topN");
        if (n < 0) {
            throw new IllegalArgumentException("topN needs n >= 0, was " + n);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("topN needs at least one key");
        }
        this.n = n;
        this.keys = List.copyOf(keys);
    }

    public int n() {
        return n;
    }

    public List<SortKey> keys() {
        return keys;
    }

    @Override
    public String describe() {
        return "top " + n + " by " + keys.stream().map(SortKey::toString).collect(Collectors.joining(", "))
                + ", stable; holds at most " + n + " records, never spills";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BOUNDED;
    }

    @Override
    public boolean emitsAtEnd() {
        return true;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new TopNLink(down, this, stats, run);
    }

    /** The runtime link: a max-heap of the best n entries so far, each its key and encoded record. */
    static final class TopNLink extends Downstream.Link {
        private final StageStats stats;
        private final RunState run;
        private final int n;
        private final KeyEncoder keys;
        private final RecordCodec codec;
        private final MemoryBudget budget;
        private final String name;
        private final Bytes key = new Bytes(256);
        private final Bytes payload = new Bytes(1024);
        private byte[][] heapKeys;
        private byte[][] heapRecords;
        private int size;
        private long held;
        private long seq;
        private byte[][] sortedRecords;
        private int next;
        private boolean finished;

        TopNLink(Downstream<Object> down, TopNStage stage, StageStats stats, RunState run) {
            super(down);
            this.stats = stats;
            this.run = run;
            this.n = stage.n;
            this.name = stats.name.equals("topN") ? "topN" : "topN '" + stats.name + "'";
            this.keys = new KeyEncoder(stage.keys);
            this.codec = new RecordCodec(name, run.codecs());
            this.budget = run.memory();
            int cap = Math.min(n, 1024);
            charge(16L * cap);
            this.heapKeys = new byte[cap][];
            this.heapRecords = new byte[cap][];
        }

        private void charge(long bytes) {
            if (!budget.tryReserve(bytes)) {
                throw new SluiceException(String.format(
                        "%s holds its %,d records in memory and they do not fit in the run's budget of %s: raise it, or "
                                + "sort and limit instead, which spills",
                        name, n, MemoryBudget.format(budget.limit())));
            }
            held += bytes;
            stats.peakMemory = Math.max(stats.peakMemory, held);
        }

        private void free(long bytes) {
            budget.release(bytes);
            held -= bytes;
        }

        private static int cmp(byte[] a, byte[] b) {
            return Arrays.compareUnsigned(a, b);
        }

        @Override
        public void push(Object t) {
            long number = ++stats.in;
            if (n == 0) {
                return;
            }
            Row row = Keyed.row(t, name, "orders");
            key.reset();
            try {
                keys.encode(row, key);
            } catch (DataException | IllegalArgumentException e) {
                run.reject(stats, number, t, e);
                return;
            }
            key.writeLong(seq++);
            if (size == n) {
                // the heap's root is the worst entry held: a new one enters only if it is better
                if (Arrays.compareUnsigned(key.array(), 0, key.length(), heapKeys[0], 0, heapKeys[0].length) >= 0) {
                    return;
                }
                free(heapKeys[0].length + heapRecords[0].length);
                set(0, t);
                down(0);
                return;
            }
            if (size == heapKeys.length) {
                int cap = (int) Math.min(n, heapKeys.length * 2L);
                charge(16L * (cap - heapKeys.length));
                heapKeys = Arrays.copyOf(heapKeys, cap);
                heapRecords = Arrays.copyOf(heapRecords, cap);
            }
            set(size, t);
            up(size++);
        }

        private void set(int i, Object t) {
            payload.reset();
            codec.write(t, payload);
            byte[] k = Arrays.copyOf(key.array(), key.length());
            byte[] r = Arrays.copyOf(payload.array(), payload.length());
            charge(k.length + r.length);
            heapKeys[i] = k;
            heapRecords[i] = r;
        }

        private void swap(int i, int j) {
            byte[] k = heapKeys[i];
            heapKeys[i] = heapKeys[j];
            heapKeys[j] = k;
            byte[] r = heapRecords[i];
            heapRecords[i] = heapRecords[j];
            heapRecords[j] = r;
        }

        /** A max-heap: the root is the largest key. */
        private void up(int i) {
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (cmp(heapKeys[i], heapKeys[p]) <= 0) {
                    return;
                }
                swap(i, p);
                i = p;
            }
        }

        private void down(int i) {
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    return;
                }
                int m = l + 1 < size && cmp(heapKeys[l + 1], heapKeys[l]) > 0 ? l + 1 : l;
                if (cmp(heapKeys[m], heapKeys[i]) <= 0) {
                    return;
                }
                swap(i, m);
                i = m;
            }
        }

        @Override
        public void finish() {
            finished = true;
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> cmp(heapKeys[a], heapKeys[b]));
            sortedRecords = new byte[size][];
            for (int i = 0; i < size; i++) {
                sortedRecords[i] = heapRecords[order[i]];
            }
            heapKeys = null;
            heapRecords = null;
            emit();
        }

        private void emit() {
            Bytes.Reader reader = new Bytes.Reader();
            while (sortedRecords != null && !run.dead(stats.position)) {
                if (down.full()) {
                    return;
                }
                if (next == sortedRecords.length) {
                    release();
                    down.finish();
                    return;
                }
                byte[] r = sortedRecords[next];
                sortedRecords[next++] = null;
                reader.reset(r, 0, r.length);
                stats.out++;
                down.push(codec.read(reader));
            }
            release();
        }

        private void release() {
            sortedRecords = null;
            if (held > 0) {
                free(held);
            }
        }

        @Override
        public boolean resume() {
            if (down.resume()) {
                return true;
            }
            if (!finished || sortedRecords == null) {
                return false;
            }
            emit();
            return true;
        }

        @Override
        public void abandon() {
            heapKeys = null;
            heapRecords = null;
            release();
            down.abandon();
        }
    }
}
