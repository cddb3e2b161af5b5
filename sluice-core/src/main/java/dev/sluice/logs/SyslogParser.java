package dev.sluice.logs;

import dev.sluice.Row;
import dev.sluice.Schema;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Syslog as rsyslog's default parser chain reads it: RFC 5424 when the PRI is followed by {@code 1 }, else RFC 3164
 * with rsyslog's leniencies (a missing PRI, one-digit days, a year before the time, a colon after it, an RFC 3339
 * timestamp, a missing host name, a tag without a colon). A port of the logic of rsyslog's pmrfc3164/pmrfc5424
 * parsers, not of their code.
 */
final class SyslogParser extends LineParser {
    private static final long serialVersionUID = 1L;

    static final Schema SCHEMA = Schema.of(
            "priority",
            "facility",
            "severity",
            "timestamp",
            "hostname",
            "appname",
            "procid",
            "msgid",
            "structureddata",
            "tag",
            "message");

    static final String[] FACILITIES = {
        "kern",
        "user",
        "mail",
        "daemon",
        "auth",
        "syslog",
        "lpr",
        "news",
        "uucp",
        "cron",
        "authpriv",
        "ftp",
        "ntp",
        "audit",
        "alert",
        "clock",
        "local0",
        "local1",
        "local2",
        "local3",
        "local4",
        "local5",
        "local6",
        "local7"
    };
    static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    /** The PRI of a message that has none: user.notice, as rsyslog assumes. */
    static final int DEFAULT_PRI = 13;

    private static final Integer[] PRIS = new Integer[192];

    static {
        for (int i = 0; i < PRIS.length; i++) {
            PRIS[i] = i;
        }
    }

    /** The year of RFC 3164 timestamps, or 0 to infer it from {@link #reference}. */
    private final int year;

    /** The time year inference is relative to, or null for the current time. */
    private final ZonedDateTime reference;

    SyslogParser(int year, ZonedDateTime reference) {
        this.year = year;
        this.reference = reference;
    }

    SyslogParser withYear(int y) {
        return new SyslogParser(y, null);
    }

    SyslogParser withReference(ZonedDateTime ref) {
        return new SyslogParser(0, ref);
    }

    @Override
    Schema schema() {
        return SCHEMA;
    }

    @Override
    String notA() {
        return "not a syslog line";
    }

    /** A parse position, for helpers that return a value and move on. */
    private static final class Cursor {
        int p;

        Cursor(int p) {
            this.p = p;
        }
    }

    @Override
    Row parse(String s, dev.sluice.Location origin) {
        int n = s.length();
        int pri = DEFAULT_PRI;
        int p = 0;
        if (n > 0 && s.charAt(0) == '<') {
            int i = 1;
            int v = 0;
            while (i < n && i <= 4 && isDigit(s.charAt(i))) {
                v = v * 10 + s.charAt(i) - '0';
                i++;
            }
            if (i == 1 || i >= n || s.charAt(i) != '>' || v > 191) {
                throw fail("the PRI is not <0> to <191>", 0);
            }
            pri = v;
            p = i + 1;
        }
        Object[] v = new Object[11];
        v[0] = PRIS[pri];
        v[1] = FACILITIES[pri >> 3];
        v[2] = SEVERITIES[pri & 7];
        if (n - p >= 2 && s.charAt(p) == '1' && s.charAt(p + 1) == ' ') {
            rfc5424(s, p + 2, v);
        } else {
            rfc3164(s, p, v);
        }
        return Row.of(SCHEMA, v, origin);
    }

    /** RFC 5424 as rsyslog's pmrfc5424 reads it: fields split at spaces, structured data up to {@code "] "}. */
    private void rfc5424(String s, int p, Object[] v) {
        int n = s.length();
        Cursor c = new Cursor(p);
        boolean cont = true;
        if (s.startsWith("- ", p)) {
            c.p += 2;
        } else {
            Object ts = rfc3339(s, c);
            if (ts == null) {
                cont = false;
            } else {
                v[3] = ts;
            }
        }
        if (cont) {
            v[4] = field(s, c);
            v[5] = field(s, c);
            v[6] = field(s, c);
            v[7] = field(s, c);
            v[8] = structuredData(s, c);
            String app = (String) v[5];
            if (app != null) {
                v[9] = v[6] == null ? app : app + "[" + v[6] + "]";
            }
        }
        v[10] = c.p < n ? stripBom(s.substring(c.p)) : null;
    }

    /** A header field up to the next space (which is eaten); null for {@code -} or empty. */
    private static String field(String s, Cursor c) {
        int n = s.length();
        int start = c.p;
        int e = start;
        while (e < n && s.charAt(e) != ' ') {
            e++;
        }
        c.p = e < n ? e + 1 : e;
        return orNull(s, start, e);
    }

    /** Structured data as text, up to the {@code ]} followed by a space (which is eaten); null for {@code -}. */
    private static String structuredData(String s, Cursor c) {
        int n = s.length();
        int p = c.p;
        if (p >= n || (s.charAt(p) != '[' && s.charAt(p) != '-')) {
            return null;
        }
        int start = p;
        if (s.charAt(p) == '-') {
            p++;
        } else {
            while (true) {
                if (n - p < 2) {
                    if (n - p == 1 && s.charAt(p) == ']') {
                        p++;
                    }
                    break;
                }
                char ch = s.charAt(p);
                if (ch == '\\' && s.charAt(p + 1) == ']') {
                    p += 2;
                } else if (ch == ']' && s.charAt(p + 1) == ' ') {
                    p++;
                    break;
                } else {
                    p++;
                }
            }
        }
        String sd = orNull(s, start, p);
        if (p < n && s.charAt(p) == ' ') {
            p++;
        }
        c.p = p;
        return sd;
    }

    /** RFC 3164 as rsyslog's pmrfc3164 reads it. */
    private void rfc3164(String s, int p, Object[] v) {
        int n = s.length();
        int i = p;
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        if (i < n && (s.charAt(i) == '{' || s.charAt(i) == '[')) {
            v[10] = s.substring(p); // headerless: all of it is the message
            return;
        }
        Cursor c = new Cursor(p);
        Object ts = rfc3339(s, c);
        if (ts == null) {
            ts = rfc3164Time(s, c);
            if (ts == null && p < n - 1 && s.charAt(p) == ' ') {
                c.p = p + 1;
                ts = rfc3164Time(s, c);
                if (ts == null) {
                    c.p = p;
                }
            }
        }
        v[3] = ts;
        p = c.p;
        // HOSTNAME: letters, digits, '.', '_' and '-', ending in a letter or digit and followed by a space
        if (p < n) {
            i = p;
            while (i < n && isHostChar(s.charAt(i))) {
                i++;
            }
            if (i == n) {
                v[4] = s.substring(p, i);
                p = i;
            } else if (i > p && isAlnum(s.charAt(i - 1)) && s.charAt(i) == ' ') {
                v[4] = s.substring(p, i);
                p = i + 1;
            }
        }
        // TAG: up to a colon (included) or a space (not included)
        int tagStart = p;
        while (p < n && s.charAt(p) != ':' && s.charAt(p) != ' ') {
            p++;
        }
        if (p < n && s.charAt(p) == ':') {
            p++;
        }
        if (p > tagStart) {
            String tag = s.substring(tagStart, p);
            v[9] = tag;
            // the program name: the tag up to ':', '[', '/' or a control character; the PID between '[' and ']'
            int e = 0;
            while (e < tag.length()) {
                char ch = tag.charAt(e);
                if (ch == ':' || ch == '[' || ch == '/' || ch < ' ' || ch == 0x7f) {
                    break;
                }
                e++;
            }
            if (e > 0) {
                v[5] = tag.substring(0, e);
            }
            if (e < tag.length() && tag.charAt(e) == '[') {
                int close = tag.indexOf(']', e + 1);
                if (close > e + 1) {
                    v[6] = tag.substring(e + 1, close);
                }
            }
        }
        // MSG: the rest, without the one space that separates it from the tag
        if (p < n && s.charAt(p) == ' ') {
            p++;
        }
        v[10] = p < n ? stripBom(s.substring(p)) : null;
    }

    private static boolean isAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean isHostChar(char c) {
        return isAlnum(c) || c == '.' || c == '_' || c == '-';
    }

    static String stripBom(String m) {
        return !m.isEmpty() && m.charAt(0) == '\uFEFF' ? m.substring(1) : m;
    }

    /** Digits as rsyslog reads them: as many as there are (none reads as 0), at most 9. */
    private static int number(String s, Cursor c) {
        int n = s.length();
        int v = 0;
        int digits = 0;
        while (c.p < n && isDigit(s.charAt(c.p)) && digits < 9) {
            v = v * 10 + s.charAt(c.p) - '0';
            c.p++;
            digits++;
        }
        return v;
    }

    /**
     * After an hour already read: {@code :mm:ss} and an optional {@code .fraction}, each part checked (a leap second
     * reads as :59); the time of day in nanoseconds, or -1 if it is not one.
     */
    private static long timeOfDay(String s, Cursor k, int hour) {
        if (hour > 23 || !at(s, k.p++, ':')) {
            return -1;
        }
        int minute = number(s, k);
        if (minute > 59 || !at(s, k.p++, ':')) {
            return -1;
        }
        int second = number(s, k);
        if (second > 60) {
            return -1;
        }
        int nanos = 0;
        if (at(s, k.p, '.')) {
            k.p++;
            nanos = nanos(s, k);
        }
        return ((hour * 60L + minute) * 60 + Math.min(second, 59)) * 1_000_000_000L + nanos;
    }

    /** Fraction digits after a '.' as nanoseconds (digits past the ninth are read and dropped). */
    private static int nanos(String s, Cursor c) {
        int n = s.length();
        int v = 0;
        int digits = 0;
        while (c.p < n && isDigit(s.charAt(c.p))) {
            if (digits < 9) {
                v = v * 10 + s.charAt(c.p) - '0';
                digits++;
            }
            c.p++;
        }
        for (int i = digits; i < 9; i++) {
            v *= 10;
        }
        return v;
    }

    /**
     * An RFC 3339 timestamp (leniently: one-digit fields are read) and the space after it; null, with the cursor
     * unmoved, if there is none.
     */
    private OffsetDateTime rfc3339(String s, Cursor c) {
        int start = c.p;
        Cursor k = new Cursor(start);
        int year = number(s, k);
        if (!at(s, k.p++, '-') || year >= 2100) {
            return null;
        }
        int month = number(s, k);
        if (month < 1 || month > 12 || !at(s, k.p++, '-')) {
            return null;
        }
        int day = number(s, k);
        if (day < 1 || day > 31 || !at(s, k.p++, 'T')) {
            return null;
        }
        long time = timeOfDay(s, k, number(s, k));
        if (time < 0) {
            return null;
        }
        int offset;
        if (at(s, k.p, 'Z')) {
            k.p++;
            offset = 0;
        } else if (at(s, k.p, '+') || at(s, k.p, '-')) {
            int sign = s.charAt(k.p++) == '-' ? -1 : 1;
            int oh = number(s, k);
            if (oh > 23 || !at(s, k.p++, ':')) {
                return null;
            }
            int om = number(s, k);
            if (om > 59) {
                return null;
            }
            offset = sign * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        if (k.p < s.length()) {
            if (s.charAt(k.p) != ' ') {
                return null;
            }
            k.p++;
        }
        try {
            OffsetDateTime t = OffsetDateTime.of(
                    LocalDate.of(year, month, day), LocalTime.ofNanoOfDay(time), ZoneOffset.ofTotalSeconds(offset));
            c.p = k.p;
            return t;
        } catch (DateTimeException e) {
            throw fail("the timestamp is not a valid date (" + e.getMessage() + ")", start);
        }
    }

    /**
     * An RFC 3164 timestamp {@code Mmm dd hh:mm:ss} with rsyslog's leniencies (any case, one-digit days, a year before
     * the month or before the time, fractional seconds, a colon after it) and the space after it; null, with the
     * cursor unmoved, if there is none.
     */
    private LocalDateTime rfc3164Time(String s, Cursor c) {
        int n = s.length();
        int start = c.p;
        if (n - start < 3) {
            return null;
        }
        Cursor k = new Cursor(start);
        int y = 0;
        if (isDigit(s.charAt(k.p))) {
            y = number(s, k);
            if (y < 1970 || y > 2100 || !at(s, k.p, ' ')) {
                return null;
            }
            k.p++;
        }
        int month = month(s, k.p);
        if (month < 0) {
            return null;
        }
        k.p += 3;
        if (!at(s, k.p++, ' ')) {
            return null;
        }
        if (at(s, k.p, ' ')) {
            k.p++;
        }
        int day = number(s, k);
        if (day < 1 || day > 31 || !at(s, k.p++, ' ')) {
            return null;
        }
        int hour = number(s, k);
        if (y == 0 && hour > 1970 && hour < 2100) {
            y = hour; // a year before the time, as Cisco devices write it
            if (!at(s, k.p++, ' ')) {
                return null;
            }
            hour = number(s, k);
        }
        long time = timeOfDay(s, k, hour);
        if (time < 0) {
            return null;
        }
        if (at(s, k.p, ':')) {
            k.p++;
        }
        if (k.p < n) {
            if (s.charAt(k.p) != ' ') {
                return null;
            }
            k.p++;
        }
        int yr = y != 0 ? y : yearOf(month, day);
        try {
            LocalDateTime t = LocalDateTime.of(LocalDate.of(yr, month, day), LocalTime.ofNanoOfDay(time));
            c.p = k.p;
            return t;
        } catch (DateTimeException e) {
            throw fail("the timestamp is not a valid date in " + yr + " (" + e.getMessage() + ")", start);
        }
    }

    /**
     * The year of a timestamp without one: the configured year, else the year that puts the date no more than 31 days
     * after the reference date (the current date by default) and less than 11 months before it. So a Dec 31 line
     * read on Jan 1 is of last year, and a Jan 1 line read on Dec 31 (a fast clock) of next year.
     */
    private int yearOf(int month, int day) {
        if (year != 0) {
            return year;
        }
        LocalDate ref = reference != null ? reference.toLocalDate() : LocalDate.now();
        int y = ref.getYear();
        long delta = dayOf(y, month, day) - ref.toEpochDay();
        if (delta > 31) {
            return y - 1;
        }
        if (delta <= 31 - 365) {
            return y + 1;
        }
        return y;
    }

    private static long dayOf(int y, int month, int day) {
        LocalDate first = LocalDate.of(y, month, 1);
        return first.toEpochDay() + Math.min(day, first.lengthOfMonth()) - 1;
    }
}
