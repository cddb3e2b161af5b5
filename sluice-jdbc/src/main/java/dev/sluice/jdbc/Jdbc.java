package dev.sluice.jdbc;

import dev.sluice.fn.SupplierFn;
import java.sql.Connection;
import java.util.Objects;

/**
 * Database sources and sinks. Entry point: {@link #connect}.
 *
 * <pre>{@code
 * Database db = Jdbc.connect("jdbc:sqlite:parking.db");
 * Flow.from(db.query("SELECT * FROM tickets").withFetchSize(10_000)).map(...).to(...).run();
 * Flow.from(db.table("tickets").readByKey("summons_number")).parallel().count();
 * }</pre>
 */
public final class Jdbc {
  private Jdbc() {}

  /** The database at a JDBC URL (credentials, if any, in the URL). */
  public static Database connect(String url) {
    return new Database(Objects.requireNonNull(url, "url"), null, null, null, Dialect.of(url));
  }

  /** The database at a JDBC URL, with credentials. */
  public static Database connect(String url, String user, String password) {
    return new Database(Objects.requireNonNull(url, "url"), user, password, null, Dialect.of(url));
  }

  /** A database whose connections come from {@code connections} (e.g. a pool's {@code getConnection}). */
  public static Database of(String name, Dialect dialect, SupplierFn<Connection> connections) {
    return new Database(name, null, null, Objects.requireNonNull(connections, "connections"), dialect);
  }
}
