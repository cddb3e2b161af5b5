package dev.sluice.internal;

import dev.sluice.CloseableIterator;
import dev.sluice.DataException;
import dev.sluice.Join;
import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.SluiceException;
import dev.sluice.SortKey;
import dev.sluice.SourceReader;
import dev.sluice.StageException;
import dev.sluice.internal.LocalExecution.Execution;
import dev.sluice.internal.op.JoinStage;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.KeyEncoder;
import dev.sluice.internal.spill.MemoryBudget;
import dev.sluice.internal.spill.RecordCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Internal: {@code joinSorted}, a merge join of two inputs each sorted on the join keys (ascending, text by code
 * point, nulls last: the order {@code sortBy(keys)} gives). Both inputs stream; it holds only the right rows of the
 * current key (encoded, counted against the memory budget), so it works on inputs of any size and on endless ones.
 * Output follows the key order: each left row followed by its matches in the right input's order, unmatched right
 * rows (right and full joins) at their key's place. Each input's order is checked as it is read; the first record
 * out of order fails the run, named with its number and place.
 */
final class MergeJoinReader implements SourceReader<Object> {
    private final Join.Type type;
    private final Execution leftEx;
    private final Execution rightEx;
    private final StageStats stats;
    private final String name;
    private final List<String> leftNames;
    private final List<String> rightNames;
    private final KeyEncoder leftKeys;
    private final KeyEncoder rightKeys;
    private final RecordCodec codec;
    private final MemoryBudget budget;
    private final JoinOutput out;
    private final boolean rightOuter;

    private CloseableIterator<Object> left;
    private CloseableIterator<Object> right;

    private Bytes leftKey = new Bytes(128);
    private Bytes prevLeftKey = new Bytes(128);
    private long leftCount;
    private Row pendingLeft;
    private boolean leftDone;

    private Bytes rightKey = new Bytes(128);
    private Bytes prevRightKey = new Bytes(128);
    private long rightCount;
    private Row peekRight;
    private boolean rightDone;

    // the right rows of one key, encoded in arrival order
    private final Bytes group = new Bytes(4096);
    private final Bytes groupKey = new Bytes(128);
    private final List<Integer> ends = new ArrayList<>();
    private boolean groupValid;
    private boolean groupMatched;
    private long reserved;
    private final Bytes.Reader reader = new Bytes.Reader();

    // the output in progress
    private Row emitting; // a left row with matches to emit
    private int matchIndex;
    private int drainIndex = -1; // unmatched group rows to emit
    private Row last;

    MergeJoinReader(JoinStage stage, Execution leftEx, Execution rightEx, RunState run, StageStats stats) {
        Join join = stage.join();
        this.type = join.type();
        this.leftEx = leftEx;
        this.rightEx = rightEx;
        this.stats = stats;
        this.name = stats.name.equals("sorted join") ? "sorted join" : "sorted join '" + stats.name + "'";
        this.leftNames = join.leftKeys();
        this.rightNames = join.rightKeys();
        // the order sortBy(keys) gives: an empty field is the smallest text, a null the largest value
        this.leftKeys = new KeyEncoder(asc(leftNames), false);
        this.rightKeys = new KeyEncoder(asc(rightNames), false);
        this.codec = new RecordCodec(name);
        this.budget = run.memory();
        this.out = new JoinOutput(join);
        this.rightOuter = type == Join.Type.RIGHT || type == Join.Type.FULL;
    }

    private static List<SortKey> asc(List<String> cols) {
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

    /** Encodes {@code r}'s key into {@code into} and checks it does not sort before {@code prev}. */
    private void key(Row r, KeyEncoder enc, Bytes into, Bytes prev, long n, String side, List<String> names) {
        into.reset();
        try {
            enc.encode(r, into);
        } catch (DataException | IllegalArgumentException e) {
            throw new StageException(stats.name, n, r.origin(), e);
        }
        if (n > 1 && Arrays.compareUnsigned(into.array(), 0, into.length(), prev.array(), 0, prev.length()) < 0) {
            throw new StageException(
                    stats.name,
                    n,
                    r.origin(),
                    new DataException(
                            String.format(
                                    "its %s input is not sorted by %s: record %,d comes after a larger key; sort it "
                                            + "first (sortBy) or use join, which needs no order",
                                    side, names, n),
                            r.origin(),
                            null));
        }
        prev.reset();
        prev.write(into.array(), 0, into.length());
    }

    private boolean nextLeft() {
        if (!left.hasNext()) {
            leftDone = true;
            return false;
        }
        pendingLeft = row(left.next(), "left");
        out.left(pendingLeft.schema());
        key(pendingLeft, leftKeys, leftKey, prevLeftKey, ++leftCount, "left", leftNames);
        return true;
    }

    /** The next right row in {@link #peekRight} (its key in {@link #rightKey}), or false at the end. */
    private boolean peekRight() {
        if (peekRight != null) {
            return true;
        }
        if (rightDone || !right.hasNext()) {
            rightDone = true;
            return false;
        }
        peekRight = row(right.next(), "right");
        out.right(peekRight.schema());
        key(peekRight, rightKeys, rightKey, prevRightKey, ++rightCount, "right", rightNames);
        return true;
    }

    /** Reads every right row with the key in hand into the group. */
    private void loadGroup() {
        clearGroup();
        groupKey.write(rightKey.array(), 0, rightKey.length());
        groupValid = true;
        groupMatched = false;
        while (peekRight()
                && Arrays.equals(rightKey.array(), 0, rightKey.length(), groupKey.array(), 0, groupKey.length())) {
            int before = group.length();
            codec.write(peekRight, group);
            ends.add(group.length());
            charge(group.length() - before + 16);
            peekRight = null;
        }
    }

    private void charge(long bytes) {
        if (!budget.tryReserve(bytes)) {
            throw new SluiceException(String.format(
                    "%s: the right rows of one key need more than the memory budget of %s (%,d rows so far): "
                            + "raise it (--memory, LocalRunner.withMemory), or use join, which partitions to files",
                    name, MemoryBudget.format(budget.limit()), ends.size()));
        }
        reserved += bytes;
        stats.peakMemory = Math.max(stats.peakMemory, reserved);
    }

    private void clearGroup() {
        group.reset();
        groupKey.reset();
        ends.clear();
        groupValid = false;
        if (reserved > 0) {
            budget.release(reserved);
            reserved = 0;
        }
    }

    private Row groupRow(int i) {
        int start = i == 0 ? 0 : ends.get(i - 1);
        reader.reset(group.array(), start, ends.get(i) - start);
        return (Row) codec.read(reader);
    }

    @Override
    public Object next() {
        if (left == null) {
            left = MergeReaders.readAhead(name + "-left", leftEx);
            right = MergeReaders.readAhead(name + "-right", rightEx);
            peekRight(); // the right input's columns, for left rows that leave unmatched before any match
        }
        Row r = step();
        last = r;
        return r;
    }

    private Row step() {
        while (true) {
            if (emitting != null) {
                if (matchIndex < ends.size()) {
                    return out.combine(emitting, groupRow(matchIndex++));
                }
                emitting = null;
                continue;
            }
            if (drainIndex >= 0) {
                if (drainIndex < ends.size()) {
                    return out.combine(null, groupRow(drainIndex++));
                }
                drainIndex = -1;
                clearGroup();
                continue;
            }
            if (pendingLeft == null && !leftDone) {
                nextLeft();
            }
            if (groupValid && (leftDone || compare(leftKey, groupKey) > 0)) {
                // the left input has moved past the group's key
                if (rightOuter && !groupMatched) {
                    drainIndex = 0;
                } else {
                    clearGroup();
                }
                continue;
            }
            if (leftDone) {
                // what is left of the right input matches nothing
                if (rightOuter && peekRight()) {
                    Row rr = peekRight;
                    peekRight = null;
                    return out.combine(null, rr);
                }
                return null;
            }
            Row l = pendingLeft;
            if (nullKey(l, leftNames)) { // null and empty keys match nothing
                pendingLeft = null;
                Row u = unmatched(l);
                if (u != null) {
                    return u;
                }
                continue;
            }
            if (groupValid) { // the left key equals the group's: a match
                pendingLeft = null;
                groupMatched = true;
                switch (type) {
                    case SEMI:
                        return l;
                    case ANTI:
                        continue;
                    default:
                        emitting = l;
                        matchIndex = 0;
                        continue;
                }
            }
            if (peekRight()) {
                int c = compare(rightKey, leftKey);
                if (c < 0) { // a right key no left row has
                    Row rr = peekRight;
                    peekRight = null;
                    if (rightOuter) {
                        return out.combine(null, rr);
                    }
                    continue;
                }
                if (c == 0 && !nullKey(peekRight, rightNames)) {
                    loadGroup();
                    continue;
                }
            }
            pendingLeft = null; // no right row has its key
            Row u = unmatched(l);
            if (u != null) {
                return u;
            }
        }
    }

    /** What a left row without a match gives: itself with nulls (left, full), itself (anti), or nothing. */
    private Row unmatched(Row l) {
        return switch (type) {
            case LEFT, FULL -> out.combine(l, null);
            case ANTI -> l;
            default -> null;
        };
    }

    /** Whether a key column of {@code r} is null or empty (as SQL reads CSV): such a key matches nothing. */
    private static boolean nullKey(Row r, List<String> names) {
        for (String n : names) {
            Object v = r.value(n);
            if (v == null || (v instanceof String s && s.isEmpty())) {
                return true;
            }
        }
        return false;
    }

    private static int compare(Bytes a, Bytes b) {
        return Arrays.compareUnsigned(a.array(), 0, a.length(), b.array(), 0, b.length());
    }

    @Override
    public Location location() {
        return last == null ? null : last.origin();
    }

    @Override
    public double progress() {
        return left == null ? 0 : Math.max(0, leftEx.fraction());
    }

    @Override
    public void close() {
        clearGroup();
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
        if (failure != null) {
            throw failure;
        }
    }
}
