package dev.sluice.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;

/** Internal, not part of the API: opening output files, atomically or in place, gzip by extension. */
public final class Outputs {
  private Outputs() {}

  /** An output file being written. */
  public static final class Opened {
    public final OutputStream stream;
    private final Path target;
    private final Path temp;

    Opened(OutputStream stream, Path target, Path temp) {
      this.stream = stream;
      this.target = target;
      this.temp = temp;
    }

    /**
     * After the stream is closed: on success move the temporary file onto the target; on failure delete it.
     * In-place files are left as written.
     */
    public void finish(boolean success) throws IOException {
      if (temp == null) {
        return;
      }
      if (success) {
        try {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        Files.deleteIfExists(temp);
      }
    }
  }

  public static Opened open(Path file, boolean atomic) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path temp = atomic ? partFile(abs) : null;
    OutputStream os = new BufferedOutputStream(temp != null
        ? Files.newOutputStream(temp, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)
        : Files.newOutputStream(abs), 1 << 16);
    if (abs.getFileName().toString().endsWith(".gz")) {
      os = new GZIPOutputStream(os, 1 << 16);
    }
    return new Opened(os, abs, temp);
  }

  /**
   * A fresh hidden name beside {@code target} for its temporary file. Created with the process umask (unlike
   * {@code Files.createTempFile}, which makes files only the owner can read).
   */
  public static Path partFile(Path target) {
    long r = java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    return target.resolveSibling("." + target.getFileName() + "." + Long.toString(r, 36) + ".part");
  }

  public static Writer writer(OutputStream os, Charset cs) {
    return new java.io.BufferedWriter(new OutputStreamWriter(os, cs), 1 << 16);
  }
}
