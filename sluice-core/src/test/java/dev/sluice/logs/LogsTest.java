package dev.sluice.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.DataException;
import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log formats, line by line: the RFC 5424 examples, escapes, year inference, bad lines and their reasons. */
class LogsTest {

    private static String reason(LogFormat f, String line) {
        return assertThrows(DataException.class, () -> f.apply(line)).getMessage();
    }

    // ---- access logs ---------------------------------------------------------------------------------------------

    @Test
    void combinedLine() {
        Row r = Logs.combined()
                .apply("83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /presentations/logstash-monitorama-2013/"
                        + "images/kibana-search.png HTTP/1.1\" 200 203023 \"http://semicomplete.com/presentations/"
                        + "logstash-monitorama-2013/\" \"Mozilla/5.0 (Macintosh)\"");
        assertEquals(Logs.combined().schema(), r.schema());
        assertEquals("83.149.9.216", r.value("client"));
        assertNull(r.value("ident"));
        assertNull(r.value("user"));
        assertEquals(OffsetDateTime.of(2015, 5, 17, 10, 5, 3, 0, ZoneOffset.UTC), r.value("time"));
        assertEquals("GET", r.value("method"));
        assertEquals("/presentations/logstash-monitorama-2013/images/kibana-search.png", r.value("path"));
        assertEquals("HTTP/1.1", r.value("protocol"));
        assertEquals(200, r.value("status"));
        assertEquals(203023L, r.value("bytes"));
        assertEquals("http://semicomplete.com/presentations/logstash-monitorama-2013/", r.value("referrer"));
        assertEquals("Mozilla/5.0 (Macintosh)", r.value("agent"));
    }

    @Test
    void combinedWithEscapedQuotesNegativeOffsetAndUser() {
        Row r = Logs.combined()
                .apply("10.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a?q=\\\"x\\\" HTTP/1.0\" 404 - "
                        + "\"-\" \"curl \\\"7.1\\\" \\\\ \\x22\"");
        assertEquals("frank", r.value("user"));
        assertEquals(OffsetDateTime.of(2000, 10, 10, 13, 55, 36, 0, ZoneOffset.ofHours(-7)), r.value("time"));
        assertEquals("/a?q=\"x\"", r.value("path"));
        assertEquals("GET /a?q=\"x\" HTTP/1.0", r.value("request"));
        assertNull(r.value("bytes"));
        assertNull(r.value("referrer"));
        assertEquals("curl \"7.1\" \\ \\x22", r.value("agent"));
    }

    @Test
    void requestsThatAreNotMethodPathProtocol() {
        LogFormat f = Logs.common();
        Row empty = f.apply("1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"\" 408 -");
        assertEquals("", empty.value("request"));
        assertNull(empty.value("method"));
        Row probe = f.apply("1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"\\x16\\x03\\x01 junk here\" 400 226");
        assertEquals("\\x16\\x03\\x01 junk here", probe.value("request"));
        assertNull(probe.value("method"));
        assertNull(probe.value("path"));
        Row http09 = f.apply("1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /\" 200 10");
        assertEquals("GET", http09.value("method"));
        assertEquals("/", http09.value("path"));
        assertNull(http09.value("protocol"));
    }

    @Test
    void commonLine() {
        Row r = Logs.common()
                .apply("127.0.0.1 user-identifier frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\""
                        + " 200 2326");
        assertEquals(10, r.size());
        assertEquals("user-identifier", r.value("ident"));
        assertEquals(2326L, r.value("bytes"));
    }

    @Test
    void badAccessLines() {
        assertEquals(
                "not a combined log line: the request is not quoted at column 42",
                reason(Logs.combined(), "1.2.3.4 - - [17/May/2015:10:05:03 +0000] GET / HTTP/1.1 200 1 \"-\" \"-\""));
        assertEquals(
                "not a combined log line: the time is not dd/MMM/yyyy:HH:mm:ss +hhmm at column 14",
                reason(Logs.combined(), "1.2.3.4 - - [17/Mai/2015:10:05:03 +0000] \"GET /\" 200 1 \"-\" \"-\""));
        assertEquals(
                "not a combined log line: the status is not a number at column 50",
                reason(Logs.combined(), "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /\" OK 1 \"-\" \"-\""));
        assertEquals(
                "not a combined log line: the referrer is not quoted at column 55",
                reason(Logs.combined(), "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /\" 200 1"));
        assertEquals("not a combined log line: the line is empty", reason(Logs.combined(), ""));
        assertTrue(reason(Logs.common(), "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /\" 200 1 \"-\" \"-\"")
                .startsWith("not a common log line: text after the byte count"));
    }

    // ---- Apache error log ----------------------------------------------------------------------------------------

    @Test
    void apacheError24() {
        Row r = Logs.apacheError()
                .apply("[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] "
                        + "[client 72.15.99.187:1234] File does not exist: /usr/local/apache2/htdocs/favicon.ico");
        assertEquals(LocalDateTime.of(2011, 9, 9, 10, 42, 29, 902_022_000), r.value("time"));
        assertEquals("core", r.value("module"));
        assertEquals("error", r.value("level"));
        assertEquals(35708, r.value("pid"));
        assertEquals(4328636416L, r.value("tid"));
        assertEquals("72.15.99.187:1234", r.value("client"));
        assertEquals("File does not exist: /usr/local/apache2/htdocs/favicon.ico", r.value("message"));
    }

    @Test
    void apacheError22() {
        Row r = Logs.apacheError().apply("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf");
        assertEquals(LocalDateTime.of(2005, 12, 4, 4, 47, 44), r.value("time"));
        assertNull(r.value("module"));
        assertEquals("notice", r.value("level"));
        assertNull(r.value("pid"));
        assertEquals("workerEnv.init() ok /etc/httpd/conf", r.value("message"));
        assertEquals(
                "not an Apache error log line: the time is not in brackets at column 1",
                reason(Logs.apacheError(), "Sun Dec 04 04:47:44 2005 [notice] x"));
    }

    // ---- syslog --------------------------------------------------------------------------------------------------

    @Test
    void syslog3164() {
        Row r = Logs.syslog().withYear(2009).apply("<38>Mar 27 19:06:53 source_server sshd(pam_unix)[12750]: opened");
        assertEquals(38, r.value("priority"));
        assertEquals("auth", r.value("facility"));
        assertEquals("info", r.value("severity"));
        assertEquals(LocalDateTime.of(2009, 3, 27, 19, 6, 53), r.value("timestamp"));
        assertEquals("source_server", r.value("hostname"));
        assertEquals("sshd(pam_unix)", r.value("appname"));
        assertEquals("12750", r.value("procid"));
        assertEquals("sshd(pam_unix)[12750]:", r.value("tag"));
        assertEquals("opened", r.value("message"));
        assertNull(r.value("msgid"));
        assertNull(r.value("structureddata"));
    }

    @Test
    void syslogYearAcrossNewYear() {
        ZonedDateTime newYear = ZonedDateTime.of(2026, 1, 1, 0, 0, 30, 0, ZoneId.of("UTC"));
        LogFormat f = Logs.syslog().withReference(newYear);
        assertEquals(
                2025, ((LocalDateTime) f.apply("<13>Dec 31 23:59:59 h t: x").value("timestamp")).getYear());
        assertEquals(
                2026, ((LocalDateTime) f.apply("<13>Jan  1 00:00:10 h t: x").value("timestamp")).getYear());
        assertEquals(
                2026, ((LocalDateTime) f.apply("<13>Jan 20 00:00:10 h t: x").value("timestamp")).getYear());
        assertEquals(
                2025, ((LocalDateTime) f.apply("<13>Mar  1 00:00:10 h t: x").value("timestamp")).getYear());
        LogFormat lateDec = Logs.syslog().withReference(ZonedDateTime.of(2025, 12, 31, 23, 59, 0, 0, ZoneId.of("UTC")));
        assertEquals(
                2026,
                ((LocalDateTime) lateDec.apply("<13>Jan  1 00:00:01 h t: x").value("timestamp")).getYear(),
                "a clock a little ahead");
        assertEquals(
                2025,
                ((LocalDateTime) lateDec.apply("<13>Jun  1 00:00:01 h t: x").value("timestamp")).getYear());
        assertEquals(
                2008,
                ((LocalDateTime) f.apply("<38>Mar 7 2008 19:06:53: example tag: x")
                                .value("timestamp"))
                        .getYear(),
                "a year in the line wins");
        LogFormat leap = Logs.syslog().withReference(ZonedDateTime.of(2028, 3, 1, 0, 0, 0, 0, ZoneId.of("UTC")));
        assertEquals(
                LocalDateTime.of(2028, 2, 29, 12, 0),
                leap.apply("<13>Feb 29 12:00:00 h t: x").value("timestamp"));
        assertThrows(IllegalStateException.class, () -> Logs.combined().withYear(2020));
    }

    @Test
    void syslogWithoutPriOrHostAndA5424Line() {
        Row r = Logs.syslog().apply("Feb 18 16:01:59 serverX -- MARK --");
        assertEquals(13, r.value("priority"));
        assertEquals("user", r.value("facility"));
        assertEquals("notice", r.value("severity"));
        Row noHost = Logs.syslog().apply("<14>Aug 30 23:00:05 ");
        assertNull(noHost.value("hostname"));
        assertNull(noHost.value("message"));
        Row v5 = Logs.syslog()
                .apply("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                        + "[exampleSDID@32473 iut=\"3\"] \uFEFFAn application event");
        assertEquals(OffsetDateTime.of(2003, 10, 11, 22, 14, 15, 3_000_000, ZoneOffset.UTC), v5.value("timestamp"));
        assertEquals("evntslog", v5.value("appname"));
        assertNull(v5.value("procid"));
        assertEquals("ID47", v5.value("msgid"));
        assertEquals("[exampleSDID@32473 iut=\"3\"]", v5.value("structureddata"));
        assertEquals("evntslog", v5.value("tag"));
        assertEquals("An application event", v5.value("message"));
        assertEquals("not a syslog line: the PRI is not <0> to <191> at column 1", reason(Logs.syslog(), "<192>x"));
    }

    // ---- RFC 5424 ------------------------------------------------------------------------------------------------

    @Test
    void rfc5424Example1() {
        Row r = Logs.rfc5424()
                .apply("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for "
                        + "lonvick on /dev/pts/8");
        assertEquals(34, r.value("priority"));
        assertEquals("auth", r.value("facility"));
        assertEquals("crit", r.value("severity"));
        assertEquals(1, r.value("version"));
        assertEquals(OffsetDateTime.of(2003, 10, 11, 22, 14, 15, 3_000_000, ZoneOffset.UTC), r.value("timestamp"));
        assertEquals("mymachine.example.com", r.value("hostname"));
        assertEquals("su", r.value("appname"));
        assertNull(r.value("procid"));
        assertEquals("ID47", r.value("msgid"));
        assertNull(r.value("structureddata"));
        assertNull(r.value("sdparams"));
        assertEquals("'su root' failed for lonvick on /dev/pts/8", r.value("message"), "the BOM is removed");
    }

    @Test
    void rfc5424Example2() {
        Row r = Logs.rfc5424()
                .apply("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the "
                        + "do-nuts.");
        assertEquals("local4", r.value("facility"));
        assertEquals("notice", r.value("severity"));
        assertEquals(OffsetDateTime.of(2003, 8, 24, 5, 14, 15, 3_000, ZoneOffset.ofHours(-7)), r.value("timestamp"));
        assertEquals("192.0.2.1", r.value("hostname"));
        assertEquals("myproc", r.value("appname"));
        assertEquals("8710", r.value("procid"));
        assertNull(r.value("msgid"));
        assertEquals("%% It's time to make the do-nuts.", r.value("message"));
    }

    @Test
    void rfc5424Example3() {
        Row r = Logs.rfc5424()
                .apply("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 "
                        + "iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] \uFEFFAn application event log "
                        + "entry...");
        assertEquals(
                "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]",
                r.value("structureddata"));
        assertEquals(
                Map.of("exampleSDID@32473", Map.of("iut", "3", "eventSource", "Application", "eventID", "1011")),
                r.value("sdparams"));
        assertEquals(
                List.of("iut", "eventSource", "eventID"),
                List.copyOf(((Map<?, ?>) ((Map<?, ?>) r.value("sdparams")).get("exampleSDID@32473")).keySet()),
                "in order");
        assertEquals("An application event log entry...", r.value("message"));
    }

    @Test
    void rfc5424Example4() {
        Row r = Logs.rfc5424()
                .apply(
                        "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 "
                                + "iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]");
        assertEquals(
                Map.of(
                        "exampleSDID@32473",
                        Map.of("iut", "3", "eventSource", "Application", "eventID", "1011"),
                        "examplePriority@32473",
                        Map.of("class", "high")),
                r.value("sdparams"));
        assertNull(r.value("message"), "no MSG");
    }

    @Test
    void rfc5424Escapes() {
        Row r = Logs.rfc5424().apply("<13>1 - - - - - [x@1 a=\"q\\\"b\\\\c\\]d\\e\" empty=\"\"][y@1] m");
        assertEquals(Map.of("a", "q\"b\\c]d\\e", "empty", ""), ((Map<?, ?>) r.value("sdparams")).get("x@1"));
        assertEquals(Map.of(), ((Map<?, ?>) r.value("sdparams")).get("y@1"));
        assertEquals("[x@1 a=\"q\\\"b\\\\c\\]d\\e\" empty=\"\"][y@1]", r.value("structureddata"));
        assertNull(r.value("timestamp"));
        assertNull(r.value("hostname"));
        assertNull(r.value("appname"));
        assertEquals("m", r.value("message"));
        Row empty = Logs.rfc5424().apply("<13>1 - - - - - - ");
        assertEquals("", empty.value("message"));
    }

    @Test
    void badRfc5424Lines() {
        LogFormat f = Logs.rfc5424();
        assertEquals(
                "not an RFC 5424 line: the line does not start with a PRI such as <34> at column 1",
                reason(f, "Oct 11 22:14:15 mymachine su: x"));
        assertEquals(
                "not an RFC 5424 line: the version is not 1 followed by a space at column 5",
                reason(f, "<34>2 2003-10-11T22:14:15Z h a - - - m"));
        assertEquals(
                "not an RFC 5424 line: the timestamp does not end in Z or an offset +hh:mm at column 30",
                reason(f, "<34>1 2003-10-11T22:14:15.003 h a - - - m"));
        assertEquals(
                "not an RFC 5424 line: the timestamp's fraction does not have 1 to 6 digits at column 27",
                reason(f, "<34>1 2003-10-11T22:14:15.0000001Z h a - - - m"));
        assertEquals(
                "not an RFC 5424 line: the PARAM-NAME eventSource is not followed by =\" at column 81",
                reason(
                        f,
                        "<165>1 2003-10-11T22:14:15.003Z h evntslog - ID47 [exampleSDID@32473 eventSource= \"App\"]"));
        assertEquals(
                "not an RFC 5424 line: the value of a is not closed by a quote at column 33",
                reason(f, "<13>1 - - - - - [x@1 a=\"unclosed"));
        assertEquals(
                "not an RFC 5424 line: the structured data is neither - nor [ at column 17",
                reason(f, "<13>1 - - - - - message without SD"));
        assertEquals(
                "not an RFC 5424 line: the msgid is longer than 32 characters at column 15",
                reason(f, "<13>1 - - - - 0123456789012345678901234567890123 -"));
        assertEquals("not an RFC 5424 line: the line ends in the hostname at column 10", reason(f, "<13>1 - h"));
    }

    // ---- logfmt, json, lines -------------------------------------------------------------------------------------

    @Test
    void logfmt() {
        LogFormat f = Logs.logfmt();
        assertNull(f.schema());
        Row r = f.apply("level=info msg=\"hello \\\"world\\\"\" at=12:00 debug empty= path=/a=b");
        assertEquals(Schema.of("level", "msg", "at", "debug", "empty", "path"), r.schema());
        assertEquals("info", r.value("level"));
        assertEquals("hello \"world\"", r.value("msg"));
        assertEquals("12:00", r.value("at"));
        assertSame(Boolean.TRUE, r.value("debug"));
        assertEquals("", r.value("empty"));
        assertEquals("/a=b", r.value("path"));
        Row again = f.apply("level=warn msg=x at=1 debug empty=y path=z");
        assertSame(r.schema(), again.schema(), "lines with the same keys share a schema");
        Row dup = f.apply("a=1 b=2 a=3");
        assertEquals(Schema.of("a", "b"), dup.schema());
        assertEquals("3", dup.value("a"));
        assertEquals(0, f.apply("   ").size());
        assertEquals("not a logfmt line: the quoted value of msg is not closed at column 5", reason(f, "msg=\"oops"));
        assertEquals("not a logfmt line: a value without a key at column 3", reason(f, "a =b"));
    }

    @Test
    void json() {
        LogFormat f = Logs.json();
        assertNull(f.schema());
        Row r = f.apply("{\"level\":\"info\",\"n\":12,\"ok\":true,\"nested\":{\"a\":[1,2]},\"none\":null}");
        assertEquals(Schema.of("level", "n", "ok", "nested", "none"), r.schema());
        assertEquals("12", r.value("n"));
        assertEquals("true", r.value("ok"));
        assertEquals("{\"a\":[1,2]}", r.value("nested"));
        assertNull(r.value("none"));
        assertEquals("not a JSON object: expected '{' at column 1", reason(f, "[1]"));
    }

    @Test
    void linesAndNames() {
        Row r = Logs.lines().apply("anything at all");
        assertEquals(Schema.of("line"), r.schema());
        assertEquals("anything at all", r.value("line"));
        for (String name : Logs.NAMES) {
            assertEquals(name, Logs.format(name).name());
        }
        assertEquals("syslog", Logs.format("SYSLOG").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Logs.format("nginx"));
        assertEquals(
                "no log format 'nginx'; the formats are combined, common, apache-error, syslog, rfc5424, json, "
                        + "logfmt, lines",
                e.getMessage());
    }

    @Test
    void formatsSerializeAndWorkInAFlow() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(Logs.syslog().withYear(2001));
        }
        LogFormat back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (LogFormat) in.readObject();
        }
        assertEquals(2001, ((LocalDateTime) back.apply("Jan  1 00:00:00 h t: m").value("timestamp")).getYear());
        List<Row> rows = Flow.of("a=1", "b=2").map(Logs.logfmt()).toList();
        assertEquals(2, rows.size());
    }
}
