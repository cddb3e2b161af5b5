package dev.sluice.internal;

import dev.sluice.Output;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Internal, not part of the API: how an {@link Output} is opened and committed. See {@link Output} for the rules;
 * this class keeps every temporary file in a registry that a shutdown hook empties on Ctrl-C and SIGTERM.
 */
public final class OutputFiles {
    private OutputFiles() {}

    private static final int BUFFER = 1 << 16;
    private static final String PART = ".part";
    private static final long PID = ProcessHandle.current().pid();

    /** Temporary files of runs in progress, deleted by the shutdown hook. */
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(OutputFiles::deleteLive, "sluice-temp-cleanup"));
        } catch (IllegalStateException | SecurityException e) {
            // shutting down already, or not allowed: temporary files are then swept by the next run
        }
    }

    private static void deleteLive() {
        for (Path p : LIVE) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort while the JVM exits
            }
        }
    }

    /** What a file output's path turns out to be. */
    private static final class Resolved {
        final Path target; // symbolic links followed
        final boolean exists;
        final boolean regular;
        final boolean special; // /dev or /proc: never resolved, renamed or truncated

        Resolved(Path target, boolean exists, boolean regular, boolean special) {
            this.target = target;
            this.exists = exists;
            this.regular = regular;
            this.special = special;
        }
    }

    private static Resolved resolve(Output out) throws IOException {
        Path given = out.file().toAbsolutePath().normalize();
        if (fileDescriptorPath(given.toString())) {
            // /dev/stdout, /dev/fd/N, /proc/self/fd/N: links to an open descriptor, never to be resolved or renamed
            // over
            return new Resolved(given, Files.exists(given), false, true);
        }
        Path t = given;
        for (int hops = 0; Files.isSymbolicLink(t); hops++) {
            if (hops > 40) {
                throw new FileSystemException(out.name(), null, "too many levels of symbolic links");
            }
            Path link = Files.readSymbolicLink(t);
            t = t.resolveSibling(link).normalize();
        }
        boolean exists = Files.exists(t, LinkOption.NOFOLLOW_LINKS);
        boolean regular = exists && Files.isRegularFile(t, LinkOption.NOFOLLOW_LINKS);
        return new Resolved(t, exists, regular, false);
    }

    private static boolean fileDescriptorPath(String p) {
        return p.equals("/dev/stdout")
                || p.equals("/dev/stderr")
                || p.equals("/dev/stdin")
                || p.startsWith("/dev/fd/")
                || p.matches("/proc/(self|thread-self|[0-9]+)/fd/.*");
    }

    /** The file that writing {@code out} would change (symbolic links followed), for comparing with a run's inputs. */
    public static Path target(Output out) throws IOException {
        return resolve(out).target;
    }

    /** Checks {@code out} without writing anything. */
    public static void check(Output out) throws IOException {
        checked(out);
    }

    private static Resolved checked(Output out) throws IOException {
        Resolved r = resolve(out);
        if (r.special) {
            if (!r.exists) {
                throw new NoSuchFileException(out.name(), null, "no such device or file");
            }
            return r;
        }
        if (r.exists && Files.isDirectory(r.target)) {
            throw new FileSystemException(out.name(), null, "is a directory; give a file name for the output");
        }
        if (r.exists && r.regular && !out.overwrite()) {
            throw new FileAlreadyExistsException(
                    out.name(), null, "already exists and would be replaced (overwriting is " + "off)");
        }
        Path dir = r.target.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            if (Files.exists(dir)) {
                throw new FileSystemException(out.name(), null, dir + " is not a directory");
            }
            if (!out.createDirectories()) {
                throw new NoSuchFileException(out.name(), null, "no such directory: " + dir);
            }
        }
        return r;
    }

    /** Opens a file output. */
    public static Output.Opened open(Output out) throws IOException {
        Resolved r = checked(out);
        Path dir = r.target.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        if (r.special || (r.exists && !r.regular)) {
            return inPlace(out, special(r.target));
        }
        if (!out.atomic()) {
            OutputStream os;
            try {
                os = Files.newOutputStream(r.target);
            } catch (AccessDeniedException e) {
                throw new AccessDeniedException(out.name(), null, "permission denied");
            }
            return new InPlace(out, wrap(out, os));
        }
        sweep(r.target);
        Path temp = r.target.resolveSibling("." + r.target.getFileName() + ".sluice-" + PID + "-"
                + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + PART);
        OutputStream os;
        LIVE.add(temp); // before it exists: a signal arriving as it is made still finds it
        try {
            os = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            LIVE.remove(temp);
            throw new AccessDeniedException(out.name(), null, "cannot create a file in " + dir);
        } catch (FileSystemException e) {
            LIVE.remove(temp);
            throw new FileSystemException(
                    out.name(),
                    null,
                    "cannot create a file in " + dir + " ("
                            + (e.getReason() != null
                                    ? e.getReason()
                                    : e.getClass().getSimpleName()) + ")");
        } catch (IOException | RuntimeException e) {
            LIVE.remove(temp);
            throw e;
        }
        try {
            SyncBehind sync = new SyncBehind(os, temp);
            return new Atomic(out, r.target, temp, wrap(out, sync), sync);
        } catch (IOException | RuntimeException e) {
            os.close();
            LIVE.remove(temp);
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Opens a file output to be appended to and resumed at checkpoints; see {@link Output#openResumable}. */
    public static Output.Opened openResumable(Output out, long resumeAt) throws IOException {
        if (out.gzip()) {
            throw new FileSystemException(
                    out.name(), null, "a gzip file cannot be appended to and resumed; give a name without .gz");
        }
        Resolved r = resolve(out);
        if (r.special || (r.exists && !r.regular)) {
            checked(out);
            return inPlace(out, special(r.target));
        }
        if (resumeAt < 0) {
            checked(out);
            Path dir = r.target.getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
        } else {
            if (!r.exists) {
                throw new NoSuchFileException(
                        out.name(),
                        null,
                        "is gone, but the saved state says " + resumeAt + " bytes of it were written");
            }
            long size = Files.size(r.target);
            if (size < resumeAt) {
                throw new FileSystemException(
                        out.name(),
                        null,
                        "holds " + size + " bytes, fewer than the " + resumeAt
                                + " its last checkpoint made durable: it was changed by something else; move it away"
                                + " or remove the state to start afresh");
            }
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(
                    r.target, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(out.name(), null, "permission denied");
        }
        try {
            ch.truncate(Math.max(
                    resumeAt, 0)); // afresh: emptied; resumed: what a crashed run wrote after its checkpoint goes
            return new Appending(out, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** A regular file appended to in place; {@link #sync} forces it to disk and gives its length. */
    private static final class Appending implements Output.Opened {
        private final Output out;
        private final FileChannel channel;
        private final OutputStream stream;
        private boolean closed;

        Appending(Output out, FileChannel channel) {
            this.out = out;
            this.channel = channel;
            // the writer's close flushes; the channel is forced and closed here
            this.stream =
                    new Unclosed(new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), BUFFER));
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public long sync() throws IOException {
            try {
                stream.flush();
                channel.force(false);
                return channel.size();
            } catch (IOException e) {
                throw new IOException("writing " + out.name() + " failed: " + reason(e), e);
            }
        }

        @Override
        public void close(boolean success) throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                stream.flush();
                channel.force(false);
            } catch (IOException e) {
                if (success) {
                    channel.close();
                    throw new IOException("writing " + out.name() + " failed: " + reason(e), e);
                }
            }
            channel.close(); // whether or not the run succeeded, what was written stays: its checkpoints say how much
            // counts
        }

        @Override
        public java.io.Serializable prepare() throws IOException {
            return sync();
        }

        @Override
        public void commit(java.io.Serializable token) {}
    }

    /** Standard output: written through its file descriptor (sharing the shell's offset and flags), never closed. */
    public static Output.Opened stdout(Output out) {
        return inPlace(out, new Unclosed(new FileOutputStream(FileDescriptor.out)));
    }

    /** A stream written in place. */
    public static Output.Opened inPlace(Output out, OutputStream os) {
        try {
            return new InPlace(out, wrap(out, os));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A device, FIFO or socket: opened for writing without creating or truncating it. */
    private static OutputStream special(Path p) throws IOException {
        String s = p.toString();
        if (s.equals("/dev/stdout") || s.equals("/dev/fd/1") || s.equals("/proc/self/fd/1")) {
            return new Unclosed(new FileOutputStream(FileDescriptor.out));
        }
        if (s.equals("/dev/stderr") || s.equals("/dev/fd/2") || s.equals("/proc/self/fd/2")) {
            return new Unclosed(new FileOutputStream(FileDescriptor.err));
        }
        return Files.newOutputStream(p, StandardOpenOption.WRITE);
    }

    private static OutputStream wrap(Output out, OutputStream os) throws IOException {
        OutputStream b = new BufferedOutputStream(os, BUFFER);
        return out.gzip() ? new GZIPOutputStream(b, BUFFER) : b;
    }

    /**
     * Deletes temporary files beside {@code target} left by processes that no longer run (a {@code kill -9}); those
     * of live processes, e.g. a concurrent run writing the same target, are left alone.
     */
    static void sweep(Path target) {
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".sluice-";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(PART);
        })) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, Math.max(dash, 0)));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != PID && ProcessHandle.of(pid).isEmpty()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a sweep is housekeeping: never fail a run for it
        }
    }

    /** Written in place: closing flushes and closes the stream (standard output is only flushed). */
    private static final class InPlace implements Output.Opened {
        private final Output out;
        private final OutputStream stream;
        private boolean closed;

        InPlace(Output out, OutputStream stream) {
            this.out = out;
            this.stream = stream instanceof BufferedOutputStream || stream instanceof GZIPOutputStream
                    ? stream
                    : new BufferedOutputStream(stream, BUFFER);
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public void close(boolean success) throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                stream.close();
            } catch (IOException e) {
                if (success) {
                    throw new IOException("writing " + out.name() + " failed: " + e.getMessage(), e);
                }
            }
        }

        @Override
        public java.io.Serializable prepare() throws IOException {
            stream.flush(); // written in place: durable as the device or pipe makes it, and already visible
            return "in place: " + out.name();
        }

        @Override
        public void commit(java.io.Serializable token) {}
    }

    /** A temporary file renamed onto the target on success. */
    private static final class Atomic implements Output.Opened {
        private final Output out;
        private final Path target;
        private final Path temp;
        private final OutputStream stream;
        private boolean closed;

        private final SyncBehind sync;
        private boolean prepared;
        private boolean committed;

        Atomic(Output out, Path target, Path temp, OutputStream stream, SyncBehind sync) {
            this.out = out;
            this.target = target;
            this.temp = temp;
            this.stream = stream;
            this.sync = sync;
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public void close(boolean success) throws IOException {
            if (prepared) {
                if (!committed) {
                    abortQuietly(); // prepared but never committed: the target keeps its old contents
                }
                return;
            }
            if (closed) {
                return;
            }
            closed = true;
            try {
                try {
                    stream.close(); // the last flush: a full disk shows here
                } catch (IOException e) {
                    if (success) {
                        throw new IOException(
                                "writing " + out.name() + " failed: " + e.getMessage()
                                        + (Files.exists(target) ? "; the existing file was left as it was" : ""),
                                e);
                    }
                    return;
                }
                if (!success) {
                    return;
                }
                sync.finish();
                keepPermissions();
                try {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new IOException("replacing " + out.name() + " failed: " + reason(e), e);
                }
                syncDirectory(target.getParent());
            } finally {
                sync.closeChannel();
                LIVE.remove(temp);
                Files.deleteIfExists(temp);
            }
        }

        @Override
        public java.io.Serializable prepare() throws IOException {
            if (closed) {
                throw new IllegalStateException("the output " + out.name() + " is already closed");
            }
            closed = true;
            try {
                stream.close();
                sync.finish();
            } catch (IOException e) {
                abortQuietly();
                throw new IOException("writing " + out.name() + " failed: " + e.getMessage(), e);
            }
            prepared = true;
            return new Prepared(temp.toString(), target.toString());
        }

        @Override
        public void commit(java.io.Serializable token) throws IOException {
            Prepared p = (Prepared) token;
            Path from = Path.of(p.temp);
            Path to = Path.of(p.target);
            try {
                if (Files.exists(from)) {
                    keepPermissions();
                    try {
                        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                    syncDirectory(to.getParent());
                } else if (!Files.exists(to)) {
                    throw new IOException("cannot commit " + out.name() + ": its prepared file " + from + " is gone");
                } // else: committed already
            } finally {
                committed = true;
                LIVE.remove(from);
            }
        }

        private void abortQuietly() {
            sync.closeChannel();
            LIVE.remove(temp);
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // the sweep of a later run removes it
            }
        }

        private void keepPermissions() {
            try {
                if (Files.exists(target)) {
                    Set<PosixFilePermission> p = Files.getPosixFilePermissions(target);
                    Files.setPosixFilePermissions(temp, p);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // the umask's permissions, then
            }
        }
    }

    /**
     * Counts the bytes written to a temporary file and, every {@link #EVERY} bytes, has a background thread force
     * them to disk while writing goes on, so that the final {@code fsync} before the rename has little left to do
     * (a whole-file fsync at the end would cost about 0.6 s a GB here).
     */
    static final class SyncBehind extends FilterOutputStream {
        static final long EVERY = 32L << 20;
        private static final java.util.concurrent.ExecutorService SYNCER =
                java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "sluice-sync-behind");
                    t.setDaemon(true);
                    return t;
                });
        private final Path file;
        private long sinceSync;
        private java.util.concurrent.Future<?> pending;
        private FileChannel channel;

        SyncBehind(OutputStream out, Path file) {
            super(out);
            this.file = file;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            sinceSync += len;
            if (sinceSync >= EVERY && (pending == null || pending.isDone())) {
                sinceSync = 0;
                FileChannel c = channel();
                pending = SYNCER.submit(() -> {
                    c.force(false);
                    return null;
                });
            }
        }

        private FileChannel channel() throws IOException {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
            }
            return channel;
        }

        /** After the stream is closed: waits for a background sync, then forces the rest (and the metadata) to disk. */
        void finish() throws IOException {
            try {
                if (pending != null) {
                    pending.get();
                }
                channel().force(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while syncing " + file);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
            } finally {
                closeChannel();
            }
        }

        void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // nothing was written through it
                }
            }
        }
    }

    private static String reason(IOException e) {
        return e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                ? ((FileSystemException) e).getReason()
                : e.getMessage();
    }

    /** Makes a rename durable; best effort (not every file system can open a directory). */
    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported here
        }
    }

    /** What a prepared file output commits: its temporary file and its target, as strings (serializable). */
    record Prepared(String temp, String target) implements java.io.Serializable {}

    /** A stream whose close only flushes, for standard output. */
    public static final class Unclosed extends FilterOutputStream {
        public Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
