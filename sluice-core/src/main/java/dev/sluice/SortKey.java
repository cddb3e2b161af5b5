package dev.sluice;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * One key of a {@link Flow#sortBy(SortKey...) sort} over rows: a column, its direction, where nulls go, and how its
 * values compare.
 *
 * <p>Values compare by their type: text by Unicode code point (the order of its UTF-8 bytes, as DuckDB, PostgreSQL's
 * {@code C} collation and Python compare strings), integers and decimals numerically, dates and times in time order.
 * CSV fields are text; {@link #numeric()} compares them as numbers instead (an empty field is then null, and a
 * field that is not a number is a bad record, handled by the flow's error policy).
 *
 * <p>Nulls (absent or null values) sort last in ascending order and first in descending order, as in PostgreSQL:
 * as if larger than every value. {@link #nullsFirst()} and {@link #nullsLast()} choose.
 */
public final class SortKey implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a key's values compare. */
    public enum Type {
        /** By their own type: text by code point, numbers numerically, dates in time order. */
        NATURAL,
        /** Text parsed as a number (64-bit floating point: integers up to 2^53 exactly). */
        NUMERIC
    }

    private final String column;
    private final boolean descending;
    private final Boolean nullsFirst;
    private final Type type;

    private SortKey(String column, boolean descending, Boolean nullsFirst, Type type) {
        if (column == null || column.isEmpty()) {
            throw new IllegalArgumentException("a sort key needs a column name");
        }
        this.column = column;
        this.descending = descending;
        this.nullsFirst = nullsFirst;
        this.type = type;
    }

    /** Column {@code column}, smallest first. */
    public static SortKey asc(String column) {
        return new SortKey(column, false, null, Type.NATURAL);
    }

    /** Column {@code column}, largest first. */
    public static SortKey desc(String column) {
        return new SortKey(column, true, null, Type.NATURAL);
    }

    /**
     * A key from the command line's notation: {@code COL}, {@code COL:desc}, {@code COL:asc}, with {@code :num} for
     * numeric comparison and {@code :nullsfirst} or {@code :nullslast}, in any order after the name.
     */
    public static SortKey parse(String spec) {
        String t = spec.strip();
        String column;
        String rest;
        if (t.startsWith("\"")) { // a quoted name may hold colons and commas
            int end = t.indexOf('"', 1);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed quote in sort key '" + spec + "'");
            }
            column = t.substring(1, end);
            rest = t.substring(end + 1);
        } else {
            int colon = t.indexOf(':');
            column = colon < 0 ? t : t.substring(0, colon).strip();
            rest = colon < 0 ? "" : t.substring(colon);
        }
        SortKey k = asc(column);
        String[] parts = rest.isEmpty() ? new String[0] : rest.substring(1).split(":");
        if (!rest.isEmpty() && !rest.startsWith(":")) {
            throw new IllegalArgumentException("expected ':' after the quoted name in '" + spec + "'");
        }
        for (String part : parts) {
            switch (part.strip().toLowerCase(Locale.ROOT)) {
                case "desc" -> k = new SortKey(k.column, true, k.nullsFirst, k.type);
                case "asc" -> k = new SortKey(k.column, false, k.nullsFirst, k.type);
                case "num", "numeric", "n" -> k = k.numeric();
                case "nullsfirst" -> k = k.nullsFirst();
                case "nullslast" -> k = k.nullsLast();
                default ->
                    throw new IllegalArgumentException("unknown sort option '" + part + "' in '" + spec
                            + "': use desc, asc, num, nullsfirst or nullslast");
            }
        }
        return k;
    }

    /** This key, compared as numbers. */
    public SortKey numeric() {
        return new SortKey(column, descending, nullsFirst, Type.NUMERIC);
    }

    /** This key with nulls before every value. */
    public SortKey nullsFirst() {
        return new SortKey(column, descending, true, type);
    }

    /** This key with nulls after every value. */
    public SortKey nullsLast() {
        return new SortKey(column, descending, false, type);
    }

    public String column() {
        return column;
    }

    public boolean descending() {
        return descending;
    }

    /** Whether nulls come first: by default, in descending order only. */
    public boolean nullsAreFirst() {
        return nullsFirst != null ? nullsFirst : descending;
    }

    public Type type() {
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SortKey k
                && k.column.equals(column)
                && k.descending == descending
                && Objects.equals(k.nullsFirst, nullsFirst)
                && k.type == type;
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, descending, nullsFirst, type);
    }

    @Override
    public String toString() {
        return column
                + (descending ? " desc" : "")
                + (type == Type.NUMERIC ? " numeric" : "")
                + (nullsFirst == null ? "" : nullsFirst ? " nulls first" : " nulls last");
    }
}
