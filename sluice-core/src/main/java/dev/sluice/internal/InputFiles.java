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
public final class InputFiles {
    private InputFiles() {}

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
        if (Files.isDirectory(file)) {
            throw new java.nio.file.FileSystemException(file.toString(), null, "is a directory, not a file");
        }
        try {
            raw = new PipeSafe(Files.newInputStream(file));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try {
            Counting counter = new Counting(raw);
            long size = Files.isRegularFile(file) ? Files.size(file) : -1;
            return new Opened(decode(counter, charset, file.getFileName().toString()), counter, size);
        } catch (IOException | RuntimeException e) {
            raw.close(); // e.g. a truncated gzip header
            throw e;
        }
    }

    /**
     * A stream whose {@code available()} never fails: on a pipe or FIFO a channel's {@code available()} seeks
     * ("Illegal seek"), and {@link GZIPInputStream} calls it at each member's end.
     */
    static final class PipeSafe extends FilterInputStream {
        PipeSafe(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public int available() {
            try {
                return in.available();
            } catch (IOException e) {
                return 0;
            }
        }
    }

    /** Input whose compression is corrupt or truncated; the message names the input. */
    public static final class CorruptInputException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        CorruptInputException(String name, String reason, Throwable cause) {
            super(name + ": " + reason, cause);
            this.reason = reason;
        }

        /** The message with {@code where} (e.g. the file and line reached) in place of the input's name. */
        public CorruptInputException at(Object where) {
            return new CorruptInputException(String.valueOf(where), reason, getCause());
        }
    }

    /** Decompression errors named: a truncated or corrupt gzip says which input, not just "Corrupt GZIP trailer". */
    static final class GzipChecked extends FilterInputStream {
        private final String name;

        GzipChecked(InputStream in, String name) {
            super(in);
            this.name = name;
        }

        private IOException named(IOException e) {
            String m = e instanceof java.io.EOFException
                            || (e.getMessage() != null && e.getMessage().startsWith("Unexpected end"))
                    ? "the gzip data is truncated"
                    : "the gzip data is corrupt";
            return new CorruptInputException(name, m + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw named(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw named(e);
            }
        }
    }

    /** Wraps {@code in}: gzip detection, and transcoding to UTF-8 unless {@code charset} is ASCII-compatible. */
    public static InputStream decode(InputStream in, Charset charset) throws IOException {
        return decode(in, charset, "input");
    }

    /**
     * Wraps {@code in}, named {@code name} in errors: gzip detection, and transcoding to UTF-8 unless {@code charset}
     * is ASCII-compatible.
     */
    public static InputStream decode(InputStream in, Charset charset, String name) throws IOException {
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
            try {
                s = new GzipChecked(new GZIPInputStream(new PipeSafe(p), 1 << 16), name);
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw new CorruptInputException(name, "the gzip header is corrupt or truncated", e);
            }
        }
        return asciiCompatible(charset) ? s : new Utf8Transcoder(new InputStreamReader(s, charset));
    }

    /**
     * Whether bytes below 0x80 mean ASCII characters in {@code cs} and never occur inside a multi-byte sequence, so
     * that delimiters, quotes and line breaks can be found byte by byte.
     */
    public static boolean asciiCompatible(Charset cs) {
        String n = cs.name().toUpperCase(java.util.Locale.ROOT);
        if (cs.equals(StandardCharsets.UTF_8)
                || cs.equals(StandardCharsets.US_ASCII)
                || cs.equals(StandardCharsets.ISO_8859_1)
                || n.startsWith("ISO-8859-")
                || n.startsWith("WINDOWS-125")) {
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
