package dev.sluice.internal;

import dev.sluice.Clock;
import dev.sluice.ErrorPolicy;
import dev.sluice.MemoryClass;
import dev.sluice.Position;
import dev.sluice.RunListener;
import dev.sluice.RunSummary;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.SluiceException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Internal: an endless run that survives a crash (see {@code LocalRunner.withCheckpoints}). The source is read ahead
 * on its own thread with its position after each record; every interval of the run's clock, between records, the
 * stateful links are snapshotted, the sink makes what it wrote durable and returns a token, and the position after
 * the last record pushed, the token and the snapshots are saved to the state file (temporary file, forced, renamed,
 * directory forced). The sink is the commit barrier: a position is saved only once everything before it is durable.
 */
final class CheckpointedRun {
    private CheckpointedRun() {}

    /** What a state file holds. */
    record State(int version, String plan, Position position, Serializable sink, List<Serializable> stages)
            implements Serializable {}

    static final int VERSION = 1;

    @SuppressWarnings("unchecked")
    static RunSummary run(Stage tail, ErrorPolicy policy, Sink<?> sink, RunListener listener, LocalSettings settings) {
        LocalSettings.Checkpoints cp = settings.checkpoints();
        if (sink == null) {
            throw new IllegalArgumentException("a checkpointed run needs a sink to make its output durable");
        }
        LocalExecution.resetPeakHeap();
        LocalExecution.Execution ex = new LocalExecution.Execution(tail, policy, sink.name(), settings);
        if (ex.source == null || !ex.inputs.isEmpty()) {
            throw new IllegalArgumentException(
                    "checkpoints: only a plan with one source can be checkpointed yet; this one merges "
                            + ex.inputs.size() + " inputs");
        }
        for (Stage s : ex.stages) {
            if (s.memoryClass() != MemoryClass.STREAMING && !(s instanceof SourceStage) && !s.checkpointable()) {
                throw new IllegalArgumentException("checkpoints: " + s.name() + " (" + s.memoryClass()
                        + ") holds records that a checkpoint cannot save; streaming stages and windows can be"
                        + " checkpointed");
            }
        }
        Path file = Path.of(cp.stateFile());
        String plan = ex.source.name() + " -> " + sink.name();
        Run r = new Run(ex, file, plan, cp.stop(), cp.drainAtEnd());
        Throwable failure = null;
        FileChannel lock = null;
        try {
            lock = lock(file);
            State saved = read(file, plan);
            try {
                r.writer = ((Sink<Object>) sink).openResumable(saved == null ? null : saved.sink());
            } catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException("checkpoints: " + e.getMessage(), e);
            }
            Downstream<Object> end =
                    LocalExecution.sinkPush(r.writer, ex.stats.get(ex.stats.size() - 1), ex.run, sink.name());
            ex.open(end, saved == null ? null : saved.position());
            for (Downstream<Object> l : ex.links) {
                if (l instanceof Checkpointed c) {
                    r.stateful.add(c);
                }
            }
            if (saved != null) {
                if (saved.stages().size() != r.stateful.size()) {
                    throw new IllegalStateException(
                            file + " holds the state of " + saved.stages().size()
                                    + " stateful stages, but this plan has " + r.stateful.size()
                                    + "; was it saved by another pipeline?");
                }
                for (int i = 0; i < r.stateful.size(); i++) {
                    r.stateful.get(i).restore(saved.stages().get(i));
                }
            }
            r.position = saved != null ? saved.position() : ex.reader.position();
            if (listener != null) {
                listener.started(ex);
            }
            r.drive(cp.everyNanos());
        } catch (Throwable t) {
            failure = t;
        }
        FileChannel held = lock;
        return RunEnd.finish(
                failure,
                f -> {
                    f = ex.closeSource(f);
                    if (held != null) {
                        try {
                            held.close(); // releases the lock; the lock file stays (removing it would race)
                        } catch (IOException e) {
                            // closing anyway
                        }
                    }
                    return f;
                },
                ex.run,
                r.writer,
                sink,
                listener,
                () -> ex.summary(LocalExecution.peakHeap()));
    }

    /** One checkpointed run's moving parts. */
    private static final class Run {
        final LocalExecution.Execution ex;
        final Path file;
        final String plan;
        final BooleanSupplier stop;
        final List<Checkpointed> stateful = new ArrayList<>();
        SinkWriter<Object> writer;
        Position position;
        volatile ReadAhead.Positioned current;
        boolean dirty;

        final boolean drain;

        Run(LocalExecution.Execution ex, Path file, String plan, BooleanSupplier stop, boolean drain) {
            this.drain = drain;
            this.ex = ex;
            this.file = file;
            this.plan = plan;
            this.stop = stop;
        }

        void drive(long every) throws Exception {
            ReadAhead ra = new ReadAhead(ex.reader, ex.name, true);
            ex.readAhead = ra;
            // errors name the record being pushed, not the one the reading thread has reached
            ex.run.attach(LocalExecution.currentView(() -> current), ex.stats.get(0));
            Timers timers = ex.run.timers();
            Clock clock = timers.clock();
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                if (dirty) {
                    checkpoint();
                }
                timers.schedule(clock.nanoTime() + every, tick[0]);
            };
            timers.schedule(clock.nanoTime() + every, tick[0]);
            Downstream<Object> head = ex.head;
            boolean stopped = false;
            while (!ex.run.dead(0)) {
                if (stop != null && stop.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                long wait = Math.min(clock.pollNanos(), 50_000_000L);
                long deadline = timers.nextDeadline();
                if (deadline != Long.MAX_VALUE) {
                    wait = Math.min(wait, deadline - clock.nanoTime());
                }
                Object t = ra.poll(wait);
                if (t == ReadAhead.TIMEOUT) {
                    timers.fireDue();
                    continue;
                }
                if (t == ReadAhead.DONE) {
                    break;
                }
                ReadAhead.Positioned p = (ReadAhead.Positioned) t;
                current = p;
                head.push(p.record());
                position = p.position();
                dirty = true;
                timers.fireDue();
            }
            if (!stopped && !ex.run.dead(0) && drain) {
                head.finish(); // the input ended: windows close and fire before the last checkpoint
            }
            checkpoint();
        }

        void checkpoint() {
            try {
                List<Serializable> snaps = new ArrayList<>();
                for (Checkpointed c : stateful) {
                    snaps.add(c.snapshot());
                }
                Serializable token = writer.checkpoint();
                write(file, new State(VERSION, plan, position, token, snaps));
                dirty = false;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new SluiceException("checkpoint to " + file + " failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Locks {@code file}'s state for this run ({@code .NAME.lock} beside it, released by the system if the process
     * dies), so that two runs never save the same state; a second run is refused with a clear message.
     */
    static FileChannel lock(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Path l = file.resolveSibling("." + file.getFileName() + ".lock");
        FileChannel ch = FileChannel.open(l, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (ch.tryLock() == null) {
                ch.close();
                throw new IOException(file + " is in use by another run (its lock " + l + " is held): two runs must not"
                        + " share a state");
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            ch.close();
            throw new IOException(file + " is in use by another run in this process: two runs must not share a state");
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    /** The state saved in {@code file}, or null if there is none; refuses one saved by another pipeline. */
    static State read(Path file, String plan) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        byte[] b = Files.readAllBytes(file);
        State s;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            s = (State) in.readObject();
        } catch (ClassNotFoundException
                | ClassCastException
                | InvalidClassException
                | java.io.StreamCorruptedException e) {
            throw new IOException(file + " is not a Sluice state file this version can read (" + e.getMessage()
                    + "); move it away to start afresh");
        }
        if (s.version() != VERSION) {
            throw new IOException(file + " has state version " + s.version() + "; this Sluice reads " + VERSION);
        }
        if (!s.plan().equals(plan)) {
            throw new IOException(file + " was saved by a run of " + s.plan() + ", not " + plan
                    + "; give each pipeline its own state");
        }
        return s;
    }

    /** Writes {@code state} to {@code file} atomically: a temporary file beside it, forced, renamed, dir forced. */
    static void write(Path file, State state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray());
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (dir != null) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // not every file system can force a directory
            }
        }
    }

    /** What the state file says, for a command line to show ({@code resuming from ...}); null if there is none. */
    static String describe(Path file) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
                State s = (State) in.readObject();
                return String.valueOf(s.position());
            }
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
