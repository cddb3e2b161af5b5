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
import dev.sluice.internal.spill.ExternalSorter;
import dev.sluice.internal.spill.KeyEncoder;
import dev.sluice.internal.spill.MemoryBudget;
import dev.sluice.internal.spill.RecordCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code distinct(keys)}: the first record of each distinct key, in input order (stable). While the keys seen fit in
 * half of its memory share it streams: a record is passed on the moment its key is new. Past that, the set of keys
 * seen is kept (frozen) and later records whose keys are not in it go, with their arrival numbers, to a sort by key;
 * at the end the first of each key is kept and those are put back in input order by a second sort, so the output is
 * the same at any budget. On an endless input, a distinct whose keys outgrow its memory fails instead.
 */
public final class DistinctStage extends Stage {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // an immutable List.copyOf of strings
    private final List<String> keys;

    private final boolean endless;

    public DistinctStage(Stage up, List<String> keys, boolean endless) {
        super(List.of(up), "distinct", "distinct");
        this.keys = List.copyOf(keys);
        this.endless = endless;
    }

    public List<String> keys() {
        return keys;
    }

    @Override
    public String describe() {
        return "distinct" + (keys.isEmpty() ? "" : " by " + String.join(", ", keys))
                + ", first of each, in input order; streams while its keys fit in memory, then spills";
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BLOCKING;
    }

    /** It emits as it goes while its keys fit; an endless input is allowed (and fails if they outgrow memory). */
    @Override
    public boolean emitsAtEnd() {
        return false;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new DistinctLink(down, this, stats, run);
    }

    /**
     * The key of a record as this stage compares them, as bytes (equal keys, equal bytes): for runners that place
     * records by key themselves (the Flink runner). One instance per thread.
     */
    public static final class Keys {
        private final List<String> keyNames;
        private final RecordCodec codec;
        private final Bytes key = new Bytes(256);
        private KeyEncoder encoder;

        /** @param codecs the users' codecs ({@code flow.codec}), for records that are not rows */
        public Keys(DistinctStage stage, List<dev.sluice.Codec<?>> codecs) {
            this.keyNames = stage.keys;
            this.codec = new RecordCodec("distinct", codecs);
        }

        /** The key's bytes, a copy. */
        public byte[] key(Object t) {
            key.reset();
            encode(t, key);
            return java.util.Arrays.copyOf(key.array(), key.length());
        }

        /** Appends the key's bytes to {@code key}. */
        void encode(Object t, Bytes key) {
            if (t instanceof Row || (t instanceof Record && !keyNames.isEmpty())) {
                Row row = Keyed.row(t, "distinct", "compares");
                if (encoder == null) {
                    List<String> cols = keyNames.isEmpty() ? row.schema().names() : keyNames;
                    List<SortKey> sk = new ArrayList<>();
                    for (String c : cols) {
                        sk.add(SortKey.asc(c));
                    }
                    encoder = new KeyEncoder(sk, true);
                }
                encoder.encode(row, key);
            } else if (keyNames.isEmpty()) {
                codec.write(t, key);
            } else {
                Keyed.row(t, "distinct", "compares"); // refuses it, saying why
            }
        }
    }

    static final class DistinctLink extends Downstream.Link {
        private static final long ENTRY = 64;

        private final StageStats stats;
        private final RunState run;
        private final String name;
        private final boolean endless;
        private final List<String> keyNames;
        private final Keys keys;
        private final RecordCodec codec;
        private final MemoryBudget budget;
        private final long share;
        private final Bytes key = new Bytes(256);
        private final Bytes payload = new Bytes(1024);
        private final HashKey.Probe probe = new HashKey.Probe();
        private Set<Object> seen = new HashSet<>();
        private long held;
        private boolean frozen;
        private ExternalSorter byKey;
        private ExternalSorter bySeq;
        private ExternalSorter.Cursor output;
        private final Bytes.Reader reader = new Bytes.Reader();
        private long seq;
        private boolean finished;

        DistinctLink(Downstream<Object> down, DistinctStage stage, StageStats stats, RunState run) {
            super(down);
            this.stats = stats;
            this.run = run;
            this.name = stats.name.equals("distinct") ? "distinct" : "distinct '" + stats.name + "'";
            this.endless = stage.endless;
            this.keyNames = stage.keys;
            this.keys = new Keys(stage, run.codecs());
            this.codec = new RecordCodec(name, run.codecs());
            this.budget = run.memory();
            this.share = run.memoryShare();
        }

        private void encodeKey(Object t) {
            key.reset();
            keys.encode(t, key);
        }

        @Override
        public void push(Object t) {
            long n = ++stats.in;
            try {
                encodeKey(t);
            } catch (DataException | IllegalArgumentException e) {
                run.reject(stats, n, t, e);
                return;
            }
            long s = seq++;
            probe.set(key.array(), key.length());
            if (seen.contains(probe)) {
                return;
            }
            if (!frozen) {
                long size = ENTRY + key.length();
                if (held + size <= share / 2 && budget.tryReserve(size)) {
                    held += size;
                    stats.peakMemory = Math.max(stats.peakMemory, held);
                    seen.add(new HashKey(key.array(), key.length(), probe.hash));
                    stats.out++;
                    down.push(t);
                    return;
                }
                if (endless) {
                    throw new SluiceException(String.format(
                            "%s remembers every key it has seen, and on an endless input they may not outgrow its "
                                    + "memory: %,d keys fill its %s; raise the budget or bound the input (limit(n))",
                            name, seen.size(), MemoryBudget.format(share / 2)));
                }
                frozen = true;
                byKey = new ExternalSorter(name, budget, Math.max(64 << 10, share / 2), run.spillDir());
            }
            key.writeLong(s); // by key, the first of each key first
            payload.reset();
            codec.write(t, payload);
            byKey.add(key.array(), key.length(), payload.array(), payload.length());
            stats.spilled = byKey.spilledBytes();
        }

        @Override
        public void finish() {
            finished = true;
            if (!frozen) {
                release();
                down.finish();
                return;
            }
            release(); // the keys seen are no longer needed: their memory goes to the sorts
            ExternalSorter.Cursor c = byKey.finish();
            bySeq = new ExternalSorter(name, budget, Math.max(64 << 10, share / 2), run.spillDir());
            byte[] prev = null;
            while (c.next()) {
                int klen = c.keyLength() - 8;
                byte[] a = c.array();
                int ko = c.keyOffset();
                if (prev != null && Arrays.equals(a, ko, ko + klen, prev, 0, prev.length)) {
                    continue; // a later record of a key already kept
                }
                prev = Arrays.copyOfRange(a, ko, ko + klen);
                bySeq.add(a, ko + klen, 8, a, c.payloadOffset(), c.payloadLength()); // keyed by arrival number
            }
            c.close();
            stats.spilled = byKey.spilledBytes() + bySeq.spilledBytes();
            output = bySeq.finish();
            emit();
        }

        private void emit() {
            while (output != null && !run.dead(stats.position)) {
                if (down.full()) {
                    return;
                }
                if (!output.next()) {
                    close();
                    down.finish();
                    return;
                }
                reader.reset(output.array(), output.payloadOffset(), output.payloadLength());
                Object rec = codec.read(reader);
                stats.out++;
                down.push(rec);
            }
            close();
        }

        private void release() {
            seen = new HashSet<>();
            if (held > 0) {
                budget.release(held);
                held = 0;
            }
        }

        private void close() {
            if (output != null) {
                output.close();
                output = null;
            }
            release();
            if (byKey != null) {
                stats.spilled = byKey.spilledBytes() + (bySeq == null ? 0 : bySeq.spilledBytes());
                byKey.close();
            }
            if (bySeq != null) {
                bySeq.close();
            }
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
