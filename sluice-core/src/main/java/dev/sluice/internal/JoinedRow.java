package dev.sluice.internal;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;

/**
 * Internal: a row of a join's output as a view over its left and right rows, nothing copied: column {@code i} is
 * the left row's column {@code fromLeft[i]} (if any, and not null), else the right row's {@code fromRight[i]}. A CSV
 * writer copies the raw bytes of two CSV rows through it.
 */
public final class JoinedRow extends Row {
    private static final long serialVersionUID = 1L;

    private final Schema schema;
    private final Row left;
    private final Row right;
    private final int[] fromLeft;
    private final int[] fromRight;
    private final int leftPrefix;

    /**
     * @param leftPrefix how many of the first output columns are the left row's columns 0, 1, ... in order (its
     *     width when every left column leads; 0 when none do)
     */
    public JoinedRow(Schema schema, Row left, Row right, int[] fromLeft, int[] fromRight, int leftPrefix) {
        this.schema = schema;
        this.left = left;
        this.right = right;
        this.fromLeft = fromLeft;
        this.fromRight = fromRight;
        this.leftPrefix = leftPrefix;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Object value(int i) {
        int li = fromLeft[i];
        Object v = left != null && li >= 0 ? left.value(li) : null;
        if (v == null && right != null && fromRight[i] >= 0) {
            v = right.value(fromRight[i]);
        }
        return v;
    }

    @Override
    public Location origin() {
        return left != null ? left.origin() : right.origin();
    }

    /** The left row, or null (an unmatched right row). */
    public Row left() {
        return left;
    }

    /** The right row, or null (an unmatched left row). */
    public Row right() {
        return right;
    }

    /** How many leading output columns are the left row's, in order; see the constructor. */
    public int leftPrefix() {
        return leftPrefix;
    }

    /** Where output column {@code i} comes from in the right row, or -1. */
    public int fromRight(int i) {
        return fromRight[i];
    }

    /** Where output column {@code i} comes from in the left row, or -1. */
    public int fromLeft(int i) {
        return fromLeft[i];
    }
}
