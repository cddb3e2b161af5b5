package dev.sluice;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where a record came from: the source (a file name, a table), the 1-based line its text starts on and its
 * 1-based record number in that source (-1 where unknown). Used in error messages and dead letters.
 */
public final class Location implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;
  private final long record;

  public Location(String source, long line, long record) {
    this.source = Objects.requireNonNull(source, "source");
    this.line = line;
    this.record = record;
  }

  /** The source's name, e.g. the file name. */
  public String source() {
    return source;
  }

  /** The 1-based line the record starts on, or -1 if the source has no lines. */
  public long line() {
    return line;
  }

  /** The 1-based record number within the source (data records, header excluded), or -1 if unknown. */
  public long record() {
    return record;
  }

  /** {@code parking.csv line 1,043} or {@code numbers record 12}. */
  @Override
  public String toString() {
    if (line >= 0) {
      return String.format(java.util.Locale.ROOT, "%s line %,d", source, line);
    }
    if (record >= 0) {
      return String.format(java.util.Locale.ROOT, "%s record %,d", source, record);
    }
    return source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Location
        && ((Location) o).source.equals(source)
        && ((Location) o).line == line
        && ((Location) o).record == record;
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, line, record);
  }
}
