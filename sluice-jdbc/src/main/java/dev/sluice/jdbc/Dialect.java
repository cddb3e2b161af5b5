package dev.sluice.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What differs between databases, known from the JDBC URL: how to make a driver stream a result set instead of
 * loading it whole, how to quote names, and how to write an upsert. Unknown databases get standard SQL.
 */
public enum Dialect {
    POSTGRESQL,
    SQLITE,
    MYSQL,
    MARIADB,
    H2,
    OTHER;

    /** The dialect of a JDBC URL such as {@code jdbc:postgresql://host/db}. */
    public static Dialect of(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        } else if (u.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        } else if (u.startsWith("jdbc:mysql:")) {
            return MYSQL;
        } else if (u.startsWith("jdbc:mariadb:")) {
            return MARIADB;
        } else if (u.startsWith("jdbc:h2:")) {
            return H2;
        }
        return OTHER;
    }

    /**
     * Sets up a connection so a query streams: PostgreSQL uses a server-side cursor only with auto-commit off (the
     * connection is then used read-only and rolled back when done).
     */
    void prepareForStreaming(Connection c) throws SQLException {
        if (this == POSTGRESQL) {
            c.setAutoCommit(false);
        }
    }

    /**
     * Sets a statement's fetch size so the driver streams: MySQL's Connector/J streams row by row only with
     * {@code Integer.MIN_VALUE}; MariaDB streams with any positive fetch size; PostgreSQL fetches this many rows per
     * round trip.
     */
    void setFetchSize(Statement st, int fetchSize) throws SQLException {
        st.setFetchSize(this == MYSQL ? Integer.MIN_VALUE : fetchSize);
    }

    /** A quoted identifier: {@code "name"} (backquotes for MySQL and MariaDB); embedded quotes doubled. */
    public String quote(String name) {
        if (this == MYSQL || this == MARIADB) {
            return "`" + name.replace("`", "``") + "`";
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * A column name as the database can hold it: MySQL and MariaDB refuse names that end with spaces (the NYC
     * header's {@code "Days Parking In Effect    "}), so those lose their trailing spaces there.
     */
    public String columnName(String name) {
        return this == MYSQL || this == MARIADB ? name.stripTrailing() : name;
    }

    String columns(List<String> names) {
        return names.stream().map(n -> quote(columnName(n))).collect(Collectors.joining(", "));
    }

    String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** An INSERT, or an upsert on {@code keys} when there are keys. */
    String insert(String table, List<String> cols, List<String> keys) {
        String base = "INSERT INTO " + table + " (" + columns(cols) + ") VALUES (" + placeholders(cols.size()) + ")";
        if (keys.isEmpty()) {
            return base;
        }
        List<String> rest = cols.stream().filter(c -> !keys.contains(c)).collect(Collectors.toList());
        switch (this) {
            case POSTGRESQL:
            case SQLITE:
                return base + " ON CONFLICT (" + columns(keys) + ") DO "
                        + (rest.isEmpty()
                                ? "NOTHING"
                                : "UPDATE SET "
                                        + rest.stream()
                                                .map(c -> quote(columnName(c)) + " = excluded." + quote(columnName(c)))
                                                .collect(Collectors.joining(", ")));
            case MYSQL:
            case MARIADB:
                return base + " ON DUPLICATE KEY UPDATE "
                        + (rest.isEmpty()
                                ? quote(columnName(keys.get(0))) + " = " + quote(columnName(keys.get(0)))
                                : rest.stream()
                                        .map(c -> quote(columnName(c)) + " = VALUES(" + quote(columnName(c)) + ")")
                                        .collect(Collectors.joining(", ")));
            case H2:
                return "MERGE INTO " + table + " (" + columns(cols) + ") KEY (" + columns(keys) + ") VALUES ("
                        + placeholders(cols.size()) + ")";
            default:
                throw new UnsupportedOperationException(
                        "upsert is supported for PostgreSQL, SQLite, MySQL, MariaDB and H2, "
                                + "not for this database");
        }
    }

    /** The column type used for text, which keeps every value exactly as written. */
    String textType() {
        return this == MYSQL || this == MARIADB ? "LONGTEXT" : this == H2 ? "VARCHAR" : "TEXT";
    }

    /** The type of a text key column: MySQL and MariaDB cannot index unbounded text. */
    String keyTextType() {
        return this == MYSQL || this == MARIADB ? "VARCHAR(255)" : textType();
    }

    /** Whether a failed statement means the connection is gone (worth reconnecting), by SQLSTATE class 08. */
    static boolean connectionLost(SQLException e, Connection c) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null
                        && (state.startsWith("08")
                                || state.equals("57P01")
                                || state.equals("57P02")
                                || state.equals("57P03"))) {
                    return true; // connection exception; PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now
                }
            }
        }
        try {
            return c != null && (c.isClosed() || !c.isValid(2));
        } catch (SQLException ex) {
            return true;
        }
    }
}
