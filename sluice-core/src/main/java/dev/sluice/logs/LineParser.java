package dev.sluice.logs;

import dev.sluice.DataException;
import dev.sluice.Row;
import dev.sluice.Schema;
import java.io.Serializable;

/** A parser of one log format: a line in, a row out, or a {@link DataException} saying why not. */
abstract class LineParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The fixed column names, or null if they vary from line to line. */
    abstract Schema schema();

    /**
     * The row for {@code line}, its origin {@code origin} (null if unknown); throws a {@link DataException} if it is
     * not of this format.
     */
    abstract Row parse(String line, dev.sluice.Location origin);

    /** {@code "not a combined log line"}: the start of this format's error messages. */
    abstract String notA();

    /** A DataException {@code "not a ... line: <reason> at column <at + 1>"}. */
    final DataException fail(String reason, int at) {
        return new DataException(notA() + ": " + reason + " at column " + (at + 1));
    }

    /** A DataException {@code "not a ... line: <reason>"}. */
    final DataException fail(String reason) {
        return new DataException(notA() + ": " + reason);
    }

    /** Whether s[from, to) is exactly {@code -}. */
    static boolean isDash(String s, int from, int to) {
        return to - from == 1 && s.charAt(from) == '-';
    }

    /** s[from, to), or null if it is {@code -} or empty. */
    static String orNull(String s, int from, int to) {
        return to <= from || isDash(s, from, to) ? null : s.substring(from, to);
    }

    static int month(String s, int at) {
        if (at + 3 > s.length()) {
            return -1;
        }
        char a = (char) (s.charAt(at) | 0x20);
        char b = (char) (s.charAt(at + 1) | 0x20);
        char c = (char) (s.charAt(at + 2) | 0x20);
        switch (a) {
            case 'j':
                if (b == 'a' && c == 'n') {
                    return 1;
                }
                if (b == 'u' && c == 'n') {
                    return 6;
                }
                return b == 'u' && c == 'l' ? 7 : -1;
            case 'f':
                return b == 'e' && c == 'b' ? 2 : -1;
            case 'm':
                if (b == 'a' && c == 'r') {
                    return 3;
                }
                return b == 'a' && c == 'y' ? 5 : -1;
            case 'a':
                if (b == 'p' && c == 'r') {
                    return 4;
                }
                return b == 'u' && c == 'g' ? 8 : -1;
            case 's':
                return b == 'e' && c == 'p' ? 9 : -1;
            case 'o':
                return b == 'c' && c == 't' ? 10 : -1;
            case 'n':
                return b == 'o' && c == 'v' ? 11 : -1;
            case 'd':
                return b == 'e' && c == 'c' ? 12 : -1;
            default:
                return -1;
        }
    }

    /** The value of exactly {@code n} decimal digits at {@code at}, or -1. */
    static int digits(String s, int at, int n) {
        if (at < 0 || at + n > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = at; i < at + n; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Whether s has {@code ch} at {@code p}. */
    static boolean at(String s, int p, char ch) {
        return p < s.length() && s.charAt(p) == ch;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
