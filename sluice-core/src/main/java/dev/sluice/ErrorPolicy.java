package dev.sluice;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a run does with a bad record: a record a source cannot read, or one on which a stage's function throws.
 *
 * <ul>
 *   <li>{@link #fail()} (the default): the run stops with a {@link StageException} or {@link DataException}
 *       naming the stage, the record and where it came from.
 *   <li>{@link #skip(long)}: the record is dropped and counted in the {@link RunSummary}; past the limit, the run
 *       fails.
 *   <li>{@link #deadLetter(Sink)}: like skip, and each {@link Rejected} record (reason, stage, file, line, raw
 *       text) is written to a sink.
 * </ul>
 *
 * <p>Nothing is dropped silently: every rejection is counted, and the summary keeps the first few. Records that a
 * source was configured to skip (e.g. ragged rows under {@link dev.sluice.csv.RaggedPolicy#SKIP}) are counted and
 * dead-lettered too, but never count toward a limit and never fail the run.
 */
public final class ErrorPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The policy's kind. */
    public enum Mode {
        FAIL,
        SKIP,
        DEAD_LETTER
    }

    private static final ErrorPolicy FAIL = new ErrorPolicy(Mode.FAIL, 0, null);

    private final Mode mode;
    private final long maxRejected;
    private final Sink<Rejected> deadLetters;

    private ErrorPolicy(Mode mode, long maxRejected, Sink<Rejected> deadLetters) {
        this.mode = mode;
        this.maxRejected = maxRejected;
        this.deadLetters = deadLetters;
    }

    /** Fail the run on the first bad record. The default. */
    public static ErrorPolicy fail() {
        return FAIL;
    }

    /** Skip bad records, however many; each is counted in the summary. */
    public static ErrorPolicy skip() {
        return new ErrorPolicy(Mode.SKIP, Long.MAX_VALUE, null);
    }

    /**
     * Skip up to {@code maxRejected} bad records; the next one fails the run.
     *
     * @param maxRejected how many records may be rejected, at least 0
     */
    public static ErrorPolicy skip(long maxRejected) {
        return new ErrorPolicy(Mode.SKIP, checkLimit(maxRejected), null);
    }

    /** Send every bad record, with the reason, to {@code sink}; the run goes on. */
    public static ErrorPolicy deadLetter(Sink<Rejected> sink) {
        return new ErrorPolicy(Mode.DEAD_LETTER, Long.MAX_VALUE, Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Write every bad record to a CSV file with columns {@code stage,record,source,line,reason,raw}. The file is
     * written even when the run fails, and is created only if a record is rejected.
     */
    public static ErrorPolicy deadLetter(Path csvFile) {
        return deadLetter(Sinks.deadLetterCsv(csvFile));
    }

    /** This policy, but failing the run once more than {@code maxRejected} records have been rejected. */
    public ErrorPolicy withLimit(long maxRejected) {
        if (mode == Mode.FAIL) {
            throw new IllegalStateException("a limit applies to skip and dead-letter policies, not to fail");
        }
        return new ErrorPolicy(mode, checkLimit(maxRejected), deadLetters);
    }

    private static long checkLimit(long maxRejected) {
        if (maxRejected < 0) {
            throw new IllegalArgumentException("maxRejected must be at least 0, was " + maxRejected);
        }
        return maxRejected;
    }

    public Mode mode() {
        return mode;
    }

    /** How many records may be rejected before the run fails (Long.MAX_VALUE: no limit). */
    public long maxRejected() {
        return maxRejected;
    }

    /** The dead-letter sink, or null. */
    public Sink<Rejected> deadLetters() {
        return deadLetters;
    }

    @Override
    public String toString() {
        switch (mode) {
            case FAIL:
                return "fail";
            case SKIP:
                return maxRejected == Long.MAX_VALUE ? "skip" : "skip(max " + maxRejected + ")";
            default:
                return "dead-letter(" + deadLetters.name()
                        + (maxRejected == Long.MAX_VALUE ? "" : ", max " + maxRejected) + ")";
        }
    }
}
