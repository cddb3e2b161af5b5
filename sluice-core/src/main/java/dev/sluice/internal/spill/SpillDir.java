package dev.sluice.internal.spill;

import dev.sluice.SluiceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Internal: where one run's blocking operators spill. A directory {@code sluice-spill-PID-RANDOM} under the temp
 * directory, made on the first spill and deleted with everything in it when the run ends (success, failure or an
 * iterator closed early), by a shutdown hook on Ctrl-C or SIGTERM, and, after a {@code kill -9}, by the sweep of the
 * next run that spills into the same temp directory (directories of processes that no longer live). The bytes
 * written are counted against an optional cap.
 */
public final class SpillDir implements AutoCloseable {
    private static final String PREFIX = "sluice-spill-";
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(SpillDir::deleteLive, "sluice-spill-cleanup"));
        } catch (IllegalStateException | SecurityException e) {
            // shutting down already, or not allowed: the next run's sweep removes them
        }
    }

    private static void deleteLive() {
        for (Path p : LIVE) {
            deleteTree(p);
        }
    }

    private final Path parent;
    private final long maxBytes;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private volatile Path dir;

    /**
     * @param parent the temp directory (null: {@code java.io.tmpdir})
     * @param maxBytes the most bytes all spill files of the run may hold at once (0: no cap)
     */
    public SpillDir(Path parent, long maxBytes) {
        this.parent = parent != null ? parent : Path.of(System.getProperty("java.io.tmpdir"));
        this.maxBytes = maxBytes;
    }

    /** The temp directory spill directories are made in. */
    public Path parent() {
        return parent;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** A new, empty spill file in this run's directory (made on first use). */
    public synchronized Path newFile(String operator) {
        try {
            if (dir == null) {
                Files.createDirectories(parent);
                sweep(parent);
                Path d = parent.resolve(PREFIX + PID + "-"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
                Files.createDirectory(d);
                LIVE.add(d);
                dir = d;
            }
            String safe = operator.replaceAll("[^A-Za-z0-9_.-]", "_");
            return Files.createFile(dir.resolve(safe + "-" + files.incrementAndGet() + ".spill"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a spill file in " + parent + ": " + e.getMessage(), e);
        }
    }

    /**
     * Counts {@code bytes} more written to spill files; fails, naming the operator and its budget, past the cap.
     */
    public void charge(long bytes, String operator, long budget) {
        long now = written.addAndGet(bytes);
        if (maxBytes > 0 && now > maxBytes) {
            throw new SluiceException(operator + " needs more than the " + MemoryBudget.format(maxBytes)
                    + " of temporary files allowed (its memory budget is " + MemoryBudget.format(budget)
                    + "; spilled " + MemoryBudget.format(now) + " so far to " + parent
                    + "): raise the cap, the memory budget, or choose a temp directory with room");
        }
    }

    /** Gives back {@code bytes} of deleted spill files to the cap. */
    public void refund(long bytes) {
        written.addAndGet(-bytes);
    }

    /** Deletes a spill file now (it has been read). */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the directory is deleted at the end of the run anyway
        }
    }

    /** Deletes the run's spill directory and everything in it. */
    @Override
    public synchronized void close() {
        Path d = dir;
        dir = null;
        if (d != null) {
            deleteTree(d);
            LIVE.remove(d);
        }
    }

    /** The run's spill directory, or null if nothing has spilled. */
    public Path dir() {
        return dir;
    }

    private static void deleteTree(Path d) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // gone already, or not readable: try the directory itself
        }
        try {
            Files.deleteIfExists(d);
        } catch (IOException e) {
            // left for the next sweep
        }
    }

    /** Removes spill directories of processes that no longer run (a run killed with kill -9). */
    static void sweep(Path parent) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                if (dash <= 0) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != PID && ProcessHandle.of(pid).isEmpty()) {
                    deleteTree(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // housekeeping: never fail a run for it
        }
    }
}
