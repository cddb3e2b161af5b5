package dev.sluice;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds rows to a Java record type and back. {@link Row#as} and {@link Row#from} use the default binding;
 * build one with explicit column names where annotations are not an option:
 *
 * <pre>{@code
 * RecordBinding<Ticket> b = RecordBinding.of(Ticket.class)
 *     .withColumn("state", "Registration State")
 *     .withColumn("days", "Days Parking In Effect    ");
 * Flow<Ticket> tickets = rows.map(b::fromRow);
 * }</pre>
 *
 * <p>A component finds its column by, in order: the explicit mapping, its {@link Column} annotation, its exact
 * name, and the single column whose name equals it when case, spaces and punctuation are ignored. Column lookup
 * is resolved once per schema, so binding costs no map lookups per row. Thread-safe and immutable.
 */
public final class RecordBinding<R extends Record> {
    private static final ClassValue<RecordBinding<?>> DEFAULTS = new ClassValue<>() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected RecordBinding<?> computeValue(Class<?> type) {
            return new RecordBinding(type.asSubclass(Record.class), Map.of());
        }
    };

    private final Class<R> type;
    private final RecordComponent[] components;
    private final Constructor<R> constructor;
    private final Map<String, String> explicit;
    private final String[] declared; // column named by annotation or explicit mapping, or null
    private final String[] patterns;
    private final Schema outSchema;
    private volatile Resolved resolved;

    private static final class Resolved {
        final Schema schema;
        final int[] index;

        Resolved(Schema schema, int[] index) {
            this.schema = schema;
            this.index = index;
        }
    }

    private RecordBinding(Class<R> type, Map<String, String> explicit) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        this.type = type;
        this.components = type.getRecordComponents();
        this.explicit = explicit;
        Class<?>[] types = new Class<?>[components.length];
        declared = new String[components.length];
        patterns = new String[components.length];
        String[] outNames = new String[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            Column col = c.getAnnotation(Column.class);
            patterns[i] = col == null || col.pattern().isEmpty() ? null : col.pattern();
            declared[i] =
                    explicit.containsKey(c.getName()) ? explicit.get(c.getName()) : col != null ? col.value() : null;
            outNames[i] = declared[i] != null ? declared[i] : c.getName();
        }
        for (String name : explicit.keySet()) {
            boolean found = false;
            for (RecordComponent c : components) {
                found |= c.getName().equals(name);
            }
            if (!found) {
                throw new IllegalArgumentException(
                        "record " + type.getSimpleName() + " has no component '" + name + "'");
            }
        }
        this.outSchema = Schema.of(outNames);
        try {
            this.constructor = type.getDeclaredConstructor(types);
            this.constructor.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "cannot use the canonical constructor of " + type.getName() + ": " + e, e);
        }
    }

    /** The default binding for {@code type} (annotations and names). */
    @SuppressWarnings("unchecked")
    public static <R extends Record> RecordBinding<R> of(Class<R> type) {
        return (RecordBinding<R>) DEFAULTS.get(type);
    }

    /** This binding with component {@code component} bound to column {@code column}. */
    public RecordBinding<R> withColumn(String component, String column) {
        Map<String, String> m = new HashMap<>(explicit);
        m.put(component, column);
        return new RecordBinding<>(type, m);
    }

    /** The schema of rows made by {@link #toRow}. */
    public Schema schema() {
        return outSchema;
    }

    /** Builds a record from {@code row}; a value that does not convert fails with a {@link DataException}. */
    public R fromRow(Row row) {
        int[] idx = resolve(row.schema());
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = convert(row, idx[i], components[i], patterns[i]);
        }
        try {
            return constructor.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable t = e.getCause();
            throw new DataException(
                    "constructing " + type.getSimpleName() + " failed: " + t.getMessage(), row.origin(), t);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A row holding the record's components, in declaration order. */
    public Row toRow(Record record) {
        Object[] vals = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                Object v = components[i].getAccessor().invoke(record);
                if (patterns[i] != null && v instanceof java.time.temporal.TemporalAccessor) {
                    v = Dates.formatter(patterns[i]).format((java.time.temporal.TemporalAccessor) v);
                }
                vals[i] = v;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read component " + components[i].getName(), e);
            }
        }
        return Row.of(outSchema, vals, null);
    }

    private int[] resolve(Schema schema) {
        Resolved r = resolved;
        if (r != null && r.schema == schema) {
            return r.index;
        }
        int[] idx = new int[components.length];
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            if (declared[i] != null) {
                idx[i] = schema.indexOf(declared[i]);
                if (idx[i] < 0) {
                    problems.add("component '" + name + "' is bound to column '" + declared[i] + "', which is missing");
                }
                continue;
            }
            idx[i] = schema.indexOf(name);
            if (idx[i] >= 0) {
                continue;
            }
            String key = normalize(name);
            int found = -1;
            for (int j = 0; j < schema.size(); j++) {
                if (normalize(schema.name(j)).equals(key)) {
                    if (found >= 0) {
                        problems.add("component '" + name + "' matches both '" + schema.name(found) + "' and '"
                                + schema.name(j) + "'; name one with @Column or withColumn");
                    }
                    found = j;
                }
            }
            idx[i] = found;
            if (found < 0) {
                problems.add("component '" + name + "' has no column; name it with @Column or withColumn");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot bind " + type.getSimpleName() + " to columns " + schema + ": "
                    + String.join("; ", problems));
        }
        resolved = new Resolved(schema, idx);
        return idx;
    }

    private static String normalize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(Row row, int i, RecordComponent c, String pattern) {
        Class<?> t = c.getType();
        Object raw = row.value(i);
        if (raw == null) {
            if (t.isPrimitive()) {
                throw new DataException(
                        "column '" + row.schema().name(i) + "' is absent but component '" + c.getName() + "' is a "
                                + t.getName() + where(row),
                        row.origin(),
                        null);
            }
            return null;
        }
        if (t.isInstance(raw)) {
            return raw;
        }
        String col = row.schema().name(i);
        if (t == String.class) {
            return row.get(i);
        } else if (t == int.class || t == Integer.class) {
            return row.getInt(col);
        } else if (t == long.class || t == Long.class) {
            return row.getLong(col);
        } else if (t == double.class || t == Double.class) {
            return row.getDouble(col);
        } else if (t == boolean.class || t == Boolean.class) {
            return row.getBoolean(col);
        } else if (t == BigDecimal.class) {
            return row.getDecimal(col);
        } else if (t == LocalDate.class) {
            return row.getDate(col, pattern == null ? "yyyy-MM-dd" : pattern);
        } else if (t == LocalDateTime.class) {
            return pattern == null ? row.getDateTime(col, "yyyy-MM-dd'T'HH:mm:ss") : row.getDateTime(col, pattern);
        } else if (t.isEnum()) {
            String s = row.get(i).trim();
            try {
                return Enum.valueOf((Class<Enum>) t, s);
            } catch (IllegalArgumentException e) {
                try {
                    return Enum.valueOf((Class<Enum>) t, s.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e2) {
                    throw new DataException(
                            "column '" + col + "' value '" + s + "' is not a " + t.getSimpleName() + where(row),
                            row.origin(),
                            e2);
                }
            }
        }
        throw new IllegalArgumentException("component '" + c.getName() + "' has unsupported type " + t.getName());
    }

    private static String where(Row row) {
        return row.origin() == null ? "" : " (" + row.origin() + ")";
    }
}
