package dev.sluice.internal.spill;

import dev.sluice.DataException;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.SortKey;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Internal: a row's sort key as bytes that compare, unsigned and byte by byte, in the key's order: per key column a
 * null marker, then (for a value) a type byte and the value, text escaped ({@code 00} as {@code 00 FF}) and ended by
 * {@code 00 00} so a shorter string sorts before its extensions, numbers big-endian with the sign flipped, every
 * byte of a descending column inverted. Comparing such keys is a memory compare; the first 8 bytes as one long
 * decide most comparisons.
 */
public final class KeyEncoder {
    private static final int T_LONG = 0x10;
    private static final int T_DOUBLE = 0x11;
    private static final int T_TIME = 0x20;
    private static final int T_BOOL = 0x30;
    private static final int T_TEXT = 0x40;

    private final SortKey[] keys;
    private Schema schema;
    private int[] index;

    private final boolean emptyIsNull;

    public KeyEncoder(List<SortKey> keys) {
        this(keys, false);
    }

    /** @param emptyIsNull whether an empty string is null (a group-by's keys, as SQL reads CSV) */
    public KeyEncoder(List<SortKey> keys, boolean emptyIsNull) {
        this.keys = keys.toArray(new SortKey[0]);
        this.emptyIsNull = emptyIsNull;
    }

    /** Appends {@code row}'s key to {@code out}. A bad numeric value throws a {@link DataException}. */
    public void encode(Row row, Bytes out) {
        Schema s = row.schema();
        if (s != schema) {
            int[] ix = new int[keys.length];
            for (int i = 0; i < keys.length; i++) {
                ix[i] = s.require(keys[i].column());
            }
            index = ix;
            schema = s;
        }
        TextKeys fast = row.getClass() == fastClass ? fastKeys : lookup(row.getClass());
        for (int i = 0; i < keys.length; i++) {
            SortKey k = keys[i];
            if (fast != null && k.type() == SortKey.Type.NATURAL) {
                int from = out.len;
                out.write(0x01);
                out.write(T_TEXT);
                int r = fast.append(row, index[i], emptyIsNull, out);
                if (r == TextKeys.WRITTEN) {
                    out.write(0);
                    out.write(0);
                    invert(k, out, from);
                    continue;
                }
                out.len = from;
                if (r == TextKeys.NULL) {
                    out.write(k.nullsAreFirst() ^ k.descending() ? 0x00 : 0x02);
                    invert(k, out, from);
                    continue;
                }
            }
            Object v = row.value(index[i]);
            if (emptyIsNull && v instanceof String str && str.isEmpty()) {
                v = null;
            }
            if (k.type() == SortKey.Type.NUMERIC && v instanceof String str) {
                v = parseNumber(str, k, row);
            }
            int from = out.len;
            if (v == null) {
                out.write(k.nullsAreFirst() ^ k.descending() ? 0x00 : 0x02);
            } else {
                out.write(0x01);
                value(v, out);
            }
            if (k.descending()) {
                byte[] b = out.buf;
                for (int j = from; j < out.len; j++) {
                    b[j] = (byte) ~b[j];
                }
            }
        }
    }

    private Class<?> fastClass;
    private TextKeys fastKeys;

    private TextKeys lookup(Class<?> type) {
        fastClass = type;
        fastKeys = dev.sluice.internal.Hooks.textKeys(type);
        return fastKeys;
    }

    private static void invert(SortKey k, Bytes out, int from) {
        if (k.descending()) {
            byte[] b = out.buf;
            for (int j = from; j < out.len; j++) {
                b[j] = (byte) ~b[j];
            }
        }
    }

    private static Object parseNumber(String s, SortKey k, Row row) {
        String t = s.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new DataException("sort key '" + k.column() + "' is not a number: '" + s + "'", row.origin(), null);
        }
    }

    private static void value(Object v, Bytes out) {
        if (v instanceof String s) {
            out.write(T_TEXT);
            text(s, out);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.write(T_LONG);
            out.writeLong(((Number) v).longValue() ^ Long.MIN_VALUE);
        } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            out.write(T_DOUBLE);
            out.writeLong(sortableDouble(((Number) v).doubleValue()));
        } else if (v instanceof Boolean b) {
            out.write(T_BOOL);
            out.write(b ? 1 : 0);
        } else if (v instanceof LocalDate d) {
            out.write(T_TIME);
            instant(d.atStartOfDay().toInstant(ZoneOffset.UTC), out);
        } else if (v instanceof LocalDateTime d) {
            out.write(T_TIME);
            instant(d.toInstant(ZoneOffset.UTC), out);
        } else if (v instanceof java.util.Date d) {
            out.write(T_TIME);
            instant(d.toInstant(), out);
        } else if (v instanceof Instant t) {
            out.write(T_TIME);
            instant(t, out);
        } else if (v instanceof LocalTime t) {
            out.write(T_TIME);
            out.writeLong(t.toNanoOfDay() ^ Long.MIN_VALUE);
            out.writeLong(Long.MIN_VALUE);
        } else {
            out.write(T_TEXT);
            text(v.toString(), out);
        }
    }

    /**
     * The values of an ascending key whose values are all text or null, read back from its bytes (a group-by keeps
     * no other copy of them); null if the key holds anything else.
     */
    public static String[] decodeText(byte[] key, int off, int len, int n) {
        String[] out = new String[n];
        int p = off;
        int end = off + len;
        byte[] buf = null;
        for (int i = 0; i < n; i++) {
            if (p >= end) {
                return null;
            }
            int marker = key[p++] & 0xFF;
            if (marker != 0x01) {
                out[i] = null;
                continue;
            }
            if ((key[p++] & 0xFF) != T_TEXT) {
                return null;
            }
            int start = p;
            boolean escaped = false;
            while (!(key[p] == 0 && key[p + 1] == 0)) {
                if (key[p] == 0) {
                    escaped = true;
                    p += 2;
                } else {
                    p++;
                }
            }
            if (!escaped) {
                out[i] = new String(key, start, p - start, StandardCharsets.UTF_8);
            } else {
                if (buf == null || buf.length < p - start) {
                    buf = new byte[p - start];
                }
                int k = 0;
                for (int j = start; j < p; j++) {
                    buf[k++] = key[j];
                    if (key[j] == 0) {
                        j++; // 00 FF is a 00 byte
                    }
                }
                out[i] = new String(buf, 0, k, StandardCharsets.UTF_8);
            }
            p += 2;
        }
        return out;
    }

    private static void instant(Instant t, Bytes out) {
        out.writeLong(t.getEpochSecond() ^ Long.MIN_VALUE);
        out.writeLong(t.getNano() ^ Long.MIN_VALUE);
    }

    /** The bits of {@code d} as a long that compares (unsigned) as the doubles do; -0.0 equals 0.0. */
    static long sortableDouble(double d) {
        long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
        return bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
    }

    private static void text(String s, Bytes out) {
        int n = s.length();
        boolean plain = true;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || c >= 0x80) {
                plain = false;
                break;
            }
        }
        if (plain) {
            byte[] b = ensure(out, n + 2);
            int at = out.len;
            for (int i = 0; i < n; i++) {
                b[at + i] = (byte) s.charAt(i);
            }
            out.len += n;
        } else {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            for (byte x : u) {
                out.write(x);
                if (x == 0) {
                    out.write(0xFF);
                }
            }
        }
        out.write(0);
        out.write(0);
    }

    private static byte[] ensure(Bytes out, int more) {
        if (out.len + more > out.buf.length) {
            out.buf = java.util.Arrays.copyOf(out.buf, Math.max(out.len + more, out.buf.length * 2));
        }
        return out.buf;
    }
}
