package dev.sluice;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fast, strict date parsing for the fixed numeric patterns data files use ({@code yyyy-MM-dd}, {@code yyyyMMdd},
 * {@code MM/dd/yyyy}, {@code dd.MM.yyyy}, ...: {@code yyyy}, {@code MM} and {@code dd} with any one-character
 * separators). Those are parsed directly, with no allocation and no exception for bad input; other patterns use a
 * cached strict {@link DateTimeFormatter}. Strict means {@code 2017-02-30} does not parse.
 *
 * <pre>{@code
 * LocalDate d = Dates.tryParse(row.get("Issue Date"), 0, 10, "yyyy-MM-dd");   // null if it does not parse
 * }</pre>
 */
public final class Dates {
    private static final ConcurrentHashMap<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, int[]> FIXED = new ConcurrentHashMap<>();
    private static final int[] NOT_FIXED = new int[0];

    private Dates() {}

    /**
     * A strict formatter for {@code pattern}. {@code yyyy} is read as the proleptic year ({@code uuuu}) so that
     * strict resolution needs no era.
     */
    public static DateTimeFormatter formatter(String pattern) {
        return FORMATTERS.computeIfAbsent(
                pattern, p -> DateTimeFormatter.ofPattern(p.replace('y', 'u')).withResolverStyle(ResolverStyle.STRICT));
    }

    /** {@code text} as a date in {@code pattern}; throws {@link DateTimeParseException} if it does not parse. */
    public static LocalDate parse(CharSequence text, String pattern) {
        LocalDate d = tryFixed(text, 0, text.length(), pattern);
        if (d != null) {
            return d;
        }
        return LocalDate.parse(text, formatter(pattern));
    }

    /** {@code text} as a date-time in {@code pattern}; throws {@link DateTimeParseException} if it does not parse. */
    public static LocalDateTime parseDateTime(CharSequence text, String pattern) {
        return LocalDateTime.parse(text, formatter(pattern));
    }

    /** {@code text} as a date in {@code pattern}, or null (also for null text). */
    public static LocalDate tryParse(CharSequence text, String pattern) {
        return text == null ? null : tryParse(text, 0, text.length(), pattern);
    }

    /**
     * {@code text[from, to)} as a date in {@code pattern}, or null if it does not parse or the range is out of
     * bounds. No exception is thrown for bad input, so this is cheap on dirty data.
     */
    public static LocalDate tryParse(CharSequence text, int from, int to, String pattern) {
        if (text == null || from < 0 || to > text.length() || from > to) {
            return null;
        }
        int[] layout = layout(pattern);
        if (layout != NOT_FIXED) {
            return fixed(text, from, to, layout);
        }
        try {
            return LocalDate.parse(text.subSequence(from, to), formatter(pattern));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static LocalDate tryFixed(CharSequence s, int from, int to, String pattern) {
        int[] layout = layout(pattern);
        return layout == NOT_FIXED ? null : fixed(s, from, to, layout);
    }

    /**
     * A fixed pattern's layout: its length, then the offsets of year (4 digits), month and day (2 each), then the
     * separator characters with their offsets; NOT_FIXED for anything else.
     */
    private static int[] layout(String pattern) {
        int[] l = FIXED.get(pattern);
        if (l == null) {
            l = compile(pattern);
            FIXED.put(pattern, l);
        }
        return l;
    }

    private static int[] compile(String p) {
        int y = p.indexOf("yyyy");
        int m = p.indexOf("MM");
        int d = p.indexOf("dd");
        if (y < 0
                || m < 0
                || d < 0
                || p.indexOf("yyyy", y + 1) >= 0
                || p.indexOf("MM", m + 1) >= 0
                || p.indexOf("dd", d + 1) >= 0) {
            return NOT_FIXED;
        }
        int[] out = new int[4 + 2 * p.length()];
        out[0] = p.length();
        out[1] = y;
        out[2] = m;
        out[3] = d;
        int k = 4;
        for (int i = 0; i < p.length(); i++) {
            boolean field = (i >= y && i < y + 4) || (i >= m && i < m + 2) || (i >= d && i < d + 2);
            if (field) {
                continue;
            }
            char c = p.charAt(i);
            if (Character.isLetter(c) || c == '\'') {
                return NOT_FIXED; // another pattern letter, or quoting
            }
            out[k++] = i;
            out[k++] = c;
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private static LocalDate fixed(CharSequence s, int from, int to, int[] l) {
        if (to - from != l[0]) {
            return null;
        }
        for (int k = 4; k < l.length; k += 2) {
            if (s.charAt(from + l[k]) != l[k + 1]) {
                return null;
            }
        }
        int y = digits(s, from + l[1], 4);
        int m = digits(s, from + l[2], 2);
        int d = digits(s, from + l[3], 2);
        return valid(y, m, d) ? LocalDate.of(y, m, d) : null;
    }

    private static boolean valid(int y, int m, int d) {
        if (y < 0 || m < 1 || m > 12 || d < 1) {
            return false;
        }
        int len;
        switch (m) {
            case 2:
                len = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
                break;
            case 4:
            case 6:
            case 9:
            case 11:
                len = 30;
                break;
            default:
                len = 31;
        }
        return d <= len;
    }

    private static int digits(CharSequence s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
