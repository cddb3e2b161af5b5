package dev.sluice.jdbc;

import java.util.Arrays;
import java.util.List;

/** A table of a {@link Database}: read it by key, or write to it. */
public final class Table {
  private final Database db;
  private final String name;

  Table(Database db, String name) {
    this.db = db;
    this.name = name;
  }

  /**
   * Reads the table in pages ordered by {@code keys} (keyset pagination: {@code WHERE (k1, k2) > (last) ORDER BY
   * k1, k2 LIMIT n}, never OFFSET), so a long read holds no cursor open, resumes from the last key after a
   * dropped connection, and can start after a given key. Keys may be numbers, strings, timestamps or composite;
   * they must be unique together (a primary key or unique index), or rows sharing a key at a page boundary would
   * be skipped.
   */
  public KeysetSource readByKey(String... keys) {
    if (keys.length == 0) {
      throw new IllegalArgumentException("readByKey needs at least one key column");
    }
    return new KeysetSource(db, name, List.copyOf(Arrays.asList(keys)), 10_000, null, 3, 0);
  }

  /** Writes rows to the table in batches, a commit per batch. */
  public TableSink write() {
    return new TableSink(db, name, 1000, false, List.of(), false);
  }

  public String name() {
    return name;
  }
}
