package dev.sluice.internal.op;

import dev.sluice.DataException;
import dev.sluice.MemoryClass;
import dev.sluice.Row;
import dev.sluice.SortKey;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.ExternalSorter;
import dev.sluice.internal.spill.KeyEncoder;
import dev.sluice.internal.spill.MemoryBudget;
import dev.sluice.internal.spill.RecordCodec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code sortBy(keys)}: all records in key order, stable (records with equal keys keep their input order). Blocking:
 * holds its input in pages under the run's memory budget (or its own, smaller one), spills sorted runs to files past
 * it and merges them at the end. Emits on demand, so a pulled sort holds one record downstream.
 */
public final class SortStage extends Stage {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // an immutable List.copyOf of serializable keys
    private final List<SortKey> keys;

    private final long budget;

    public SortStage(Stage up, List<SortKey> keys, long budget) {
        super(List.of(up), "sort", "sort");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("sortBy needs at least one key");
        }
        this.keys = List.copyOf(keys);
        this.budget = budget;
    }

    public List<SortKey> keys() {
        return keys;
    }

    /** This stage's own memory cap within the run's budget (0: the run's budget). */
    public long budget() {
        return budget;
    }

    /** A copy with its own memory cap. */
    public SortStage withBudget(long bytes) {
        SortStage s = new SortStage(upstream(), keys, bytes);
        return name().equals(s.name()) ? s : (SortStage) s.withName(name());
    }

    @Override
    public String describe() {
        return "sort by " + keys.stream().map(SortKey::toString).collect(Collectors.joining(", ")) + ", stable; memory "
                + (budget > 0 ? MemoryBudget.format(budget) : "the run's budget") + ", spills to the temp directory";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BLOCKING;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new SortLink(down, this, stats, run);
    }

    /** The runtime link: collects encoded records, then emits them in key order while downstream wants more. */
    static final class SortLink extends Downstream.Link {
        private final StageStats stats;
        private final RunState run;
        private final KeyEncoder keys;
        private final RecordCodec codec;
        private final String name;
        private final ExternalSorter sorter;
        private final Bytes key = new Bytes(256);
        private final Bytes payload = new Bytes(1024);
        private final Bytes.Reader reader = new Bytes.Reader();
        private ExternalSorter.Cursor cursor;
        private long seq;
        private boolean finished;

        SortLink(Downstream<Object> down, SortStage stage, StageStats stats, RunState run) {
            super(down);
            this.stats = stats;
            this.run = run;
            this.name = stats.name.equals("sort") ? "sort" : "sort '" + stats.name + "'";
            this.keys = new KeyEncoder(stage.keys);
            this.codec = new RecordCodec(name, run.codecs());
            this.sorter = new ExternalSorter(
                    name, run.memory(), stage.budget > 0 ? stage.budget : run.memoryShare(), run.spillDir());
        }

        @Override
        public void push(Object t) {
            long n = ++stats.in;
            Row row = Keyed.row(t, name, "sorts");
            key.reset();
            try {
                keys.encode(row, key);
            } catch (DataException | IllegalArgumentException e) {
                run.reject(stats, n, t, e);
                return;
            }
            key.writeLong(seq++); // distinct keys; equal keys keep their arrival order
            payload.reset();
            codec.write(t, payload);
            sorter.add(key.array(), key.length(), payload.array(), payload.length());
            account();
        }

        private void account() {
            stats.spilled = sorter.spilledBytes();
            stats.peakMemory = sorter.peakBytes();
        }

        @Override
        public void finish() {
            finished = true;
            cursor = sorter.finish();
            account();
            emit();
        }

        /** Emits while downstream wants more; at the end, finishes downstream. */
        private boolean emit() {
            boolean any = false;
            while (cursor != null && !run.dead(stats.position)) {
                if (down.full()) {
                    return true;
                }
                if (!cursor.next()) {
                    cursor = null;
                    account();
                    down.finish();
                    return true;
                }
                reader.reset(cursor.array(), cursor.payloadOffset(), cursor.payloadLength());
                Object rec = codec.read(reader);
                stats.out++;
                any = true;
                down.push(rec);
            }
            if (cursor != null) { // a limit downstream is satisfied
                cursor.close();
                cursor = null;
            }
            return any;
        }

        @Override
        public boolean resume() {
            if (down.resume()) {
                return true;
            }
            if (!finished || cursor == null) {
                return false;
            }
            emit();
            return true;
        }

        @Override
        public void abandon() {
            if (cursor != null) {
                cursor.close();
                cursor = null;
            }
            sorter.close();
            down.abandon();
        }
    }
}
