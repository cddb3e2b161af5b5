package dev.sluice.logs;

import dev.sluice.DataException;
import dev.sluice.Row;
import dev.sluice.Schema;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * A log format: a function from one log line to a {@link Row} of its fields, made by {@link Logs}.
 *
 * <pre>{@code
 * Flow.from(Text.lines(Path.of("access.log"))).map(Logs.combined()).filter(r -> r.getInt("status") >= 500);
 * }</pre>
 *
 * <p>A line that is not of the format throws a {@link DataException} with a one-line reason, such as {@code not a
 * combined log line: the request is not quoted at column 37}; the run's error policy then rejects it, naming the file
 * and line. Instances are immutable, serializable and safe to share between threads.
 */
public final class LogFormat implements dev.sluice.fn.LocatedMapFn<String, Row> {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final LineParser parser;

    LogFormat(String name, LineParser parser) {
        this.name = name;
        this.parser = parser;
    }

    /** The format's name, as {@link Logs#format} takes it: {@code combined}, {@code syslog}, ... */
    public String name() {
        return name;
    }

    /**
     * The names of the fields every row of this format has, in order; null for formats whose fields vary from line to
     * line ({@code logfmt}, {@code json}).
     */
    public Schema schema() {
        return parser.schema();
    }

    /**
     * The fields of {@code line}.
     *
     * @throws DataException if the line is not of this format; the message says why and at which column
     */
    @Override
    public Row apply(String line) {
        return parser.parse(Objects.requireNonNull(line, "line"), null);
    }

    /**
     * The fields of {@code line}, read from {@code origin}: the row's {@link Row#origin()}, by which windows keep a
     * watermark per input file and errors name the line. A flow's {@code map(format)} calls this with where the line
     * was read.
     */
    @Override
    public Row apply(String line, dev.sluice.Location origin) {
        return parser.parse(Objects.requireNonNull(line, "line"), origin);
    }

    /**
     * This syslog format with RFC 3164 timestamps (which have no year) put in {@code year}. Timestamps that carry a
     * year keep it.
     *
     * @throws IllegalStateException if this is not the {@code syslog} format
     */
    public LogFormat withYear(int year) {
        if (year < 1 || year > 9999) {
            throw new IllegalArgumentException("year must be 1 to 9999, was " + year);
        }
        return new LogFormat(name, syslog("withYear").withYear(year));
    }

    /**
     * This syslog format with the year of RFC 3164 timestamps inferred relative to {@code reference} instead of the
     * current date: the year that puts the timestamp's date at most 31 days after the reference date and less than 11
     * months before it. A {@code Dec 31} line read on Jan 1 is of the year before.
     *
     * @throws IllegalStateException if this is not the {@code syslog} format
     */
    public LogFormat withReference(ZonedDateTime reference) {
        Objects.requireNonNull(reference, "reference");
        return new LogFormat(name, syslog("withReference").withReference(reference));
    }

    private SyslogParser syslog(String method) {
        if (!(parser instanceof SyslogParser)) {
            throw new IllegalStateException(method + " applies to the syslog format only, not to " + name);
        }
        return (SyslogParser) parser;
    }

    @Override
    public String toString() {
        return "LogFormat(" + name + ")";
    }
}
