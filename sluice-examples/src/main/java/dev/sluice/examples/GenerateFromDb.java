package dev.sluice.examples;

import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.jdbc.Database;
import dev.sluice.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The seeds' {@code generate_from_db}: read a large table through a server-side cursor, {@code fetchmany(10000)} at
 * a time, keeping the connection open, and yield rows one by one.
 *
 * <pre>
 * def generate_from_db(conn, query, batch=10000):
 *     with conn.cursor(name="server_side") as cur:
 *         cur.execute(query)
 *         while rows := cur.fetchmany(batch):
 *             yield from rows
 * </pre>
 */
public final class GenerateFromDb {
    private GenerateFromDb() {}

    /** The seed, literally: a generator over a cursor, in batches, closed however the consumer stops. */
    public static Flow<List<Object>> generateFromDb(Database db, String query, int batch) {
        return Flow.generate("generate_from_db", out -> {
            try (Connection c = db.open()) {
                c.setAutoCommit(false); // PostgreSQL streams through a cursor only outside auto-commit
                try (PreparedStatement ps = c.prepareStatement(query)) {
                    ps.setFetchSize(batch);
                    try (ResultSet rs = ps.executeQuery()) {
                        int n = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            List<Object> row = new ArrayList<>(n);
                            for (int i = 1; i <= n; i++) {
                                row.add(rs.getObject(i));
                            }
                            out.emit(row);
                        }
                    }
                }
            }
        });
    }

    /** The Sluice way: the same streaming, typed rows, the driver's pitfalls handled, errors with context. */
    public static Flow<Row> rows(Database db, String query) {
        return Flow.from(db.query(query).withFetchSize(10_000));
    }

    /** {@code GenerateFromDb [JDBC_URL [QUERY]]}, by default the demo's {@code sluice-out/parking.db}. */
    public static void main(String[] args) {
        if (args.length == 0 && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of("sluice-out/parking.db"))) {
            System.err.println(
                    "sluice-out/parking.db is not there: make it first with ./sluice demo, or pass a JDBC URL");
            System.exit(2);
        }
        Database db = Jdbc.connect(args.length > 0 ? args[0] : "jdbc:sqlite:sluice-out/parking.db");
        String q = args.length > 1 ? args[1] : "SELECT * FROM tickets";
        System.out.println(
                generateFromDb(db, q, 10_000).count() + " rows; " + rows(db, q).count() + " rows");
    }
}
