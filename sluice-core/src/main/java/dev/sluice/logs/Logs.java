package dev.sluice.logs;

import java.util.List;
import java.util.Locale;

/**
 * Parsers of common log formats, each a {@link LogFormat}: a function from a line to a row of typed fields.
 *
 * <pre>{@code
 * Flow.from(Text.lines(Path.of("access.log")))
 *     .map(Logs.combined())
 *     .filter(r -> r.getInt("status") == 404)
 *     .to(Csv.write(Path.of("not-found.csv")));
 * }</pre>
 *
 * <p>Absent values ({@code -} in most formats) are null. Numbers are {@code Integer} or {@code Long}, times are
 * {@code java.time} values. The parsers are hand-written scanners, not regular expressions. See
 * {@link dev.sluice.logs the package documentation} for every format's fields.
 */
public final class Logs {
    /** The names {@link #format} takes. */
    public static final List<String> NAMES =
            List.of("combined", "common", "apache-error", "syslog", "rfc5424", "json", "logfmt", "lines");

    private Logs() {}

    /**
     * The Apache/Nginx combined access log: {@code client ident user [time] "request" status bytes "referrer"
     * "agent"}. Fields: client, ident, user, time (OffsetDateTime), method, path, protocol, request, status (Integer),
     * bytes (Long), referrer, agent.
     */
    public static LogFormat combined() {
        return new LogFormat("combined", new AccessLogParser(true));
    }

    /**
     * The Apache/Nginx common access log: {@code client ident user [time] "request" status bytes}. Fields: client,
     * ident, user, time (OffsetDateTime), method, path, protocol, request, status (Integer), bytes (Long).
     */
    public static LogFormat common() {
        return new LogFormat("common", new AccessLogParser(false));
    }

    /**
     * The Apache httpd error log, 2.2 and 2.4 styles. Fields: time (LocalDateTime), module, level, pid (Integer), tid
     * (Long), client, message.
     */
    public static LogFormat apacheError() {
        return new LogFormat("apache-error", new ApacheErrorParser());
    }

    /**
     * Syslog as rsyslog reads it: RFC 3164 with rsyslog's leniencies, and RFC 5424 lines (detected by the version
     * {@code 1} after the PRI). Fields: priority (Integer), facility, severity, timestamp (LocalDateTime for RFC 3164,
     * OffsetDateTime for RFC 3339 timestamps), hostname, appname, procid, msgid, structureddata, tag, message. The
     * year of RFC 3164 timestamps is inferred from the current date; see {@link LogFormat#withYear} and
     * {@link LogFormat#withReference}.
     */
    public static LogFormat syslog() {
        return new LogFormat("syslog", new SyslogParser(0, null));
    }

    /**
     * Strict RFC 5424. Fields: priority (Integer), facility, severity, version (Integer), timestamp (OffsetDateTime),
     * hostname, appname, procid, msgid, structureddata (the text), sdparams (a {@code Map<String, Map<String,
     * String>>} from SD-ID to parameters, unescaped), message (a leading BOM removed).
     */
    public static LogFormat rfc5424() {
        return new LogFormat("rfc5424", new Rfc5424Parser());
    }

    /**
     * logfmt: {@code key=value key="quoted \" value" flag}. One field per key, in order; values are strings, a key
     * without a value is {@code Boolean.TRUE}.
     */
    public static LogFormat logfmt() {
        return new LogFormat("logfmt", new LogfmtParser());
    }

    /**
     * One JSON object a line, read as {@link dev.sluice.json.JsonLines} reads it: one field per key, values as text
     * (numbers and booleans as their JSON text, nested objects and arrays as JSON), {@code null} as absent.
     */
    public static LogFormat json() {
        return new LogFormat("json", new JsonLogParser());
    }

    /** Any line, as a row with one field, {@code line}. */
    public static LogFormat lines() {
        return new LogFormat("lines", new LinesParser());
    }

    /**
     * The format called {@code name}: one of {@link #NAMES} (as the command line takes them), in any case.
     *
     * @throws IllegalArgumentException if there is no such format; the message lists the names
     */
    public static LogFormat format(String name) {
        switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "combined":
                return combined();
            case "common":
                return common();
            case "apache-error":
                return apacheError();
            case "syslog":
                return syslog();
            case "rfc5424":
                return rfc5424();
            case "json":
                return json();
            case "logfmt":
                return logfmt();
            case "lines":
                return lines();
            default:
                throw new IllegalArgumentException(
                        "no log format '" + name + "'; the formats are " + String.join(", ", NAMES));
        }
    }
}
