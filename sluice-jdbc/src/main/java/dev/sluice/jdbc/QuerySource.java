package dev.sluice.jdbc;

import dev.sluice.DataException;
import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.SluiceException;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A query as a source of rows, streamed through a server-side cursor a fetch at a time (like Python's
 * {@code cursor.fetchmany(10000)} over a named cursor): memory holds one fetch, whatever the result's size. Each
 * run opens one connection and closes it exactly once. Rows are typed from the result-set metadata.
 *
 * <p>A cursor cannot survive a lost connection: if it drops, the run fails with the query, the rows already read
 * and the cause. For long reads that must survive that, read by key ({@link Table#readByKey}).
 */
public final class QuerySource implements Source<Row> {
    private static final long serialVersionUID = 1L;

    private final Database db;
    private final String sql;

    @SuppressWarnings("serial") // values of the user's: serializable when they are
    private final Object[] params;

    private final int fetchSize;

    QuerySource(Database db, String sql, Object[] params, int fetchSize) {
        this.db = db;
        this.sql = sql;
        this.params = params;
        this.fetchSize = fetchSize;
    }

    /** Rows per round trip to the server. Default 10,000. */
    public QuerySource withFetchSize(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("fetchSize must be positive, was " + rows);
        }
        return new QuerySource(db, sql, params, rows);
    }

    @Override
    public String name() {
        String s = sql.replaceAll("\\s+", " ").trim();
        return "query(" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + ")";
    }

    @Override
    public SourceReader<Row> open(SourceContext ctx) throws Exception {
        Connection c;
        try {
            c = db.open();
        } catch (SQLException | RuntimeException e) {
            throw new SluiceException(
                    e instanceof NoDriverException
                            ? e.getMessage()
                            : "connecting to " + db.url() + " failed: " + db.redact(e.getMessage()),
                    e);
        }
        try {
            db.dialect().prepareForStreaming(c);
            PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            db.dialect().setFetchSize(ps, fetchSize);
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ResultSet rs = ps.executeQuery();
            return new Reader(c, ps, rs, new ResultRows(rs.getMetaData()));
        } catch (SQLException | RuntimeException e) {
            JdbcResources.closeQuietly(c, e);
            throw new SluiceException(
                    "query failed on " + db.url() + ": " + db.redact(e.getMessage()) + " ["
                            + JdbcResources.shorten(sql, 200) + "]",
                    e);
        }
    }

    private final class Reader implements SourceReader<Row> {
        private final Connection c;
        private final PreparedStatement ps;
        private final ResultSet rs;
        private final ResultRows rows;
        private long count;

        Reader(Connection c, PreparedStatement ps, ResultSet rs, ResultRows rows) {
            this.c = c;
            this.ps = ps;
            this.rs = rs;
            this.rows = rows;
        }

        @Override
        public Row next() {
            try {
                if (!rs.next()) {
                    return null;
                }
                count++;
                return rows.read(rs, location());
            } catch (SQLException e) {
                String what = Dialect.connectionLost(e, c) ? "the connection was lost" : "reading failed";
                throw new DataException(
                        String.format(
                                java.util.Locale.ROOT,
                                "%s: %s after %,d rows: %s",
                                name(),
                                what,
                                count,
                                db.redact(e.getMessage())),
                        location(),
                        e);
            }
        }

        @Override
        public Location location() {
            return new Location(name(), -1, count);
        }

        @Override
        public void close() throws Exception {
            JdbcResources.closeAll(rs, ps, c, db.dialect() == Dialect.POSTGRESQL);
        }
    }
}
