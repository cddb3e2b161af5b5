package dev.sluice.logs;

import dev.sluice.Row;
import dev.sluice.Schema;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Apache/Nginx access logs: {@code client ident user [time] "request" status bytes}, and for the combined format
 * {@code "referrer" "agent"} after that. A hand-written scanner: no regular expressions, one substring per field.
 */
final class AccessLogParser extends LineParser {
    private static final long serialVersionUID = 1L;

    static final Schema COMMON =
            Schema.of("client", "ident", "user", "time", "method", "path", "protocol", "request", "status", "bytes");
    static final Schema COMBINED = Schema.of(
            "client",
            "ident",
            "user",
            "time",
            "method",
            "path",
            "protocol",
            "request",
            "status",
            "bytes",
            "referrer",
            "agent");

    /** The length of {@code 17/May/2015:10:05:03 +0000}. */
    private static final int TIME_LENGTH = 26;

    private final boolean combined;

    /**
     * The last time text parsed and its value: consecutive lines mostly share the second. One immutable object, so
     * that threads sharing this parser see a consistent pair.
     */
    private transient LastTime last;

    private static final class LastTime {
        final String text;
        final OffsetDateTime time;

        LastTime(String text, OffsetDateTime time) {
            this.text = text;
            this.time = time;
        }
    }

    AccessLogParser(boolean combined) {
        this.combined = combined;
    }

    @Override
    Schema schema() {
        return combined ? COMBINED : COMMON;
    }

    @Override
    String notA() {
        return combined ? "not a combined log line" : "not a common log line";
    }

    @Override
    Row parse(String s, dev.sluice.Location origin) {
        int n = s.length();
        if (n == 0) {
            throw fail("the line is empty");
        }
        Object[] v = new Object[combined ? 12 : 10];
        int sp = s.indexOf(' ');
        if (sp <= 0) {
            throw fail("the client is not followed by a space", sp < 0 ? n : 0);
        }
        v[0] = s.substring(0, sp);
        int identStart = sp + 1;
        sp = s.indexOf(' ', identStart);
        if (sp < 0) {
            throw fail("the ident is not followed by a space", n);
        }
        v[1] = orNull(s, identStart, sp);
        int userStart = sp + 1;
        int bracket = s.indexOf(" [", userStart);
        if (bracket < 0) {
            throw fail("the time is not in brackets", userStart);
        }
        v[2] = orNull(s, userStart, bracket);
        int t = bracket + 2;
        if (t + TIME_LENGTH >= n || s.charAt(t + TIME_LENGTH) != ']') {
            throw fail("the time is not dd/MMM/yyyy:HH:mm:ss +hhmm in brackets", t);
        }
        v[3] = time(s, t);
        int q = t + TIME_LENGTH + 1;
        if (q + 1 >= n || s.charAt(q) != ' ' || s.charAt(q + 1) != '"') {
            throw fail("the request is not quoted", Math.min(q + 1, n));
        }
        int start = q + 2;
        int end = closingQuote(s, start);
        if (end < 0) {
            throw fail("the request is not closed by a quote", n);
        }
        String request = unquote(s, start, end);
        v[7] = request;
        requestLine(request, v);
        // status
        int p = end + 1;
        if (p >= n || s.charAt(p) != ' ') {
            throw fail("the request is not followed by a space", p);
        }
        p++;
        int e = tokenEnd(s, p);
        if (isDash(s, p, e)) {
            v[8] = null;
        } else {
            int status = (int) number(s, p, e, 9);
            if (status < 0) {
                throw fail("the status is not a number", p);
            }
            v[8] = status;
        }
        // bytes
        if (e >= n) {
            throw fail("the byte count is missing", e);
        }
        p = e + 1;
        e = tokenEnd(s, p);
        if (isDash(s, p, e)) {
            v[9] = null;
        } else {
            long bytes = number(s, p, e, 18);
            if (bytes < 0) {
                throw fail("the byte count is not a number", p);
            }
            v[9] = bytes;
        }
        if (combined) {
            p = e;
            if (p + 1 >= n || s.charAt(p) != ' ' || s.charAt(p + 1) != '"') {
                throw fail("the referrer is not quoted", Math.min(p + 1, n));
            }
            start = p + 2;
            end = closingQuote(s, start);
            if (end < 0) {
                throw fail("the referrer is not closed by a quote", n);
            }
            v[10] = dashToNull(unquote(s, start, end));
            p = end + 1;
            if (p + 1 >= n || s.charAt(p) != ' ' || s.charAt(p + 1) != '"') {
                throw fail("the user agent is not quoted", Math.min(p + 1, n));
            }
            start = p + 2;
            end = closingQuote(s, start);
            if (end < 0) {
                throw fail("the user agent is not closed by a quote", n);
            }
            v[11] = dashToNull(unquote(s, start, end));
            e = end + 1;
        }
        for (int i = e; i < n; i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r') {
                throw fail(
                        combined
                                ? "text after the user agent"
                                : "text after the byte count (for the combined format use Logs.combined())",
                        i);
            }
        }
        return Row.of(schema(), v, origin);
    }

    /** Splits {@code METHOD PATH [HTTP/n]} into v[4..6]; leaves them null for any other request text. */
    private static void requestLine(String r, Object[] v) {
        int sp1 = r.indexOf(' ');
        if (sp1 <= 0) {
            return;
        }
        for (int i = 0; i < sp1; i++) {
            char c = r.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || isDigit(c) || c == '_')) {
                return;
            }
        }
        int sp2 = r.indexOf(' ', sp1 + 1);
        int pathEnd = sp2 < 0 ? r.length() : sp2;
        if (pathEnd == sp1 + 1 || hasWhitespace(r, sp1 + 1, pathEnd)) {
            return;
        }
        String protocol = null;
        if (sp2 >= 0) {
            if (!r.startsWith("HTTP/", sp2 + 1) || !isNumber(r, sp2 + 6, r.length())) {
                return;
            }
            protocol = r.substring(sp2 + 1);
        }
        v[4] = r.substring(0, sp1);
        v[5] = r.substring(sp1 + 1, pathEnd);
        v[6] = protocol;
    }

    private static boolean hasWhitespace(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Digits with an optional fraction: {@code 1.1}, {@code 2}. */
    private static boolean isNumber(String s, int from, int to) {
        int i = from;
        int intDigits = 0;
        while (i < to && isDigit(s.charAt(i))) {
            i++;
            intDigits++;
        }
        if (i < to && s.charAt(i) == '.') {
            i++;
            int frac = 0;
            while (i < to && isDigit(s.charAt(i))) {
                i++;
                frac++;
            }
            return frac > 0 && i == to;
        }
        return intDigits > 0 && i == to;
    }

    private static int tokenEnd(String s, int from) {
        int e = s.indexOf(' ', from);
        return e < 0 ? s.length() : e;
    }

    /** The decimal number s[from, to) of at most {@code maxDigits} digits, or -1. */
    private static long number(String s, int from, int to, int maxDigits) {
        if (to <= from || to - from > maxDigits) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** The index of the quote that closes a field starting at {@code from}, skipping backslash escapes; or -1. */
    static int closingQuote(String s, int from) {
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                i++;
            }
        }
        return -1;
    }

    /** s[from, to) with {@code \"} and {@code \\} unescaped; other backslash sequences ({@code \x22}) kept. */
    static String unquote(String s, int from, int to) {
        int b = s.indexOf('\\', from);
        if (b < 0 || b >= to) {
            return s.substring(from, to);
        }
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                c = s.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String dashToNull(String s) {
        return s.equals("-") ? null : s;
    }

    /** {@code 17/May/2015:10:05:03 +0000} at {@code t}. */
    private OffsetDateTime time(String s, int t) {
        LastTime cached = last;
        if (cached != null && s.regionMatches(t, cached.text, 0, TIME_LENGTH)) {
            return cached.time;
        }
        int day = digits(s, t, 2);
        int month = s.charAt(t + 2) == '/' && s.charAt(t + 6) == '/' ? month(s, t + 3) : -1;
        int year = digits(s, t + 7, 4);
        int hour = s.charAt(t + 11) == ':' ? digits(s, t + 12, 2) : -1;
        int minute = s.charAt(t + 14) == ':' ? digits(s, t + 15, 2) : -1;
        int second = s.charAt(t + 17) == ':' ? digits(s, t + 18, 2) : -1;
        char sign = s.charAt(t + 21);
        int offH = digits(s, t + 22, 2);
        int offM = digits(s, t + 24, 2);
        if (day < 0
                || month < 0
                || year < 0
                || hour < 0
                || minute < 0
                || second < 0
                || s.charAt(t + 20) != ' '
                || (sign != '+' && sign != '-')
                || offH < 0
                || offM < 0) {
            throw fail("the time is not dd/MMM/yyyy:HH:mm:ss +hhmm", t);
        }
        OffsetDateTime odt;
        try {
            int offset = (offH * 3600 + offM * 60) * (sign == '-' ? -1 : 1);
            odt = OffsetDateTime.of(year, month, day, hour, minute, second, 0, ZoneOffset.ofTotalSeconds(offset));
        } catch (DateTimeException e) {
            throw fail("the time is not valid (" + e.getMessage() + ")", t);
        }
        last = new LastTime(s.substring(t, t + TIME_LENGTH), odt);
        return odt;
    }
}
