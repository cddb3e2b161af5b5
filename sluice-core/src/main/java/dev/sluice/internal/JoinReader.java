package dev.sluice.internal;

import dev.sluice.CloseableIterator;
import dev.sluice.DataException;
import dev.sluice.Join;
import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.SluiceException;
import dev.sluice.SortKey;
import dev.sluice.SourceReader;
import dev.sluice.internal.LocalExecution.Execution;
import dev.sluice.internal.op.JoinStage;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.EntryFile;
import dev.sluice.internal.spill.JoinTable;
import dev.sluice.internal.spill.KeyEncoder;
import dev.sluice.internal.spill.MemoryBudget;
import dev.sluice.internal.spill.RecordCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    // the table: right rows encoded, in arrival order, in budgeted pages
    private final JoinTable table;

    // grace mode
    private EntryFile[] rightParts;
    private EntryFile[] leftParts;
    private EntryFile nullKeyedFile;
    private int partition = -1;

    // the output in progress
    private Row current;
    private JoinTable.Cursor matches;
    /** Whether the left row in hand has met a match yet. */
    private boolean matched;

    private boolean probing = true;
    private JoinTable.Cursor unmatched;
    private EntryFile.Reader leftPart;
    private EntryFile.Reader nullReader;
    private Row last;

    private final JoinOutput out;

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
        this.table = new JoinTable(budget, share);
        this.out = new JoinOutput(join);
    }

    private static List<SortKey> keys(List<String> cols) {
        List<SortKey> out = new ArrayList<>();
        for (String c : cols) {
            out.add(SortKey.asc(c));
        }
        return out;
    }

    private Row row(Object t, String side) {
        if (t instanceof Row r) {
            return r;
        }
        throw new SluiceException(name + " joins rows; its " + side + " input gave a "
                + t.getClass().getName());
    }

    private void releaseTable() {
        stats.peakMemory = Math.max(stats.peakMemory, table.peak());
        table.clear();
    }

    // ---- build ------------------------------------------------------------------------------------------------

    private void build() {
        built = true;
        right = MergeReaders.readAhead(name + "-right", rightEx);
        try {
            while (right.hasNext()) {
                Row r = row(right.next(), "right");
                out.right(r.schema());
                key.reset();
                try {
                    rightKeys.encode(r, key);
                } catch (DataException | IllegalArgumentException e) {
                    throw new SluiceException(name + ": " + e.getMessage(), e);
                }
                payload.reset();
                codec.write(r, payload);
                boolean none = JoinOutput.nullKey(
                        key.array(), key.length(), join.rightKeys().size());
                if (none) {
                    if (type == Join.Type.RIGHT || type == Join.Type.FULL) {
                        if (rightParts == null) {
                            // held with the others (no key, in no bucket), so unmatched right rows leave in order
                            if (table.add(key.array(), 0, 0, payload.array(), 0, payload.length())) {
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
                if (!table.add(key.array(), 0, key.length(), payload.array(), 0, payload.length())) {
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
        left = MergeReaders.readAhead(name + "-left", leftEx);
    }

    /** In grace mode: a null-keyed right row, kept for the end (right and full joins). */
    private void addNullKeyed() {
        nullKeyedFile.write(key.array(), 0, 0, payload.array(), 0, payload.length());
    }

    private EntryFile partFor(EntryFile[] parts) {
        return parts[partition(key.array(), 0, key.length())];
    }

    private static int partition(byte[] k, int off, int len) {
        // the hash's top bits: its low bits choose the bucket within a partition's table
        return (int) ((JoinTable.hash(k, off, len) * 0x9E3779B97F4A7C15L) >>> (64 - 6));
    }

    /** The table outgrew the budget: every right row from now on (and those held) goes to partition files. */
    private void partitionRight() {
        rightParts = new EntryFile[PARTITIONS];
        for (int i = 0; i < PARTITIONS; i++) {
            rightParts[i] = new EntryFile(run.spillDir(), name, share);
        }
        nullKeyedFile = new EntryFile(run.spillDir(), name, share);
        JoinTable.Cursor c = table.all(); // the held rows, in arrival order
        while (c.next()) {
            byte[] a = c.array();
            if (c.keyLength() == 0) {
                nullKeyedFile.write(a, 0, 0, a, c.payloadOffset(), c.payloadLength());
            } else {
                rightParts[partition(a, c.keyOffset(), c.keyLength())].write(
                        a, c.keyOffset(), c.keyLength(), a, c.payloadOffset(), c.payloadLength());
            }
        }
        releaseTable();
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
        if (matches.next()) {
            matched = true;
            if (type == Join.Type.RIGHT || type == Join.Type.FULL) {
                table.markMatched(matches);
            }
            return out.combine(current, decode(matches.array(), matches.payloadOffset(), matches.payloadLength()));
        }
        Row l = current;
        current = null;
        matches = null;
        // a left (or full) join keeps a left row that found no match
        return !matched && (type == Join.Type.LEFT || type == Join.Type.FULL) ? out.combine(l, null) : null;
    }

    private static final Row SKIP = Row.of("skip", "");

    /** Takes the next left row (or moves to the next phase); false when the join has nothing more. */
    private boolean advance() throws Exception {
        if (probing) {
            if (nextLeft()) {
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
        stats.peakMemory = Math.max(stats.peakMemory, table.peak());
        table.reset();
        if (leftPart != null) {
            leftPart.close();
            leftPart = null;
        }
        unmatched = null;
        while (++partition < PARTITIONS) {
            table.presize(rightParts[partition].entries());
            try (EntryFile.Reader r = rightParts[partition].read()) {
                while (r.next()) {
                    if (!table.add(r.array(), 0, r.keyLength(), r.array(), r.payloadOffset(), r.payloadLength())) {
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

    /**
     * Takes the next left row: a null-keyed one leaves unmatched at once; otherwise it probes the table, or, while
     * partitioning, goes to its partition file. False at the end of the left input.
     */
    private boolean nextLeft() {
        if (!left.hasNext()) {
            return false;
        }
        Row l = row(left.next(), "left");
        out.left(l.schema());
        key.reset();
        try {
            leftKeys.encode(l, key);
        } catch (DataException | IllegalArgumentException e) {
            throw new SluiceException(name + ": " + e.getMessage(), e);
        }
        if (JoinOutput.nullKey(key.array(), key.length(), join.leftKeys().size())) {
            unmatchedLeft(l);
        } else if (rightParts == null) {
            probe(l, key.array(), key.length());
        } else {
            payload.reset();
            codec.write(l, payload);
            partFor(leftParts).write(key.array(), 0, key.length(), payload.array(), 0, payload.length());
            current = SKIP; // nothing to emit for it now
            matches = null;
        }
        return true;
    }

    private void unmatchedLeft(Row l) {
        matches = null;
        current = switch (type) {
            case LEFT, FULL -> out.combine(l, null);
            case ANTI -> l;
            default -> SKIP;
        };
    }

    private void probe(Row l, byte[] k, int klen) {
        JoinTable.Cursor c = table.matches(k, 0, klen);
        switch (type) {
            case SEMI -> {
                current = c.next() ? l : SKIP;
                matches = null;
            }
            case ANTI -> {
                current = c.next() ? SKIP : l;
                matches = null;
            }
            default -> {
                current = l;
                matches = c;
                matched = false;
            }
        }
    }

    private boolean unmatchedRight() {
        if (type != Join.Type.RIGHT && type != Join.Type.FULL) {
            return false;
        }
        if (unmatched == null) {
            unmatched = table.all();
        }
        while (unmatched.next()) {
            if (!table.isMatched(unmatched.ordinal())) {
                current = out.combine(
                        null, decode(unmatched.array(), unmatched.payloadOffset(), unmatched.payloadLength()));
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
            current = out.combine(null, (Row) codec.read(reader));
            matches = null;
            return true;
        }
        return false;
    }

    private Row decode(byte[] b, int off, int len) {
        reader.reset(b, off, len);
        return (Row) codec.read(reader);
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
}
