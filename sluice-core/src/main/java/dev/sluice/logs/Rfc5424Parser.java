package dev.sluice.logs;

import dev.sluice.Row;
import dev.sluice.Schema;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Strict RFC 5424: every header field checked against the RFC's ABNF, structured data parsed and unescaped. */
final class Rfc5424Parser extends LineParser {
    private static final long serialVersionUID = 1L;

    static final Schema SCHEMA = Schema.of(
            "priority",
            "facility",
            "severity",
            "version",
            "timestamp",
            "hostname",
            "appname",
            "procid",
            "msgid",
            "structureddata",
            "sdparams",
            "message");

    @Override
    Schema schema() {
        return SCHEMA;
    }

    @Override
    String notA() {
        return "not an RFC 5424 line";
    }

    @Override
    Row parse(String s, dev.sluice.Location origin) {
        int n = s.length();
        Object[] v = new Object[12];
        if (n == 0 || s.charAt(0) != '<') {
            throw fail("the line does not start with a PRI such as <34>", 0);
        }
        int p = 1;
        int pri = 0;
        while (p < n && p <= 3 && isDigit(s.charAt(p))) {
            pri = pri * 10 + s.charAt(p) - '0';
            p++;
        }
        if (p == 1 || p >= n || s.charAt(p) != '>' || pri > 191) {
            throw fail("the PRI is not <0> to <191>", 0);
        }
        p++;
        v[0] = pri;
        v[1] = SyslogParser.FACILITIES[pri >> 3];
        v[2] = SyslogParser.SEVERITIES[pri & 7];
        if (p >= n || s.charAt(p) != '1' || p + 1 >= n || s.charAt(p + 1) != ' ') {
            throw fail("the version is not 1 followed by a space", p);
        }
        v[3] = 1;
        p += 2;
        int e = fieldEnd(s, p, "timestamp");
        v[4] = isDash(s, p, e) ? null : timestamp(s, p, e);
        p = e + 1;
        e = fieldEnd(s, p, "hostname");
        v[5] = header(s, p, e, 255, "hostname");
        p = e + 1;
        e = fieldEnd(s, p, "app-name");
        v[6] = header(s, p, e, 48, "app-name");
        p = e + 1;
        e = fieldEnd(s, p, "procid");
        v[7] = header(s, p, e, 128, "procid");
        p = e + 1;
        e = s.indexOf(' ', p);
        if (e < 0) {
            e = n;
        }
        v[8] = header(s, p, e, 32, "msgid");
        if (e >= n) {
            throw fail("the structured data is missing", n);
        }
        p = e + 1;
        if (p < n && s.charAt(p) == '-') {
            p++;
        } else {
            Map<String, Map<String, String>> sd = new LinkedHashMap<>();
            p = structuredData(s, p, sd);
            v[9] = s.substring(e + 1, p);
            v[10] = Collections.unmodifiableMap(sd);
        }
        if (p < n) {
            if (s.charAt(p) != ' ') {
                throw fail("the structured data is not followed by a space", p);
            }
            v[11] = SyslogParser.stripBom(s.substring(p + 1));
        }
        return Row.of(SCHEMA, v, origin);
    }

    private int fieldEnd(String s, int p, String what) {
        int e = s.indexOf(' ', p);
        if (e < 0) {
            throw fail("the line ends in the " + what, s.length());
        }
        return e;
    }

    /** A header field of 1 to {@code max} printable US-ASCII characters, or null for {@code -}. */
    private String header(String s, int from, int to, int max, String what) {
        if (to == from) {
            throw fail("the " + what + " is empty (two spaces)", from);
        }
        if (isDash(s, from, to)) {
            return null;
        }
        if (to - from > max) {
            throw fail("the " + what + " is longer than " + max + " characters", from);
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126) {
                throw fail("the " + what + " has a character that is not printable US-ASCII", i);
            }
        }
        return s.substring(from, to);
    }

    /** {@code 2003-08-24T05:14:15.000003-07:00}: full-date "T" full-time, at most 6 fraction digits. */
    private OffsetDateTime timestamp(String s, int from, int to) {
        int year = digits(s, from, 4);
        int month = at(s, from + 4, '-') ? digits(s, from + 5, 2) : -1;
        int day = at(s, from + 7, '-') ? digits(s, from + 8, 2) : -1;
        int hour = at(s, from + 10, 'T') ? digits(s, from + 11, 2) : -1;
        int minute = at(s, from + 13, ':') ? digits(s, from + 14, 2) : -1;
        int second = at(s, from + 16, ':') ? digits(s, from + 17, 2) : -1;
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            throw fail("the timestamp is not like 2003-10-11T22:14:15.003Z", from);
        }
        int p = from + 19;
        int nanos = 0;
        if (at(s, p, '.')) {
            int f = ++p;
            while (p < to && isDigit(s.charAt(p))) {
                p++;
            }
            if (p == f || p - f > 6) {
                throw fail("the timestamp's fraction does not have 1 to 6 digits", f);
            }
            nanos = digits(s, f, p - f);
            for (int i = p - f; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offset;
        if (at(s, p, 'Z') && p + 1 == to) {
            offset = 0;
        } else if ((at(s, p, '+') || at(s, p, '-')) && p + 6 == to && at(s, p + 3, ':')) {
            int oh = digits(s, p + 1, 2);
            int om = digits(s, p + 4, 2);
            if (oh < 0 || om < 0 || oh > 23 || om > 59) {
                throw fail("the timestamp's offset is not +hh:mm", p);
            }
            offset = (s.charAt(p) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            throw fail("the timestamp does not end in Z or an offset +hh:mm", p);
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, ZoneOffset.ofTotalSeconds(offset));
        } catch (DateTimeException e) {
            throw fail("the timestamp is not valid (" + e.getMessage() + ")", from);
        }
    }

    /** One or more SD-ELEMENTs from {@code p} into {@code sd}; returns the index after the last ']'. */
    private int structuredData(String s, int p, Map<String, Map<String, String>> sd) {
        int n = s.length();
        if (!at(s, p, '[')) {
            throw fail("the structured data is neither - nor [", p);
        }
        while (at(s, p, '[')) {
            int start = p + 1;
            p = sdName(s, start);
            if (p == start) {
                throw fail("an SD-ID is empty or has a character that is not allowed", start);
            }
            String id = s.substring(start, p);
            if (sd.containsKey(id)) {
                throw fail("the SD-ID " + id + " occurs twice", start);
            }
            Map<String, String> params = new LinkedHashMap<>();
            while (at(s, p, ' ')) {
                int ns = p + 1;
                p = sdName(s, ns);
                if (p == ns) {
                    throw fail("a PARAM-NAME is empty or has a character that is not allowed", ns);
                }
                String name = s.substring(ns, p);
                if (!at(s, p, '=') || !at(s, p + 1, '"')) {
                    throw fail("the PARAM-NAME " + name + " is not followed by =\"", p);
                }
                p += 2;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (p >= n) {
                        throw fail("the value of " + name + " is not closed by a quote", n);
                    }
                    char c = s.charAt(p);
                    if (c == '"') {
                        break;
                    }
                    if (c == ']') {
                        throw fail("the value of " + name + " has an unescaped ]", p);
                    }
                    if (c == '\\' && p + 1 < n) {
                        char d = s.charAt(p + 1);
                        if (d == '"' || d == '\\' || d == ']') {
                            value.append(d);
                            p += 2;
                            continue;
                        }
                    }
                    value.append(c); // a backslash before anything else is a backslash (RFC 5424 6.3.3)
                    p++;
                }
                p++;
                params.put(name, value.toString());
            }
            if (!at(s, p, ']')) {
                throw fail("the SD-ELEMENT " + id + " is not closed by ]", p);
            }
            p++;
            sd.put(id, Collections.unmodifiableMap(params));
        }
        return p;
    }

    /** The end of an SD-NAME (1 to 32 printable US-ASCII characters but '=', ' ', ']' and '"') starting at p. */
    private int sdName(String s, int p) {
        int n = s.length();
        int e = p;
        while (e < n) {
            char c = s.charAt(e);
            if (c < 33 || c > 126 || c == '=' || c == ']' || c == '"') {
                break;
            }
            e++;
        }
        if (e - p > 32) {
            throw fail("an SD-NAME is longer than 32 characters", p);
        }
        return e;
    }
}
