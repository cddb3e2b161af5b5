package dev.sluice.jdbc;

import dev.sluice.DataException;
import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import dev.sluice.internal.Push;
import dev.sluice.internal.Splittable;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A table read in key order, a page at a time (keyset pagination). Made by {@link Table#readByKey}. Each page is
 * one short query, so nothing is held open between pages; if the connection drops, the reader reconnects (up to
 * {@link #withRetries} times, backing off) and goes on from the last key it returned: no row lost, none repeated.
 *
 * <p>With {@link dev.sluice.Flow#parallel()} and a single integer key, the table is read in parallel by key ranges
 * chosen from the data ({@code min}, {@code max} and {@code count(*)}: ranges of about 20,000 rows), output in key
 * order.
 */
public final class KeysetSource implements Source<Row>, Splittable {
  private static final long serialVersionUID = 1L;
  private static final long RANGE_ROWS = 20_000;

  private final Database db;
  private final TableName table;
  @SuppressWarnings("serial") // an immutable List.copyOf, which is serializable
  private final List<String> keys;
  private final int pageSize;
  @SuppressWarnings("serial") // values of the user's: serializable when they are
  private final Object[] after;
  private final int retries;
  private final long backoffMillis;

  KeysetSource(Database db, TableName table, List<String> keys, int pageSize, Object[] after, int retries,
      long backoffMillis) {
    this.db = db;
    this.table = table;
    this.keys = keys;
    this.pageSize = pageSize;
    this.after = after;
    this.retries = retries;
    this.backoffMillis = backoffMillis;
  }

  /** Rows per page. Default 10,000. */
  public KeysetSource withPageSize(int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("pageSize must be positive, was " + rows);
    }
    return new KeysetSource(db, table, keys, rows, after, retries, backoffMillis);
  }

  /** Starts after this key (one value per key column): resumes a read that stopped. */
  public KeysetSource startingAfter(Object... key) {
    if (key.length != keys.size()) {
      throw new IllegalArgumentException("startingAfter takes " + keys.size() + " value(s), one per key column "
          + keys + ", but got " + key.length);
    }
    return new KeysetSource(db, table, keys, pageSize, key.clone(), retries, backoffMillis);
  }

  /** How often to reconnect after a lost connection before failing. Default 3. */
  public KeysetSource withRetries(int times) {
    if (times < 0) {
      throw new IllegalArgumentException("retries must be at least 0, was " + times);
    }
    return new KeysetSource(db, table, keys, pageSize, after, times, backoffMillis);
  }

  @Override
  public String name() {
    return "table(" + table + " by " + String.join(", ", keys) + ")";
  }

  private String orderBy() {
    return keys.stream().map(db.dialect()::quote).collect(Collectors.joining(", "));
  }

  private String limit() {
    return db.dialect() == Dialect.OTHER ? " FETCH FIRST " + pageSize + " ROWS ONLY" : " LIMIT " + pageSize;
  }

  /** The page query: after {@code last} (or from the start when null). */
  String pageSql(boolean first) {
    String where = "";
    if (!first) {
      where = keys.size() == 1 ? " WHERE " + db.dialect().quote(keys.get(0)) + " > ?"
          : " WHERE (" + orderBy() + ") > (" + db.dialect().placeholders(keys.size()) + ")";
    }
    return "SELECT * FROM " + table.sql(db.dialect()) + where + " ORDER BY " + orderBy() + limit();
  }

  @Override
  public SourceReader<Row> open(SourceContext ctx) {
    return new Reader(after, 0);
  }

  /**
   * A position in a keyset read: the last key read, one value per key column (empty before the first row), and
   * how many rows were read before it (so locations go on numbering from there).
   */
  public record AfterKey(List<Object> key, long records) implements dev.sluice.Position {
    public AfterKey {
      key = List.copyOf(key);
    }

    @Override
    public String toString() {
      return key.isEmpty() ? "at the start" : "after key " + key + " (" + records + " rows)";
    }
  }

  /** Resumes after the key of an {@link AfterKey} position: no cursor is kept open, so this survives restarts. */
  @Override
  public SourceReader<Row> open(SourceContext ctx, dev.sluice.Position position) throws Exception {
    if (position == null) {
      return open(ctx);
    }
    if (!(position instanceof AfterKey)) {
      throw new IllegalArgumentException(name() + " resumes from a KeysetSource.AfterKey, not " + position);
    }
    AfterKey at = (AfterKey) position;
    if (!at.key().isEmpty() && at.key().size() != keys.size()) {
      throw new IllegalArgumentException(name() + ": the position has " + at.key().size() + " key value(s), the read "
          + "has " + keys.size() + " key column(s)");
    }
    return new Reader(at.key().isEmpty() ? after : at.key().toArray(), at.records());
  }

  private final class Reader implements SourceReader<Row> {
    private Connection c;
    private PreparedStatement ps;
    private ResultSet rs;
    private ResultRows rows;
    private int[] keyIndex;
    private Object[] last;
    private long count;

    Reader(Object[] start, long before) {
      this.last = start;
      this.count = before;
    }

    @Override
    public dev.sluice.Position position() {
      return new AfterKey(last == null ? List.of() : java.util.Arrays.asList(last), count);
    }

    private int inPage;
    private boolean done;
    private int failures;

    @Override
    public Row next() throws Exception {
      while (!done) {
        try {
          if (rs == null) {
            openPage();
          }
          if (rs.next()) {
            Row r = rows.read(rs, new Location(table.display, -1, count + 1));
            count++;
            inPage++;
            Object[] k = new Object[keyIndex.length];
            for (int i = 0; i < k.length; i++) {
              k[i] = r.value(keyIndex[i]);
              if (k[i] == null) {
                throw new DataException(String.format(Locale.ROOT, "%s: key column '%s' is NULL in row %,d; a keyset "
                    + "read needs NOT NULL keys (no NULL compares greater than a key, so rows would be lost)", name(),
                    keys.get(i), count), location(), null);
              }
            }
            last = k;
            failures = 0;
            return r;
          }
          boolean full = inPage >= pageSize;
          closePage();
          if (!full) {
            done = true;
          }
        } catch (SQLException e) {
          boolean lost = Dialect.connectionLost(e, c);
          dropConnection();
          if (!lost || failures >= retries) {
            throw new DataException(String.format(Locale.ROOT, "%s: %s after %,d rows (last key %s): %s", name(),
                lost ? "the connection was lost " + (failures + 1) + " time(s)" : "reading failed", count,
                last == null ? "none" : java.util.Arrays.toString(last), db.redact(e.getMessage())), location(),
                e);
          }
          failures++;
          Thread.sleep(backoffMillis + 100L * failures);
        }
      }
      return null;
    }

    private void openPage() throws SQLException {
      if (c == null) {
        c = db.open();
        db.dialect().prepareForStreaming(c);
      }
      ps = c.prepareStatement(pageSql(last == null), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      db.dialect().setFetchSize(ps, Math.min(pageSize, 10_000));
      if (last != null) {
        for (int i = 0; i < last.length; i++) {
          ps.setObject(i + 1, last[i]);
        }
      }
      rs = ps.executeQuery();
      if (rows == null) {
        rows = new ResultRows(rs.getMetaData());
        keyIndex = new int[keys.size()];
        for (int i = 0; i < keyIndex.length; i++) {
          keyIndex[i] = indexOf(rows, keys.get(i));
        }
      }
      inPage = 0;
    }

    private void closePage() throws SQLException {
      ResultSet r = rs;
      PreparedStatement p = ps;
      rs = null;
      ps = null;
      JdbcResources.closeAll(r, p, null, false);
      if (c != null && !c.getAutoCommit()) {
        c.rollback(); // end the read-only transaction between pages
      }
    }

    private void dropConnection() {
      try {
        JdbcResources.closeAll(rs, ps, c, false);
      } catch (SQLException ignored) {
        // the connection is being replaced
      }
      rs = null;
      ps = null;
      c = null;
    }

    @Override
    public Location location() {
      return new Location(table.display, -1, count);
    }

    @Override
    public void close() throws Exception {
      Connection conn = c;
      c = null;
      JdbcResources.closeAll(rs, ps, conn, db.dialect() == Dialect.POSTGRESQL);
    }
  }

  private int indexOf(ResultRows rows, String key) {
    int i = rows.schema.indexOf(key);
    if (i < 0) {
      for (int j = 0; j < rows.schema.size(); j++) {
        if (rows.schema.name(j).equalsIgnoreCase(key)) {
          return j;
        }
      }
      throw new IllegalArgumentException("table " + table + " has no key column '" + key + "'; columns are "
          + rows.schema.names());
    }
    return i;
  }

  // ---- partitioned parallel reads ----

  @Override
  public SplitPlan plan(SourceContext context, int chunkBytes) throws Exception {
    if (after != null) {
      return null;
    }
    String t = table.sql(db.dialect());
    String cols = orderBy();
    try (Connection c = db.open()) {
      long count;
      long nullKeys;
      Object min = null;
      Object max = null;
      String nullTest = keys.stream().map(k -> db.dialect().quote(k) + " IS NULL").collect(Collectors.joining(" OR "));
      String k0 = db.dialect().quote(keys.get(0));
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*), sum(CASE WHEN " + nullTest
          + " THEN 1 ELSE 0 END), min(" + k0 + "), max(" + k0 + ") FROM " + t);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        count = rs.getLong(1);
        nullKeys = rs.getLong(2);
        min = rs.getObject(3);
        max = rs.getObject(4);
      }
      if (nullKeys > 0) {
        return null; // read sequentially, where a NULL key is an error that says so
      }
      int n = (int) Math.max(1, Math.min(100_000, (count + RANGE_ROWS - 1) / RANGE_ROWS));
      if (keys.size() == 1 && integral(min) && integral(max)) {
        // one integer key: cut its span arithmetically, no scan
        BigInteger lo = new BigInteger(min.toString());
        BigInteger hi = new BigInteger(max.toString()).add(BigInteger.ONE);
        Object[][] bounds = new Object[n + 1][];
        BigInteger span = hi.subtract(lo);
        for (int i = 0; i <= n; i++) {
          bounds[i] = new Object[] {new java.math.BigDecimal(
              lo.add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n))))};
        }
        return new RangePlan(bounds);
      }
      if (n == 1) {
        return new RangePlan(new Object[][] {null, null});
      }
      // any orderable key, composite too: every step-th key in key order, from one ordered pass over the keys
      long step = (count + n - 1) / n;
      List<Object[]> cuts = new ArrayList<>();
      cuts.add(null);
      try (PreparedStatement ps = c.prepareStatement("SELECT " + cols + " FROM (SELECT " + cols
          + ", ROW_NUMBER() OVER (ORDER BY " + cols + ") AS sluice_rn FROM " + t + ") sluice_keys WHERE "
          + "(sluice_rn - 1) % " + step + " = 0 AND sluice_rn > 1 ORDER BY " + cols);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Object[] k = new Object[keys.size()];
          for (int i = 0; i < k.length; i++) {
            k[i] = rs.getObject(i + 1);
          }
          cuts.add(k);
        }
      } catch (SQLException e) {
        return null; // no window functions here: read sequentially
      }
      cuts.add(null);
      return new RangePlan(cuts.toArray(new Object[0][]));
    }
  }

  private static boolean integral(Object v) {
    return v instanceof Number && !(v instanceof Double) && !(v instanceof Float)
        && !(v instanceof java.math.BigDecimal && ((java.math.BigDecimal) v).scale() > 0);
  }

  /**
   * Key ranges [bounds[i], bounds[i + 1]) in key order (a null bound is open), read on workers; chunk "offsets" are
   * range numbers. A bound holds one value per key column; composite keys compare as row values.
   */
  private final class RangePlan implements SplitPlan {
    private final Object[][] bounds;

    RangePlan(Object[][] bounds) {
      this.bounds = bounds;
    }

    /** {@code (k1, k2) op (?, ?)}, or {@code k op ?} for one key column. */
    private String compare(String op) {
      String ph = db.dialect().placeholders(keys.size());
      return keys.size() == 1 ? db.dialect().quote(keys.get(0)) + " " + op + " ?"
          : "(" + orderBy() + ") " + op + " (" + ph + ")";
    }

    @Override
    public int chunks() {
      return bounds.length - 1;
    }

    @Override
    public long dataStart() {
      return 0;
    }

    @Override
    public long dataStartLine() {
      return -1;
    }

    @Override
    public ChunkRead read(int i, Push<Object> out, SourceContext context) throws Exception {
      return range(i, 0, false, out);
    }

    @Override
    public ChunkRead reread(int i, long from, long line, long recordsBefore, Push<Object> out, SourceContext ctx)
        throws Exception {
      return range(i, recordsBefore, true, out);
    }

    private ChunkRead range(int i, long before, boolean numbered, Push<Object> out) throws SQLException {
      Object[] lo = bounds[i];
      Object[] hi = bounds[i + 1];
      List<String> where = new ArrayList<>();
      if (lo != null) {
        where.add(compare(">="));
      }
      if (hi != null) {
        where.add(compare("<"));
      }
      String sql = "SELECT * FROM " + table.sql(db.dialect()) + (where.isEmpty() ? "" : " WHERE "
          + String.join(" AND ", where)) + " ORDER BY " + orderBy();
      long n = 0;
      Connection c = db.open();
      PreparedStatement ps = null;
      ResultSet rs = null;
      try {
        db.dialect().prepareForStreaming(c);
        ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        db.dialect().setFetchSize(ps, Math.min(pageSize, 10_000));
        int p = 1;
        for (Object[] bound : new Object[][] {lo, hi}) {
          if (bound != null) {
            for (Object v : bound) {
              ps.setObject(p++, v);
            }
          }
        }
        rs = ps.executeQuery();
        ResultRows rows = new ResultRows(rs.getMetaData());
        while (rs.next()) {
          n++;
          out.push(rows.read(rs, new Location(table.display, -1, numbered ? before + n : -1)));
        }
      } finally {
        JdbcResources.closeAll(rs, ps, c, db.dialect() == Dialect.POSTGRESQL);
      }
      return new ChunkRead(i, -1, i + 1, -1, n);
    }

    @Override
    public void settled(int i, long end, long line) {}

    @Override
    public Location location(Object record) {
      return record instanceof Row ? ((Row) record).origin() : null;
    }

    @Override
    public String rawText(Object record) {
      return String.valueOf(record);
    }

    @Override
    public double progress(int chunksDone) {
      return (double) chunksDone / chunks();
    }

    @Override
    public void close() {}
  }
}
