package dev.sluice.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ErrorPolicy;
import dev.sluice.Flow;
import dev.sluice.LocalRunner;
import dev.sluice.Output;
import dev.sluice.Rejected;
import dev.sluice.RunSummary;
import dev.sluice.Sinks;
import dev.sluice.text.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Following files through appends, partial lines, rotation (rename, copytruncate, delete and create) while running
 * and while stopped, with offsets saved at checkpoints; each case compares the copied lines with what was written.
 */
class FollowTest {
    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("app.log");
    }

    private Path out() {
        return dir.resolve("copy.txt");
    }

    private Path state() {
        return dir.resolve("state").resolve("offsets");
    }

    private static void append(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String lines(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i <= to; i++) {
            b.append("line ").append(i).append('\n');
        }
        return b.toString();
    }

    /** Reads what is there now and stops, saving offsets: one restart of {@code sluice tail --once --state}. */
    private RunSummary once(Follow f) {
        return Flow.from(f.once())
                .to(Text.write(Output.file(out())))
                .run(LocalRunner.get().withCheckpoints(state(), Duration.ofMillis(20)));
    }

    private RunSummary once() {
        return once(Follow.file(log()));
    }

    private String copied() throws IOException {
        return Files.exists(out()) ? Files.readString(out()) : "";
    }

    @Test
    void appendedLinesAndAPartialLineAreReadOnceAcrossRestarts() throws IOException {
        append(log(), lines(1, 3) + "line 4 is hal");
        once();
        assertEquals(lines(1, 3), copied(), "the partial line is held back");
        append(log(), "f done\n" + lines(5, 6));
        once();
        assertEquals(lines(1, 3) + "line 4 is half done\n" + lines(5, 6), copied());
        once(); // nothing new: nothing written again
        assertEquals(lines(1, 3) + "line 4 is half done\n" + lines(5, 6), copied());
    }

    @Test
    void smallFilesAndCrlfAreRead() throws IOException {
        append(log(), "a\r\nb\n");
        once();
        assertEquals("a\nb\n", copied());
    }

    @Test
    void rotationByRenameWhileStoppedReadsTheRestOfTheOldFileThenTheNewOnes() throws IOException {
        append(log(), lines(1, 5));
        once();
        append(log(), lines(6, 7));
        Files.move(log(), dir.resolve("app.log.2"));
        append(log(), lines(8, 9));
        Files.move(log(), dir.resolve("app.log.1"));
        append(log(), lines(10, 12));
        once();
        assertEquals(lines(1, 12), copied());
    }

    @Test
    void copyTruncateWhileStoppedReadsTheMissingLinesFromTheCopy() throws IOException {
        append(log(), lines(1, 5));
        once();
        append(log(), lines(6, 7));
        Files.copy(log(), dir.resolve("app.log.1"));
        Files.write(log(), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        append(log(), lines(8, 9));
        once();
        assertEquals(lines(1, 9), copied());
    }

    @Test
    void aFileDeletedAndMadeAgainIsReadFromItsStartEvenWithTheSameSizeAndInode() throws IOException {
        append(log(), lines(1, 5));
        once();
        long inode = (Long) Files.getAttribute(log(), "unix:ino");
        Files.delete(log());
        append(log(), lines(1, 5).replace("line", "LINE")); // same size; on tmpfs/ext4 often the same inode
        once();
        assertEquals(lines(1, 5) + lines(1, 5).replace("line", "LINE"), copied(), "inode was " + inode);
    }

    @Test
    void aLineLongerThanTheLimitIsRejectedWithItsOffsetAndTheNextLinesAreIntact() throws IOException {
        String longLine = "x".repeat(5000);
        append(log(), "first\n" + longLine + "\nsecond\n" + "y".repeat(100_000) + "\nthird\n");
        List<Rejected> dead = new ArrayList<>();
        RunSummary s = Flow.from(Follow.file(log()).withMaxLineBytes(1000).once())
                .onError(ErrorPolicy.deadLetter(Sinks.collect(dead)))
                .to(Text.write(Output.file(out())))
                .run(LocalRunner.get().withCheckpoints(state(), Duration.ofMillis(20)));
        assertEquals("first\nsecond\nthird\n", copied());
        assertEquals(2, s.rejected());
        assertEquals(2, dead.get(0).line());
        assertTrue(
                dead.get(0).reason().contains("longer than 1000 bytes, starting at byte 6 of"),
                dead.get(0).reason());
        assertEquals(4, dead.get(1).line());
        // resumed: nothing read again
        once(Follow.file(log()).withMaxLineBytes(1000));
        assertEquals("first\nsecond\nthird\n", copied());
    }

    @Test
    void twoRunsCannotShareAState() throws Exception {
        append(log(), "a\n");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = runLive(Follow.file(log()), stop, failed);
        waitFor(() -> copied().equals("a\n"));
        Throwable second = null;
        try {
            once();
        } catch (RuntimeException e) {
            second = e;
        }
        stop.set(true);
        t.join(5000);
        assertTrue(
                second != null && String.valueOf(second.getMessage()).contains("is in use by another run"),
                String.valueOf(second));
        assertEquals(null, failed.get());
    }

    @Test
    void aPartialLineIsFlushedAfterTheIdleTimeWhenAsked() throws Exception {
        append(log(), "complete\npartial");
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = runLive(
                Follow.file(log()).withFlushPartialAfter(Duration.ofMillis(100)), stop, new AtomicReference<>());
        waitFor(() -> copied().equals("complete\npartial\n"));
        stop.set(true);
        t.join(5000);
    }

    @Test
    void aGlobFollowsEveryMatchAndPicksUpNewFiles() throws Exception {
        append(dir.resolve("a.log"), "a1\n");
        append(dir.resolve("b.txt"), "not matched\n");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = runLive(
                Follow.files(dir.resolve("*.log").toString()).withRescanEvery(Duration.ofMillis(50)), stop, failed);
        waitFor(() -> copied().equals("a1\n"));
        append(dir.resolve("c.log"), "c1\n");
        waitFor(() -> copied().equals("a1\nc1\n"));
        Files.move(dir.resolve("c.log"), dir.resolve("d.log")); // renamed, still matching: not read twice
        append(dir.resolve("a.log"), "a2\n");
        waitFor(() -> copied().equals("a1\nc1\na2\n"));
        Thread.sleep(200);
        stop.set(true);
        t.join(5000);
        assertEquals(null, failed.get());
        assertEquals("a1\nc1\na2\n", copied());
    }

    @Test
    void whileRunningRotationsByRenameCopyTruncateAndRecreateLoseAndRepeatNothing() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        append(log(), "started\n");
        Thread t = runLive(Follow.file(log()).withPollEvery(Duration.ofMillis(5)), stop, failed);
        StringBuilder expected = new StringBuilder("started\n");
        waitFor(() -> copied().equals("started\n")); // files rotated before the follow began are not read
        int n = 0;
        for (int round = 0; round < 9; round++) {
            for (int i = 0; i < 2000; i++) {
                String l = "line " + (++n) + " round " + round + "\n";
                append(log(), l);
                expected.append(l);
            }
            switch (round % 3) {
                case 0 -> Files.move(log(), dir.resolve("app.log." + round), StandardCopyOption.ATOMIC_MOVE);
                case 1 -> {
                    // copytruncate: the copy and the truncation race with the reader, as logrotate's do
                    Files.copy(log(), dir.resolve("app.log." + round));
                    try (var ch = java.nio.channels.FileChannel.open(log(), StandardOpenOption.WRITE)) {
                        ch.truncate(0);
                    }
                }
                default -> {
                    // a file deleted before anyone opened it is gone for every reader: let the reader catch up
                    // first (renamed and truncated files are found again however far behind it is)
                    try {
                        waitFor(() -> copied().length() >= expected.length());
                    } catch (AssertionError e) {
                        assertEquals(expected.toString(), copied(), "before round " + round + "'s deletion");
                    }
                    Files.delete(log());
                }
            }
            append(log(), "");
        }
        try {
            waitFor(() -> copied().length() >= expected.length());
        } catch (AssertionError e) {
            // fall through: the comparison below shows what is missing
        }
        stop.set(true);
        t.join(5000);
        assertEquals(null, failed.get());
        assertEquals(expected.toString(), copied());
    }

    private Thread runLive(Follow f, AtomicBoolean stop, AtomicReference<Throwable> failed) {
        Thread t = new Thread(() -> {
            try {
                Flow.from(f)
                        .to(Text.write(Output.file(out())))
                        .run(LocalRunner.get()
                                .withCheckpoints(state(), Duration.ofMillis(20))
                                .withStop(stop::get));
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        t.start();
        return t;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check c) throws Exception {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(10);
        }
    }
}
