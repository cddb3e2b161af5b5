package dev.sluice.jdbc;

import dev.sluice.fn.SupplierFn;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * A database to read from and write to: how to open a connection, and its {@link Dialect}. Serializable and
 * immutable; opens nothing until a run starts, and every source and sink closes the connections it opens.
 *
 * <pre>{@code
 * Database db = Jdbc.connect("jdbc:postgresql://localhost/parking", "user", "secret");
 * Flow.from(db.query("SELECT * FROM tickets WHERE state = ?", "NJ")).forEach(...);
 * Flow.from(Csv.read(file)).to(db.table("tickets").write().withCreateTable(true)).run();
 * }</pre>
 */
public final class Database implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final String user;
  private final String password;
  private final SupplierFn<Connection> connections;
  private final Dialect dialect;

  Database(String url, String user, String password, SupplierFn<Connection> connections, Dialect dialect) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.connections = connections;
    this.dialect = dialect;
  }

  /** Opens a new connection. The caller closes it. */
  public Connection open() throws SQLException {
    if (connections != null) {
      try {
        return Objects.requireNonNull(connections.get(), "the connection supplier returned null");
      } catch (SQLException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new SQLException("opening a connection failed: " + e.getMessage(), e);
      }
    }
    return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
  }

  /** The dialect, known from the URL. */
  public Dialect dialect() {
    return dialect;
  }

  /** The URL without credentials, for messages. */
  public String url() {
    return url;
  }

  /** A query streamed through a cursor; parameters are bound in order ({@code ?}). */
  public QuerySource query(String sql, Object... params) {
    return new QuerySource(this, Objects.requireNonNull(sql, "sql"), params.clone(), 10_000);
  }

  /** A table (name as written; quote it yourself if it needs quoting), to read by key or to write. */
  public Table table(String name) {
    return new Table(this, Objects.requireNonNull(name, "name"));
  }

  @Override
  public String toString() {
    return url;
  }
}
