package dev.sluice.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** One real PostgreSQL server for the test JVM, started from Maven-provided binaries (no Docker), stopped at exit. */
final class Pg {
    private static EmbeddedPostgres server;

    private Pg() {}

    static synchronized Database db() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start the embedded PostgreSQL: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }));
        }
        return Jdbc.connect(url());
    }

    /** The server's JDBC URL (user postgres, no password: the server trusts local connections). */
    static synchronized String url() {
        if (server == null) {
            db();
        }
        return server.getJdbcUrl("postgres", "postgres");
    }

    static void exec(Database db, String... sql) throws SQLException {
        try (Connection c = db.open();
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    static long scalar(Database db, String sql) throws SQLException {
        try (Connection c = db.open();
                Statement st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
