package dev.sluice.json;

import dev.sluice.Row;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.internal.Outputs;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * JSON Lines sinks: one JSON object per row, keys in column order, values as strings ({@code null} for absent
 * values). Written atomically like {@link dev.sluice.csv.CsvSink}.
 */
public final class JsonLines {
  private JsonLines() {}

  /** Writes rows to {@code file} as JSON Lines (UTF-8, LF). */
  public static Sink<Row> write(Path file) {
    Objects.requireNonNull(file, "file");
    return new Sink<Row>() {
      private static final long serialVersionUID = 1L;

      @Override
      public SinkWriter<Row> open() throws Exception {
        Outputs.Opened o = Outputs.open(file, true);
        Writer w = Outputs.writer(o.stream, StandardCharsets.UTF_8);
        return new SinkWriter<Row>() {
          @Override
          public void write(Row row) throws IOException {
            writeRow(w, row);
            w.write('\n');
          }

          @Override
          public void close(boolean success) throws Exception {
            try {
              w.close();
            } finally {
              o.finish(success);
            }
          }
        };
      }

      @Override
      public String name() {
        return "jsonl(" + file.getFileName() + ")";
      }
    };
  }

  /** Appends {@code row} as one JSON object. */
  public static void writeRow(Appendable out, Row row) throws IOException {
    out.append('{');
    for (int i = 0; i < row.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(out, row.schema().name(i));
      out.append(':');
      String v = row.get(i);
      if (v == null) {
        out.append("null");
      } else {
        string(out, v);
      }
    }
    out.append('}');
  }

  /** Appends {@code s} as a JSON string literal (RFC 8259 escaping). */
  public static void string(Appendable out, String s) throws IOException {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
