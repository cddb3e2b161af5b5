package dev.sluice.internal.spill;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Internal: a growable byte buffer to encode one record or key into, reused from record to record. */
public final class Bytes {
    byte[] buf;
    int len;

    public Bytes(int capacity) {
        buf = new byte[capacity];
    }

    public void reset() {
        len = 0;
    }

    public int length() {
        return len;
    }

    public byte[] array() {
        return buf;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + more, buf.length * 2));
        }
    }

    public void write(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    public void write(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    /** An unsigned LEB128 number (1 byte below 128). */
    public void writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    /** A signed number, zig-zag encoded so small negative ones stay short (-1 is one byte). */
    public void writeZigZag(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    public void writeLong(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
    }

    /** A string as its length in UTF-8 bytes and the bytes. */
    public void writeString(String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            writeVarLong(n);
            ensure(n);
            byte[] b = buf;
            int at = len;
            for (int i = 0; i < n; i++) {
                b[at + i] = (byte) s.charAt(i); // ASCII: one byte per char
            }
            len += n;
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(b.length);
        write(b, 0, b.length);
    }

    /** Reads what {@link Bytes} wrote, from an array slice. */
    public static final class Reader {
        byte[] a;
        int pos;
        int end;

        public Reader() {}

        public Reader(byte[] a, int off, int len) {
            reset(a, off, len);
        }

        public void reset(byte[] array, int off, int len) {
            this.a = array;
            this.pos = off;
            this.end = off + len;
        }

        public int read() {
            return a[pos++] & 0xFF;
        }

        public long readVarLong() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte b = a[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
                shift += 7;
            }
        }

        public long readZigZag() {
            long v = readVarLong();
            return (v >>> 1) ^ -(v & 1);
        }

        public long readLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (a[pos++] & 0xFF);
            }
            return v;
        }

        public byte[] readBytes(int n) {
            byte[] b = Arrays.copyOfRange(a, pos, pos + n);
            pos += n;
            return b;
        }

        public String readString() {
            int n = (int) readVarLong();
            String s = new String(a, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        public boolean atEnd() {
            return pos >= end;
        }
    }
}
