package dev.sluice.csv;

import dev.sluice.DataException;
import dev.sluice.Row;
import dev.sluice.Schema;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes rows as CSV text to a {@link Writer}, with Python's csv-module rules for {@link Quoting#MINIMAL}. Use it
 * directly for streams; {@link Csv#write} makes a sink that writes a file. Not thread-safe.
 *
 * <pre>{@code
 * try (CsvWriter w = new CsvWriter(writer, CsvFormat.DEFAULT)) {
 *   w.writeRecord(List.of("a", "b,c"));    // a,"b,c"
 * }
 * }</pre>
 */
public final class CsvWriter implements Closeable {
  private final Writer out;
  private final char delimiter;
  private final char quote;
  private final char escape;
  private final boolean quoteAll;
  private final String lineEnding;
  private Schema header;
  private Schema lastSchema;
  private int[] lastMapping;

  public CsvWriter(Writer out, CsvFormat format) {
    this.out = out;
    this.delimiter = format.delimiter();
    this.quote = format.quote();
    this.escape = format.escape();
    this.quoteAll = format.quoting() == Quoting.ALL;
    this.lineEnding = format.lineEnding();
  }

  /** Writes one record of text values; {@code null} is written as an empty field. */
  public void writeRecord(List<String> values) throws IOException {
    int n = values.size();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.write(delimiter);
      }
      writeField(values.get(i), n == 1);
    }
    out.write(lineEnding);
  }

  /**
   * Writes a row. The first row's schema is the header (written if {@code writeHeader}); later rows are written
   * by column name in header order, and a row that lacks a header column or has an extra one is a {@link
   * DataException} naming the column.
   */
  public void writeRow(Row row, boolean writeHeader) throws IOException {
    Schema s = row.schema();
    if (header == null) {
      header = s;
      if (writeHeader) {
        writeRecord(s.names());
      }
    }
    int n = header.size();
    if (s == header || s.equals(header)) {
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.write(delimiter);
        }
        writeField(row.get(i), n == 1);
      }
    } else {
      int[] map = mapping(s);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.write(delimiter);
        }
        writeField(row.get(map[i]), n == 1);
      }
    }
    out.write(lineEnding);
  }

  private int[] mapping(Schema s) {
    if (s == lastSchema) {
      return lastMapping;
    }
    int[] map = new int[header.size()];
    for (int i = 0; i < map.length; i++) {
      map[i] = s.indexOf(header.name(i));
      if (map[i] < 0) {
        throw new DataException("the row has no column '" + header.name(i) + "', which the header has; the row's "
            + "columns are " + s);
      }
    }
    if (s.size() != header.size()) {
      for (String name : s.names()) {
        if (!header.has(name)) {
          throw new DataException("the row has a column '" + name + "' that the header " + header + " lacks");
        }
      }
    }
    lastSchema = s;
    lastMapping = map;
    return map;
  }

  private void writeField(String v, boolean only) throws IOException {
    if (v == null || v.isEmpty()) {
      if (quoteAll || (only && quote != CsvFormat.NONE)) {
        out.write(quote); // a lone empty field is quoted, so the line is not mistaken for an empty one
        out.write(quote);
      }
      return;
    }
    boolean needs = quoteAll;
    if (!needs) {
      for (int i = 0, n = v.length(); i < n; i++) {
        char c = v.charAt(i);
        if (c == delimiter || c == quote || c == '\n' || c == '\r' || (c == escape && escape != CsvFormat.NONE)) {
          needs = true;
          break;
        }
      }
    }
    if (!needs) {
      out.write(v);
      return;
    }
    if (quote == CsvFormat.NONE) {
      if (escape == CsvFormat.NONE) {
        throw new DataException("value '" + v + "' needs quoting, but the format has neither a quote nor an escape");
      }
      for (int i = 0, n = v.length(); i < n; i++) {
        char c = v.charAt(i);
        if (c == delimiter || c == '\n' || c == '\r' || c == escape) {
          out.write(escape);
        }
        out.write(c);
      }
      return;
    }
    out.write(quote);
    int from = 0;
    for (int i = 0, n = v.length(); i < n; i++) {
      char c = v.charAt(i);
      if (c == quote || (c == escape && escape != CsvFormat.NONE)) {
        out.write(v, from, i - from);
        out.write(escape != CsvFormat.NONE ? escape : quote);
        from = i;
      }
    }
    out.write(v, from, v.length() - from);
    out.write(quote);
  }

  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
