package dev.sluice.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Flow;
import dev.sluice.LocalRunner;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.csv.Csv;
import dev.sluice.examples.ParkingGenerator;
import dev.sluice.examples.ParkingPipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-process Flink cluster on this machine (1 JobManager + 2 TaskManagers, each its own JVM, one cluster
 * for the class): pipelines submitted by its REST address at parallelism 4 run on both TaskManagers and write the
 * local runner's bytes; a TaskManager killed with
 * {@code kill -9} in the middle of a job, the job recovers on the other and its output is still exactly the local
 * runner's; after stop, no process is left.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class FlinkClusterTest {
    @TempDir
    static Path clusterDir;

    @TempDir
    Path dir;

    private static FlinkCluster cluster;
    private static List<Long> pids;

    @BeforeAll
    static void start() throws Exception {
        cluster = FlinkCluster.start(clusterDir.resolve("cluster"), 2, 2, 0);
        pids = cluster.pids();
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.stop();
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " left");
        }
        assertFalse(FlinkCluster.find(clusterDir.resolve("cluster")).isPresent(), "the state file is removed");
    }

    /** The seeds' pipeline A, pipeline B, a sort and a join: what the cluster proof runs. */
    private static List<java.util.function.BiFunction<Path, Path, Flow<Row>>> pipelines() {
        return List.of(
                (tickets, regs) -> Flow.from(Csv.read(tickets)).apply(ParkingPipelines.NJ_FORD_POLICE),
                (tickets, regs) -> Flow.from(Csv.read(tickets)).apply(ParkingPipelines.DAYS_TO_EXPIRATION),
                (tickets, regs) -> Flow.from(Csv.read(tickets))
                        .map(r -> r.select("Summons Number", "Plate ID", "Violation Code"))
                        .sortBy("Plate ID", "Summons Number"),
                (tickets, regs) -> Flow.from(Csv.read(tickets))
                        .map(r -> r.select("Summons Number", "Plate ID"))
                        .join(
                                Flow.from(Csv.read(regs)).map(r -> r.select("Plate ID", "Owner Zip")),
                                dev.sluice.Join.on("Plate ID")));
    }

    /**
     * Pipelines A and B, a sort and a join over generated parking data at parallelism 4 on the 3-process cluster:
     * each writes the local runner's bytes, and the parallel steps ran on both TaskManagers.
     */
    @Test
    @org.junit.jupiter.api.Order(1)
    void pipelinesAtParallelismFourRunOnBothTaskManagersAndWriteTheLocalRunnersBytes() throws Exception {
        assertEquals(3, pids.size());
        assertEquals(
                List.of("tm-1", "tm-2"),
                cluster.taskManagerIds().stream().sorted().toList());
        assertTrue(cluster.describe().contains("2 TaskManagers, 4 slots"), cluster.describe());
        Path tickets = dir.resolve("tickets.csv");
        Path regs = dir.resolve("registrations.csv");
        ParkingGenerator.write(tickets, 100_000, 7);
        ParkingGenerator.writeRegistrations(dev.sluice.Output.file(regs), 100_000, 7);
        int n = 0;
        try (FlinkRunner flink =
                FlinkRunner.remote(cluster.address()).withParallelism(4).withSplitBytes(1 << 20)) {
            for (var p : pipelines()) {
                Path local = dir.resolve("local-" + n + ".csv");
                Path remote = dir.resolve("remote-" + n + ".csv");
                RunSummary l = p.apply(tickets, regs).to(Csv.write(local)).run(LocalRunner.get());
                RunSummary r = p.apply(tickets, regs).to(Csv.write(remote)).run(flink);
                assertTrue(l.recordsOut() > 50, "pipeline " + n + " writes rows: " + l.recordsOut());
                assertEquals(l.recordsOut(), r.recordsOut(), "pipeline " + n);
                assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(remote), "pipeline " + n);
                n++;
            }
        }
        assertEquals(java.util.Set.of("tm-1", "tm-2"), parallelSubtasksRanOn(), "subtasks ran on both TaskManagers");
    }

    /** The TaskManagers on which the subtasks of the finished jobs' vertices at parallelism 4 ran. */
    private static java.util.Set<String> parallelSubtasksRanOn() throws Exception {
        var json = new org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Set<String> tms = new java.util.TreeSet<>();
        int parallel = 0;
        for (var job : json.readTree(cluster.get("/jobs/overview")).get("jobs")) {
            String jid = job.get("jid").asText();
            for (var vertex : json.readTree(cluster.get("/jobs/" + jid)).get("vertices")) {
                if (vertex.get("parallelism").asInt() != 4) {
                    continue;
                }
                parallel++;
                String v = cluster.get(
                        "/jobs/" + jid + "/vertices/" + vertex.get("id").asText());
                for (var subtask : json.readTree(v).get("subtasks")) {
                    tms.add(subtask.get("taskmanager-id").asText());
                }
            }
        }
        assertTrue(parallel >= 4, "vertices at parallelism 4: " + parallel);
        return tms;
    }

    /**
     * A program's own function, in a jar the cluster has never seen: refused by the TaskManagers without the jar,
     * run with it shipped ({@code withJars}), writing the local runner's bytes.
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void aProgramsOwnClassesShipWithTheJob() throws Exception {
        Path src = dir.resolve("src/shipped/Shout.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package shipped;

                public class Shout implements dev.sluice.fn.MapFn<dev.sluice.Row, dev.sluice.Row> {
                    @Override
                    public dev.sluice.Row apply(dev.sluice.Row r) {
                        return r.select("Summons Number", "Plate ID").with("shout", r.get("Plate ID") + "!");
                    }
                }
                """);
        Path classes = dir.resolve("classes");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler()
                .run(
                        null,
                        null,
                        null,
                        "-d",
                        classes.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        src.toString());
        assertEquals(0, rc, "the program compiles");
        Path jar = dir.resolve("program.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("shipped/Shout.class"));
            out.write(Files.readAllBytes(classes.resolve("shipped/Shout.class")));
            out.closeEntry();
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (var loader =
                new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);
            @SuppressWarnings("unchecked")
            var shout = (dev.sluice.fn.MapFn<Row, Row>)
                    loader.loadClass("shipped.Shout").getConstructor().newInstance();
            Path in = dev.sluice.testdata.SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
            Path local = dir.resolve("local.csv");
            Path remote = dir.resolve("remote.csv");
            Flow.from(Csv.read(in)).map(shout).to(Csv.write(local)).run(LocalRunner.get());
            try (FlinkRunner without = FlinkRunner.remote(cluster.address())) {
                dev.sluice.SluiceException e = org.junit.jupiter.api.Assertions.assertThrows(
                        dev.sluice.SluiceException.class,
                        () -> Flow.from(Csv.read(in))
                                .map(shout)
                                .to(Csv.write(remote))
                                .run(without));
                assertTrue(e.getMessage().startsWith("the Flink cluster refused the job"), e.getMessage());
                assertTrue(e.getMessage().contains("FlinkRunner.withJars"), e.getMessage());
            }
            assertFalse(Files.exists(remote), "a failed job leaves no output");
            try (FlinkRunner with = FlinkRunner.remote(cluster.address()).withJars(jar)) {
                Flow.from(Csv.read(in)).map(shout).to(Csv.write(remote)).run(with);
            }
            assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(remote));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** Generated tickets, slowed a little so that a kill lands in the middle. */
    private static Flow<Row> slow(int rows) {
        return Flow.range(0, rows)
                .map(i -> {
                    if (i % 10_000 == 0) {
                        Thread.sleep(40); // about 8 s in all
                    }
                    return Row.of(
                            "id",
                            Long.toString(i),
                            "plate",
                            "P" + (i * 7919 % 100_003),
                            "fine",
                            Long.toString(i % 115));
                })
                .sortBy("plate", "id");
    }

    @Test
    @org.junit.jupiter.api.Order(3) // last: it kills a TaskManager
    void aTaskManagerKilledMidJobAndTheJobRecoversWithTheSameOutput() throws Exception {
        int rows = 2_000_000;
        Path local = dir.resolve("local.csv");
        Path remote = dir.resolve("remote.csv");
        slow(rows).to(Csv.write(local)).run(LocalRunner.get());
        CompletableFuture<RunSummary> job = CompletableFuture.supplyAsync(() -> {
            // parallelism 2: the job fits in the slots of the TaskManager that survives
            try (FlinkRunner flink = FlinkRunner.remote(cluster.address()).withParallelism(2)) {
                return slow(rows).to(Csv.write(remote)).run(flink);
            }
        });
        String tm = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (tm == null && System.nanoTime() < deadline) {
            tm = runningOn();
            Thread.sleep(200);
        }
        assertTrue(tm != null, "the job ran on a TaskManager");
        Thread.sleep(2_000); // mid-job
        long victim = pids.get(tm.equals("tm-1") ? 1 : 2);
        assertEquals(
                0,
                new ProcessBuilder("kill", "-9", Long.toString(victim)).start().waitFor());
        RunSummary s = job.get(4, TimeUnit.MINUTES);
        assertEquals(rows, s.recordsOut());
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(remote), "no record lost or repeated");
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of("local.csv", "remote.csv"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        String jobs = cluster.get("/jobs/overview");
        assertTrue(jobs.contains("\"state\":\"FINISHED\""), jobs);
        // the cluster carries on with one TaskManager; a second start from this directory is refused while it runs
        assertFalse(cluster.alive(), "one of its processes was killed");
    }

    /**
     * A followed log on a 3-process cluster of its own, appended to while the job runs: the TaskManager running the
     * job is killed with {@code kill -9} mid-stream, the job restarts from its last checkpoint on the other one (the
     * file's offsets are split state, the copy's length the sink's state), and the copy equals the log: nothing lost,
     * nothing repeated.
     */
    @Test
    @org.junit.jupiter.api.Order(4)
    void aTaskManagerKilledMidStreamAndTheFollowedLogIsCopiedExactlyOnce() throws Exception {
        FlinkCluster own = FlinkCluster.start(dir.resolve("streaming-cluster"), 2, 2, 0);
        List<Long> ownPids = own.pids();
        try {
            Path log = dir.resolve("app.log");
            Path out = dir.resolve("copy.log");
            Files.writeString(log, "");
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            CompletableFuture<RunSummary> job = CompletableFuture.supplyAsync(() -> {
                try (FlinkRunner flink = FlinkRunner.remote(own.address())
                        .withCheckpointInterval(java.time.Duration.ofMillis(200))
                        .withStop(stop::get)) {
                    return Flow.from(dev.sluice.logs.Follow.file(log).withPollEvery(java.time.Duration.ofMillis(20)))
                            .to(dev.sluice.text.Text.write(dev.sluice.Output.file(out)))
                            .run(flink);
                }
            });
            StringBuilder expected = new StringBuilder();
            String tm = null;
            boolean killed = false;
            StringBuilder chunk = new StringBuilder();
            for (int i = 1; i <= 150_000; i++) {
                chunk.append("line ").append(i).append(" of the followed log\n");
                if (i % 1500 == 0) { // 100 appends over about 10 s
                    Files.writeString(log, chunk, java.nio.file.StandardOpenOption.APPEND);
                    expected.append(chunk);
                    chunk.setLength(0);
                    Thread.sleep(100);
                    if (tm == null) {
                        tm = runningOn(own);
                    } else if (!killed && i >= 60_000) {
                        long victim = ownPids.get(tm.equals("tm-1") ? 1 : 2);
                        assertEquals(
                                0,
                                new ProcessBuilder("kill", "-9", Long.toString(victim))
                                        .start()
                                        .waitFor());
                        killed = true;
                    }
                }
            }
            assertTrue(killed, "a TaskManager was killed mid-stream");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while ((!Files.exists(out) || Files.size(out) < expected.length()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(1000); // anything written twice would show now
            stop.set(true);
            job.get(2, TimeUnit.MINUTES);
            assertEquals(expected.toString(), Files.readString(out), "no line lost or repeated");
        } finally {
            own.stop();
        }
    }

    /** The TaskManager running the first subtask of the running job's first vertex, or null. */
    private static String runningOn() throws Exception {
        return runningOn(cluster);
    }

    private static String runningOn(FlinkCluster cluster) throws Exception {
        Matcher job = Pattern.compile("\"jid\"\\s*:\\s*\"([0-9a-f]+)\"").matcher(cluster.get("/jobs/overview"));
        while (job.find()) {
            String detail = cluster.get("/jobs/" + job.group(1));
            if (!detail.contains("\"state\":\"RUNNING\"")) {
                continue;
            }
            Matcher vertex = Pattern.compile("\"vertices\"\\s*:\\s*\\[\\s*\\{\\s*\"id\"\\s*:\\s*\"([0-9a-f]+)\"")
                    .matcher(detail);
            if (!vertex.find()) {
                return null;
            }
            String v = cluster.get("/jobs/" + job.group(1) + "/vertices/" + vertex.group(1));
            Matcher tm =
                    Pattern.compile("\"taskmanager-id\"\\s*:\\s*\"(tm-\\d)\"").matcher(v);
            if (v.contains("\"status\":\"RUNNING\"") && tm.find()) {
                return tm.group(1);
            }
        }
        return null;
    }
}
