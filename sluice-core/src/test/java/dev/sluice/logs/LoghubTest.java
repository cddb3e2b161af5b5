package dev.sluice.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.csv.Csv;
import dev.sluice.testdata.SharedData;
import dev.sluice.text.Text;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The LogPAI loghub 2k samples in ../shared/data/logs/loghub: every line of the Linux syslog and the Apache error log
 * parses to the fields of the structured CSV that comes with it.
 */
class LoghubTest {

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * The CSV's Content is stripped of surrounding spaces; our message keeps them (some Linux lines end in spaces, and
     * {@code kernel:  BIOS-e820...} has two spaces after the tag, of which we drop one, as rsyslog's
     * remove.msgFirstSpace does).
     */
    private static String stripTrailing(String s) {
        return s == null ? null : s.strip();
    }

    @Test
    void linuxSyslog() {
        List<String> lines = Flow.from(Text.lines(SharedData.path("logs/loghub/Linux/Linux_2k.log")))
                .toList();
        List<Row> expected = Flow.from(Csv.read(SharedData.path("logs/loghub/Linux/Linux_2k.log_structured.csv")))
                .toList();
        assertEquals(2000, lines.size());
        assertEquals(2000, expected.size());
        LogFormat syslog = Logs.syslog().withYear(2005);
        List<Integer> deviations = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Row r = syslog.apply(lines.get(i));
            Row e = expected.get(i);
            String where = "line " + (i + 1) + ": " + lines.get(i);
            LocalDateTime t = (LocalDateTime) r.value("timestamp");
            assertEquals(e.get("Month"), t.format(DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH)), where);
            assertEquals(Integer.parseInt(e.get("Date")), t.getDayOfMonth(), where);
            assertEquals(e.get("Time"), t.format(DateTimeFormatter.ofPattern("HH:mm:ss")), where);
            assertEquals(2005, t.getYear());
            assertEquals(e.get("Level"), r.get("hostname"), where);
            if (!Objects.equals(e.get("Component"), r.get("appname"))
                    || !Objects.equals(emptyToNull(e.get("PID")), r.get("procid"))
                    || !Objects.equals(e.get("Content"), stripTrailing(r.get("message")))) {
                // loghub's tag is everything up to the colon; rsyslog's (and ours) ends at a space. The text after
                // the host name is the same, split differently.
                deviations.add(i + 1);
                String loghub = e.get("Component") + (e.get("PID").isEmpty() ? "" : "[" + e.get("PID") + "]") + ": "
                        + e.get("Content");
                String ours = (r.get("tag") == null ? "" : r.get("tag") + " ") + stripTrailing(r.get("message"));
                assertEquals(loghub, ours, where);
            }
            assertEquals(13, r.value("priority"), "no PRI is user.notice");
            assertEquals("user", r.get("facility"));
            assertEquals("notice", r.get("severity"));
        }
        // "combo syslogd 1.4.1: restart." (7 times): loghub's component is "syslogd 1.4.1", ours (as rsyslog's
        // programname) is "syslogd" with the message "1.4.1: restart."; "combo  -- root[2421]: ROOT LOGIN ON tty2"
        // (two spaces after the host): loghub's component is "-- root", rsyslog finds no tag.
        assertEquals(List.of(146, 374, 714, 899, 1086, 1364, 1754, 1908), deviations);
    }

    @Test
    void apacheErrorLog() {
        List<String> lines = Flow.from(Text.lines(SharedData.path("logs/loghub/Apache/Apache_2k.log")))
                .toList();
        List<Row> expected = Flow.from(Csv.read(SharedData.path("logs/loghub/Apache/Apache_2k.log_structured.csv")))
                .toList();
        assertEquals(2000, lines.size());
        assertEquals(2000, expected.size());
        LogFormat errors = Logs.apacheError();
        DateTimeFormatter time = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ENGLISH);
        int clients = 0;
        for (int i = 0; i < lines.size(); i++) {
            Row r = errors.apply(lines.get(i));
            Row e = expected.get(i);
            String where = "line " + (i + 1) + ": " + lines.get(i);
            assertEquals(e.get("Time"), ((LocalDateTime) r.value("time")).format(time), where);
            assertEquals(e.get("Level"), r.get("level"), where);
            assertEquals(null, r.get("module"), where);
            assertEquals(null, r.value("pid"), where);
            String client = r.get("client");
            if (client != null) {
                clients++;
            }
            // loghub keeps "[client 1.2.3.4] " in Content; we give the client a field of its own
            assertEquals(
                    e.get("Content"), (client == null ? "" : "[client " + client + "] ") + r.get("message"), where);
        }
        assertEquals(32, clients);
    }
}
