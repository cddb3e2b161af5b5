package dev.sluice.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.DataException;
import dev.sluice.ErrorPolicy;
import dev.sluice.Flow;
import dev.sluice.Rejected;
import dev.sluice.Row;
import dev.sluice.Sinks;
import dev.sluice.testdata.SharedData;
import dev.sluice.text.Text;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every line of the real combined access log in ../shared/data/logs/apache-access parses to the fields that Logstash's
 * grok pattern {@code HTTPD_COMBINEDLOG} captures, checked with an independent implementation: the pattern expanded by
 * hand into a java.util.regex below.
 */
class ApacheAccessLogTest {

    // ---- grok HTTPD_COMBINEDLOG, expanded by hand ----------------------------------------------------------------
    // From logstash-plugins/logstash-patterns-core (Apache-2.0), patterns/legacy/httpd and
    // patterns/legacy/grok-patterns.
    // Grok turns %{NAME} into a non-capturing group of NAME's pattern and %{NAME:field} into a group named field;
    // g() and named() do the same here, and each constant is one pattern definition, in the file's words.

    private static String g(String p) {
        return "(?:" + p + ")";
    }

    private static String named(String field, String p) {
        return "(?<" + field + ">" + p + ")";
    }

    private static final String USERNAME = "[a-zA-Z0-9._-]+";
    private static final String USER = g(USERNAME);
    private static final String EMAILLOCALPART = "[a-zA-Z][a-zA-Z0-9_.+-=:]+";
    private static final String HOSTNAME =
            "\\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(\\.?|\\b)";
    private static final String EMAILADDRESS = g(EMAILLOCALPART) + "@" + g(HOSTNAME);
    private static final String HTTPDUSER = g(EMAILADDRESS) + "|" + g(USER);
    private static final String IPV6 =
            "((([0-9A-Fa-f]{1,4}:){7}([0-9A-Fa-f]{1,4}|:))|(([0-9A-Fa-f]{1,4}:){6}(:[0-9A-Fa-f]{1,4}|((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})|:))|(([0-9A-Fa-f]{1,4}:){5}(((:[0-9A-Fa-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3})|:))|(([0-9A-Fa-f]{1,4}:){4}(((:[0-9A-Fa-f]{1,4}){1,3})|((:[0-9A-Fa-f]{1,4})?:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){3}(((:[0-9A-Fa-f]{1,4}){1,4})|((:[0-9A-Fa-f]{1,4}){0,2}:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){2}(((:[0-9A-Fa-f]{1,4}){1,5})|((:[0-9A-Fa-f]{1,4}){0,3}:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){1}(((:[0-9A-Fa-f]{1,4}){1,6})|((:[0-9A-Fa-f]{1,4}){0,4}:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:))|(:(((:[0-9A-Fa-f]{1,4}){1,7})|((:[0-9A-Fa-f]{1,4}){0,5}:((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}))|:)))(%.+)?";
    private static final String IPV4 = "(?<![0-9])(?:(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.]"
            + "(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.]"
            + "(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]))(?![0-9])";
    private static final String IP = "(?:" + g(IPV6) + "|" + g(IPV4) + ")";
    private static final String IPORHOST = "(?:" + g(IP) + "|" + g(HOSTNAME) + ")";
    private static final String INT = "(?:[+-]?(?:[0-9]+))";
    private static final String BASE10NUM = "(?<![0-9.+-])(?>[+-]?(?:(?:[0-9]+(?:\\.[0-9]+)?)|(?:\\.[0-9]+)))";
    private static final String NUMBER = "(?:" + g(BASE10NUM) + ")";
    private static final String WORD = "\\b\\w+\\b";
    private static final String NOTSPACE = "\\S+";
    private static final String DATA = ".*?";
    private static final String MONTHDAY = "(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])";
    private static final String MONTH = "\\b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm](?:a|\u00e4)?r(?:ch|z)?"
            + "|[Aa]pr(?:il)?|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?"
            + "|[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)\\b";
    private static final String YEAR = "(?>\\d\\d){1,2}";
    private static final String HOUR = "(?:2[0123]|[01]?[0-9])";
    private static final String MINUTE = "(?:[0-5][0-9])";
    private static final String SECOND = "(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)";
    private static final String TIME = "(?!<[0-9])" + g(HOUR) + ":" + g(MINUTE) + "(?::" + g(SECOND) + ")(?![0-9])";
    private static final String HTTPDATE = g(MONTHDAY) + "/" + g(MONTH) + "/" + g(YEAR) + ":" + g(TIME) + " " + g(INT);
    private static final String QUOTEDSTRING = "(?>(?<!\\\\)(?>\"(?>\\\\.|[^\\\\\"]+)+\"|\"\""
            + "|(?>'(?>\\\\.|[^\\\\']+)+')|''|(?>`(?>\\\\.|[^\\\\`]+)+`)|``))";
    private static final String QS = g(QUOTEDSTRING);
    private static final String HTTPD_COMMONLOG = named("clientip", IPORHOST)
            + " " + named("ident", HTTPDUSER)
            + " " + named("auth", HTTPDUSER)
            + " \\[" + named("timestamp", HTTPDATE) + "\\]"
            + " \"(?:" + named("verb", WORD) + " " + named("request", NOTSPACE)
            + "(?: HTTP/" + named("httpversion", NUMBER) + ")?|" + named("rawrequest", DATA) + ")\""
            + " (?:" + named("response", NUMBER) + "|-)"
            + " (?:" + named("bytes", NUMBER) + "|-)";
    private static final String HTTPD_COMBINEDLOG =
            g(HTTPD_COMMONLOG) + " " + named("referrer", QS) + " " + named("agent", QS);

    /** Grok matches anywhere in the line (it searches, it is not anchored), so this is used with find(). */
    private static final Pattern GROK = Pattern.compile(HTTPD_COMBINEDLOG);

    private static final DateTimeFormatter HTTPDATE_FORMAT =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private static Path log() {
        return SharedData.path("logs/apache-access/apache_logs");
    }

    /** A grok value for a field that we read as null when it is {@code -}. */
    private static String dashless(String s) {
        return s == null || s.equals("-") ? null : s;
    }

    /** Grok's QS capture keeps the quotes and escapes; ours has neither. */
    private static String unquoted(String qs) {
        String inner = qs.substring(1, qs.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        return dashless(inner);
    }

    @Test
    void everyLineHasTheFieldsGrokCaptures() {
        List<String> lines = Flow.from(Text.lines(log())).toList();
        assertEquals(10_000, lines.size());
        LogFormat combined = Logs.combined();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int dashBytes = 0;
        int compared = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNo = i + 1;
            Matcher m = GROK.matcher(line);
            if (lineNo == 8899) {
                assertFalse(m.find(), "grok rejects line 8899 too");
                DataException e = assertThrows(DataException.class, () -> combined.apply(line));
                assertEquals(
                        "not a combined log line: the user agent is not closed by a quote at column "
                                + (line.length() + 1),
                        e.getMessage());
                continue;
            }
            assertTrue(m.find(), "grok matches line " + lineNo);
            Row r = combined.apply(line);
            String where = "line " + lineNo + ": " + line;
            assertEquals(m.group("clientip"), r.value("client"), where);
            assertEquals(dashless(m.group("ident")), r.value("ident"), where);
            assertEquals(dashless(m.group("auth")), r.value("user"), where);
            assertEquals(OffsetDateTime.parse(m.group("timestamp"), HTTPDATE_FORMAT), r.value("time"), where);
            if (m.group("rawrequest") != null) {
                assertEquals(m.group("rawrequest"), r.value("request"), where);
                assertNull(r.value("method"), where);
                assertNull(r.value("path"), where);
                assertNull(r.value("protocol"), where);
            } else {
                assertEquals(m.group("verb"), r.value("method"), where);
                assertEquals(m.group("request"), r.value("path"), where);
                String version = m.group("httpversion");
                assertEquals(version == null ? null : "HTTP/" + version, r.value("protocol"), where);
                assertEquals(
                        m.group("verb") + " " + m.group("request") + (version == null ? "" : " HTTP/" + version),
                        r.value("request"),
                        where);
            }
            assertEquals(m.group("response") == null ? null : Integer.valueOf(m.group("response")), r.value("status"));
            assertEquals(m.group("bytes") == null ? null : Long.valueOf(m.group("bytes")), r.value("bytes"), where);
            assertEquals(unquoted(m.group("referrer")), r.value("referrer"), where);
            assertEquals(unquoted(m.group("agent")), r.value("agent"), where);
            statuses.merge((Integer) r.value("status"), 1, Integer::sum);
            if (r.value("bytes") == null) {
                dashBytes++;
            }
            compared++;
        }
        assertEquals(9_999, compared);
        // SOURCES.md: 200x9125, 304x445, 404x213, 301x164, 206x45, 500x3, 403x2, 416x2 (that is 9,999: the
        // well-formed lines) and 669 lines with '-' as the byte count
        assertEquals(Map.of(200, 9125, 304, 445, 404, 213, 301, 164, 206, 45, 500, 3, 403, 2, 416, 2), statuses);
        assertEquals(669, dashBytes);
    }

    @Test
    void theMalformedLineIsRejectedWithItsLineNumber() {
        List<Rejected> dead = new ArrayList<>();
        long n = Flow.from(Text.lines(log()))
                .map(Logs.combined())
                .onError(ErrorPolicy.deadLetter(Sinks.collect(dead)))
                .count();
        assertEquals(9_999, n);
        assertEquals(1, dead.size());
        assertEquals(8899, dead.get(0).line());
        assertEquals("apache_logs", dead.get(0).source());
        assertTrue(
                dead.get(0).reason().contains("the user agent is not closed by a quote"),
                dead.get(0).reason());
    }
}
