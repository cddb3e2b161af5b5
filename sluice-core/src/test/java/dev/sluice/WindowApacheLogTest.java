package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testdata.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Windows over a real Apache combined log (../shared/data/logs/apache-access/apache_logs: 10,000 lines, out of
 * order by up to about a minute), each checked against a reference computed independently in plain Java.
 */
class WindowApacheLogTest {
    private static final Pattern LINE = Pattern.compile("^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] \"[^\"]*\" (\\d{3}) ");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final Schema SCHEMA = Schema.of("time", "status", "client");
    private static final long MINUTE = 60_000;

    /** One parsed line, for the references. */
    record Hit(long millis, int status, String client) {}

    private static Path logs() {
        return SharedData.path("logs/apache-access/apache_logs");
    }

    private static Row parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("not a combined log line: " + line);
        }
        return Row.of(
                SCHEMA,
                new Object[] {OffsetDateTime.parse(m.group(2), TIME), Integer.valueOf(m.group(3)), m.group(1)},
                null);
    }

    private static Flow<Row> rows() {
        return Flow.lines(logs()).map(WindowApacheLogTest::parse);
    }

    private static List<Hit> hits() throws Exception {
        List<Hit> hits = new ArrayList<>();
        for (String line : Files.readAllLines(logs(), StandardCharsets.UTF_8)) {
            Row r = parse(line);
            hits.add(new Hit(
                    ((OffsetDateTime) r.value("time")).toInstant().toEpochMilli(), (Integer) r.value("status"), (String)
                            r.value("client")));
        }
        return hits;
    }

    private static long millis(Object time) {
        return ((OffsetDateTime) time).toInstant().toEpochMilli();
    }

    private record Run(List<Row> out, RunSummary summary) {}

    private static Run run(Flow<Row> flow) {
        List<Row> out = new ArrayList<>();
        RunSummary s = flow.to(Sinks.collect(out)).run();
        return new Run(out, s);
    }

    @Test
    void tumblingMinuteCountsPerStatusEqualAGroupByOverTheSortedFile() throws Exception {
        List<Hit> hits = hits();
        assertEquals(10_000, hits.size());
        // the reference: GROUP BY (minute, status) over the file sorted by time
        List<Hit> sorted = new ArrayList<>(hits);
        sorted.sort(Comparator.comparingLong(Hit::millis));
        Map<String, Long> expected = new HashMap<>();
        for (Hit h : sorted) {
            expected.merge(Math.floorDiv(h.millis(), MINUTE) * MINUTE + "/" + h.status(), 1L, Long::sum);
        }

        Run r = run(
                rows().window(Window.tumbling(Duration.ofMinutes(1)).on("time").outOfOrder(Duration.ofSeconds(60)))
                        .groupBy("status")
                        .aggregate(Agg.count()));
        Map<String, Long> got = new HashMap<>();
        long previousEnd = Long.MIN_VALUE;
        for (Row row : r.out()) {
            long start = millis(row.value("window_start"));
            long end = millis(row.value("window_end"));
            assertEquals(MINUTE, end - start);
            assertTrue(end >= previousEnd, "windows leave in order of their end");
            previousEnd = end;
            assertEquals(Boolean.FALSE, row.value("update"));
            assertEquals(java.time.ZoneOffset.UTC, ((OffsetDateTime) row.value("window_start")).getOffset());
            assertEquals(null, got.put(start + "/" + row.value("status"), (Long) row.value("count")));
        }
        assertEquals(expected, got);
        assertEquals(0, r.summary().late());
        assertEquals(0, r.summary().rejected());
        assertEquals(
                List.of("window_start", "window_end", "status", "count", "update"),
                r.out().get(0).schema().names());
    }

    /**
     * The file is in order by the minute (only the seconds within a minute are shuffled), so with 1-minute windows no
     * record is ever late, even with 10 s of out-of-orderness; with 10-second windows thousands are.
     */
    @Test
    void withTenSecondsOfOutOfOrdernessTheLateRecordsAreCountedExactly() throws Exception {
        List<Hit> hits = hits();
        assertEquals(0, lateWithTenSeconds(hits, 60_000));
        assertTrue(lateWithTenSeconds(hits, 10_000) > 1000, "10-second windows close before their stragglers come");
    }

    private static long lateWithTenSeconds(List<Hit> hits, long size) {
        // the reference: a record is late when its window's end is at or behind the watermark when it arrives (the
        // newest time before it minus 10 s); the others are grouped by (window, status)
        long newest = Long.MIN_VALUE;
        long lateCount = 0;
        Map<String, Long> onTime = new HashMap<>();
        List<Hit> lateHits = new ArrayList<>();
        for (Hit h : hits) {
            long start = Math.floorDiv(h.millis(), size) * size;
            boolean late = newest != Long.MIN_VALUE && start + size <= newest - 10_000;
            if (late) {
                lateCount++;
                lateHits.add(h);
            } else {
                onTime.merge(start + "/" + h.status(), 1L, Long::sum);
            }
            newest = Math.max(newest, h.millis());
        }

        List<Row> lateRows = Collections.synchronizedList(new ArrayList<>());
        Run r = run(rows().window(Window.tumbling(Duration.ofMillis(size))
                        .on("time")
                        .outOfOrder(Duration.ofSeconds(10))
                        .lateTo(Sinks.collect(lateRows)))
                .groupBy("status")
                .count());
        long counted = 0;
        Map<String, Long> got = new HashMap<>();
        for (Row row : r.out()) {
            counted += (Long) row.value("count");
            got.put(millis(row.value("window_start")) + "/" + row.value("status"), (Long) row.value("count"));
        }
        assertEquals(lateCount, r.summary().late());
        assertEquals(lateCount, r.summary().stage("window").late());
        assertEquals(lateCount, r.summary().rejected(), "late records are set aside like rejected ones");
        assertEquals(10_000, counted + r.summary().late(), "every record is counted once: on time or late");
        assertEquals(onTime, got);
        List<Hit> sideOutput = new ArrayList<>();
        for (Row row : lateRows) {
            sideOutput.add(new Hit(millis(row.value("time")), (Integer) row.value("status"), row.get("client")));
        }
        assertEquals(lateHits, sideOutput, "the side output holds exactly the late records, in order");
        if (lateCount > 0) {
            Rejected first = r.summary().firstRejections().get(0);
            assertTrue(
                    first.reason()
                            .matches("late: event time \\S+Z is \\d+ s behind the watermark \\S+Z; "
                                    + "window \\[\\S+Z, \\S+Z\\) closed"),
                    first.reason());
            assertTrue(r.summary().toString().contains("late"), r.summary().toString());
        }
        return lateCount;
    }

    @Test
    void slidingFiveMinuteWindowsEveryMinuteHoldEachRecordFiveTimes() throws Exception {
        List<Hit> hits = hits();
        Map<Long, Long> expected = new HashMap<>();
        for (Hit h : hits) {
            long last = Math.floorDiv(h.millis(), MINUTE) * MINUTE;
            for (int i = 0; i < 5; i++) {
                expected.merge(last - i * MINUTE, 1L, Long::sum);
            }
        }
        Run r = run(rows().window(Window.sliding(Duration.ofMinutes(5), Duration.ofMinutes(1))
                        .on("time")
                        .outOfOrder(Duration.ofSeconds(60)))
                .aggregate(Agg.count()));
        long sum = 0;
        Map<Long, Long> got = new HashMap<>();
        for (Row row : r.out()) {
            sum += (Long) row.value("count");
            assertEquals(5 * MINUTE, millis(row.value("window_end")) - millis(row.value("window_start")));
            got.put(millis(row.value("window_start")), (Long) row.value("count"));
        }
        assertEquals(5L * 10_000, sum);
        assertEquals(expected, got);
        assertEquals(0, r.summary().late());
    }

    @Test
    void sessionsPerClientEqualAReferenceSessionization() throws Exception {
        List<Hit> hits = hits();
        long gap = 30 * MINUTE;
        // the reference: sort by (client, time); a session ends where the next request is 30 min or more later
        List<Hit> sorted = new ArrayList<>(hits);
        sorted.sort(Comparator.comparing(Hit::client).thenComparingLong(Hit::millis));
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size()
                    && sorted.get(j + 1).client().equals(sorted.get(i).client())
                    && sorted.get(j + 1).millis() - sorted.get(j).millis() < gap) {
                j++;
            }
            expected.add(sorted.get(i).client() + " " + sorted.get(i).millis() + " "
                    + (sorted.get(j).millis() + gap) + " " + (j - i + 1));
            i = j + 1;
        }
        Run r = run(
                rows().window(Window.session(Duration.ofMinutes(30)).on("time").outOfOrder(Duration.ofSeconds(60)))
                        .groupBy("client")
                        .aggregate(Agg.count()));
        Set<String> got = new HashSet<>();
        for (Row row : r.out()) {
            assertEquals(Boolean.FALSE, row.value("update"));
            assertTrue(got.add(row.value("client") + " " + millis(row.value("window_start")) + " "
                    + millis(row.value("window_end")) + " " + row.value("count")));
        }
        assertEquals(expected.size(), got.size());
        assertEquals(expected, got);
        assertEquals(0, r.summary().late());
    }
}
