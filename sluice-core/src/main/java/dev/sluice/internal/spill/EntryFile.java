package dev.sluice.internal.spill;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Internal: a spill file of {@code [key length][payload length][key][payload]} entries, written in one pass and read
 * back in the same order (a grace hash join's partitions). Its buffers are small and fixed (16 KiB each way).
 */
public final class EntryFile implements AutoCloseable {
    private static final int BUFFER = 16 << 10;

    private final SpillDir dir;
    private final String operator;
    private final long budget;
    private final Path file;
    private OutputStream out;
    private final Bytes head = new Bytes(16);
    private long bytes;
    private long entries;

    public EntryFile(SpillDir dir, String operator, long budget) {
        this.dir = dir;
        this.operator = operator;
        this.budget = budget;
        this.file = dir.newFile(operator);
        try {
            this.out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
        } catch (IOException e) {
            throw new UncheckedIOException(operator + ": cannot write a spill file: " + e.getMessage(), e);
        }
    }

    public void write(byte[] key, int koff, int klen, byte[] payload, int poff, int plen) {
        try {
            head.reset();
            head.writeVarLong(klen);
            head.writeVarLong(plen);
            out.write(head.array(), 0, head.length());
            out.write(key, koff, klen);
            out.write(payload, poff, plen);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    operator + ": writing a spill file in " + dir.parent() + " failed: " + e.getMessage(), e);
        }
        long n = head.length() + klen + plen;
        bytes += n;
        entries++;
        if ((entries & 0xFFFF) == 0) {
            dir.charge(0, operator, budget); // checks the cap now and then
        }
    }

    public long bytes() {
        return bytes;
    }

    public long entries() {
        return entries;
    }

    /** Ends writing; the bytes count against the run's cap on temporary files. */
    public void finishWriting() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(operator + ": writing a spill file failed: " + e.getMessage(), e);
            }
            out = null;
            dir.charge(bytes, operator, budget);
        }
    }

    /** Reads the entries back, in the order written. */
    public Reader read() {
        finishWriting();
        try {
            return new Reader(new BufferedInputStream(Files.newInputStream(file), BUFFER));
        } catch (IOException e) {
            throw new UncheckedIOException(operator + ": reading a spill file failed: " + e.getMessage(), e);
        }
    }

    /** One pass over the entries. */
    public final class Reader implements AutoCloseable {
        private final InputStream in;
        private byte[] entry = new byte[256];
        private int klen;
        private int plen;

        Reader(InputStream in) {
            this.in = in;
        }

        private int var() throws IOException {
            int v = 0;
            int shift = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (shift == 0) {
                        return -1;
                    }
                    throw new EOFException("a spill file of " + operator + " ends early");
                }
                v |= (b & 0x7F) << shift;
                if (b < 0x80) {
                    return v;
                }
                shift += 7;
            }
        }

        public boolean next() {
            try {
                klen = var();
                if (klen < 0) {
                    return false;
                }
                plen = var();
                int n = klen + plen;
                if (n > entry.length) {
                    entry = new byte[Math.max(n, entry.length * 2)];
                }
                if (in.readNBytes(entry, 0, n) != n) {
                    throw new EOFException("a spill file of " + operator + " ends early");
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(operator + ": reading a spill file failed: " + e.getMessage(), e);
            }
        }

        public byte[] array() {
            return entry;
        }

        public int keyLength() {
            return klen;
        }

        public int payloadOffset() {
            return klen;
        }

        public int payloadLength() {
            return plen;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // read to the end or abandoned
            }
        }
    }

    /** Deletes the file. */
    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // deleted next
            }
            out = null;
        } else {
            dir.refund(bytes);
        }
        SpillDir.delete(file);
    }
}
