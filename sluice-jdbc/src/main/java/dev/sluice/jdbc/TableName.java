package dev.sluice.jdbc;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Internal: a table's name as parts ([catalog.][schema.]table), each quoted once when written into SQL. See
 * {@link Database#table(String)} for how a name is split.
 */
final class TableName implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The name as the user gave it, for messages. */
    final String display;
    /** The parts, unquoted. */
    @SuppressWarnings("serial") // an immutable List.copyOf, which is serializable
    final List<String> parts;

    private TableName(String display, List<String> parts) {
        this.display = display;
        this.parts = parts;
    }

    static TableName of(String schema, String table) {
        if (schema.isEmpty()) {
            throw new IllegalArgumentException("the schema name is empty");
        }
        if (table.isEmpty()) {
            throw new IllegalArgumentException("the table name is empty");
        }
        return new TableName(schema + "." + table, List.of(schema, table));
    }

    static TableName parse(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the table name is empty");
        }
        List<String> parts = new ArrayList<>();
        int n = name.length();
        int i = 0;
        while (true) {
            String part;
            if (name.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException(
                                "the table name " + name + " has an unclosed quote; quote a name as "
                                        + "\"name\" (with \"\" for a quote inside), or give it unquoted");
                    }
                    char c = name.charAt(i++);
                    if (c == '"') {
                        if (i < n && name.charAt(i) == '"') {
                            sb.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        sb.append(c);
                    }
                }
                if (i < n && name.charAt(i) != '.') {
                    throw new IllegalArgumentException(
                            "the table name " + name + " has text after a closing quote; quote a "
                                    + "name as \"name\" (with \"\" for a quote inside), or give it unquoted");
                }
                part = sb.toString();
            } else {
                int dot = name.indexOf('.', i);
                int end = dot < 0 ? n : dot;
                part = name.substring(i, end);
                i = end;
            }
            if (part.isEmpty()) {
                throw new IllegalArgumentException("the table name " + name + " has an empty part; write schema.table");
            }
            parts.add(part);
            if (i >= n) {
                break;
            }
            i++; // the dot
            if (i >= n) {
                throw new IllegalArgumentException("the table name " + name + " ends with a dot; write schema.table");
            }
        }
        if (parts.size() > 3) {
            throw new IllegalArgumentException(
                    "the table name " + name + " has " + parts.size() + " dot-separated parts; "
                            + "at most 3 (catalog.schema.table); quote a name that holds dots, as \"a.b\"");
        }
        return new TableName(name, List.copyOf(parts));
    }

    /** The name for SQL: each part quoted once, joined by dots. */
    String sql(Dialect d) {
        return parts.stream().map(d::quote).collect(Collectors.joining("."));
    }

    /** The table part. */
    String table() {
        return parts.get(parts.size() - 1);
    }

    /** The catalog for {@link java.sql.DatabaseMetaData} lookups, or null. */
    String catalog(Dialect d) {
        if (parts.size() == 3) {
            return parts.get(0);
        }
        return parts.size() == 2 && (d == Dialect.MYSQL || d == Dialect.MARIADB) ? parts.get(0) : null;
    }

    /** The schema for {@link java.sql.DatabaseMetaData} lookups, or null. */
    String schema(Dialect d) {
        if (parts.size() == 3) {
            return parts.get(1);
        }
        return parts.size() == 2 && d != Dialect.MYSQL && d != Dialect.MARIADB ? parts.get(0) : null;
    }

    @Override
    public String toString() {
        return display;
    }
}
