package dev.sluice.logs;

import dev.sluice.Row;
import dev.sluice.Schema;
import java.time.DateTimeException;
import java.time.LocalDateTime;

/**
 * Apache httpd error logs, 2.2 style {@code [Sun Dec 04 04:47:44 2005] [notice] message} and 2.4 style
 * {@code [Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:1234]
 * message}.
 */
final class ApacheErrorParser extends LineParser {
    private static final long serialVersionUID = 1L;

    static final Schema SCHEMA = Schema.of("time", "module", "level", "pid", "tid", "client", "message");

    @Override
    Schema schema() {
        return SCHEMA;
    }

    @Override
    String notA() {
        return "not an Apache error log line";
    }

    @Override
    Row parse(String s, dev.sluice.Location origin) {
        int n = s.length();
        if (n == 0 || s.charAt(0) != '[') {
            throw fail("the time is not in brackets", 0);
        }
        int close = s.indexOf(']', 1);
        if (close < 0) {
            throw fail("the time's bracket is not closed", n);
        }
        Object[] v = new Object[7];
        v[0] = time(s, 1, close);
        int p = close + 1;
        if (!s.startsWith(" [", p)) {
            throw fail("the level is not in brackets", p);
        }
        int start = p + 2;
        close = s.indexOf(']', start);
        if (close < 0) {
            throw fail("the level's bracket is not closed", n);
        }
        int colon = s.indexOf(':', start);
        if (colon >= 0 && colon < close) {
            v[1] = s.substring(start, colon);
            v[2] = s.substring(colon + 1, close);
        } else {
            v[2] = s.substring(start, close);
        }
        if (close == start || v[2].equals("")) {
            throw fail("the level is empty", start);
        }
        p = close + 1;
        if (s.startsWith(" [pid ", p)) {
            start = p + 6;
            close = s.indexOf(']', start);
            if (close < 0) {
                throw fail("the pid's bracket is not closed", n);
            }
            int e = start;
            while (e < close && isDigit(s.charAt(e))) {
                e++;
            }
            if (e == start || e - start > 9) {
                throw fail("the pid is not a number", start);
            }
            v[3] = Integer.parseInt(s, start, e, 10);
            if (e < close) {
                if (!s.startsWith(":tid ", e)) {
                    throw fail("the pid is not followed by ':tid ' or ']'", e);
                }
                int t = e + 5;
                int te = t;
                while (te < close && isDigit(s.charAt(te))) {
                    te++;
                }
                if (te == t || te != close || te - t > 18) {
                    throw fail("the tid is not a number", t);
                }
                v[4] = Long.parseLong(s, t, te, 10);
            }
            p = close + 1;
        }
        if (s.startsWith(" [client ", p)) {
            start = p + 9;
            close = s.indexOf(']', start);
            if (close < 0) {
                throw fail("the client's bracket is not closed", n);
            }
            v[5] = s.substring(start, close);
            p = close + 1;
        }
        if (p < n) {
            if (s.charAt(p) != ' ') {
                throw fail("the message is not separated by a space", p);
            }
            v[6] = s.substring(p + 1);
        } else {
            v[6] = "";
        }
        return Row.of(SCHEMA, v, origin);
    }

    /** {@code Sun Dec 04 04:47:44 2005} or {@code Fri Sep 09 10:42:29.902022 2011} in s[from, to). */
    private LocalDateTime time(String s, int from, int to) {
        // day name, month, day, time, year
        int p = from;
        while (p < to && s.charAt(p) != ' ') {
            p++;
        }
        p++;
        int month = p + 4 <= to && s.charAt(p + 3) == ' ' ? month(s, p) : -1;
        p += 4;
        if (p < to && s.charAt(p) == ' ') {
            p++; // a space-padded day
        }
        int day = -1;
        if (p + 1 < to && isDigit(s.charAt(p)) && s.charAt(p + 1) == ' ') {
            day = s.charAt(p) - '0';
            p += 2;
        } else if (p + 2 < to && s.charAt(p + 2) == ' ') {
            day = digits(s, p, 2);
            p += 3;
        }
        int hour = p + 8 <= to && s.charAt(p + 2) == ':' && s.charAt(p + 5) == ':' ? digits(s, p, 2) : -1;
        int minute = digits(s, p + 3, 2);
        int second = digits(s, p + 6, 2);
        p += 8;
        int nanos = 0;
        if (p < to && s.charAt(p) == '.') {
            int f = ++p;
            while (p < to && isDigit(s.charAt(p))) {
                p++;
            }
            if (p == f || p - f > 9) {
                hour = -1;
            } else {
                nanos = digits(s, f, p - f);
                for (int i = p - f; i < 9; i++) {
                    nanos *= 10;
                }
            }
        }
        int year = p + 5 == to && s.charAt(p) == ' ' ? digits(s, p + 1, 4) : -1;
        if (month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || year < 0) {
            throw fail("the time is not like Sun Dec 04 04:47:44 2005", from);
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        } catch (DateTimeException e) {
            throw fail("the time is not valid (" + e.getMessage() + ")", from);
        }
    }
}
