package dev.sluice.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Agg;
import dev.sluice.Flow;
import dev.sluice.LocalRunner;
import dev.sluice.Output;
import dev.sluice.RunSummary;
import dev.sluice.Window;
import dev.sluice.csv.Csv;
import dev.sluice.logs.Follow;
import dev.sluice.logs.Logs;
import dev.sluice.text.Text;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endless plans on the Flink runner (a real MiniCluster, STREAMING with checkpoints): a followed log copied through
 * an injected failure exactly once (the file's offsets are Flink split state, the sink's length its writer state),
 * and event-time windows whose state is checkpointed, through a failure, equal to the local runner's.
 */
class FlinkStreamingTest {
    private static final FlinkRunner FLINK = FlinkRunner.local(1, 2).withCheckpointInterval(Duration.ofMillis(100));
    private static final Path ACCESS = Path.of("../../shared/data/logs/apache-access/apache_logs");

    /** Failures injected once per test: static, as the MiniCluster runs the job in this JVM. */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    static final AtomicLong SEEN = new AtomicLong();

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        FLINK.close();
    }

    /** What fails the job: the task fails and restarts from its last checkpoint. */
    static final class InjectedFailure extends Error {
        private static final long serialVersionUID = 1L;

        InjectedFailure() {
            super("a failure injected by the test");
        }
    }

    /** Fails the job once, after {@code after} records, and never again. */
    static <T> T failOnceAfter(T t, long after) {
        if (SEEN.incrementAndGet() == after && FAILED.compareAndSet(false, true)) {
            // an Error, not an exception: under a skip policy an exception would only reject the record
            throw new InjectedFailure();
        }
        return t;
    }

    private static Thread run(Runnable r, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        return t;
    }

    private static void waitFor(java.util.function.BooleanSupplier ok, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!ok.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void aFollowedLogIsCopiedExactlyOnceThroughAFailureAndARotation() throws Exception {
        FAILED.set(false);
        SEEN.set(0);
        Path log = dir.resolve("app.log");
        Path out = dir.resolve("copy.log");
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            expected.append("line ").append(i).append('\n');
        }
        Files.writeString(log, expected);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<RunSummary> summary = new AtomicReference<>();
        Thread t = run(
                () -> summary.set(Flow.from(Follow.file(log).withPollEvery(Duration.ofMillis(20)))
                        .map(l -> failOnceAfter(l, 12_000))
                        .to(Text.write(Output.file(out)))
                        .run(FLINK.withStop(stop::get))),
                failure);
        waitFor(() -> size(out) >= expected.length(), 60);
        Files.move(log, dir.resolve("app.log.1")); // rotated by rename while the job follows it
        StringBuilder more = new StringBuilder();
        for (int i = 5001; i <= 20_000; i++) {
            String l = "line " + i + "\n";
            more.append(l);
            if (i % 1000 == 0) {
                Files.writeString(
                        log, more, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                more.setLength(0);
                Thread.sleep(50);
            }
            expected.append(l);
        }
        waitFor(() -> size(out) >= expected.length(), 120);
        Thread.sleep(500); // anything written twice would show now
        stop.set(true);
        t.join(60_000);
        assertEquals(null, failure.get());
        assertTrue(FAILED.get(), "the failure was injected");
        assertEquals(expected.toString(), Files.readString(out));
        assertTrue(summary.get() != null);
    }

    /**
     * 1-minute counts per status over the real access log, followed on Flink with a failure in the middle, equal what
     * the local runner emits reading the same file to its end without closing the last windows (Flink's stop
     * without drain keeps them open too).
     */
    @Test
    void eventTimeWindowsSurviveAFailureAndEqualTheLocalRunners() throws Exception {
        Assumptions.assumeTrue(Files.exists(ACCESS), "shared data: logs/apache-access/apache_logs is absent");
        FAILED.set(false);
        SEEN.set(0);
        Path log = dir.resolve("access.log");
        Files.copy(ACCESS, log);
        Window w = Window.tumbling(Duration.ofMinutes(1)).on("time").outOfOrder(Duration.ofSeconds(60));
        Path local = dir.resolve("local.csv");
        Flow.from(Follow.file(log).once())
                .map(Logs.combined())
                .window(w)
                .groupBy("status")
                .aggregate(Agg.count())
                .onError(dev.sluice.ErrorPolicy.skip()) // line 8899 is malformed
                .to(Csv.write(local))
                .run(LocalRunner.get()
                        .withCheckpoints(dir.resolve("local-state"), Duration.ofMillis(100))
                        .withDrainAtEnd(false));
        List<String> want = new ArrayList<>(Files.readAllLines(local));
        Path out = dir.resolve("flink.csv");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = run(
                () -> Flow.from(Follow.file(log).withPollEvery(Duration.ofMillis(20)))
                        .map(l -> failOnceAfter(l, 6000))
                        .map(Logs.combined())
                        .window(w)
                        .groupBy("status")
                        .aggregate(Agg.count())
                        .onError(dev.sluice.ErrorPolicy.skip())
                        .to(Csv.write(out))
                        .run(FLINK.withStop(stop::get)),
                failure);
        waitFor(() -> lines(out) >= want.size(), 120);
        Thread.sleep(500);
        stop.set(true);
        t.join(60_000);
        assertEquals(null, failure.get());
        assertTrue(FAILED.get(), "the failure was injected");
        List<String> got = new ArrayList<>(Files.readAllLines(out));
        Collections.sort(want);
        Collections.sort(got);
        assertEquals(want, got);
    }

    private static long lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p).size() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
