package dev.sluice.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Internal: PostgreSQL's {@code COPY ... FROM STDIN (FORMAT csv)}. Every non-null value is written quoted, so an
 * empty string stays an empty string and only an absent value (unquoted, empty) becomes NULL. Loaded only when
 * COPY is used, so the PostgreSQL driver is needed only then.
 */
final class PgCopy {
  private PgCopy() {}

  static void copy(Connection c, String table, List<String> cols, List<Object[]> rows, Dialect d)
      throws SQLException {
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
        .copyIn("COPY " + table + " (" + d.columns(cols) + ") FROM STDIN (FORMAT csv)");
    try {
      StringBuilder sb = new StringBuilder(256 * rows.size());
      for (Object[] v : rows) {
        for (int i = 0; i < v.length; i++) {
          if (i > 0) {
            sb.append(',');
          }
          if (v[i] != null) {
            String s = v[i] instanceof java.math.BigDecimal ? ((java.math.BigDecimal) v[i]).toPlainString()
                : v[i].toString();
            sb.append('"').append(s.replace("\"", "\"\"")).append('"');
          }
        }
        sb.append('\n');
        if (sb.length() > 1 << 20) {
          byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
          in.writeToCopy(b, 0, b.length);
          sb.setLength(0);
        }
      }
      byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
      in.writeToCopy(b, 0, b.length);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }
}
