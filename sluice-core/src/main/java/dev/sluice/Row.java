package dev.sluice;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A record with named columns: what CSV files and tables produce. Access by name or 0-based index; typed getters
 * whose errors name the column, the value and where the record came from.
 *
 * <p><b>Absent vs empty.</b> A value is <em>absent</em> ({@link #get} returns {@code null}) when the record has no
 * such field (a short ragged row padded to the header, a SQL NULL, an unquoted empty field under a dialect that
 * reads those as null); it is <em>empty</em> when the field is there and holds {@code ""}.
 *
 * <pre>{@code
 * if (r.is("Vehicle Make", "FORD")) {            // no decoding or allocation for CSV rows
 *   LocalDate d = r.getDate("Issue Date", "MM/dd/yyyy");
 *   Row out = r.with("days", 12).select("Plate ID", "days");
 * }
 * }</pre>
 *
 * <p>Rows are immutable; {@link #with} and {@link #select} return new rows.
 */
public abstract class Row implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Constructor for subclasses; rows are built with {@link #of} or {@link Schema#row}. */
    protected Row() {}

    /** The row's schema: its column names in header order. */
    public abstract Schema schema();

    /**
     * The value of column {@code i} as stored: a {@code String} for text sources, a typed value for typed sources;
     * {@code null} if absent.
     */
    public abstract Object value(int i);

    /** Where the record came from, or null if unknown (e.g. a row built in code). */
    public abstract Location origin();

    /** The number of columns (the schema's size). */
    public int size() {
        return schema().size();
    }

    /** The value of column {@code name} as stored, or null if absent. */
    public Object value(String name) {
        return value(schema().require(name));
    }

    /** Column {@code i} as text, or {@code null} if absent. */
    public String get(int i) {
        Object v = value(i);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        return v instanceof java.math.BigDecimal ? ((java.math.BigDecimal) v).toPlainString() : v.toString();
    }

    /**
     * Column {@code name} as text, or {@code null} if absent.
     *
     * @throws IllegalArgumentException if the schema has no such column
     */
    public String get(String name) {
        return get(schema().require(name));
    }

    /** Column {@code name} as text, or {@code defaultValue} if absent or empty. */
    public String getOr(String name, String defaultValue) {
        String s = get(name);
        return s == null || s.isEmpty() ? defaultValue : s;
    }

    /** Whether column {@code name} is absent (see the class comment). */
    public boolean isAbsent(String name) {
        return value(name) == null;
    }

    /** Whether column {@code name} is present and empty. */
    public boolean isEmpty(String name) {
        Object v = value(name);
        return v != null && v.toString().isEmpty();
    }

    /**
     * Whether column {@code name} equals {@code expected} exactly. For CSV rows this compares the raw bytes and
     * allocates nothing. An absent value equals nothing.
     */
    public boolean is(String name, String expected) {
        return is(schema().require(name), expected);
    }

    /** Whether column {@code i} equals {@code expected} exactly. */
    public boolean is(int i, String expected) {
        String s = get(i);
        return s != null && s.equals(expected);
    }

    // ---- typed getters -------------------------------------------------------------------------------------------

    /** Converts a column's text; may throw anything, which becomes the cause of a {@link DataException}. */
    @FunctionalInterface
    private interface Parser<V> {
        V parse(String text) throws Exception;
    }

    /**
     * Column {@code name} converted: a value already stored with a suitable type is returned by {@code stored} (which
     * returns null otherwise); text is converted by {@code parser}. Failures name the column, value and origin.
     */
    private <V> V typed(String name, String what, java.util.function.Function<Object, V> stored, Parser<V> parser) {
        int i = schema().require(name);
        V direct = stored.apply(value(i));
        if (direct != null) {
            return direct;
        }
        String s = text(i, what);
        try {
            return parser.parse(s);
        } catch (Exception e) {
            throw conversionError(i, s, what, e);
        }
    }

    /** Column {@code name} as an int; fails with a {@link DataException} naming the column, value and origin. */
    public int getInt(String name) {
        return typed(name, "an int", v -> v instanceof Integer ? (Integer) v : null, s -> Integer.parseInt(s.trim()));
    }

    /** Column {@code name} as a long. */
    public long getLong(String name) {
        return typed(
                name,
                "a long",
                v -> v instanceof Long || v instanceof Integer ? ((Number) v).longValue() : null,
                s -> Long.parseLong(s.trim()));
    }

    /** Column {@code name} as a double. */
    public double getDouble(String name) {
        return typed(
                name,
                "a double",
                v -> v instanceof Number ? ((Number) v).doubleValue() : null,
                s -> Double.parseDouble(s.trim()));
    }

    /** Column {@code name} as a BigDecimal, exactly as written (scale kept). */
    public BigDecimal getDecimal(String name) {
        return typed(
                name, "a decimal", v -> v instanceof BigDecimal ? (BigDecimal) v : null, s -> new BigDecimal(s.trim()));
    }

    /** Column {@code name} as a boolean: true/false, yes/no, y/n, t/f, 1/0, in any case. */
    public boolean getBoolean(String name) {
        return typed(name, "a boolean", v -> v instanceof Boolean ? (Boolean) v : null, Row::parseBoolean);
    }

    private static Boolean parseBoolean(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "y":
            case "t":
            case "1":
                return true;
            case "false":
            case "no":
            case "n":
            case "f":
            case "0":
                return false;
            default:
                throw new IllegalArgumentException("expected true/false, yes/no, y/n, t/f or 1/0");
        }
    }

    /** Column {@code name} as an ISO date ({@code yyyy-MM-dd}). */
    public LocalDate getDate(String name) {
        return getDate(name, "yyyy-MM-dd");
    }

    /**
     * Column {@code name} as a date in {@code pattern} ({@link java.time.format.DateTimeFormatter} syntax, strict:
     * {@code 2017-02-30} is an error).
     */
    public LocalDate getDate(String name, String pattern) {
        return typed(
                name,
                "a date (pattern " + pattern + ")",
                v -> v instanceof LocalDate ? (LocalDate) v : null,
                s -> Dates.parse(s, pattern));
    }

    /** Column {@code name} as a date-time in {@code pattern}, e.g. {@code yyyy-MM-dd'T'HH:mm:ss.SSS}. */
    public LocalDateTime getDateTime(String name, String pattern) {
        return typed(
                name,
                "a date-time (pattern " + pattern + ")",
                v -> v instanceof LocalDateTime ? (LocalDateTime) v : null,
                s -> Dates.parseDateTime(s, pattern));
    }

    private String text(int i, String what) {
        String s = get(i);
        if (s == null) {
            throw new DataException(
                    where("column '" + schema().name(i) + "' is absent, expected " + what), origin(), null);
        }
        return s;
    }

    private DataException conversionError(int i, String value, String what, Throwable cause) {
        return new DataException(
                where("column '" + schema().name(i) + "' value '" + value + "' is not " + what), origin(), cause);
    }

    private String where(String message) {
        Location o = origin();
        return o == null ? message : message + " (" + o + ")";
    }

    // ---- derived rows --------------------------------------------------------------------------------------------

    /** This row with column {@code name} set to {@code value}: replaced if present, else appended at the end. */
    public Row with(String name, Object value) {
        Schema s = schema();
        int i = s.indexOf(name);
        int n = s.size();
        Object[] vals = new Object[i < 0 ? n + 1 : n];
        for (int j = 0; j < n; j++) {
            vals[j] = value(j);
        }
        if (i < 0) {
            vals[n] = value;
            return new ArrayRow(s.append(name), vals, origin());
        }
        vals[i] = value;
        return new ArrayRow(s, vals, origin());
    }

    /** A row with just these columns, in this order. */
    public Row select(String... names) {
        Object[] vals = new Object[names.length];
        for (int j = 0; j < names.length; j++) {
            vals[j] = value(schema().require(names[j]));
        }
        return new ArrayRow(Schema.interned(Arrays.asList(names)), vals, origin());
    }

    /** The values as text, in column order ({@code null} for absent values). */
    public List<String> values() {
        List<String> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(get(i));
        }
        return out;
    }

    /** The row as an ordered map from column name to text. Later duplicate column names overwrite earlier ones. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < size(); i++) {
            m.put(schema().name(i), get(i));
        }
        return m;
    }

    // ---- building and binding ------------------------------------------------------------------------------------

    /**
     * A row from alternating names and values: {@code Row.of("make", "FORD", "agency", "police")}. Values are kept
     * as given ({@code null} = absent). Schemas are shared between rows with the same names.
     */
    public static Row of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "Row.of takes alternating names and values, but got an odd number of arguments: "
                            + namesAndValues.length);
        }
        int n = namesAndValues.length / 2;
        String[] names = new String[n];
        Object[] vals = new Object[n];
        for (int i = 0; i < n; i++) {
            Object name = namesAndValues[2 * i];
            if (!(name instanceof String)) {
                throw new IllegalArgumentException(
                        "Row.of argument " + (2 * i + 1) + " must be a column name, was " + name);
            }
            names[i] = (String) name;
            vals[i] = namesAndValues[2 * i + 1];
        }
        return new ArrayRow(Schema.interned(Arrays.asList(names)), vals, null);
    }

    /** A row from a map's entries, in the map's iteration order. */
    public static Row fromMap(Map<String, ?> map) {
        return new ArrayRow(
                Schema.interned(new ArrayList<>(map.keySet())), map.values().toArray(), null);
    }

    /** A row of {@code schema} with these values, keeping {@code origin} for error messages. */
    public static Row of(Schema schema, Object[] values, Location origin) {
        if (values.length != schema.size()) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT, "schema has %d columns but %d values were given", schema.size(), values.length));
        }
        return new ArrayRow(schema, values.clone(), origin);
    }

    /**
     * Binds this row to a Java record: each component reads the column named by its {@link Column} annotation, or
     * the column with its own name, or the one column whose name matches when case, spaces and punctuation are
     * ignored ({@code registrationState} matches {@code Registration State}). Components of type String, int, long,
     * double, boolean (and their boxes), BigDecimal, LocalDate, LocalDateTime and enums are converted; an absent
     * value binds to null (an error for primitives).
     */
    public <R extends Record> R as(Class<R> type) {
        return RecordBinding.of(type).fromRow(this);
    }

    /** A row from a Java record: one column per component, named as its {@link Column} annotation or its name. */
    public static Row from(Record record) {
        return RecordBinding.of(record.getClass()).toRow(record);
    }

    // ---- Object --------------------------------------------------------------------------------------------------

    /** Rows are equal when their column names and text values are equal. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Row)) {
            return false;
        }
        Row r = (Row) o;
        if (!r.schema().equals(schema())) {
            return false;
        }
        for (int i = 0; i < size(); i++) {
            if (!Objects.equals(get(i), r.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = schema().hashCode();
        for (int i = 0; i < size(); i++) {
            h = 31 * h + Objects.hashCode(get(i));
        }
        return h;
    }

    /** {@code {Plate ID=GZH7067, Registration State=NY}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(schema().name(i)).append('=').append(get(i));
        }
        return sb.append('}').toString();
    }
}
