package dev.sluice;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The column names of a {@link Row}, in header order. Immutable and shared by every row of a source, so a row
 * costs no per-row map. Names are kept exactly, trailing spaces included ({@code "Days Parking In Effect    "}).
 *
 * <pre>{@code
 * Schema out = Schema.of("vehicle_make", "issuing_agency", "address");
 * Row r = out.row("FORD", "police", "12, MAIN ST, NJ");
 * }</pre>
 */
public final class Schema implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<List<String>, Schema> INTERNED = new ConcurrentHashMap<>();

    private final String[] names;
    private final HashMap<String, Integer> index;
    private final transient Map<String, Schema> appended = new ConcurrentHashMap<>();

    private Schema(String[] names) {
        this.names = names;
        HashMap<String, Integer> idx = new HashMap<>(names.length * 2);
        for (int i = names.length - 1; i >= 0; i--) {
            if (names[i] == null) {
                throw new IllegalArgumentException("column name " + (i + 1) + " is null");
            }
            idx.put(names[i], i); // the first of duplicate names wins
        }
        this.index = idx;
    }

    /** A schema with these column names, in this order. Duplicate names are allowed; lookups find the first. */
    public static Schema of(String... names) {
        return new Schema(names.clone());
    }

    /** A schema with these column names, in this order. */
    public static Schema of(List<String> names) {
        return new Schema(names.toArray(new String[0]));
    }

    /**
     * Like {@link #of(List)} but returns a shared instance for equal name lists; for per-record code paths (a runner
     * that reads rows back from the network or from disk gives every row of one shape the same schema).
     */
    public static Schema interned(List<String> names) {
        Schema s = INTERNED.get(names);
        if (s == null) {
            if (INTERNED.size() > 10_000) {
                INTERNED.clear(); // a safety valve against unbounded growth from data-driven names
            }
            s = INTERNED.computeIfAbsent(List.copyOf(names), Schema::of);
        }
        return s;
    }

    /** The number of columns. */
    public int size() {
        return names.length;
    }

    /** The name of column {@code i} (0-based). */
    public String name(int i) {
        return names[i];
    }

    /** The column names, in order. */
    public List<String> names() {
        return Collections.unmodifiableList(Arrays.asList(names));
    }

    /** The 0-based index of column {@code name}, or -1 if there is none. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** Whether there is a column {@code name}. */
    public boolean has(String name) {
        return index.containsKey(name);
    }

    /**
     * The 0-based index of column {@code name}.
     *
     * @throws IllegalArgumentException if there is no such column; the message lists the columns and points out a
     *     near miss such as a name that differs only in surrounding spaces or case
     */
    public int require(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException(missing(name));
        }
        return i;
    }

    private String missing(String name) {
        StringBuilder sb = new StringBuilder("no column '").append(name).append("'");
        for (String n : names) {
            if (n.trim().equalsIgnoreCase(name.trim())) {
                sb.append("; did you mean '").append(n).append("'");
                if (!n.trim().equals(n)) {
                    sb.append(" (note the spaces)");
                }
                break;
            }
        }
        sb.append("; columns are ");
        List<String> quoted = new ArrayList<>();
        for (String n : names) {
            quoted.add("'" + n + "'");
        }
        return sb.append(quoted).toString();
    }

    /** This schema with one more column at the end; cached, so cheap per record. */
    public Schema append(String name) {
        Schema s = appended.get(name);
        if (s == null) {
            String[] n = Arrays.copyOf(names, names.length + 1);
            n[names.length] = name;
            s = new Schema(n);
            appended.put(name, s);
        }
        return s;
    }

    /** A row of this schema. Values are kept as given; {@code null} means absent. */
    public Row row(Object... values) {
        if (values.length != names.length) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT, "schema has %d columns but %d values were given", names.length, values.length));
        }
        return new ArrayRow(this, values.clone(), null);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Schema && Arrays.equals(((Schema) o).names, names));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }

    @Override
    public String toString() {
        return Arrays.toString(names);
    }

    private Object readResolve() {
        return new Schema(names);
    }
}
