package dev.sluice.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Internal, not part of the API: opening input files (gzip detection, byte counting, transcoding). */
public final class Inputs {
  private Inputs() {}

  /** An input stream that counts the bytes read through it; the count may be read from any thread. */
  public static final class Counting extends FilterInputStream {
    private volatile long count;

    public Counting(InputStream in) {
      super(in);
    }

    public long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /** An opened file: the stream to read and a progress gauge over the file's bytes. */
  public static final class Opened {
    public final InputStream stream;
    private final Counting counter;
    private final long size;

    Opened(InputStream stream, Counting counter, long size) {
      this.stream = stream;
      this.counter = counter;
      this.size = size;
    }

    /** Fraction of the file's bytes read, in [0, 1]. */
    public double progress() {
      return size <= 0 ? -1 : Math.min(1.0, (double) counter.count() / size);
    }
  }

  /**
   * Opens {@code file} for reading: gzip is detected by its magic bytes and decompressed; if {@code charset} is
   * not ASCII-compatible (e.g. UTF-16) the text is transcoded to UTF-8 so byte-level parsers can work on it.
   */
  public static Opened open(Path file, Charset charset) throws IOException {
    InputStream raw;
    try {
      raw = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    try {
      Counting counter = new Counting(raw);
      long size = Files.size(file);
      return new Opened(decode(counter, charset), counter, size);
    } catch (IOException | RuntimeException e) {
      raw.close(); // e.g. a truncated gzip header
      throw e;
    }
  }

  /** Wraps {@code in}: gzip detection, and transcoding to UTF-8 unless {@code charset} is ASCII-compatible. */
  public static InputStream decode(InputStream in, Charset charset) throws IOException {
    PushbackInputStream p = new PushbackInputStream(in, 2);
    int b1 = p.read();
    int b2 = b1 < 0 ? -1 : p.read();
    if (b2 >= 0) {
      p.unread(b2);
    }
    if (b1 >= 0) {
      p.unread(b1);
    }
    InputStream s = p;
    if (b1 == 0x1f && b2 == 0x8b) {
      s = new GZIPInputStream(p, 1 << 16);
    }
    return asciiCompatible(charset) ? s : new Utf8Transcoder(new InputStreamReader(s, charset));
  }

  /**
   * Whether bytes below 0x80 mean ASCII characters in {@code cs} and never occur inside a multi-byte sequence, so
   * that delimiters, quotes and line breaks can be found byte by byte.
   */
  public static boolean asciiCompatible(Charset cs) {
    String n = cs.name().toUpperCase(java.util.Locale.ROOT);
    if (cs.equals(StandardCharsets.UTF_8) || cs.equals(StandardCharsets.US_ASCII)
        || cs.equals(StandardCharsets.ISO_8859_1) || n.startsWith("ISO-8859-") || n.startsWith("WINDOWS-125")) {
      return true;
    }
    if (!cs.canEncode()) {
      return false;
    }
    CharsetEncoder enc = cs.newEncoder();
    return enc.maxBytesPerChar() == 1.0f
        && new String("\t\r\n ,;|\"'#\\abcXYZ019".getBytes(cs), StandardCharsets.US_ASCII)
            .equals("\t\r\n ,;|\"'#\\abcXYZ019");
  }

  /** Reads characters from a reader and serves them as UTF-8 bytes. */
  static final class Utf8Transcoder extends InputStream {
    private final Reader reader;
    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
    private final CharBuffer chars = CharBuffer.allocate(8192);
    private final ByteBuffer bytes = ByteBuffer.allocate(32768);
    private boolean eof;

    Utf8Transcoder(Reader reader) {
      this.reader = reader;
      chars.flip();
      bytes.flip();
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (!bytes.hasRemaining()) {
        if (eof && !chars.hasRemaining()) {
          return -1;
        }
        chars.compact();
        int n = eof ? -1 : reader.read(chars);
        chars.flip();
        if (n < 0) {
          eof = true;
        }
        bytes.clear();
        CoderResult r = encoder.encode(chars, bytes, eof);
        if (r.isError()) {
          r.throwException();
        }
        bytes.flip();
      }
      int n = Math.min(len, bytes.remaining());
      bytes.get(b, off, n);
      return n;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
