package dev.sluice;

import dev.sluice.fn.SupplierFn;
import dev.sluice.internal.OutputFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a file sink writes: a file, standard output, or a stream. Immutable; sinks such as {@link
 * dev.sluice.csv.Csv#write(Output)} take one.
 *
 * <p>A file is never harmed:
 *
 * <ul>
 *   <li>A regular file (or a new one) is written to a hidden temporary file beside it, which is flushed to disk
 *       and renamed onto the target only when the run succeeds, so the target is replaced whole or not at all.
 *       A run that fails, or is stopped with Ctrl-C or SIGTERM, deletes its temporary file; one left by a process
 *       killed with {@code kill -9} is deleted by the next run that writes the same target. The replaced file's
 *       permissions are kept.
 *   <li>A symbolic link is written through: its target is replaced, the link stays.
 *   <li>Anything that is not a regular file (a FIFO, a character device such as {@code /dev/null}, {@code
 *       /dev/stdout}) is written in place, never replaced, truncated or created.
 *   <li>A directory is refused, and so is a path whose parent directory does not exist (unless {@link
 *       #withCreateDirectories}) and an existing file when {@link #withOverwrite overwrite} is off.
 *   <li>A run refuses, before anything is opened, to write a file that it also reads.
 * </ul>
 *
 * <p>A name ending in {@code .gz} is gzip-compressed.
 */
public final class Output implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final transient SupplierFn<OutputStream> stream;
    private final String name;
    private final boolean overwrite;
    private final boolean createDirectories;
    private final boolean atomic;

    private Output(
            String path,
            SupplierFn<OutputStream> stream,
            String name,
            boolean overwrite,
            boolean createDirectories,
            boolean atomic) {
        this.path = path;
        this.stream = stream;
        this.name = name;
        this.overwrite = overwrite;
        this.createDirectories = createDirectories;
        this.atomic = atomic;
    }

    /** The file {@code file}: replaced atomically on success, if it exists. */
    public static Output file(Path file) {
        Objects.requireNonNull(file, "file");
        return new Output(file.toString(), null, file.toString(), true, false, true);
    }

    /** Standard output. It is flushed, not closed, when the run ends. */
    public static Output stdout() {
        return new Output(null, null, "stdout", true, false, false);
    }

    /**
     * The streams that {@code streams} opens, one per run, named {@code name} in messages. Each is closed when its
     * run ends.
     */
    public static Output stream(String name, SupplierFn<OutputStream> streams) {
        return new Output(
                null,
                Objects.requireNonNull(streams, "streams"),
                Objects.requireNonNull(name, "name"),
                true,
                false,
                false);
    }

    /**
     * The stream that {@code streams} gives for each run, named {@code name} in messages: flushed, not closed, when
     * the run ends (like {@link #stdout()}; for a stream the caller owns, such as a servlet's or a test's).
     */
    public static Output leftOpen(String name, SupplierFn<OutputStream> streams) {
        Objects.requireNonNull(streams, "streams");
        return stream(name, () -> new dev.sluice.internal.OutputFiles.Unclosed(streams.get()));
    }

    /** Whether an existing file may be replaced (true, the default); false refuses to, before the run starts. */
    public Output withOverwrite(boolean b) {
        return new Output(path, stream, name, b, createDirectories, atomic);
    }

    /** Whether missing parent directories are created (default false: a missing one is an error naming it). */
    public Output withCreateDirectories(boolean b) {
        return new Output(path, stream, name, overwrite, b, atomic);
    }

    /**
     * Whether a regular file is replaced atomically on success (true, the default) or written in place as records
     * arrive (false: a failed run leaves what was written, as a dead-letter file should).
     */
    public Output withAtomic(boolean b) {
        return new Output(path, stream, name, overwrite, createDirectories, b);
    }

    /** The file, or null for standard output and streams. */
    public Path file() {
        return path == null ? null : Path.of(path);
    }

    /** The name used in messages: the path as given, {@code stdout}, or the stream's name. */
    public String name() {
        return name;
    }

    /** The file's name without its directory (the whole name for streams), for sink names. */
    public String shortName() {
        return path == null ? name : String.valueOf(Path.of(path).getFileName());
    }

    /** Whether an existing file may be replaced. */
    public boolean overwrite() {
        return overwrite;
    }

    /** Whether missing parent directories are created. */
    public boolean createDirectories() {
        return createDirectories;
    }

    /** Whether a regular file is replaced atomically. */
    public boolean atomic() {
        return atomic;
    }

    /** Whether the output is compressed with gzip (its name ends in {@code .gz}). */
    public boolean gzip() {
        return path != null && path.endsWith(".gz");
    }

    /**
     * Checks what can be checked before a run (the directory exists, the target is not a directory, overwriting is
     * allowed), so a misconfigured run fails before it reads anything.
     */
    public void check() throws IOException {
        if (path != null) {
            OutputFiles.check(this);
        }
    }

    /** Opens the output for one run. The caller writes to {@link Opened#stream()}, then calls {@code close} once. */
    public Opened open() throws IOException {
        if (path != null) {
            return OutputFiles.open(this);
        }
        if (stream == null) {
            return OutputFiles.stdout(this);
        }
        OutputStream os;
        try {
            os = stream.get();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("opening " + name + " failed: " + e.getMessage(), e);
        }
        return OutputFiles.inPlace(this, os);
    }

    /** One run's open output. */
    public interface Opened {
        /** The stream to write (buffered; gzip-compressing if the name ends in {@code .gz}). */
        OutputStream stream();

        /**
         * Ends the run's output. On success: flushes and closes the stream, forces a file to disk and renames it onto
         * its target; if any of that fails nothing replaces the target and the failure is thrown, naming the user's
         * path. On failure: deletes the temporary file. Called once; later calls do nothing.
         */
        void close(boolean success) throws IOException;

        /**
         * Flushes and forces to disk what was written, leaving the target as it was; returns a token for {@link
         * #commit}. Nothing may be written after it.
         */
        java.io.Serializable prepare() throws IOException;

        /** Renames a prepared file onto its target; idempotent (a token already committed does nothing). */
        void commit(java.io.Serializable token) throws IOException;

        /**
         * For an output opened by {@link #openResumable}: flushes what was written, forces it to disk and returns the
         * file's length, from which a resumed run goes on. For a stream or device: flushes it and returns -1 (it
         * cannot be rewound).
         */
        default long sync() throws IOException {
            stream().flush();
            return -1;
        }
    }

    /**
     * Opens the output for an endless, checkpointed run (such as {@code sluice tail --state}): a regular file is
     * written in place and appended to as records come, not to a temporary file, so that what was written shows at
     * once; {@link Opened#sync()} makes it durable and says how long it is. With {@code resumeAt} -1 the run starts
     * afresh (an existing file is emptied, if {@link #withOverwrite overwriting} is on, else refused); with a length
     * a checkpoint returned, the file is cut back to it (dropping what a crashed run wrote after its last checkpoint)
     * and appended to. A file shorter than that was changed by something else, and is refused. Streams, devices and
     * FIFOs are written in place as by {@link #open()}; gzip output cannot be resumed and is refused.
     */
    public Opened openResumable(long resumeAt) throws IOException {
        if (path == null) {
            return open();
        }
        return OutputFiles.openResumable(this, resumeAt);
    }

    @Override
    public String toString() {
        return name;
    }
}
