package dev.sluice.csv;

import dev.sluice.Row;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.internal.ChunkEncoding;
import dev.sluice.internal.Outputs;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A CSV file as a sink of {@link Row}s. Made by {@link Csv#write}; immutable. The header is the first row's
 * columns. By default the file appears atomically: rows go to a temporary file beside it, which replaces the
 * target only when the run succeeds, so a failed run never leaves a truncated file that looks complete. A name
 * ending in {@code .gz} is gzip-compressed.
 */
public final class CsvSink implements Sink<Row>, ChunkEncoding<Row> {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final CsvFormat format;
  private final boolean atomic;

  CsvSink(Path file, CsvFormat format, boolean atomic) {
    this.file = file;
    this.format = format;
    this.atomic = atomic;
  }

  /** This sink with another dialect (line ending, quoting, delimiter, header, charset). */
  public CsvSink withFormat(CsvFormat f) {
    return new CsvSink(file, Objects.requireNonNull(f, "format"), atomic);
  }

  /** Whether the file is replaced atomically on success (true, the default) or written in place as rows arrive. */
  public CsvSink withAtomic(boolean b) {
    return new CsvSink(file, format, b);
  }

  @Override
  public String name() {
    return "csv(" + file.getFileName() + ")";
  }

  @Override
  public SinkWriter<Row> open() throws Exception {
    Outputs.Opened o = Outputs.open(file, atomic);
    CsvWriter csv = new CsvWriter(o.stream, format);
    return new Writer() {
      @Override
      public void write(Row row) throws Exception {
        csv.writeRow(row, format.header());
      }

      @Override
      public boolean writeEncoded(Object chunk) throws Exception {
        Encoded e = (Encoded) chunk;
        return e.header == null || csv.appendEncoded(e.header, e.bytes.buffer(), e.bytes.size(), format.header());
      }

      @Override
      public void close(boolean success) throws Exception {
        try {
          csv.close();
        } finally {
          o.finish(success);
        }
      }
    };
  }

  private interface Writer extends SinkWriter<Row>, ChunkEncoding.Writer {}

  /** One chunk's rows as CSV bytes, and the header they were written under (null if the chunk is empty). */
  private static final class Encoded {
    final dev.sluice.Schema header;
    final Bytes bytes;

    Encoded(dev.sluice.Schema header, Bytes bytes) {
      this.header = header;
      this.bytes = bytes;
    }
  }

  /** A growable byte buffer whose array can be read without a copy. */
  private static final class Bytes extends java.io.ByteArrayOutputStream {
    Bytes() {
      super(1 << 16);
    }

    byte[] buffer() {
      return buf;
    }
  }

  @Override
  public ChunkEncoding.Encoder<Row> newEncoder() {
    Bytes bytes = new Bytes();
    CsvWriter csv = new CsvWriter(bytes, format);
    return new ChunkEncoding.Encoder<Row>() {
      private long count;

      @Override
      public void write(Row row) throws Exception {
        csv.writeRow(row, false);
        count++;
      }

      @Override
      public long count() {
        return count;
      }

      @Override
      public Object finish() throws Exception {
        csv.flush();
        return new Encoded(csv.header(), bytes);
      }
    };
  }
}
