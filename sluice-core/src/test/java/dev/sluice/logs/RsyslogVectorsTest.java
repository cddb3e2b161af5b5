package dev.sluice.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Row;
import dev.sluice.testdata.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test vector of rsyslog's parser test suite ({@code tests/testsuites/*.parse1} in rsyslog, copied to
 * ../shared/data/logs/rsyslog-parse1): each message, parsed by {@link Logs#syslog()} and rendered through the suite's
 * template {@code %PRI%,%syslogfacility-text%,%syslogseverity-text%,%timestamp%,%hostname%,%programname%,%syslogtag%,
 * %msg%}, is the line rsyslog produced.
 *
 * <p>How the suite ran, and what this test does the same way: rsyslog's test driver (tests/nettester.c at that commit)
 * unescaped each message line C-style before sending it ({@code \011} is a TAB, {@code \\} a backslash, a backslash
 * before any other character is dropped), and rsyslog escaped control characters on reception as {@code #} and three
 * octal digits before parsing ({@code $EscapeControlCharactersOnReceive}, on by default). So the snare vectors' input
 * {@code \011} is expected as {@code #011}. Both steps are done here before the line is given to the parser.
 *
 * <p>Two documented differences from the vectors, applied to the expected line before comparing:
 *
 * <ul>
 *   <li>Our RFC 3164 message does not keep the one space that separates it from the tag (rsyslog's
 *       {@code remove.msgFirstSpace="on"}); rsyslog's default {@code %msg%} keeps it. The expected message loses one
 *       leading space.
 *   <li>For RFC 5424 messages these (2010) vectors expect an empty {@code %programname%}; rsyslog since then gives the
 *       APP-NAME (its current tests/parsertest-parse1.sh expects {@code su} and {@code myproc}), and so do we. The
 *       expected program name of an RFC 5424 message is its APP-NAME.
 * </ul>
 */
class RsyslogVectorsTest {
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    /** A message and the line rsyslog rendered for it. */
    record Vector(String file, int line, String message, String expected) {}

    static List<Vector> vectors() throws IOException {
        Path dir = SharedData.path("logs/rsyslog-parse1");
        List<Vector> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".parse1")).sorted().toList();
        }
        assertEquals(23, files.size());
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("#")) {
                    continue;
                }
                out.add(new Vector(f.getFileName().toString(), i + 1, lines.get(i), lines.get(i + 1)));
                i++;
            }
        }
        return out;
    }

    /** What nettester.c's unescapeTestdata() did to a message before sending it. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i >= s.length()) {
                break;
            }
            char d = s.charAt(i);
            if (d == '\\') {
                b.append('\\');
            } else if (d == 'n') {
                b.append('\n');
            } else if (d == 'r') {
                b.append('\r');
            } else if (d == 't') {
                b.append('\t');
            } else if (d >= '0' && d <= '3') {
                int v = d - '0';
                int digits = 1;
                while (digits < 3 && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                    v = v * 8 + s.charAt(++i) - '0';
                    digits++;
                }
                b.append((char) v);
            } else {
                i--; // dropped backslash; the character itself is copied next
            }
        }
        return b.toString();
    }

    /** rsyslog's escaping of control characters on reception: {@code #} and three octal digits. */
    static String escapeControl(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < ' ' || c == 0x7f) {
                b.append('#').append(String.format(Locale.ROOT, "%03o", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Our row through the suite's template; {@code ~H} for no host name, as the vectors write rsyslog's own. */
    static String render(Row r) {
        TemporalAccessor t = (TemporalAccessor) r.value("timestamp");
        LocalDateTime ts = t instanceof OffsetDateTime ? ((OffsetDateTime) t).toLocalDateTime() : (LocalDateTime) t;
        String time = String.format(
                Locale.ROOT,
                "%s %2d %02d:%02d:%02d",
                MONTHS[ts.getMonthValue() - 1],
                ts.getDayOfMonth(),
                ts.getHour(),
                ts.getMinute(),
                ts.getSecond());
        return String.join(
                ",",
                r.get("priority"),
                r.get("facility"),
                r.get("severity"),
                time,
                r.get("hostname") == null ? "~H" : r.get("hostname"),
                r.getOr("appname", ""),
                r.getOr("tag", ""),
                r.getOr("message", ""));
    }

    /** The expected line with the two documented differences applied (see the class comment). */
    static String expected(Vector v, Row r, boolean rfc5424) {
        String e = v.expected();
        if (rfc5424) {
            String[] f = e.split(",", 8);
            assertEquals("", f[5], "these vectors have an empty program name for RFC 5424: " + v);
            f[5] = r.get("appname");
            e = String.join(",", f);
        }
        String prefix = render(r);
        String ours = r.getOr("message", "");
        prefix = prefix.substring(0, prefix.length() - ours.length());
        assertTrue(e.startsWith(prefix), v + "\n  ours: " + render(r));
        String msg = e.substring(prefix.length());
        return prefix + (msg.startsWith(" ") && !rfc5424 ? msg.substring(1) : msg);
    }

    @Test
    void everyVectorRendersAsRsyslogRenderedIt() throws IOException {
        LogFormat syslog = Logs.syslog();
        List<Vector> vectors = vectors();
        int rfc5424 = 0;
        for (Vector v : vectors) {
            String received = escapeControl(unescape(v.message()));
            Row r = syslog.apply(received);
            boolean is5424 = received.matches("(<\\d+>)?1 .*");
            if (is5424) {
                rfc5424++;
            }
            assertEquals(expected(v, r, is5424), render(r), v.file() + " line " + v.line());
        }
        assertEquals(4, rfc5424);
        assertEquals(49, vectors.size());
    }
}
