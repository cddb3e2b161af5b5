package dev.sluice.logs;

import dev.sluice.Position;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Follows log files as they grow, like {@code tail -F}: a source of their lines (UTF-8, LF or CRLF, terminators
 * removed) that never ends by itself unless {@link #once()} is asked for.
 *
 * <pre>{@code
 * Flow.from(Follow.files("/var/log/app/*.log")).map(Logs.combined()).to(...)
 * }</pre>
 *
 * <p><b>What it follows through.</b>
 *
 * <ul>
 *   <li>Rotation by rename ({@code app.log} → {@code app.log.1}, a new {@code app.log}): the old file is read to its
 *       end through the descriptor held open, then the new one from its start; lines the writer still appends to the
 *       old file within {@link #withRotateWait} are read too.
 *   <li>Rotation by copy and truncate ({@code copytruncate}): lines written between the last read and the truncation
 *       are read from the copy (a file beside it whose first bytes and the bytes before the last offset read are the
 *       same), then the truncated file from its start. Tools that only watch the file lose those lines.
 *   <li>A file deleted and created again, also when the new file gets the deleted one's inode, and a file replaced by
 *       another of the same size: each poll re-reads the last bytes consumed, and a difference means a new file.
 *   <li>Rotation while nothing runs: resuming from a saved position ({@link Offsets}) finds the file it was reading by
 *       device, inode and a fingerprint of its first bytes (or, after a {@code copytruncate}, by fingerprint and last
 *       bytes), reads the rest of it, then the newer rotated files oldest first, then the live file.
 *   <li>A partial last line is held until its newline comes (or, with {@link #withFlushPartialAfter}, emitted after
 *       that long without growth); a line longer than {@link #withMaxLineBytes} is rejected with its file and byte
 *       offset, through the run's error policy, and the lines after it are read intact.
 *   <li>A glob in the file name ({@code /var/log/app/*.log}) follows every match and picks up new matches (rescanned
 *       every {@link #withRescanEvery}); a renamed file that still matches is not read twice.
 * </ul>
 *
 * <p>Files are found by the glob (or name) from the start; with no saved position every file is read from its
 * beginning (as Vector does; {@link #fromEnd()} starts files present at start at their end, as {@code tail -F}
 * does). Each line's {@link dev.sluice.Location} names its file (the followed path), line and byte offset, so a
 * window per input can tell the files apart.
 *
 * <p>Positions ({@link SourceReader#position()}) are {@link Offsets}: a run that saves them with its output's
 * checkpoint ({@code LocalRunner.withCheckpoints}) resumes after {@code kill -9} with nothing lost or repeated.
 */
public final class Follow implements Source<String> {
    private static final long serialVersionUID = 1L;

    final String pattern;
    final long pollNanos;
    final long rescanNanos;
    final long rotateWaitNanos;
    final int maxLineBytes;
    final long flushPartialNanos;
    final boolean once;
    final boolean fromEnd;

    private Follow(
            String pattern,
            long pollNanos,
            long rescanNanos,
            long rotateWaitNanos,
            int maxLineBytes,
            long flushPartialNanos,
            boolean once,
            boolean fromEnd) {
        this.pattern = pattern;
        this.pollNanos = pollNanos;
        this.rescanNanos = rescanNanos;
        this.rotateWaitNanos = rotateWaitNanos;
        this.maxLineBytes = maxLineBytes;
        this.flushPartialNanos = flushPartialNanos;
        this.once = once;
        this.fromEnd = fromEnd;
    }

    /**
     * Follows {@code pathOrGlob}: one file, or a glob in its last component ({@code /var/log/app/*.log}; the
     * directories are taken as written).
     */
    public static Follow files(String pathOrGlob) {
        Objects.requireNonNull(pathOrGlob, "pathOrGlob");
        if (pathOrGlob.isEmpty()) {
            throw new IllegalArgumentException("give a file or a glob to follow");
        }
        Path p = Path.of(pathOrGlob);
        Path parent = p.getParent();
        if (parent != null && isGlob(parent.toString())) {
            throw new IllegalArgumentException(
                    "only the file name may hold a glob, not the directories: " + pathOrGlob);
        }
        return new Follow(
                pathOrGlob,
                Duration.ofMillis(100).toNanos(),
                Duration.ofSeconds(1).toNanos(),
                Duration.ofSeconds(5).toNanos(),
                1 << 20,
                0,
                false,
                false);
    }

    /** Follows one file. */
    public static Follow file(Path file) {
        return files(file.toString());
    }

    static boolean isGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    /** How long to wait before looking for new data when every file is at its end (default 100 ms). */
    public Follow withPollEvery(Duration d) {
        return new Follow(
                pattern,
                positive(d, "poll"),
                rescanNanos,
                rotateWaitNanos,
                maxLineBytes,
                flushPartialNanos,
                once,
                fromEnd);
    }

    /** How often a glob is matched again for new files (default 1 s). */
    public Follow withRescanEvery(Duration d) {
        return new Follow(
                pattern,
                pollNanos,
                positive(d, "rescan"),
                rotateWaitNanos,
                maxLineBytes,
                flushPartialNanos,
                once,
                fromEnd);
    }

    /**
     * How long a file rotated away is still watched for lines its writer appends before it reopens (default 5 s, as
     * Fluent Bit's {@code Rotate_Wait}).
     */
    public Follow withRotateWait(Duration d) {
        return new Follow(
                pattern,
                pollNanos,
                rescanNanos,
                positive(d, "rotate wait"),
                maxLineBytes,
                flushPartialNanos,
                once,
                fromEnd);
    }

    /** The longest line accepted, in bytes (default 1 MiB); longer ones are rejected and skipped. */
    public Follow withMaxLineBytes(int bytes) {
        if (bytes < 16) {
            throw new IllegalArgumentException("the longest line must be at least 16 bytes, was " + bytes);
        }
        return new Follow(pattern, pollNanos, rescanNanos, rotateWaitNanos, bytes, flushPartialNanos, once, fromEnd);
    }

    /**
     * Emits a partial last line (one without its newline) once the file has not grown for {@code d}; by default a
     * partial line waits for its newline however long it takes.
     */
    public Follow withFlushPartialAfter(Duration d) {
        return new Follow(
                pattern, pollNanos, rescanNanos, rotateWaitNanos, maxLineBytes, positive(d, "flush"), once, fromEnd);
    }

    /**
     * Reads every file to its end as it is when reached, and then ends (a bounded source): {@code sluice tail
     * --once}. A partial last line is held back (its position is saved before it), as when following.
     */
    public Follow once() {
        return new Follow(
                pattern, pollNanos, rescanNanos, rotateWaitNanos, maxLineBytes, flushPartialNanos, true, fromEnd);
    }

    /** Starts files present at start at their end rather than their beginning (when there is no saved position). */
    public Follow fromEnd() {
        return new Follow(
                pattern, pollNanos, rescanNanos, rotateWaitNanos, maxLineBytes, flushPartialNanos, once, true);
    }

    private static long positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " interval must be positive, was " + d);
        }
        return d.toNanos();
    }

    /** The path or glob followed. */
    public String pattern() {
        return pattern;
    }

    @Override
    public SourceReader<String> open(SourceContext context) throws Exception {
        return new FollowReader(this, context, null);
    }

    @Override
    public SourceReader<String> open(SourceContext context, Position position) throws Exception {
        if (position == null) {
            return open(context);
        }
        if (!(position instanceof Offsets o)) {
            throw new IllegalArgumentException(name() + " resumes from Follow.Offsets, not " + position);
        }
        return new FollowReader(this, context, o);
    }

    @Override
    public String name() {
        return "follow(" + pattern + ")";
    }

    @Override
    public boolean bounded() {
        return once;
    }

    @Override
    public List<Path> inputFiles() {
        return isGlob(pattern) ? List.of() : List.of(Path.of(pattern));
    }

    /**
     * Where a follow stands: for each followed name, the file it is reading (device, inode, a CRC-32C of its first
     * {@code fingerprintBytes} bytes) and the offset and line after the last line read, with a CRC-32C of the bytes
     * before that offset.
     */
    public record Offsets(List<FileOffset> files) implements Position {
        public Offsets {
            files = List.copyOf(files);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (FileOffset f : files) {
                if (b.length() > 0) {
                    b.append(", ");
                }
                b.append(f);
            }
            return b.length() == 0 ? "no files yet" : b.toString();
        }
    }

    /** One followed name's position; see {@link Offsets}. */
    public record FileOffset(
            String path,
            long device,
            long inode,
            int fingerprintBytes,
            int fingerprint,
            long offset,
            long line,
            int tailBytes,
            int tail)
            implements Serializable {
        @Override
        public String toString() {
            return String.format(
                    java.util.Locale.ROOT, "%s at byte %,d (line %,d, inode %d)", path, offset, line, inode);
        }
    }
}
