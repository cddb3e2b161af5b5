package dev.sluice;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Flow#window} cuts a flow of rows into windows of time, to aggregate each with {@link
 * WindowedFlow#groupBy} and {@link GroupedFlow#aggregate}: tumbling, sliding or session windows, on the event time
 * of a column ({@link #on}) or on the run's clock ({@link #processingTime}). Immutable; each method returns a new
 * spec.
 *
 * <pre>{@code
 * Flow<Row> perMinute = logs
 *     .window(Window.tumbling(Duration.ofMinutes(1)).on("time").outOfOrder(Duration.ofSeconds(60)))
 *     .groupBy("status")
 *     .aggregate(Agg.count(), Agg.sum("bytes"));
 * }</pre>
 *
 * <p><b>Event time.</b> The time column holds an {@link java.time.OffsetDateTime}, {@link java.time.ZonedDateTime},
 * {@link java.time.Instant}, {@link java.time.LocalDateTime} (read as UTC), a whole number of epoch milliseconds,
 * or text in one of these forms (ISO 8601, or digits for epoch milliseconds). Time counts in milliseconds; windows
 * are aligned to the epoch (a minute's windows start on the minute, UTC). Each input (the source a row's {@link
 * Row#origin() origin} names; rows without one share one input) has a watermark, the newest event time it has sent
 * minus {@link #outOfOrder}; the stage's watermark is the least of those of inputs that are not {@link #idleAfter
 * idle}, and never goes back. A window {@code [start, end)} fires, one row per key, once the watermark reaches its
 * end, and the end of the input fires every window still open.
 *
 * <p><b>Late records.</b> A fired window is kept for {@link #allowedLateness} more of watermark time; a record for it
 * in that time updates it, and its row is emitted again with {@code update = true}. A record whose windows have all
 * closed is late: it is counted ({@link StageSummary#late()}), written to {@link #lateTo} if given, and set aside like
 * a rejected record (in {@link RunSummary#rejected()} and the dead letters, with a reason naming its time, the
 * watermark and the window), whatever the error policy, and never failing the run.
 */
public final class Window implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The shape of the windows. */
    public enum Kind {
        /** Windows of one size, one after another: each record in exactly one. */
        TUMBLING,
        /** Windows of one size starting every slide: each record in {@code size / slide} of them. */
        SLIDING,
        /** Per key, records no more than a gap apart; a session closes after a gap without records. */
        SESSION
    }

    private final Kind kind;
    private final Duration size;
    private final Duration slide;
    private final String timeColumn;
    private final boolean processingTime;
    private final Duration outOfOrder;
    private final Duration idleAfter;
    private final Duration allowedLateness;

    @SuppressWarnings("serial") // a sink is serializable
    private final Sink<? super Row> lateTo;

    private Window(
            Kind kind,
            Duration size,
            Duration slide,
            String timeColumn,
            boolean processingTime,
            Duration outOfOrder,
            Duration idleAfter,
            Duration allowedLateness,
            Sink<? super Row> lateTo) {
        this.kind = kind;
        this.size = size;
        this.slide = slide;
        this.timeColumn = timeColumn;
        this.processingTime = processingTime;
        this.outOfOrder = outOfOrder;
        this.idleAfter = idleAfter;
        this.allowedLateness = allowedLateness;
        this.lateTo = lateTo;
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.toMillis() < 1) {
            throw new IllegalArgumentException(what + " must be at least 1 ms, was " + d);
        }
        return d;
    }

    private static Duration notNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        return d;
    }

    /** Windows of {@code size}, one after another, aligned to the epoch: {@code [0, size), [size, 2 size), ...}. */
    public static Window tumbling(Duration size) {
        positive(size, "a window's size");
        return new Window(Kind.TUMBLING, size, size, null, false, Duration.ZERO, null, Duration.ZERO, null);
    }

    /**
     * Windows of {@code size} starting every {@code slide} (aligned to the epoch): each record belongs to every window
     * that contains it, {@code size / slide} of them when the slide divides the size (else the floor or the ceiling of
     * that). The slide must not exceed the size, so no record falls between windows.
     */
    public static Window sliding(Duration size, Duration slide) {
        positive(size, "a window's size");
        positive(slide, "a window's slide");
        if (slide.compareTo(size) > 0) {
            throw new IllegalArgumentException("a sliding window's slide (" + slide + ") must not exceed its size ("
                    + size + "), or records between windows would belong to none");
        }
        return new Window(Kind.SLIDING, size, slide, null, false, Duration.ZERO, null, Duration.ZERO, null);
    }

    /**
     * Session windows, per key: a record starts a session {@code [t, t + gap)}, and a record that falls inside a
     * session extends it to its own time plus the gap (a record that bridges two sessions merges them). A session
     * closes once the watermark reaches its last record's time plus the gap, and its state is freed then (after the
     * allowed lateness).
     */
    public static Window session(Duration gap) {
        positive(gap, "a session's gap");
        return new Window(Kind.SESSION, gap, gap, null, false, Duration.ZERO, null, Duration.ZERO, null);
    }

    /** Windows by the event time in column {@code timeColumn} (see the class comment for the types it may hold). */
    public Window on(String timeColumn) {
        if (timeColumn == null || timeColumn.isBlank()) {
            throw new IllegalArgumentException("a time column's name must not be blank");
        }
        if (processingTime) {
            throw new IllegalStateException("on(\"" + timeColumn + "\") and processingTime() exclude each other");
        }
        return new Window(kind, size, slide, timeColumn, false, outOfOrder, idleAfter, allowedLateness, lateTo);
    }

    /**
     * Windows by processing time instead of a column: a record's time is when it reaches the stage, by the run's
     * {@link Clock}, and windows fire on that clock's time even while the source is silent (in virtual time under a
     * {@link VirtualClock}). No record is ever late. Window bounds are {@link java.time.Instant}s: under the system
     * clock the wall-clock time (the wall clock at the start of the run plus the run's clock since); under any other
     * clock {@code Instant.EPOCH} plus its {@link Clock#nanoTime()}.
     */
    public Window processingTime() {
        if (timeColumn != null) {
            throw new IllegalStateException("on(\"" + timeColumn + "\") and processingTime() exclude each other");
        }
        return new Window(kind, size, slide, null, true, outOfOrder, idleAfter, allowedLateness, lateTo);
    }

    /**
     * Bounded out-of-orderness: an input's watermark is the newest event time it has sent minus {@code delay}, so
     * records up to {@code delay} older than the newest still count in their windows. Default zero.
     */
    public Window outOfOrder(Duration delay) {
        notNegative(delay, "out-of-orderness");
        return new Window(kind, size, slide, timeColumn, processingTime, delay, idleAfter, allowedLateness, lateTo);
    }

    /**
     * An input that sends nothing for {@code timeout} of the run's clock is idle: it stops holding the watermark back
     * until it sends again (like Flink's {@code withIdleness}). Unlike Flink, when every input is idle event time is
     * taken to move on with the run's clock: the watermark becomes the greatest input watermark plus the time since
     * the last record arrived, so a stream that falls silent still closes its last windows. Without it an input
     * holds the watermark back for as long as it is silent, and inputs read one after another ({@link Flow#concat})
     * hold it at the end of the first until the run ends: give a timeout there.
     */
    public Window idleAfter(Duration timeout) {
        positive(timeout, "an idleness timeout");
        return new Window(kind, size, slide, timeColumn, processingTime, outOfOrder, timeout, allowedLateness, lateTo);
    }

    /**
     * How long, in watermark time, a fired window is kept: a record for it in that time updates it, and its row is
     * emitted again, complete, with {@code update = true}. Default zero: a record for a fired window is late.
     */
    public Window allowedLateness(Duration lateness) {
        notNegative(lateness, "allowed lateness");
        return new Window(kind, size, slide, timeColumn, processingTime, outOfOrder, idleAfter, lateness, lateTo);
    }

    /** Also writes each late record, as it was, to {@code sink} (a side output). */
    public Window lateTo(Sink<? super Row> sink) {
        Objects.requireNonNull(sink, "sink");
        return new Window(kind, size, slide, timeColumn, processingTime, outOfOrder, idleAfter, allowedLateness, sink);
    }

    /** The shape of the windows. */
    public Kind kind() {
        return kind;
    }

    /** The windows' size; a session's gap. */
    public Duration size() {
        return size;
    }

    /** How far apart windows start: the size for tumbling windows and the gap for sessions. */
    public Duration slide() {
        return slide;
    }

    /** The event-time column, or null for processing time (or a spec not yet given one). */
    public String timeColumn() {
        return timeColumn;
    }

    /** Whether windows follow the run's clock. */
    public boolean isProcessingTime() {
        return processingTime;
    }

    /** The bounded out-of-orderness. */
    public Duration outOfOrder() {
        return outOfOrder;
    }

    /** The idleness timeout, or null for none. */
    public Duration idleAfter() {
        return idleAfter;
    }

    /** The allowed lateness. */
    public Duration allowedLateness() {
        return allowedLateness;
    }

    /** The side output for late records, or null. */
    public Sink<? super Row> lateTo() {
        return lateTo;
    }

    /** Checks that the spec is complete and consistent, before it becomes a stage. */
    void check() {
        if (timeColumn == null && !processingTime) {
            throw new IllegalArgumentException(
                    "a window needs its time: on(\"time column\") for event time, or processingTime()");
        }
        if (processingTime
                && (!outOfOrder.isZero() || idleAfter != null || !allowedLateness.isZero() || lateTo != null)) {
            throw new IllegalArgumentException("processing-time windows have no late records: outOfOrder, idleAfter, "
                    + "allowedLateness and lateTo apply to event time (on(\"column\"))");
        }
    }

    /** {@code tumbling(PT1M) on time, out of order PT1M, idle after PT5S, lateness PT10M, late to csv(late.csv)}. */
    @Override
    public String toString() {
        String shape = switch (kind) {
            case TUMBLING -> "tumbling(" + size + ")";
            case SLIDING -> "sliding(" + size + ", " + slide + ")";
            case SESSION -> "session(" + size + ")";
        };
        List<String> parts = new ArrayList<>();
        parts.add(shape + (processingTime ? " on processing time" : timeColumn == null ? "" : " on " + timeColumn));
        if (!outOfOrder.isZero()) {
            parts.add("out of order " + outOfOrder);
        }
        if (idleAfter != null) {
            parts.add("idle after " + idleAfter);
        }
        if (!allowedLateness.isZero()) {
            parts.add("lateness " + allowedLateness);
        }
        if (lateTo != null) {
            parts.add("late to " + lateTo.name());
        }
        return String.join(", ", parts);
    }
}
