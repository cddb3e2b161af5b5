package dev.sluice;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How {@link Flow#join} matches two flows of rows: the key columns on each side and the kind of join.
 *
 * <pre>{@code
 * tickets.join(registrations, Join.on("Plate ID", "Registration State"))          // inner
 * tickets.join(registrations, Join.on("Plate ID", "Registration State").left())   // every ticket
 * tickets.join(plates, Join.on(List.of("Plate ID"), List.of("plate")).anti())     // tickets without a plate row
 * }</pre>
 *
 * <p><b>Nulls.</b> A row whose key has a null (absent or empty) value matches nothing, as in SQL: an inner join drops
 * it, a left (right, full) join keeps it unmatched, an anti join keeps it (like {@code NOT EXISTS}), a semi join
 * drops it. Values compare by type and value: a CSV field {@code "7"} does not match a database integer 7 (map one
 * side first).
 *
 * <p><b>Columns.</b> The left row's columns, then the right row's. A key column named the same on both sides appears
 * once (as SQL's {@code USING}): the left value, or the right one where the left row is missing (right and full
 * joins). Any other right column whose name is taken gets the suffix {@code _right} (then {@code _right2}, ...).
 * Semi and anti joins give the left rows as they are.
 */
public final class Join implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The kinds of join. */
    public enum Type {
        INNER,
        LEFT,
        RIGHT,
        FULL,
        SEMI,
        ANTI
    }

    @SuppressWarnings("serial") // immutable List.copyOf of strings
    private final List<String> left;

    @SuppressWarnings("serial") // immutable List.copyOf of strings
    private final List<String> right;

    private final Type type;

    private Join(List<String> left, List<String> right, Type type) {
        if (left.isEmpty() || left.size() != right.size()) {
            throw new IllegalArgumentException(
                    "a join needs the same number of key columns on each side, at least one: " + left + ", " + right);
        }
        this.left = List.copyOf(left);
        this.right = List.copyOf(right);
        this.type = type;
    }

    /** An inner join on columns named the same on both sides. */
    public static Join on(String... columns) {
        return new Join(List.of(columns), List.of(columns), Type.INNER);
    }

    /** An inner join on {@code leftColumns} matched, in order, to {@code rightColumns}. */
    public static Join on(List<String> leftColumns, List<String> rightColumns) {
        return new Join(leftColumns, rightColumns, Type.INNER);
    }

    /** The command line's notation: {@code LCOL=RCOL,...} or {@code COL,...} (the same name on both sides). */
    public static Join parse(String spec) {
        List<String> l = new java.util.ArrayList<>();
        List<String> r = new java.util.ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            l.add((eq < 0 ? p : p.substring(0, eq)).strip());
            r.add((eq < 0 ? p : p.substring(eq + 1)).strip());
        }
        return new Join(l, r, Type.INNER);
    }

    public Join inner() {
        return new Join(left, right, Type.INNER);
    }

    /** Every left row, with its matches or, if none, nulls for the right's columns. */
    public Join left() {
        return new Join(left, right, Type.LEFT);
    }

    /** Every right row, with its matches or, if none, nulls for the left's columns. */
    public Join right() {
        return new Join(left, right, Type.RIGHT);
    }

    /** Every row of both sides: the matches, then the unmatched of each side. */
    public Join full() {
        return new Join(left, right, Type.FULL);
    }

    /** The left rows that have a match, once each ({@code EXISTS}). */
    public Join semi() {
        return new Join(left, right, Type.SEMI);
    }

    /** The left rows that have no match, null-keyed ones included ({@code NOT EXISTS}). */
    public Join anti() {
        return new Join(left, right, Type.ANTI);
    }

    /** This join with kind {@code t}. */
    public Join type(Type t) {
        return new Join(left, right, t);
    }

    public List<String> leftKeys() {
        return left;
    }

    public List<String> rightKeys() {
        return right;
    }

    public Type type() {
        return type;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.name().toLowerCase(Locale.ROOT)).append(" join on ");
        for (int i = 0; i < left.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(left.get(i));
            if (!left.get(i).equals(right.get(i))) {
                sb.append(" = ").append(right.get(i));
            }
        }
        return sb.toString();
    }
}
