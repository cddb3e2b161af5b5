package dev.sluice.examples;

import dev.sluice.ErrorPolicy;
import dev.sluice.Flow;
import dev.sluice.RunSummary;
import dev.sluice.Sinks;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seeds' log-processing chain: a generator of lines, a parse step, a transform step, each yielding to the
 * next — here over a real Apache combined-format access log. Lines that do not parse are not lost: the run's error
 * policy counts them and sends them, with file, line and reason, to a dead-letter sink.
 *
 * <pre>
 * lines  = (line for line in open("access.log"))
 * parsed = (parse(line) for line in lines)
 * big    = (r for r in parsed if r.bytes > 100_000)
 * </pre>
 */
public final class LogProcessing {
    private LogProcessing() {}

    /** One parsed access-log line. */
    public record Access(
            String ip,
            OffsetDateTime time,
            String method,
            String path,
            int status,
            long bytes,
            String referrer,
            String userAgent) {}

    private static final Pattern COMBINED = Pattern.compile(
            "^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] \"(\\S+) (\\S+)(?: [^\"]*)?\" (\\d{3}) (\\d+|-) \"([^\"]*)\" \"([^\"]*)\"$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    /** Parses one combined-format line; throws with the reason if it does not match. */
    public static Access parse(String line) {
        Matcher m = COMBINED.matcher(line);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a combined-format access-log line");
        }
        long bytes = m.group(6).equals("-") ? 0 : Long.parseLong(m.group(6));
        return new Access(
                m.group(1),
                OffsetDateTime.parse(m.group(2), TIME),
                m.group(3),
                m.group(4),
                Integer.parseInt(m.group(5)),
                bytes,
                m.group(7),
                m.group(8));
    }

    /** The chain: lines, parsed, as a flow; bad lines are handled by {@code policy}. */
    public static Flow<Access> accesses(Path log, ErrorPolicy policy) {
        return Flow.lines(log).map(LogProcessing::parse).named("parse").onError(policy);
    }

    /** Requests per status code; bad lines are skipped and counted in the returned summary's rejections. */
    public static Map<Integer, Long> statusCounts(Path log, RunSummary[] summary) {
        Map<Integer, Long> counts = new TreeMap<>();
        summary[0] = accesses(log, ErrorPolicy.skip(100)).forEach(a -> counts.merge(a.status(), 1L, Long::sum));
        return counts;
    }

    /** Paths of responses over {@code minBytes}, a transform step after the parse step. */
    public static Flow<String> bigResponses(Path log, long minBytes) {
        return accesses(log, ErrorPolicy.skip())
                .filter(a -> a.bytes() > minBytes)
                .named("big")
                .map(a -> a.time().toLocalDate() + " " + a.path() + " " + a.bytes())
                .named("render");
    }

    /** One line of an Apache httpd error log: {@code [Sun Dec 04 04:47:44 2005] [notice] text}. */
    public record ErrorLine(String time, String level, String content) {}

    private static final Pattern ERROR_LOG = Pattern.compile("^\\[([^\\]]+)\\] \\[(\\w+)\\] (.*)$");

    /** Parses one Apache error-log line; throws with the reason if it does not match. */
    public static ErrorLine parseErrorLine(String line) {
        Matcher m = ERROR_LOG.matcher(line);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an Apache error-log line");
        }
        return new ErrorLine(m.group(1), m.group(2), m.group(3));
    }

    /** {@code LogProcessing [ACCESS_LOG]}; by default the real Apache access log in {@code ../shared/data}. */
    public static void main(String[] args) {
        Path log = Path.of(args.length > 0 ? args[0] : "../shared/data/logs/apache-access/apache_logs");
        if (!java.nio.file.Files.isRegularFile(log)) {
            System.err.println("usage: LogProcessing ACCESS_LOG (an Apache access log in the combined format); " + log
                    + " is not a file");
            System.exit(2);
        }
        RunSummary[] s = new RunSummary[1];
        System.out.println(statusCounts(log, s));
        System.out.println(s[0]);
        bigResponses(log, 1_000_000)
                .limit(5)
                .to(Sinks.collect(new java.util.ArrayList<>()))
                .run();
    }
}
