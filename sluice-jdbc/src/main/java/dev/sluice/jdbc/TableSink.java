package dev.sluice.jdbc;

import dev.sluice.DataException;
import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.SluiceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes rows to a table in batches, one transaction per batch. Made by {@link Table#write}; immutable.
 *
 * <ul>
 *   <li>{@link #withCreateTable}: create the table from the first row's columns, every column as text, so a file
 *       loaded and exported again comes back with the same values (leading zeros, date formats, trailing spaces).
 *       MySQL and MariaDB refuse column names that end with spaces: there such names lose them.
 *   <li>{@link #withUpsert}: insert or update on a key, in the database's own syntax (PostgreSQL and SQLite {@code
 *       ON CONFLICT}, MySQL and MariaDB {@code ON DUPLICATE KEY}, H2 {@code MERGE}).
 *   <li>{@link #withCopy}: PostgreSQL's {@code COPY ... FROM STDIN}, the fast path.
 * </ul>
 *
 * <p>A batch that fails is rolled back whole (earlier batches stay committed), and the run fails with the record
 * that broke it, found by retrying the batch's rows one by one: no half-applied batch, and nothing dropped
 * silently. Rows are matched to columns by name.
 */
public final class TableSink implements Sink<Row> {
  private static final long serialVersionUID = 1L;

  private final Database db;
  private final String table;
  private final int batchSize;
  private final boolean create;
  private final List<String> upsertKeys;
  private final boolean copy;

  TableSink(Database db, String table, int batchSize, boolean create, List<String> upsertKeys, boolean copy) {
    this.db = db;
    this.table = table;
    this.batchSize = batchSize;
    this.create = create;
    this.upsertKeys = upsertKeys;
    this.copy = copy;
    if (copy && db.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException("COPY is PostgreSQL's; " + db.url() + " is " + db.dialect());
    }
    if (copy && !upsertKeys.isEmpty()) {
      throw new IllegalArgumentException("COPY cannot upsert; use batched inserts with withUpsert");
    }
  }

  /** Rows per batch and per transaction. Default 1,000. */
  public TableSink withBatchSize(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, was " + rows);
    }
    return new TableSink(db, table, rows, create, upsertKeys, copy);
  }

  /** Whether to create the table (if missing) from the first row's columns, all as text. Default false. */
  public TableSink withCreateTable(boolean b) {
    return new TableSink(db, table, batchSize, b, upsertKeys, copy);
  }

  /** Insert or update on these key columns (which need a unique index; a created table gets a primary key). */
  public TableSink withUpsert(String... keys) {
    return new TableSink(db, table, batchSize, create, List.of(keys), copy);
  }

  /** Load with PostgreSQL's COPY (a batch per COPY, a commit per batch). Default false. */
  public TableSink withCopy(boolean b) {
    return new TableSink(db, table, batchSize, create, upsertKeys, b);
  }

  @Override
  public String name() {
    return "table(" + table + ")";
  }

  @Override
  public SinkWriter<Row> open() throws Exception {
    Connection c = db.open();
    try {
      c.setAutoCommit(false);
    } catch (SQLException e) {
      Jdbc2.closeQuietly(c, e);
      throw e;
    }
    return new Writer(c);
  }

  private final class Writer implements SinkWriter<Row> {
    private final Connection c;
    private Schema header;
    private List<String> cols;
    private PreparedStatement insert;
    private final List<Row> batch = new ArrayList<>();
    private long written;
    private Schema lastSchema;
    private int[] lastMap;
    private int[] identity;

    Writer(Connection c) {
      this.c = c;
    }

    @Override
    public void write(Row row) throws Exception {
      if (header == null) {
        start(row.schema());
      }
      mapping(row.schema()); // fails now, on this record, if a column is missing
      batch.add(row);
      if (batch.size() >= batchSize) {
        flush();
      }
    }

    private void start(Schema s) throws SQLException {
      header = s;
      cols = s.names();
      Dialect d = db.dialect();
      if (create) {
        String ddl = "CREATE TABLE IF NOT EXISTS " + table + " ("
            + cols.stream().map(n -> d.quote(d.columnName(n)) + " "
                + (upsertKeys.contains(n) ? d.keyTextType() : d.textType()))
                .collect(Collectors.joining(", "))
            + (upsertKeys.isEmpty() ? "" : ", PRIMARY KEY (" + d.columns(upsertKeys) + ")") + ")";
        try (Statement st = c.createStatement()) {
          st.execute(ddl);
        }
        c.commit();
      }
      if (!copy) {
        insert = c.prepareStatement(d.insert(table, cols, upsertKeys));
      }
    }

    private int[] mapping(Schema s) {
      if (s == header) {
        if (identity == null) {
          identity = new int[cols.size()];
          for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
          }
        }
        return identity;
      }
      if (s == lastSchema) {
        return lastMap;
      }
      int[] m = new int[cols.size()];
      for (int i = 0; i < m.length; i++) {
        m[i] = s.indexOf(cols.get(i));
        if (m[i] < 0) {
          throw new DataException("the row has no column '" + cols.get(i) + "', which " + table + " is written with; "
              + "the row's columns are " + s);
        }
      }
      lastSchema = s;
      lastMap = m;
      return m;
    }

    private void flush() throws SQLException {
      if (batch.isEmpty()) {
        return;
      }
      try {
        if (copy) {
          PgCopy.copy(c, table, cols, batch, new PgCopy.RowMapping() {
            @Override
            public boolean identity(Row row) {
              return row.schema() == header;
            }

            @Override
            public int[] of(Row row) {
              return mapping(row.schema());
            }
          }, db.dialect());
        } else {
          for (Row row : batch) {
            bind(insert, row);
            insert.addBatch();
          }
          insert.executeBatch();
        }
        c.commit();
      } catch (SQLException e) {
        rollback();
        throw culprit(e);
      }
      written += batch.size();
      batch.clear();
    }

    /**
     * Binds a row. Text goes to PostgreSQL untyped ({@code Types.OTHER}), so the server converts it to the column's
     * type as it would a literal ('12' into an integer column) and a value that does not fit fails on its record.
     */
    private void bind(PreparedStatement ps, Row row) throws SQLException {
      int[] map = mapping(row.schema());
      Object[] v = new Object[map.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = row.value(map[i]);
      }
      boolean pg = db.dialect() == Dialect.POSTGRESQL;
      for (int i = 0; i < v.length; i++) {
        if (v[i] == null) {
          ps.setNull(i + 1, pg ? java.sql.Types.OTHER : java.sql.Types.VARCHAR);
        } else if (pg && v[i] instanceof String) {
          ps.setObject(i + 1, v[i], java.sql.Types.OTHER);
        } else {
          ps.setObject(i + 1, v[i]);
        }
      }
    }

    /** Finds the first row of the failed batch that fails alone (in a transaction rolled back after). */
    private SluiceException culprit(SQLException batchError) {
      long first = written + 1;
      long lastRow = written + batch.size();
      String range = String.format(Locale.ROOT, "records %,d to %,d", first, lastRow);
      try (PreparedStatement one = c.prepareStatement(db.dialect().insert(table, cols, upsertKeys))) {
        for (int i = 0; i < batch.size(); i++) {
          try {
            bind(one, batch.get(i));
            one.executeUpdate();
          } catch (SQLException e) {
            rollback();
            Location where = batch.get(i).origin();
            return new SluiceException(String.format(Locale.ROOT,
                "writing to %s failed on record %,d%s: %s; its batch (%s) was rolled back, %,d earlier rows are "
                    + "committed", table, written + i + 1, where == null ? "" : " (" + where + ")",
                message(e), range, written), e);
          }
        }
        rollback();
      } catch (SQLException e) {
        rollback();
      }
      return new SluiceException(String.format(Locale.ROOT, "writing to %s failed in the batch of %s: %s; the "
          + "batch was rolled back, %,d earlier rows are committed", table, range, message(batchError), written),
          batchError);
    }

    private String message(SQLException e) {
      SQLException next = e.getNextException();
      String m = e.getMessage();
      if (next != null && next.getMessage() != null && !m.contains(next.getMessage())) {
        m = m + " (" + next.getMessage() + ")";
      }
      return m.replace('\n', ' ');
    }

    private void rollback() {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection may be gone; the error being reported says why
      }
    }

    @Override
    public void close(boolean success) throws Exception {
      try {
        if (success) {
          flush();
        } else {
          rollback();
        }
      } finally {
        Jdbc2.closeAll(null, insert, c, false);
      }
    }
  }
}
