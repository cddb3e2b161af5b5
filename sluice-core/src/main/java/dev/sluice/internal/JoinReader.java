package dev.sluice.internal;

import dev.sluice.CloseableIterator;
import dev.sluice.DataException;
import dev.sluice.Join;
import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.SluiceException;
import dev.sluice.SortKey;
import dev.sluice.SourceReader;
import dev.sluice.internal.LocalExecution.Execution;
import dev.sluice.internal.op.JoinStage;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.EntryFile;
import dev.sluice.internal.spill.KeyEncoder;
import dev.sluice.internal.spill.MemoryBudget;
import dev.sluice.internal.spill.RecordCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal: a hash join on the local runner, as the source of the chain after the join. The right input is read
 * whole into a table of encoded rows counted against the join's memory share; the left input then streams through
 * it, so output follows the left input's order (each left row followed by its matches in the right input's order,
 * then, for right and full joins, the unmatched right rows in their order). When the right input does not fit, both
 * inputs are partitioned by key hash into {@value #PARTITIONS} files each (a grace hash join) and joined partition by
 * partition: the same rows, in partition order.
 */
final class JoinReader implements SourceReader<Object> {
    static final int PARTITIONS = 64;
    private static final long ROW_OVERHEAD = 64;

    private final Join join;
    private final Join.Type type;
    private final Execution leftEx;
    private final Execution rightEx;
    private final RunState run;
    private final StageStats stats;
    private final String name;
    private final KeyEncoder leftKeys;
    private final KeyEncoder rightKeys;
    private final RecordCodec codec;
    private final MemoryBudget budget;
    private final long share;
    private final Bytes key = new Bytes(256);
    private final Bytes payload = new Bytes(1024);
    private final Bytes.Reader reader = new Bytes.Reader();

    private CloseableIterator<Object> left;
    private CloseableIterator<Object> right;
    private boolean built;
    private long held;

    // the table: right rows encoded, in arrival order; key -> indexes
    private Map<Object, int[]> table = new HashMap<>();
    private List<byte[]> rows = new ArrayList<>();
    private BitSet matched = new BitSet();

    // grace mode
    private EntryFile[] rightParts;
    private EntryFile[] leftParts;
    private EntryFile nullKeyedFile;
    private int partition = -1;

    // the output in progress
    private Row current;
    private int[] matches;
    private int matchIndex;
    private boolean probing = true;
    private int unmatchedIndex;
    private EntryFile.Reader leftPart;
    private EntryFile.Reader nullReader;
    private Row last;

    private Schema leftSchema;
    private Schema rightSchema;
    private Shape shape;

    JoinReader(JoinStage stage, Execution leftEx, Execution rightEx, RunState run, StageStats stats) {
        this.join = stage.join();
        this.type = join.type();
        this.leftEx = leftEx;
        this.rightEx = rightEx;
        this.run = run;
        this.stats = stats;
        this.name = stats.name.equals("join") ? "join" : "join '" + stats.name + "'";
        this.leftKeys = new KeyEncoder(keys(join.leftKeys()), true);
        this.rightKeys = new KeyEncoder(keys(join.rightKeys()), true);
        this.codec = new RecordCodec(name);
        this.budget = run.memory();
        this.share = run.memoryShare();
    }

    private static List<SortKey> keys(List<String> cols) {
        List<SortKey> out = new ArrayList<>();
        for (String c : cols) {
            out.add(SortKey.asc(c));
        }
        return out;
    }

    private static boolean nullKey(byte[] k, int len, int n) {
        // a key with a null column matches nothing: every key column starts with a marker, 0x01 for a value
        int p = 0;
        for (int i = 0; i < n; i++) {
            if (k[p] != 0x01) {
                return true;
            }
            p = skip(k, p + 1);
        }
        return false;
    }

    /** The offset after the value that starts (with its type byte) at {@code p}. */
    private static int skip(byte[] k, int p) {
        int t = k[p] & 0xFF;
        if (t == 0x40) {
            int q = p + 1;
            while (!(k[q] == 0 && k[q + 1] == 0)) {
                q += k[q] == 0 ? 2 : 1;
            }
            return q + 2;
        }
        return switch (t) {
            case 0x10, 0x11 -> p + 9;
            case 0x20 -> p + 17;
            case 0x30 -> p + 2;
            default -> throw new IllegalStateException("unknown key type " + t);
        };
    }

    private Row row(Object t, String side) {
        if (t instanceof Row r) {
            return r;
        }
        throw new SluiceException(name + " joins rows; its " + side + " input gave a "
                + t.getClass().getName());
    }

    private boolean charge(long bytes) {
        if (held + bytes > share || !budget.tryReserve(bytes)) {
            return false;
        }
        held += bytes;
        stats.peakMemory = Math.max(stats.peakMemory, held);
        return true;
    }

    private void releaseTable() {
        table = new HashMap<>();
        rows = new ArrayList<>();
        matched = new BitSet();
        if (held > 0) {
            budget.release(held);
            held = 0;
        }
    }

    // ---- build ------------------------------------------------------------------------------------------------

    private void build() {
        built = true;
        right = LocalExecution.pull(rightEx);
        try {
            while (right.hasNext()) {
                Row r = row(right.next(), "right");
                rightSchema = r.schema();
                key.reset();
                try {
                    rightKeys.encode(r, key);
                } catch (DataException | IllegalArgumentException e) {
                    throw new SluiceException(name + ": " + e.getMessage(), e);
                }
                payload.reset();
                codec.write(r, payload);
                boolean none =
                        nullKey(key.array(), key.length(), join.rightKeys().size());
                if (none) {
                    if (type == Join.Type.RIGHT || type == Join.Type.FULL) {
                        if (rightParts == null) {
                            // held with the others, so unmatched right rows leave in their input order
                            byte[] row = Arrays.copyOf(payload.array(), payload.length());
                            if (charge(row.length + ROW_OVERHEAD)) {
                                rows.add(row);
                                continue;
                            }
                            partitionRight();
                        }
                        addNullKeyed();
                    }
                    continue;
                }
                if (rightParts != null) {
                    partFor(rightParts).write(key.array(), 0, key.length(), payload.array(), 0, payload.length());
                    continue;
                }
                if (!insert(key.array(), key.length(), Arrays.copyOf(payload.array(), payload.length()))) {
                    partitionRight();
                    partFor(rightParts).write(key.array(), 0, key.length(), payload.array(), 0, payload.length());
                }
            }
        } finally {
            right.close();
        }
        if (rightParts != null) {
            for (EntryFile f : rightParts) {
                f.finishWriting();
            }
            leftParts = new EntryFile[PARTITIONS];
            for (int i = 0; i < PARTITIONS; i++) {
                leftParts[i] = new EntryFile(run.spillDir(), name, share);
            }
        }
        left = LocalExecution.pull(leftEx);
    }

    /** In grace mode: a null-keyed right row, kept for the end (right and full joins). */
    private void addNullKeyed() {
        nullKeyedFile.write(key.array(), 0, 0, payload.array(), 0, payload.length());
    }

    /** Adds a right row to the table; false if it does not fit. */
    private boolean insert(byte[] k, int klen, byte[] row) {
        HashKeyRef probe = new HashKeyRef(k, klen);
        int[] idx = table.get(probe);
        long cost = row.length + ROW_OVERHEAD + (idx == null ? klen + 64 : 4);
        if (!charge(cost)) {
            return false;
        }
        int i = rows.size();
        rows.add(row);
        if (idx == null) {
            table.put(probe.copy(), new int[] {i});
        } else {
            int[] more = Arrays.copyOf(idx, idx.length + 1);
            more[idx.length] = i;
            table.put(probe.copy(), more);
        }
        return true;
    }

    private EntryFile partFor(EntryFile[] parts) {
        return parts[Math.floorMod(HashKeyRef.hash(key.array(), key.length()) * 0x9E3779B9, PARTITIONS)];
    }

    /** The table outgrew the budget: every right row from now on (and those held) goes to partition files. */
    private void partitionRight() {
        rightParts = new EntryFile[PARTITIONS];
        for (int i = 0; i < PARTITIONS; i++) {
            rightParts[i] = new EntryFile(run.spillDir(), name, share);
        }
        // the held rows, in arrival order, keyed again
        Map<Integer, byte[]> keyOf = new HashMap<>();
        for (Map.Entry<Object, int[]> e : table.entrySet()) {
            for (int i : e.getValue()) {
                keyOf.put(i, ((HashKeyRef) e.getKey()).bytes);
            }
        }
        List<byte[]> nullRows = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            byte[] kb = keyOf.get(i);
            byte[] r = rows.get(i);
            if (kb == null) {
                nullRows.add(r); // a null-keyed right row (right and full joins)
                continue;
            }
            rightParts[Math.floorMod(HashKeyRef.hash(kb, kb.length) * 0x9E3779B9, PARTITIONS)].write(
                    kb, 0, kb.length, r, 0, r.length);
        }
        table = new HashMap<>();
        rows = new ArrayList<>();
        matched = new BitSet();
        budget.release(held);
        held = 0;
        nullKeyedFile = new EntryFile(run.spillDir(), name, share);
        for (byte[] q : nullRows) {
            nullKeyedFile.write(q, 0, 0, q, 0, q.length);
        }
    }

    // ---- probe ------------------------------------------------------------------------------------------------

    @Override
    public Object next() throws Exception {
        if (!built) {
            build();
        }
        while (true) {
            Object out = step();
            if (out != null) {
                last = out instanceof Row r ? r : null;
                return out;
            }
            if (!advance()) {
                return null;
            }
        }
    }

    /** The next output of the left row in hand, or null when it has no more. */
    private Object step() {
        if (current == null) {
            return null;
        }
        if (matches == null) { // unmatched, or a semi/anti result
            Row r = current;
            current = null;
            return r == SKIP ? null : r;
        }
        if (matchIndex < matches.length) {
            int i = matches[matchIndex++];
            matched.set(i);
            return combine(current, decode(rows.get(i)));
        }
        current = null;
        matches = null;
        return null;
    }

    private static final Row SKIP = Row.of("skip", "");

    /** Takes the next left row (or moves to the next phase); false when the join has nothing more. */
    private boolean advance() throws Exception {
        if (probing) {
            if (rightParts == null ? nextLeftInMemory() : nextLeftPartitioning()) {
                return true;
            }
            probing = false;
            left.close();
            if (rightParts != null) {
                partition = -1;
                return nextPartition();
            }
            return true; // the unmatched right rows, if any, come next
        }
        if (rightParts != null) {
            if (partition < PARTITIONS && nextLeftOfPartition()) {
                return true;
            }
            if (partition < PARTITIONS && unmatchedRight()) {
                return true;
            }
            if (partition < PARTITIONS) {
                return nextPartition();
            }
            return nullKeyedRight();
        }
        if (unmatchedRight()) {
            return true;
        }
        return nullKeyedRight();
    }

    /** Loads the next partition's right rows into the table. */
    private boolean nextPartition() {
        releaseTable();
        if (leftPart != null) {
            leftPart.close();
            leftPart = null;
        }
        unmatchedIndex = 0;
        while (++partition < PARTITIONS) {
            try (EntryFile.Reader r = rightParts[partition].read()) {
                while (r.next()) {
                    byte[] row =
                            Arrays.copyOfRange(r.array(), r.payloadOffset(), r.payloadOffset() + r.payloadLength());
                    if (!insert(r.array(), r.keyLength(), row)) {
                        throw new SluiceException(String.format(
                                "%s: one of its %d partitions of the right input needs more than its memory share of %s "
                                        + "(many rows with one key?): raise the budget",
                                name, PARTITIONS, MemoryBudget.format(share)));
                    }
                }
            }
            rightParts[partition].close();
            leftPart = leftParts[partition].read();
            return true;
        }
        return true; // all partitions done: the null-keyed right rows come next
    }

    private boolean nextLeftOfPartition() {
        if (leftPart == null || !leftPart.next()) {
            return false;
        }
        reader.reset(leftPart.array(), leftPart.payloadOffset(), leftPart.payloadLength());
        Row l = (Row) codec.read(reader);
        probe(l, leftPart.array(), leftPart.keyLength());
        return true;
    }

    private boolean nextLeftInMemory() {
        if (!left.hasNext()) {
            return false;
        }
        Row l = row(left.next(), "left");
        leftSchema = l.schema();
        key.reset();
        try {
            leftKeys.encode(l, key);
        } catch (DataException | IllegalArgumentException e) {
            throw new SluiceException(name + ": " + e.getMessage(), e);
        }
        if (nullKey(key.array(), key.length(), join.leftKeys().size())) {
            unmatchedLeft(l);
            return true;
        }
        probe(l, key.array(), key.length());
        return true;
    }

    private boolean nextLeftPartitioning() {
        if (!left.hasNext()) {
            return false;
        }
        Row l = row(left.next(), "left");
        leftSchema = l.schema();
        key.reset();
        try {
            leftKeys.encode(l, key);
        } catch (DataException | IllegalArgumentException e) {
            throw new SluiceException(name + ": " + e.getMessage(), e);
        }
        if (nullKey(key.array(), key.length(), join.leftKeys().size())) {
            unmatchedLeft(l);
            return true;
        }
        payload.reset();
        codec.write(l, payload);
        partFor(leftParts).write(key.array(), 0, key.length(), payload.array(), 0, payload.length());
        current = SKIP; // nothing to emit for it now
        matches = null;
        return true;
    }

    private void unmatchedLeft(Row l) {
        matches = null;
        current = switch (type) {
            case LEFT, FULL -> combine(l, null);
            case ANTI -> l;
            default -> SKIP;
        };
    }

    private void probe(Row l, byte[] k, int klen) {
        int[] idx = table.get(new HashKeyRef(k, klen));
        switch (type) {
            case SEMI -> {
                current = idx != null ? l : SKIP;
                matches = null;
            }
            case ANTI -> {
                current = idx == null ? l : SKIP;
                matches = null;
            }
            default -> {
                if (idx == null) {
                    unmatchedLeft(l);
                    if (type == Join.Type.INNER || type == Join.Type.RIGHT) {
                        current = SKIP;
                    }
                } else {
                    current = l;
                    matches = idx;
                    matchIndex = 0;
                }
            }
        }
    }

    private boolean unmatchedRight() {
        if (type != Join.Type.RIGHT && type != Join.Type.FULL) {
            return false;
        }
        while (unmatchedIndex < rows.size()) {
            int i = unmatchedIndex++;
            if (!matched.get(i)) {
                current = combine(null, decode(rows.get(i)));
                matches = null;
                return true;
            }
        }
        return false;
    }

    private boolean nullKeyedRight() {
        if (type != Join.Type.RIGHT && type != Join.Type.FULL) {
            return false;
        }
        if (nullKeyedFile != null) {
            if (nullReader == null) {
                nullReader = nullKeyedFile.read();
            }
            if (!nullReader.next()) {
                return false;
            }
            reader.reset(nullReader.array(), nullReader.payloadOffset(), nullReader.payloadLength());
            current = combine(null, (Row) codec.read(reader));
            matches = null;
            return true;
        }
        return false;
    }

    private Row decode(byte[] b) {
        reader.reset(b, 0, b.length);
        return (Row) codec.read(reader);
    }

    // ---- output rows ------------------------------------------------------------------------------------------

    /** Where each output column comes from. */
    private record Shape(Schema schema, int[] fromLeft, int[] fromRight, int leftPrefix) {}

    private Row combine(Row l, Row r) {
        if (type == Join.Type.SEMI || type == Join.Type.ANTI) {
            return l;
        }
        Schema ls = l != null ? l.schema() : leftSchema;
        Schema rs = r != null ? r.schema() : rightSchema;
        if (shape == null || ls != leftSchemaOfShape || rs != rightSchemaOfShape) {
            shape = shape(ls, rs);
            leftSchemaOfShape = ls;
            rightSchemaOfShape = rs;
        }
        return new JoinedRow(shape.schema(), l, r, shape.fromLeft(), shape.fromRight(), shape.leftPrefix());
    }

    private Schema leftSchemaOfShape;
    private Schema rightSchemaOfShape;

    private Shape shape(Schema ls, Schema rs) {
        List<String> names = new ArrayList<>();
        List<Integer> fl = new ArrayList<>();
        List<Integer> fr = new ArrayList<>();
        java.util.Set<String> taken = new java.util.HashSet<>();
        if (ls != null) {
            for (int i = 0; i < ls.size(); i++) {
                String n = ls.name(i);
                names.add(n);
                taken.add(n);
                int k = join.leftKeys().indexOf(n);
                boolean using = k >= 0 && join.rightKeys().get(k).equals(n);
                fl.add(i);
                fr.add(using && rs != null && rs.has(n) ? rs.indexOf(n) : -1);
            }
        } else {
            for (int k = 0; k < join.leftKeys().size(); k++) {
                String n = join.leftKeys().get(k);
                if (join.rightKeys().get(k).equals(n) && rs != null && rs.has(n)) {
                    names.add(n);
                    taken.add(n);
                    fl.add(-1);
                    fr.add(rs.indexOf(n));
                }
            }
        }
        if (rs != null) {
            for (int i = 0; i < rs.size(); i++) {
                String n = rs.name(i);
                int k = join.rightKeys().indexOf(n);
                if (k >= 0 && join.leftKeys().get(k).equals(n)) {
                    continue; // a USING key: once, above
                }
                String out = n;
                for (int j = 1; taken.contains(out); j++) {
                    out = n + "_right" + (j == 1 ? "" : Integer.toString(j));
                }
                names.add(out);
                taken.add(out);
                fl.add(-1);
                fr.add(i);
            }
        }
        int prefix = 0;
        while (ls != null && prefix < ls.size() && prefix < fl.size() && fl.get(prefix) == prefix) {
            prefix++;
        }
        return new Shape(
                Schema.of(names),
                fl.stream().mapToInt(Integer::intValue).toArray(),
                fr.stream().mapToInt(Integer::intValue).toArray(),
                prefix);
    }

    @Override
    public Location location() {
        return last == null ? null : last.origin();
    }

    @Override
    public double progress() {
        return built ? Math.max(0, leftEx.fraction()) : 0;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (CloseableIterator<Object> it : Arrays.asList(left, right)) {
            if (it != null) {
                try {
                    it.close();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        long spilled = 0;
        for (EntryFile[] parts : Arrays.asList(rightParts, leftParts)) {
            if (parts != null) {
                for (EntryFile f : parts) {
                    spilled += f.bytes();
                }
            }
        }
        if (nullKeyedFile != null) {
            spilled += nullKeyedFile.bytes();
        }
        stats.spilled = Math.max(stats.spilled, spilled);
        if (leftPart != null) {
            leftPart.close();
        }
        if (nullReader != null) {
            nullReader.close();
        }
        for (EntryFile[] parts : Arrays.asList(rightParts, leftParts)) {
            if (parts != null) {
                for (EntryFile f : parts) {
                    f.close();
                }
            }
        }
        if (nullKeyedFile != null) {
            nullKeyedFile.close();
        }
        releaseTable();
        if (failure != null) {
            throw failure;
        }
    }

    /** A key's bytes as a hash-table key. */
    static final class HashKeyRef {
        final byte[] bytes;
        final int len;
        final int hash;

        HashKeyRef(byte[] b, int len) {
            this.bytes = b;
            this.len = len;
            this.hash = hash(b, len);
        }

        HashKeyRef copy() {
            return new HashKeyRef(Arrays.copyOf(bytes, len), len);
        }

        static int hash(byte[] b, int len) {
            int h = 1;
            for (int i = 0; i < len; i++) {
                h = 31 * h + b[i];
            }
            return h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HashKeyRef k && k.hash == hash && Arrays.equals(k.bytes, 0, k.len, bytes, 0, len);
        }
    }
}
