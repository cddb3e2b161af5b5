package dev.sluice;

import java.io.Serializable;
import java.util.Objects;

/**
 * One aggregate of a {@link GroupedFlow#aggregate group-by}: what it computes over each group's rows and the name
 * of its output column.
 *
 * <p>Values follow SQL over CSV as DuckDB and PostgreSQL read it: an empty or absent field is null, and aggregates
 * of a column skip nulls ({@code count(col)} counts the rest; {@code sum}, {@code avg}, {@code min}, {@code max} of
 * a group whose values are all null are null). {@code sum} adds exactly: integers as 64-bit integers, anything with
 * a fraction or beyond 64 bits as decimals; a value that is not a number is a bad record under the flow's error
 * policy. {@code min} and {@code max} compare text by Unicode code point, or numbers with {@link #numeric()}.
 * {@code first} and {@code last} are those of the group's earliest and latest rows in input order.
 */
public final class Agg implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What an aggregate computes. */
    public enum Kind {
        COUNT,
        COUNT_VALUES,
        SUM,
        AVG,
        MIN,
        MAX,
        FIRST,
        LAST,
        COUNT_DISTINCT,
        APPROX_COUNT_DISTINCT,
        COLLECT,
        CUSTOM
    }

    private final Kind kind;
    private final String column;
    private final String name;
    private final boolean numeric;
    private final int limit;

    @SuppressWarnings("serial") // the user's serializable aggregator
    private final Aggregator<?> custom;

    private Agg(Kind kind, String column, String name, boolean numeric, int limit, Aggregator<?> custom) {
        this.kind = kind;
        this.column = column;
        this.name = name;
        this.numeric = numeric;
        this.limit = limit;
        this.custom = custom;
    }

    private static Agg of(Kind kind, String column, String fn) {
        Objects.requireNonNull(column, "column");
        return new Agg(kind, column, fn + "(" + column + ")", false, 0, null);
    }

    /** The number of rows: column {@code count}. */
    public static Agg count() {
        return new Agg(Kind.COUNT, null, "count", false, 0, null);
    }

    /** The number of non-null values of {@code column}: {@code count(column)}. */
    public static Agg count(String column) {
        return of(Kind.COUNT_VALUES, column, "count");
    }

    /** The exact sum of {@code column}'s numbers: {@code sum(column)}. */
    public static Agg sum(String column) {
        return of(Kind.SUM, column, "sum");
    }

    /** The mean of {@code column}'s numbers, as a double: {@code avg(column)}. */
    public static Agg avg(String column) {
        return of(Kind.AVG, column, "avg");
    }

    /** The smallest value of {@code column}: {@code min(column)}. */
    public static Agg min(String column) {
        return of(Kind.MIN, column, "min");
    }

    /** The largest value of {@code column}: {@code max(column)}. */
    public static Agg max(String column) {
        return of(Kind.MAX, column, "max");
    }

    /** {@code column}'s value in the group's first row (null or not): {@code first(column)}. */
    public static Agg first(String column) {
        return of(Kind.FIRST, column, "first");
    }

    /** {@code column}'s value in the group's last row: {@code last(column)}. */
    public static Agg last(String column) {
        return of(Kind.LAST, column, "last");
    }

    /**
     * The number of distinct non-null values of {@code column}, exactly: {@code count_distinct(column)}. Its state is
     * the set of values seen; one group's set must fit in memory.
     */
    public static Agg countDistinct(String column) {
        return of(Kind.COUNT_DISTINCT, column, "count_distinct");
    }

    /**
     * The number of distinct non-null values of {@code column}, estimated with a HyperLogLog sketch of 4 KiB per
     * group (standard error about 1.6%; exact counts up to a few hundred): {@code approx_count_distinct(column)}.
     * Memory is fixed whatever the number of values, and sketches merge exactly.
     */
    public static Agg approxCountDistinct(String column) {
        return of(Kind.APPROX_COUNT_DISTINCT, column, "approx_count_distinct");
    }

    /**
     * The group's first {@code maxSize} non-null values of {@code column}, in input order, joined with {@code |} in
     * one text value: {@code collect(column)}.
     */
    public static Agg collect(String column, int maxSize) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("collect needs a size cap of at least 1, was " + maxSize);
        }
        Objects.requireNonNull(column, "column");
        return new Agg(Kind.COLLECT, column, "collect(" + column + ")", false, maxSize, null);
    }

    /** A user-defined aggregate named {@code name}. */
    public static <A> Agg of(String name, Aggregator<A> aggregator) {
        Objects.requireNonNull(aggregator, "aggregator");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a custom aggregate needs a name");
        }
        return new Agg(Kind.CUSTOM, null, name, false, 0, aggregator);
    }

    /**
     * An aggregate from the command line's notation: {@code count}, {@code count:COL}, {@code sum:COL},
     * {@code avg:COL}, {@code min:COL}, {@code max:COL}, {@code first:COL}, {@code last:COL}, {@code distinct:COL}
     * (count of distinct values), {@code approx_distinct:COL} (estimated, in fixed memory); {@code min} and
     * {@code max} take {@code :num} after the column to compare numbers.
     */
    public static Agg parse(String spec) {
        String t = spec.strip();
        int colon = t.indexOf(':');
        String fn = (colon < 0 ? t : t.substring(0, colon)).strip().toLowerCase(java.util.Locale.ROOT);
        String rest = colon < 0 ? null : t.substring(colon + 1);
        boolean num = false;
        if (rest != null && rest.toLowerCase(java.util.Locale.ROOT).endsWith(":num")) {
            num = true;
            rest = rest.substring(0, rest.length() - 4);
        }
        if (rest != null && rest.length() >= 2 && rest.startsWith("\"") && rest.endsWith("\"")) {
            rest = rest.substring(1, rest.length() - 1);
        }
        if (fn.equals("count")) {
            return rest == null ? count() : count(rest);
        }
        if (rest == null || rest.isBlank()) {
            throw new IllegalArgumentException("aggregate '" + spec + "' needs a column: " + fn + ":COLUMN");
        }
        Agg a = switch (fn) {
            case "sum" -> sum(rest);
            case "avg", "mean" -> avg(rest);
            case "min" -> min(rest);
            case "max" -> max(rest);
            case "first" -> first(rest);
            case "last" -> last(rest);
            case "distinct", "count_distinct" -> countDistinct(rest);
            case "approx_distinct", "approx" -> approxCountDistinct(rest);
            default ->
                throw new IllegalArgumentException("unknown aggregate '" + fn + "' in '" + spec
                        + "': use count, sum, avg, min, max, first, last or distinct");
        };
        return num ? a.numeric() : a;
    }

    /** This aggregate with output column {@code newName}. */
    public Agg as(String newName) {
        if (newName == null || newName.isBlank()) {
            throw new IllegalArgumentException("an aggregate's name must not be blank");
        }
        return new Agg(kind, column, newName, numeric, limit, custom);
    }

    /** This {@code min} or {@code max} comparing values as numbers. */
    public Agg numeric() {
        if (kind != Kind.MIN && kind != Kind.MAX) {
            throw new IllegalStateException("numeric() applies to min and max, not " + name);
        }
        return new Agg(kind, column, name, true, limit, custom);
    }

    public Kind kind() {
        return kind;
    }

    /** The column it reads, or null ({@code count()}, custom aggregates). */
    public String column() {
        return column;
    }

    /** The output column's name. */
    public String name() {
        return name;
    }

    public boolean isNumeric() {
        return numeric;
    }

    /** The size cap of {@code collect}. */
    public int limit() {
        return limit;
    }

    /** The user's aggregator, for {@link Kind#CUSTOM}. */
    public Aggregator<?> custom() {
        return custom;
    }

    @Override
    public String toString() {
        return name;
    }
}
