package dev.sluice.json;

import dev.sluice.Row;
import dev.sluice.Schema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Internal: JSON Lines written straight to UTF-8 bytes, a row at a time, with each schema's keys encoded once. A
 * growable byte buffer whose contents can be read without a copy.
 */
final class JsonBytes {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int size;
    private Schema keysFor;
    private byte[][] keys;

    JsonBytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    byte[] buffer() {
        return buf;
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    private void put(byte b) {
        if (size == buf.length) {
            ensure(1);
        }
        buf[size++] = b;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** Appends {@code row} as one JSON object and a line feed. */
    void row(Row row) {
        Schema schema = row.schema();
        if (schema != keysFor) {
            keys = new byte[schema.size()][];
            for (int i = 0; i < keys.length; i++) {
                JsonBytes k = new JsonBytes(schema.name(i).length() + 4);
                k.put((byte) (i == 0 ? '{' : ','));
                k.string(schema.name(i));
                k.put((byte) ':');
                keys[i] = Arrays.copyOf(k.buf, k.size);
            }
            keysFor = schema;
        }
        int n = row.size();
        if (n == 0) {
            put((byte) '{');
        }
        for (int i = 0; i < n; i++) {
            put(i < keys.length ? keys[i] : fallbackKey(schema, i));
            String v = row.get(i);
            if (v == null) {
                put(NULL);
            } else {
                string(v);
            }
        }
        put((byte) '}');
        put((byte) '\n');
    }

    private byte[] fallbackKey(Schema schema, int i) {
        JsonBytes k = new JsonBytes(16);
        k.put((byte) ',');
        k.string(schema.name(i));
        k.put((byte) ':');
        return Arrays.copyOf(k.buf, k.size);
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259 escaping), in UTF-8; a lone surrogate becomes U+FFFD. */
    void string(String s) {
        int len = s.length();
        ensure(len * 3 + 2);
        byte[] b = buf;
        int o = size;
        b[o++] = '"';
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    b = room(b, o, 2 + (len - i) * 3);
                    b[o++] = '\\';
                }
                b[o++] = (byte) c;
            } else if (c < 0x20) {
                b = room(b, o, 6 + (len - i) * 3);
                b[o++] = '\\';
                switch (c) {
                    case '\n':
                        b[o++] = 'n';
                        break;
                    case '\r':
                        b[o++] = 'r';
                        break;
                    case '\t':
                        b[o++] = 't';
                        break;
                    case '\b':
                        b[o++] = 'b';
                        break;
                    case '\f':
                        b[o++] = 'f';
                        break;
                    default:
                        b[o++] = 'u';
                        b[o++] = '0';
                        b[o++] = '0';
                        b[o++] = HEX[c >> 4];
                        b[o++] = HEX[c & 0xf];
                }
            } else if (c < 0x800) {
                b[o++] = (byte) (0xC0 | (c >> 6));
                b[o++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[o++] = (byte) (0xF0 | (cp >> 18));
                b[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[o++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                if (Character.isSurrogate(c)) {
                    c = '\uFFFD';
                }
                b[o++] = (byte) (0xE0 | (c >> 12));
                b[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[o++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[o++] = '"';
        size = o;
    }

    /** Makes room for {@code more} bytes after {@code o} while {@link #string} writes into {@code b}. */
    private byte[] room(byte[] b, int o, int more) {
        if (o + more > b.length) {
            size = o;
            ensure(more);
            return buf;
        }
        return b;
    }
}
