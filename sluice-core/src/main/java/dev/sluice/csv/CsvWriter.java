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
  private final char comment;
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
    this.comment = format.comment();
    this.quoteAll = format.quoting() == Quoting.ALL;
    this.lineEnding = format.lineEnding();
    if (quoteAll && quote == CsvFormat.NONE) {
      throw new IllegalArgumentException("Quoting.ALL needs a quote character, but the format's quote is NONE");
    }
  }

  /** Writes one record of text values; {@code null} is written as an empty field. */
  public void writeRecord(List<String> values) throws IOException {
    int n = values.size();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.write(delimiter);
      }
      writeField(values.get(i), i, n == 1);
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
        writeField(row.get(i), i, n == 1);
      }
    } else {
      int[] map = mapping(s);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.write(delimiter);
        }
        writeField(row.get(map[i]), i, n == 1);
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

  /**
   * Python's csv writer rules: quote when the value holds the delimiter, the quote character, CR or LF (or is
   * the only, empty field of its record); inside quotes double the quote character; write the escape character,
   * if any, as two. A first field that starts with the comment character is quoted so it is not read as a comment.
   */
  private void writeField(String v, int index, boolean only) throws IOException {
    boolean hasQuote = quote != CsvFormat.NONE;
    if (v == null || v.isEmpty()) {
      if (quoteAll || (only && hasQuote)) {
        out.write(quote); // a lone empty field is quoted, so the line is not mistaken for an empty one
        out.write(quote);
      } else if (only) {
        throw new DataException("a record of one empty field cannot be written without a quote character: "
            + "it would read back as an empty line");
      }
      return;
    }
    boolean escapes = false;
    boolean needs = quoteAll || (index == 0 && comment != CsvFormat.NONE && v.charAt(0) == comment);
    for (int i = 0, n = v.length(); i < n; i++) {
      char c = v.charAt(i);
      if (c == delimiter || c == '\n' || c == '\r' || (hasQuote && c == quote)) {
        needs = true;
      } else if (escape != CsvFormat.NONE && c == escape) {
        escapes = true;
      }
    }
    if (!hasQuote) {
      if (needs && escape == CsvFormat.NONE) {
        throw new DataException("value '" + v + "' needs quoting, but the format has neither a quote nor an escape");
      }
      for (int i = 0, n = v.length(); i < n; i++) {
        char c = v.charAt(i);
        if (c == delimiter || c == '\n' || c == '\r' || c == escape
            || (i == 0 && comment != CsvFormat.NONE && c == comment)) {
          out.write(escape);
        }
        out.write(c);
      }
      return;
    }
    if (!needs && !escapes) {
      out.write(v);
      return;
    }
    if (needs) {
      out.write(quote);
    }
    int from = 0;
    for (int i = 0, n = v.length(); i < n; i++) {
      char c = v.charAt(i);
      if (c == quote || (escape != CsvFormat.NONE && c == escape)) {
        out.write(v, from, i - from);
        out.write(c); // doubled
        from = i;
      }
    }
    out.write(v, from, v.length() - from);
    if (needs) {
      out.write(quote);
    }
  }

  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
