package dev.sluice.jdbc;

import dev.sluice.DataException;
import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.spi.Split;
import dev.sluice.spi.SplitHint;
import dev.sluice.spi.SplittableSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A table read in key order, a page at a time (keyset pagination). Made by {@link Table#readByKey}. Each page is
 * one short query, so nothing is held open between pages; if the connection drops, the reader reconnects (up to
 * {@link #withRetries} times, backing off) and goes on from the last key it returned: no row lost, none repeated.
 *
 * <p>With {@link dev.sluice.Flow#parallel()} and a single integer key, the table is read in parallel by key ranges
 * chosen from the data ({@code min}, {@code max} and {@code count(*)}: ranges of about 20,000 rows), output in key
 * order.
 */
public final class KeysetSource implements SplittableSource<Row> {
    private static final long serialVersionUID = 1L;
    private static final long RANGE_ROWS = 20_000;

    private final Database db;
    private final TableName table;

    @SuppressWarnings("serial") // an immutable List.copyOf, which is serializable
    private final List<String> keys;

    private final int pageSize;

    @SuppressWarnings("serial") // values of the user's: serializable when they are
    private final Object[] after;

    private final int retries;
    private final long backoffMillis;

    KeysetSource(
            Database db,
            TableName table,
            List<String> keys,
            int pageSize,
            Object[] after,
            int retries,
            long backoffMillis) {
        this.db = db;
        this.table = table;
        this.keys = keys;
        this.pageSize = pageSize;
        this.after = after;
        this.retries = retries;
        this.backoffMillis = backoffMillis;
    }

    /** Rows per page. Default 10,000. */
    public KeysetSource withPageSize(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("pageSize must be positive, was " + rows);
        }
        return new KeysetSource(db, table, keys, rows, after, retries, backoffMillis);
    }

    /** Starts after this key (one value per key column): resumes a read that stopped. */
    public KeysetSource startingAfter(Object... key) {
        if (key.length != keys.size()) {
            throw new IllegalArgumentException("startingAfter takes " + keys.size() + " value(s), one per key column "
                    + keys + ", but got " + key.length);
        }
        return new KeysetSource(db, table, keys, pageSize, key.clone(), retries, backoffMillis);
    }

    /** How often to reconnect after a lost connection before failing. Default 3. */
    public KeysetSource withRetries(int times) {
        if (times < 0) {
            throw new IllegalArgumentException("retries must be at least 0, was " + times);
        }
        return new KeysetSource(db, table, keys, pageSize, after, times, backoffMillis);
    }

    @Override
    public String name() {
        return "table(" + table + " by " + String.join(", ", keys) + ")";
    }

    private String orderBy() {
        return keys.stream().map(db.dialect()::quote).collect(Collectors.joining(", "));
    }

    private String limit() {
        return db.dialect() == Dialect.OTHER ? " FETCH FIRST " + pageSize + " ROWS ONLY" : " LIMIT " + pageSize;
    }

    /** The page query: after {@code last} (or from the start when null). */
    String pageSql(boolean first) {
        String where = "";
        if (!first) {
            where = keys.size() == 1
                    ? " WHERE " + db.dialect().quote(keys.get(0)) + " > ?"
                    : " WHERE (" + orderBy() + ") > (" + db.dialect().placeholders(keys.size()) + ")";
        }
        return "SELECT * FROM " + table.sql(db.dialect()) + where + " ORDER BY " + orderBy() + limit();
    }

    @Override
    public SourceReader<Row> open(SourceContext ctx) {
        return new Reader(after, 0);
    }

    /**
     * A position in a keyset read: the last key read, one value per key column (empty before the first row), and
     * how many rows were read before it (so locations go on numbering from there).
     */
    public record AfterKey(List<Object> key, long records) implements dev.sluice.Position {
        public AfterKey {
            key = List.copyOf(key);
        }

        @Override
        public String toString() {
            return key.isEmpty() ? "at the start" : "after key " + key + " (" + records + " rows)";
        }
    }

    /** Resumes after the key of an {@link AfterKey} position: no cursor is kept open, so this survives restarts. */
    @Override
    public SourceReader<Row> open(SourceContext ctx, dev.sluice.Position position) throws Exception {
        if (position == null) {
            return open(ctx);
        }
        if (!(position instanceof AfterKey)) {
            throw new IllegalArgumentException(name() + " resumes from a KeysetSource.AfterKey, not " + position);
        }
        AfterKey at = (AfterKey) position;
        if (!at.key().isEmpty() && at.key().size() != keys.size()) {
            throw new IllegalArgumentException(name() + ": the position has "
                    + at.key().size() + " key value(s), the read " + "has " + keys.size() + " key column(s)");
        }
        return new Reader(at.key().isEmpty() ? after : at.key().toArray(), at.records());
    }

    private final class Reader implements SourceReader<Row> {
        private Connection c;
        private PreparedStatement ps;
        private ResultSet rs;
        private ResultRows rows;
        private int[] keyIndex;
        private Object[] last;
        private long count;

        Reader(Object[] start, long before) {
            this.last = start;
            this.count = before;
        }

        @Override
        public dev.sluice.Position position() {
            return new AfterKey(last == null ? List.of() : java.util.Arrays.asList(last), count);
        }

        private int inPage;
        private boolean done;
        private int failures;

        @Override
        public Row next() throws Exception {
            while (!done) {
                try {
                    if (rs == null) {
                        openPage();
                    }
                    if (rs.next()) {
                        Row r = rows.read(rs, new Location(table.display, -1, count + 1));
                        count++;
                        inPage++;
                        Object[] k = new Object[keyIndex.length];
                        for (int i = 0; i < k.length; i++) {
                            k[i] = r.value(keyIndex[i]);
                            if (k[i] == null) {
                                throw new DataException(
                                        String.format(
                                                Locale.ROOT,
                                                "%s: key column '%s' is NULL in row %,d; a keyset "
                                                        + "read needs NOT NULL keys (no NULL compares greater than a key, so rows would be lost)",
                                                name(),
                                                keys.get(i),
                                                count),
                                        location(),
                                        null);
                            }
                        }
                        last = k;
                        failures = 0;
                        return r;
                    }
                    boolean full = inPage >= pageSize;
                    closePage();
                    if (!full) {
                        done = true;
                    }
                } catch (SQLException e) {
                    boolean lost = Dialect.connectionLost(e, c);
                    dropConnection();
                    if (!lost || failures >= retries) {
                        throw new DataException(
                                String.format(
                                        Locale.ROOT,
                                        "%s: %s after %,d rows (last key %s): %s",
                                        name(),
                                        lost
                                                ? "the connection was lost " + (failures + 1) + " time(s)"
                                                : "reading failed",
                                        count,
                                        last == null ? "none" : java.util.Arrays.toString(last),
                                        db.redact(e.getMessage())),
                                location(),
                                e);
                    }
                    failures++;
                    Thread.sleep(backoffMillis + 100L * failures);
                }
            }
            return null;
        }

        private void openPage() throws SQLException {
            if (c == null) {
                c = db.open();
                db.dialect().prepareForStreaming(c);
            }
            ps = c.prepareStatement(pageSql(last == null), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            db.dialect().setFetchSize(ps, Math.min(pageSize, 10_000));
            if (last != null) {
                for (int i = 0; i < last.length; i++) {
                    ps.setObject(i + 1, last[i]);
                }
            }
            rs = ps.executeQuery();
            if (rows == null) {
                rows = new ResultRows(rs.getMetaData());
                keyIndex = new int[keys.size()];
                for (int i = 0; i < keyIndex.length; i++) {
                    keyIndex[i] = indexOf(rows, keys.get(i));
                }
            }
            inPage = 0;
        }

        private void closePage() throws SQLException {
            ResultSet r = rs;
            PreparedStatement p = ps;
            rs = null;
            ps = null;
            JdbcResources.closeAll(r, p, null, false);
            if (c != null && !c.getAutoCommit()) {
                c.rollback(); // end the read-only transaction between pages
            }
        }

        private void dropConnection() {
            try {
                JdbcResources.closeAll(rs, ps, c, false);
            } catch (SQLException ignored) {
                // the connection is being replaced
            }
            rs = null;
            ps = null;
            c = null;
        }

        @Override
        public Location location() {
            return new Location(table.display, -1, count);
        }

        @Override
        public void close() throws Exception {
            Connection conn = c;
            c = null;
            JdbcResources.closeAll(rs, ps, conn, db.dialect() == Dialect.POSTGRESQL);
        }
    }

    private int indexOf(ResultRows rows, String key) {
        int i = rows.schema.indexOf(key);
        if (i < 0) {
            for (int j = 0; j < rows.schema.size(); j++) {
                if (rows.schema.name(j).equalsIgnoreCase(key)) {
                    return j;
                }
            }
            throw new IllegalArgumentException(
                    "table " + table + " has no key column '" + key + "'; columns are " + rows.schema.names());
        }
        return i;
    }

    // ---- partitioned parallel reads ----

    /**
     * A key range {@code [from, to)} of a keyset read, in key order; a null bound is open. A bound holds one value per
     * key column; composite keys compare as row values.
     */
    public record KeyRange(int index, List<Object> from, List<Object> to) implements Split {
        public KeyRange {
            from = from == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(from));
            to = to == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(to));
        }

        @Override
        public String toString() {
            return "key range " + (index + 1) + " [" + (from == null ? "start" : from) + ", "
                    + (to == null ? "end" : to) + ")";
        }
    }

    /**
     * Key ranges of about 20,000 rows, chosen from the data: a single integer key is cut arithmetically between its
     * {@code min} and {@code max}; any other orderable key (text, timestamp, composite) at every n-th key of one
     * ordered pass ({@code ROW_NUMBER}). None (read sequentially) for a resumed read, a table with NULL keys (where
     * they are an error that says so) or a database without window functions.
     */
    @Override
    public List<KeyRange> splits(SourceContext context, SplitHint hint) throws Exception {
        Object[][] bounds = bounds();
        List<KeyRange> out = new ArrayList<>();
        if (bounds != null) {
            for (int i = 0; i + 1 < bounds.length; i++) {
                out.add(new KeyRange(
                        i,
                        bounds[i] == null ? null : java.util.Arrays.asList(bounds[i]),
                        bounds[i + 1] == null ? null : java.util.Arrays.asList(bounds[i + 1])));
            }
        }
        return out;
    }

    private Object[][] bounds() throws Exception {
        if (after != null) {
            return null;
        }
        String t = table.sql(db.dialect());
        String cols = orderBy();
        try (Connection c = db.open()) {
            long count;
            long nullKeys;
            Object min = null;
            Object max = null;
            String nullTest =
                    keys.stream().map(k -> db.dialect().quote(k) + " IS NULL").collect(Collectors.joining(" OR "));
            String k0 = db.dialect().quote(keys.get(0));
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), sum(CASE WHEN " + nullTest
                            + " THEN 1 ELSE 0 END), min(" + k0 + "), max(" + k0 + ") FROM " + t);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                count = rs.getLong(1);
                nullKeys = rs.getLong(2);
                min = rs.getObject(3);
                max = rs.getObject(4);
            }
            if (nullKeys > 0) {
                return null; // read sequentially, where a NULL key is an error that says so
            }
            int n = (int) Math.max(1, Math.min(100_000, (count + RANGE_ROWS - 1) / RANGE_ROWS));
            if (keys.size() == 1 && integral(min) && integral(max)) {
                // one integer key: cut its span arithmetically, no scan
                BigInteger lo = new BigInteger(min.toString());
                BigInteger hi = new BigInteger(max.toString()).add(BigInteger.ONE);
                Object[][] bounds = new Object[n + 1][];
                BigInteger span = hi.subtract(lo);
                for (int i = 0; i <= n; i++) {
                    bounds[i] = new Object[] {
                        new java.math.BigDecimal(
                                lo.add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n))))
                    };
                }
                return bounds;
            }
            if (n == 1) {
                return new Object[][] {null, null};
            }
            // any orderable key, composite too: every step-th key in key order, from one ordered pass over the keys
            long step = (count + n - 1) / n;
            List<Object[]> cuts = new ArrayList<>();
            cuts.add(null);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + cols + " FROM (SELECT " + cols
                            + ", ROW_NUMBER() OVER (ORDER BY " + cols + ") AS sluice_rn FROM " + t
                            + ") sluice_keys WHERE "
                            + "(sluice_rn - 1) % " + step + " = 0 AND sluice_rn > 1 ORDER BY " + cols);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] k = new Object[keys.size()];
                    for (int i = 0; i < k.length; i++) {
                        k[i] = rs.getObject(i + 1);
                    }
                    cuts.add(k);
                }
            } catch (SQLException e) {
                return null; // no window functions here: read sequentially
            }
            cuts.add(null);
            return cuts.toArray(new Object[0][]);
        }
    }

    private static boolean integral(Object v) {
        return v instanceof Number
                && !(v instanceof Double)
                && !(v instanceof Float)
                && !(v instanceof java.math.BigDecimal && ((java.math.BigDecimal) v).scale() > 0);
    }

    /** {@code (k1, k2) op (?, ?)}, or {@code k op ?} for one key column. */
    private String compare(String op) {
        String ph = db.dialect().placeholders(keys.size());
        return keys.size() == 1
                ? db.dialect().quote(keys.get(0)) + " " + op + " ?"
                : "(" + orderBy() + ") " + op + " (" + ph + ")";
    }

    /** Reads one key range in key order, through one server-side cursor; records numbered after {@code before}. */
    @Override
    public SourceReader<Row> openSplit(SourceContext context, Split split, long recordsBefore) throws Exception {
        if (!(split instanceof KeyRange range)) {
            throw new IllegalArgumentException(name() + " reads KeysetSource.KeyRange splits, not " + split);
        }
        List<String> where = new ArrayList<>();
        if (range.from() != null) {
            where.add(compare(">="));
        }
        if (range.to() != null) {
            where.add(compare("<"));
        }
        String sql = "SELECT * FROM " + table.sql(db.dialect())
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY " + orderBy();
        Connection c = db.open();
        PreparedStatement ps = null;
        ResultSet rs = null;
        try {
            db.dialect().prepareForStreaming(c);
            ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            db.dialect().setFetchSize(ps, Math.min(pageSize, 10_000));
            int p = 1;
            for (List<Object> bound : java.util.Arrays.asList(range.from(), range.to())) {
                if (bound != null) {
                    for (Object v : bound) {
                        ps.setObject(p++, v);
                    }
                }
            }
            rs = ps.executeQuery();
        } catch (SQLException | RuntimeException e) {
            JdbcResources.closeAll(rs, ps, c, db.dialect() == Dialect.POSTGRESQL);
            throw e;
        }
        return new RangeReader(c, ps, rs, recordsBefore);
    }

    /** The reader of one key range: a forward-only cursor. */
    private final class RangeReader implements SourceReader<Row> {
        private final Connection connection;
        private final PreparedStatement statement;
        private final ResultSet rs;
        private final ResultRows rows;
        private final long before;
        private long n;
        private boolean closed;

        RangeReader(Connection connection, PreparedStatement statement, ResultSet rs, long before) throws SQLException {
            this.connection = connection;
            this.statement = statement;
            this.rs = rs;
            this.rows = new ResultRows(rs.getMetaData());
            this.before = before;
        }

        @Override
        public Row next() throws SQLException {
            if (closed || !rs.next()) {
                return null;
            }
            n++;
            return rows.read(rs, new Location(table.display, -1, before >= 0 ? before + n : -1));
        }

        @Override
        public void close() throws SQLException {
            if (!closed) {
                closed = true;
                JdbcResources.closeAll(rs, statement, connection, db.dialect() == Dialect.POSTGRESQL);
            }
        }
    }
}
