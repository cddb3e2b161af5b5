package dev.sluice.jdbc;

import dev.sluice.DataException;
import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.SluiceException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes rows to a table in batches, one transaction per batch. Made by {@link Table#write}; immutable.
 *
 * <ul>
 *   <li>{@link #withCreateTable}: create the table from the first row's columns, every column as text, so a file
 *       loaded and exported again comes back with the same values (leading zeros, date formats, trailing spaces).
 *       MySQL and MariaDB refuse column names that end with spaces: there such names lose them.
 *   <li>{@link #withUpsert}: insert or update on a key, in the database's own syntax (PostgreSQL and SQLite {@code
 *       ON CONFLICT}, MySQL and MariaDB {@code ON DUPLICATE KEY}, H2 {@code MERGE}). The table needs a primary key
 *       or unique index on exactly those columns; a created table gets a primary key.
 *   <li>{@link #withReplace}: empty the table first, in the same transaction as the whole load.
 *   <li>{@link #withCopy}: PostgreSQL's {@code COPY ... FROM STDIN}, the fast path.
 * </ul>
 *
 * <p>A batch that fails is rolled back whole (earlier batches stay committed), and the run fails with the record
 * that broke it, found by retrying the batch's rows one by one: no half-applied batch, and nothing dropped
 * silently. Rows are matched to columns by name. Before anything is written, the header is checked: an empty
 * column name, a name given twice (also when only its case differs, where the database ignores case) and an
 * upsert key that is not a column fail the run with a message naming the column.
 */
public final class TableSink implements Sink<Row> {
    private static final long serialVersionUID = 2L;
    /** How many header names an error message lists before "... N more". */
    private static final int NAMES_SHOWN = 10;

    private final Database db;
    private final TableName table;
    private final int batchSize;
    private final boolean create;

    @SuppressWarnings("serial") // an immutable List.copyOf, which is serializable
    private final List<String> upsertKeys;

    private final boolean copy;
    private final boolean replace;
    private final CommitListener listener;

    TableSink(Database db, TableName table) {
        this(db, table, 1000, false, List.of(), false, false, null);
    }

    private TableSink(
            Database db,
            TableName table,
            int batchSize,
            boolean create,
            List<String> upsertKeys,
            boolean copy,
            boolean replace,
            CommitListener listener) {
        this.db = db;
        this.table = table;
        this.batchSize = batchSize;
        this.create = create;
        this.upsertKeys = upsertKeys;
        this.copy = copy;
        this.replace = replace;
        this.listener = listener;
        if (copy && db.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("COPY is PostgreSQL's; " + db.url() + " is " + db.dialect());
        }
        if (copy && !upsertKeys.isEmpty()) {
            throw new IllegalArgumentException("COPY cannot upsert; use batched inserts with withUpsert");
        }
    }

    /** Rows per batch (and per transaction, unless {@link #withReplace replacing}). Default 1,000. */
    public TableSink withBatchSize(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, was " + rows);
        }
        return new TableSink(db, table, rows, create, upsertKeys, copy, replace, listener);
    }

    /** Whether to create the table (if missing) from the first row's columns, all as text. Default false. */
    public TableSink withCreateTable(boolean b) {
        return new TableSink(db, table, batchSize, b, upsertKeys, copy, replace, listener);
    }

    /**
     * Insert or update on these key columns, which need a primary key or unique index on exactly them (a created
     * table gets a primary key). Checked before anything is written: a key that is not a column of the rows, or a
     * table with no such constraint, fails the run naming the key. No keys: plain inserts (the default).
     */
    public TableSink withUpsert(String... keys) {
        return new TableSink(db, table, batchSize, create, List.of(keys), copy, replace, listener);
    }

    /** Load with PostgreSQL's COPY (a batch per COPY, a commit per batch). Default false. */
    public TableSink withCopy(boolean b) {
        return new TableSink(db, table, batchSize, create, upsertKeys, b, replace, listener);
    }

    /**
     * Whether to replace the table's rows: empty it ({@code TRUNCATE} in PostgreSQL, {@code DELETE} elsewhere) and
     * load, all in one transaction committed at the end, so a failed load (bad data, a lost connection, a killed
     * process) leaves the table as it was. Batches are still sent every {@link #withBatchSize} rows; the database
     * holds the uncommitted rows, and readers see the old rows until the commit (PostgreSQL's {@code TRUNCATE}
     * blocks them meanwhile). MySQL and MariaDB commit a {@code CREATE TABLE} at once, so there only a table that
     * already existed is replaced atomically. Default false.
     */
    public TableSink withReplace(boolean b) {
        return new TableSink(db, table, batchSize, create, upsertKeys, copy, b, listener);
    }

    /** Called after each commit with the number of rows this run has committed so far. Default none. */
    public TableSink withCommitListener(CommitListener l) {
        return new TableSink(db, table, batchSize, create, upsertKeys, copy, replace, l);
    }

    /** Told how many rows a run has committed, after each commit (e.g. to report them when a later step fails). */
    @FunctionalInterface
    public interface CommitListener extends java.io.Serializable {
        /**
         * Rows committed so far by this run.
         *
         * @param rows the total committed by this run, not counting rows the table held before
         */
        void committed(long rows);
    }

    @Override
    public String name() {
        return "table(" + table + ")";
    }

    @Override
    public SinkWriter<Row> open() throws Exception {
        Connection c = db.open();
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            JdbcResources.closeQuietly(c, e);
            throw e;
        }
        return new Writer(c);
    }

    /**
     * A driver's message, short and without row values: of PostgreSQL's batch message ({@code Batch entry 17
     * INSERT INTO ... VALUES (...) was aborted: ERROR: ...}) only the error is kept (the statement holds the row's
     * values), a {@code Failing row contains (...)} detail is left out, and what remains is cut to about 300
     * characters.
     */
    static String shortMessage(String message, String next) {
        String m = String.valueOf(message);
        m = m.replaceAll("(?s)^Batch entry \\d+ .*? was aborted: ", "")
                .replace("Call getNextException to see other errors in the batch.", "")
                .replaceAll("(?s)\\s*Detail: Failing row contains \\(.*\\)\\.?", "");
        if (next != null && !m.contains(next)) {
            String n = next.replaceAll("(?s)\\s*Detail: Failing row contains \\(.*\\)\\.?", "");
            if (!m.contains(n)) {
                m = m + " (" + n + ")";
            }
        }
        return JdbcResources.shorten(m, 300);
    }

    /** What a prepared table write commits: the table, the rows written, whether they wait for the commit. */
    record Prepared(String table, long rows, boolean oneTransaction) implements java.io.Serializable {}

    private final class Writer implements SinkWriter<Row> {
        private final Connection c;
        private final String sqlName;
        private Schema header;
        private List<String> cols;
        private PreparedStatement insert;
        private final List<Row> batch = new ArrayList<>();
        private long written;
        private Schema lastSchema;
        private int[] lastMap;
        private int[] identity;

        Writer(Connection c) {
            this.c = c;
            this.sqlName = table.sql(db.dialect());
        }

        @Override
        public void write(Row row) throws Exception {
            if (header == null) {
                start(row.schema(), row.origin());
            }
            mapping(row.schema()); // fails now, on this record, if a column is missing
            batch.add(row);
            if (batch.size() >= batchSize) {
                flush();
            }
        }

        private void start(Schema s, Location first) throws SQLException {
            checkHeader(s.names(), first);
            header = s;
            cols = s.names();
            Dialect d = db.dialect();
            if (create) {
                String ddl = "CREATE TABLE IF NOT EXISTS " + sqlName + " ("
                        + cols.stream()
                                .map(n -> d.quote(d.columnName(n)) + " "
                                        + (upsertKeys.contains(n) ? d.keyTextType() : d.textType()))
                                .collect(Collectors.joining(", "))
                        + (upsertKeys.isEmpty() ? "" : ", PRIMARY KEY (" + d.columns(upsertKeys) + ")") + ")";
                try (Statement st = c.createStatement()) {
                    st.execute(ddl);
                }
                if (!replace) {
                    c.commit();
                }
            }
            if (!upsertKeys.isEmpty()) {
                checkUniqueKey();
            }
            if (replace) {
                empty();
            }
            if (!copy) {
                insert = c.prepareStatement(d.insert(sqlName, cols, upsertKeys));
            }
        }

        /** Empties the table, inside the load's transaction. */
        private void empty() throws SQLException {
            try (Statement st = c.createStatement()) {
                st.execute((db.dialect() == Dialect.POSTGRESQL ? "TRUNCATE TABLE " : "DELETE FROM ") + sqlName);
            }
        }

        /** Refuses, before anything is written, a header the table cannot be written with, naming the column. */
        private void checkHeader(List<String> names, Location first) {
            String of = first == null ? "the header" : "the header of " + first.source();
            Dialect d = db.dialect();
            boolean ignoresCase = d == Dialect.SQLITE || d == Dialect.MYSQL || d == Dialect.MARIADB;
            java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                if (n.isEmpty() || d.columnName(n).isEmpty()) {
                    throw new SluiceException(String.format(
                            Locale.ROOT,
                            "%s has an empty name for column %d; every column "
                                    + "needs a name to be written to %s (columns are %s)",
                            of,
                            i + 1,
                            table,
                            shortList(names)));
                }
                if (n.indexOf('\0') >= 0) {
                    throw new SluiceException(String.format(
                            Locale.ROOT,
                            "%s has a NUL character in the name of column %d " + "(%s), which %s cannot hold",
                            of,
                            i + 1,
                            shownName(n.replace('\0', '?')),
                            table));
                }
                String key = d.columnName(n);
                if (ignoresCase) {
                    key = key.toLowerCase(Locale.ROOT);
                }
                if (d == Dialect.POSTGRESQL) {
                    key = pgIdentifier(key);
                }
                Integer before = seen.putIfAbsent(key, i);
                if (before != null) {
                    String why = names.get(before).equals(n)
                            ? ""
                            : d == Dialect.POSTGRESQL && !ignoresCase
                                    ? " (PostgreSQL keeps only the first 63 bytes of a name)"
                                    : " (" + (d == Dialect.SQLITE ? "SQLite" : d == Dialect.MYSQL ? "MySQL" : "MariaDB")
                                            + " ignores the case of names"
                                            + (d.columnName(n).equals(n) ? "" : " and trailing spaces")
                                            + ")";
                    throw new SluiceException(String.format(
                            Locale.ROOT,
                            "%s names a column twice: column %d '%s' and column "
                                    + "%d '%s' are the same column in %s%s",
                            of,
                            before + 1,
                            shownName(names.get(before)),
                            i + 1,
                            shownName(n),
                            table,
                            why));
                }
            }
            for (String k : upsertKeys) {
                if (!names.contains(k)) {
                    throw new SluiceException(String.format(
                            Locale.ROOT,
                            "no column %s in %s (columns are %s); an upsert key " + "must be a column",
                            k,
                            of,
                            shortList(names)));
                }
            }
        }

        /** PostgreSQL cuts names to 63 bytes (NAMEDATALEN - 1), at a character boundary. */
        private String pgIdentifier(String n) {
            byte[] b = n.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (b.length <= 63) {
                return n;
            }
            int end = 63;
            while (end > 0 && (b[end] & 0xC0) == 0x80) {
                end--;
            }
            return new String(b, 0, end, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** A column name for a message: on one line, its spaces kept, cut after 60 characters. */
        private String shownName(String n) {
            String one = n.replace('\n', ' ').replace('\r', ' ');
            return one.length() <= 60 ? one : one.substring(0, 60) + "...";
        }

        private String shortList(List<String> names) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(names.size(), NAMES_SHOWN); i++) {
                sb.append(i == 0 ? "" : ", ").append(shownName(names.get(i)));
            }
            if (names.size() > NAMES_SHOWN) {
                sb.append(String.format(Locale.ROOT, ", ... %,d more", names.size() - NAMES_SHOWN));
            }
            return sb.toString();
        }

        /** Refuses an upsert on a table with no primary key or unique index on exactly the key columns. */
        private void checkUniqueKey() throws SQLException {
            Dialect d = db.dialect();
            if (d == Dialect.OTHER) {
                return;
            }
            java.util.Set<String> want = new java.util.HashSet<>();
            upsertKeys.forEach(k -> want.add(d.columnName(k).toLowerCase(Locale.ROOT)));
            DatabaseMetaData md = c.getMetaData();
            String catalog = table.catalog(d);
            String schema = table.schema(d);
            java.util.Map<String, java.util.Set<String>> unique = new java.util.HashMap<>();
            try (ResultSet rs = md.getPrimaryKeys(catalog, schema, table.table())) {
                while (rs.next()) {
                    unique.computeIfAbsent("primary key", x -> new java.util.HashSet<>())
                            .add(String.valueOf(rs.getString("COLUMN_NAME")).toLowerCase(Locale.ROOT));
                }
            }
            try (ResultSet rs = md.getIndexInfo(catalog, schema, table.table(), true, false)) {
                while (rs.next()) {
                    String index = rs.getString("INDEX_NAME");
                    String col = rs.getString("COLUMN_NAME");
                    if (index != null && col != null && !rs.getBoolean("NON_UNIQUE")) {
                        unique.computeIfAbsent("index " + index, x -> new java.util.HashSet<>())
                                .add(col.toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (!unique.containsValue(want)) {
                String keys = upsertKeys.stream().map(d::quote).collect(Collectors.joining(", "));
                throw new SluiceException(String.format(
                        Locale.ROOT,
                        "cannot upsert on %s: table %s has no primary key or "
                                + "unique index on exactly %s, so a row cannot be matched to the one it updates; add one (CREATE "
                                + "UNIQUE INDEX %s ON %s (%s)), or load without an upsert key",
                        String.join(", ", upsertKeys),
                        table,
                        upsertKeys.size() == 1 ? "that column" : "those columns",
                        d.quote(table.table() + "_key"),
                        sqlName,
                        keys));
            }
        }

        private int[] mapping(Schema s) {
            if (s == header) {
                if (identity == null) {
                    identity = new int[cols.size()];
                    for (int i = 0; i < identity.length; i++) {
                        identity[i] = i;
                    }
                }
                return identity;
            }
            if (s == lastSchema) {
                return lastMap;
            }
            int[] m = new int[cols.size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = s.indexOf(cols.get(i));
                if (m[i] < 0) {
                    throw new DataException("the row has no column '" + cols.get(i) + "', which " + table
                            + " is written with; " + "the row's columns are " + s);
                }
            }
            lastSchema = s;
            lastMap = m;
            return m;
        }

        private void flush() throws SQLException {
            if (batch.isEmpty()) {
                return;
            }
            Savepoint sp = null;
            try {
                if (replace) {
                    sp = c.setSavepoint(); // a failed batch is undone alone, so the retry below sees the earlier ones
                }
                if (copy) {
                    PgCopy.copy(
                            c,
                            sqlName,
                            cols,
                            batch,
                            new PgCopy.RowMapping() {
                                @Override
                                public boolean identity(Row row) {
                                    return row.schema() == header;
                                }

                                @Override
                                public int[] of(Row row) {
                                    return mapping(row.schema());
                                }
                            },
                            db.dialect());
                } else {
                    for (Row row : batch) {
                        bind(insert, row);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                if (replace) {
                    release(sp);
                } else {
                    c.commit();
                }
            } catch (SQLException e) {
                if (sp != null) {
                    try {
                        c.rollback(sp);
                    } catch (SQLException ignored) {
                        rollback(); // the connection may be gone; the error being reported says why
                    }
                } else {
                    rollback();
                }
                throw culprit(e);
            }
            written += batch.size();
            batch.clear();
            if (!replace && listener != null) {
                listener.committed(written);
            }
        }

        private void release(Savepoint sp) {
            try {
                c.releaseSavepoint(sp);
            } catch (SQLException ignored) {
                // some drivers cannot release; the savepoint then ends with the transaction
            }
        }

        /**
         * Binds a row. Text goes to PostgreSQL untyped ({@code Types.OTHER}), so the server converts it to the column's
         * type as it would a literal ('12' into an integer column) and a value that does not fit fails on its record.
         */
        private void bind(PreparedStatement ps, Row row) throws SQLException {
            int[] map = mapping(row.schema());
            Object[] v = new Object[map.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = row.value(map[i]);
            }
            boolean pg = db.dialect() == Dialect.POSTGRESQL;
            for (int i = 0; i < v.length; i++) {
                if (v[i] == null) {
                    ps.setNull(i + 1, pg ? java.sql.Types.OTHER : java.sql.Types.VARCHAR);
                } else if (pg && v[i] instanceof String) {
                    ps.setObject(i + 1, v[i], java.sql.Types.OTHER);
                } else {
                    ps.setObject(i + 1, v[i]);
                }
            }
        }

        /** What a failure leaves committed, for the end of its message. */
        private String committed(String batchWas) {
            if (replace) {
                return String.format(
                        Locale.ROOT,
                        "the whole load was rolled back (replacing loads in one transaction): "
                                + "nothing is committed, and %s keeps its earlier rows",
                        table);
            }
            return String.format(Locale.ROOT, "%s rolled back, %,d earlier rows are committed", batchWas, written);
        }

        /**
         * Finds the first row of the failed batch that fails alone (in a transaction rolled back after; when
         * replacing, after the earlier batches, which are still in the transaction).
         */
        private SluiceException culprit(SQLException batchError) {
            long first = written + 1;
            long lastRow = written + batch.size();
            String range = String.format(Locale.ROOT, "records %,d to %,d", first, lastRow);
            try (PreparedStatement one = c.prepareStatement(db.dialect().insert(sqlName, cols, upsertKeys))) {
                for (int i = 0; i < batch.size(); i++) {
                    try {
                        bind(one, batch.get(i));
                        one.executeUpdate();
                    } catch (SQLException e) {
                        rollback();
                        Location where = batch.get(i).origin();
                        return new SluiceException(
                                String.format(
                                        Locale.ROOT,
                                        "writing to %s failed on record %,d%s: %s; %s",
                                        table,
                                        written + i + 1,
                                        where == null ? "" : " (" + where + ")",
                                        message(e),
                                        committed("its batch (" + range + ") was")),
                                e);
                    }
                }
                rollback();
            } catch (SQLException e) {
                rollback();
            }
            return new SluiceException(
                    String.format(
                            Locale.ROOT,
                            "writing to %s failed in the batch of %s: %s; %s",
                            table,
                            range,
                            message(batchError),
                            committed("the batch was")),
                    batchError);
        }

        private String message(SQLException e) {
            SQLException next = e.getNextException();
            return shortMessage(db.redact(e.getMessage()), next == null ? null : db.redact(next.getMessage()));
        }

        private void rollback() {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection may be gone; the error being reported says why
            }
        }

        private boolean prepared;

        /**
         * Writes the pending batch. With {@link #withReplace} (one transaction) the rows are flushed but not committed
         * until {@link #commit}; batched writes commit batch by batch, so here everything is committed already and
         * {@link #abort} cannot take it back.
         */
        @Override
        public java.io.Serializable prepare() throws Exception {
            if (header == null && replace) {
                emptyWithoutRows();
            }
            flush();
            prepared = true;
            return new Prepared(table.display, written, replace);
        }

        @Override
        public void commit(java.io.Serializable token) throws Exception {
            if (replace && !committed) {
                c.commit();
                committed = true;
                if (listener != null) {
                    listener.committed(written);
                }
            }
        }

        @Override
        public void abort(java.io.Serializable token) {
            if (replace && !committed) {
                rollback();
            }
        }

        private boolean committed;

        @Override
        public void close(boolean success) throws Exception {
            if (prepared) {
                try {
                    if (!committed) {
                        rollback(); // prepared, never committed: with --replace nothing of it is kept
                    }
                } finally {
                    JdbcResources.closeAll(null, insert, c, false);
                }
                return;
            }
            try {
                if (success) {
                    if (header == null && replace) {
                        emptyWithoutRows();
                    }
                    flush();
                    if (replace) {
                        c.commit();
                        if (listener != null) {
                            listener.committed(written);
                        }
                    }
                } else {
                    rollback();
                }
            } finally {
                JdbcResources.closeAll(null, insert, c, false);
            }
        }

        /** Replacing with no rows at all: the table (if there is one) ends up empty. */
        private void emptyWithoutRows() throws SQLException {
            Savepoint sp = c.setSavepoint();
            try {
                empty();
            } catch (SQLException e) {
                if (!Table.missingTable(e)) {
                    throw e;
                }
                c.rollback(sp);
            }
        }
    }
}
