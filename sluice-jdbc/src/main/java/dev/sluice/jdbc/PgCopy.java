package dev.sluice.jdbc;

import dev.sluice.Row;
import dev.sluice.csv.CsvFormat;
import dev.sluice.csv.CsvWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Internal: PostgreSQL's {@code COPY ... FROM STDIN (FORMAT csv, NULL '\N')}. With that NULL marker an empty field,
 * quoted or not, is an empty string, and only an absent value (written {@code \N}) is NULL. A row read from CSV
 * whose raw bytes are canonical (and hold no backslash, so no field can read as the marker) is sent as it is,
 * without decoding; other rows are encoded field by field, every value quoted. Loaded only when COPY is used, so
 * the PostgreSQL driver is needed only then.
 */
final class PgCopy {
    private static final byte[] NULL = {'\\', 'N'};

    private PgCopy() {}

    static void copy(Connection c, String table, List<String> cols, List<Row> rows, RowMapping map, Dialect d)
            throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + table + " (" + d.columns(cols) + ") FROM STDIN (FORMAT csv, NULL E'\\\\N')");
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 20);
            for (Row row : rows) {
                byte[] raw = map.identity(row) ? CsvWriter.rawRecord(row, CsvFormat.DEFAULT) : null;
                if (raw != null && !hasBackslash(raw)) {
                    buf.write(raw, 0, raw.length);
                } else {
                    int[] m = map.of(row);
                    for (int i = 0; i < m.length; i++) {
                        if (i > 0) {
                            buf.write(',');
                        }
                        String s = row.get(m[i]);
                        if (s == null) {
                            buf.write(NULL, 0, 2);
                        } else {
                            byte[] b = ('"' + s.replace("\"", "\"\"") + '"').getBytes(StandardCharsets.UTF_8);
                            buf.write(b, 0, b.length);
                        }
                    }
                }
                buf.write('\n');
                if (buf.size() > 1 << 20) {
                    in.writeToCopy(buf.toByteArray(), 0, buf.size());
                    buf.reset();
                }
            }
            in.writeToCopy(buf.toByteArray(), 0, buf.size());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException e) {
                    // the error that made us cancel is the one to report
                }
            }
        }
    }

    private static boolean hasBackslash(byte[] b) {
        for (byte x : b) {
            if (x == '\\') {
                return true;
            }
        }
        return false;
    }

    /** How a row's columns map to the table's. */
    interface RowMapping {
        /** Whether the row's columns are the table's, in order. */
        boolean identity(Row row);

        /** For each table column, the row's column index. */
        int[] of(Row row);
    }
}
