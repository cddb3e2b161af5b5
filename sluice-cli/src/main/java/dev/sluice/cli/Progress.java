package dev.sluice.cli;

import dev.sluice.RunListener;
import dev.sluice.RunProgress;
import dev.sluice.RunSummary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One line on the terminal that shows a step's progress and is redrawn in place, never wider than the terminal.
 *
 * <p>Over a file whose size is known it is a bar (percent of bytes, MB, records, records per second, time left);
 * otherwise (a generator, a database query) a spinner with the records so far. When the run finishes, the line is
 * drawn once more with the summary's final counts, so the count left on screen is the true one. A failed run's line
 * is erased, so the error message starts on a clean line. Made by {@link RunOptions}, which makes a silent one when
 * standard error is not a terminal.
 */
final class Progress implements RunListener, AutoCloseable {
    private static final String SPIN = "|/-\\";

    private final String task;
    private final long totalBytes; // -1: unknown, a spinner
    private final PrintWriter err;
    private final int width;
    private final long created = System.nanoTime();
    private volatile RunProgress progress;
    private ScheduledExecutorService timer;
    private int ticks;

    /** A step over {@code input} (null: a spinner), drawn on {@code err} (null: draws nothing). */
    Progress(String task, Path input, PrintWriter err, int width) {
        this.task = task;
        long size = -1;
        try {
            size = input != null && Files.isRegularFile(input) ? Math.max(1, Files.size(input)) : -1;
        } catch (java.io.IOException e) {
            // a spinner then; the run itself reports a missing file
        }
        this.totalBytes = size;
        this.err = err;
        this.width = width;
    }

    /** A spinner for a step without records (e.g. generating a file), shown from now until {@link #close()}. */
    Progress startSpinner() {
        startTimer();
        return this;
    }

    @Override
    public void started(RunProgress p) {
        progress = p;
        startTimer();
    }

    private synchronized void startTimer() {
        if (err == null || timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, 0, 200, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        RunProgress p = progress;
        long nanos = p != null ? p.elapsedNanos() : System.nanoTime() - created;
        draw(p == null ? -1 : p.fraction(), p == null ? -1 : p.recordsIn(), nanos, false);
    }

    @Override
    public void finished(RunSummary summary) {
        if (stop()) {
            draw(1, summary.recordsIn(), summary.elapsed().toNanos(), true);
        }
    }

    @Override
    public void failed(Throwable error) {
        if (stop()) {
            err.print("\r\033[K");
            err.flush();
        }
    }

    /** Ends a spinner: draws it once more as done. */
    @Override
    public void close() {
        if (stop()) {
            draw(1, progress == null ? -1 : progress.recordsIn(), System.nanoTime() - created, true);
        }
    }

    /** Stops the redrawing; true if there was something on screen to finish. */
    private boolean stop() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
            timer = null;
        }
        if (t == null) {
            return false;
        }
        t.shutdownNow();
        try {
            t.awaitTermination(1, TimeUnit.SECONDS); // so a late tick cannot draw over the final line
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private void draw(double fraction, long records, long nanos, boolean last) {
        String line = line(fraction, records, nanos, last);
        err.print("\r" + line + "\033[K" + (last ? System.lineSeparator() : ""));
        err.flush();
    }

    /** The line: fits in {@code width - 1} columns, so it never wraps. */
    String line(double fraction, long records, long nanos, boolean last) {
        double secs = nanos / 1e9;
        String time = String.format(Locale.ROOT, "%d:%02d", (long) secs / 60, (long) secs % 60);
        StringBuilder tail = new StringBuilder();
        if (records >= 0) {
            tail.append(String.format(Locale.ROOT, " %,d records", records));
            if (secs > 0.05) {
                tail.append(String.format(Locale.ROOT, ", %,.0f/s", records / secs));
            }
        }
        tail.append(' ').append(time);
        boolean bar = totalBytes > 0 && fraction >= 0;
        if (bar && !last && fraction > 0.01) {
            tail.append(String.format(Locale.ROOT, ", %.0f s left", secs / fraction - secs));
        }
        int max = width - 1;
        String head;
        if (bar) {
            double f = Math.min(1, fraction);
            double mb = totalBytes / 1e6; // MB, as everywhere in the command's output
            head = String.format(Locale.ROOT, "%s %3.0f%%", task, f * 100);
            String size = String.format(Locale.ROOT, mb < 10 ? " %.1f/%.1f MB" : " %,.0f/%,.0f MB", f * mb, mb);
            int room = max - head.length() - size.length() - tail.length() - 3;
            if (room >= 10) {
                int full = (int) Math.round(f * Math.min(room, 40));
                int n = Math.min(room, 40);
                head += " [" + "=".repeat(full) + (full < n ? ">" + " ".repeat(n - full - 1) : "") + "]";
            }
            head += size;
        } else {
            head = task + (last ? " done" : " " + SPIN.charAt(ticks++ & 3));
        }
        String s = head + tail;
        return s.length() > max ? s.substring(0, max) : s;
    }
}
