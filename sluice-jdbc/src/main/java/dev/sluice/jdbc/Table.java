package dev.sluice.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/** A table of a {@link Database}: read it by key, or write to it. Made by {@link Database#table(String)}. */
public final class Table {
    private final Database db;
    private final TableName name;

    Table(Database db, TableName name) {
        this.db = db;
        this.name = name;
    }

    /**
     * Reads the table in pages ordered by {@code keys} (keyset pagination: {@code WHERE (k1, k2) > (last) ORDER BY
     * k1, k2 LIMIT n}, never OFFSET), so a long read holds no cursor open, resumes from the last key after a
     * dropped connection, and can start after a given key. Keys may be numbers, strings, timestamps or composite;
     * they must be unique together (a primary key or unique index), or rows sharing a key at a page boundary would
     * be skipped.
     */
    public KeysetSource readByKey(String... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("readByKey needs at least one key column");
        }
        return new KeysetSource(db, name, List.copyOf(Arrays.asList(keys)), 10_000, null, 3, 0);
    }

    /**
     * The table as a lookup for {@link dev.sluice.Flow#lookup}: rows fetched by the values of {@code keys}, a batch of
     * keys per query ({@code WHERE (k1, k2) IN (...)}), never one query per row.
     */
    public TableLookup lookup(String... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("lookup needs at least one key column");
        }
        return new TableLookup(db, name, List.of(keys));
    }

    /** Writes rows to the table in batches, a commit per batch (see {@link TableSink} for the options). */
    public TableSink write() {
        return new TableSink(db, name);
    }

    /**
     * The number of rows in the table, or empty if there is no such table. Opens (and closes) a connection; counts
     * with {@code SELECT count(*)}, which on a large table can take a while.
     */
    public OptionalLong count() throws SQLException {
        String sql = name.sql(db.dialect());
        try (Connection c = db.open();
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT * FROM " + sql + " WHERE 1 = 0")) {
                rs.next();
            } catch (SQLException e) {
                if (missingTable(e)) {
                    return OptionalLong.empty();
                }
                throw new SQLException(
                        "checking table " + name + " failed: " + db.redact(e.getMessage()), e.getSQLState(), e);
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + sql)) {
                rs.next();
                return OptionalLong.of(rs.getLong(1));
            }
        }
    }

    /** Whether an error means the table (or its schema) does not exist. */
    static boolean missingTable(SQLException e) {
        String state = e.getSQLState();
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        // PostgreSQL undefined_table and invalid_schema_name; MySQL, MariaDB and H2 42S02 (H2 also 42S03 and 42S04:
        // not found, with candidates or in an empty database); SQLite has no state
        return "42P01".equals(state)
                || "3F000".equals(state)
                || "42S02".equals(state)
                || "42S03".equals(state)
                || "42S04".equals(state)
                || m.contains("no such table")
                || m.contains("unknown database");
    }

    /** The name as given, e.g. {@code public.t2}. */
    public String name() {
        return name.display;
    }

    /** The name as written into SQL, each part quoted once: {@code "public"."t2"}. */
    public String sqlName() {
        return name.sql(db.dialect());
    }
}
