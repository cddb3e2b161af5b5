package dev.sluice.csv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Internal: UTF-8 validation, eight bytes at a time while the text is ASCII. */
final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH = 0x8080808080808080L;

    private Utf8() {}

    /** The offset of the first byte of {@code d[from, to)} that is not part of well-formed UTF-8, or -1. */
    static int firstInvalid(byte[] d, int from, int to) {
        int i = from;
        while (true) {
            while (i + 8 <= to && ((long) LONGS.get(d, i) & HIGH) == 0) {
                i += 8;
            }
            while (i < to && d[i] >= 0) {
                i++;
                if ((i & 7) == 0) {
                    break;
                }
            }
            if (i >= to) {
                return -1;
            }
            if (d[i] >= 0) {
                continue;
            }
            int b = d[i] & 0xff;
            int n;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                n = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                n = 2;
                if (b == 0xE0) {
                    min2 = 0xA0; // overlong
                } else if (b == 0xED) {
                    max2 = 0x9F; // surrogates
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                n = 3;
                if (b == 0xF0) {
                    min2 = 0x90; // overlong
                } else if (b == 0xF4) {
                    max2 = 0x8F; // above U+10FFFF
                }
            } else {
                return i;
            }
            if (i + n >= to) {
                return i; // a sequence cut short by the end
            }
            int c2 = d[i + 1] & 0xff;
            if (c2 < min2 || c2 > max2) {
                return i;
            }
            for (int k = 2; k <= n; k++) {
                if ((d[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += n + 1;
        }
    }

    /** Whether {@code d[from, to)} is well-formed UTF-8. */
    static boolean valid(byte[] d, int from, int to) {
        return firstInvalid(d, from, to) < 0;
    }
}
