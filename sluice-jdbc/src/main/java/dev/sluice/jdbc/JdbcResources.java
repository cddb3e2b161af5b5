package dev.sluice.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Internal: closing JDBC resources in order, keeping the first failure. */
final class JdbcResources {
    private JdbcResources() {}

    /** Text cut to about {@code max} characters, on one line, with "..." and the number of characters left out. */
    static String shorten(String s, int max) {
        if (s == null) {
            return null;
        }
        String one = s.replaceAll("\\s+", " ").trim();
        if (one.length() <= max) {
            return one;
        }
        return one.substring(0, max)
                + String.format(java.util.Locale.ROOT, "... (%,d more characters)", one.length() - max);
    }

    static void closeQuietly(AutoCloseable c, Throwable primary) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }

    /** Closes a result set, its statement and its connection (rolling back a read-only transaction first). */
    static void closeAll(ResultSet rs, Statement st, Connection c, boolean rollback) throws SQLException {
        SQLException first = null;
        try {
            if (rs != null) {
                rs.close();
            }
        } catch (SQLException e) {
            first = e;
        }
        try {
            if (st != null) {
                st.close();
            }
        } catch (SQLException e) {
            first = first == null ? e : first;
        }
        try {
            if (rollback && c != null && !c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            // the connection may be gone; closing it below is what matters
        }
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw first;
        }
    }
}
