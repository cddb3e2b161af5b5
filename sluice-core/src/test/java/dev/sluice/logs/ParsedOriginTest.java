package dev.sluice.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.Agg;
import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.Window;
import dev.sluice.text.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parsed line's row knows where it was read (file and line), also in a timed plan whose source is read ahead on a
 * thread of its own, so windows keep a watermark per input file.
 */
class ParsedOriginTest {
    @TempDir
    Path dir;

    private static String line(int minute, int second, int status) {
        return String.format(
                "10.0.0.1 - - [17/May/2015:10:%02d:%02d +0000] \"GET / HTTP/1.1\" %d 12 \"-\" \"t\"\n",
                minute, second, status);
    }

    @Test
    void rowsCarryTheirFileAndLineThroughAWindowedPlan() throws Exception {
        Path a = dir.resolve("a.log");
        Path b = dir.resolve("b.log");
        Files.writeString(a, line(0, 1, 200) + line(0, 2, 404) + line(1, 1, 200));
        Files.writeString(b, line(0, 3, 200) + line(2, 0, 500));
        List<String> origins = Collections.synchronizedList(new ArrayList<>());
        List<Row> windows = new ArrayList<>();
        dev.sluice.RunSummary s = Flow.from(
                        Follow.files(dir.resolve("*.log").toString()).once())
                .map(Logs.combined())
                .peek(r -> origins.add(Path.of(r.origin().source()).getFileName() + ":"
                        + r.origin().line()))
                .window(Window.tumbling(Duration.ofMinutes(1)).on("time"))
                .groupBy("status")
                .aggregate(Agg.count())
                .to(dev.sluice.Sinks.collect(windows))
                .run();
        Collections.sort(origins);
        assertEquals(List.of("a.log:1", "a.log:2", "a.log:3", "b.log:1", "b.log:2"), origins);
        // each file has a watermark of its own; a record behind the stage's watermark is counted late, not lost
        long total = windows.stream()
                .mapToLong(r -> ((Number) r.value("count")).longValue())
                .sum();
        assertEquals(5, total + s.late(), windows + " " + s);
    }

    @Test
    void aLineThatDoesNotParseIsNamedByItsFileAndLine() throws Exception {
        Path a = dir.resolve("a.log");
        Files.writeString(a, line(0, 1, 200) + "garbage\n");
        List<dev.sluice.Rejected> dead = new ArrayList<>();
        Flow.from(Text.lines(a))
                .map(Logs.combined())
                .onError(dev.sluice.ErrorPolicy.deadLetter(dev.sluice.Sinks.collect(dead)))
                .toList();
        assertEquals(1, dead.size());
        assertEquals(2, dead.get(0).line());
    }
}
