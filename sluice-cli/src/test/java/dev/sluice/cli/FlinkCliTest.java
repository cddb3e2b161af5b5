package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testdata.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on Flink: {@code --runner flink} (an embedded MiniCluster) and {@code sluice flink start|status|stop}
 * with {@code --runner flink://ADDRESS} on the real multi-process cluster it starts; outputs equal the local runner's.
 */
class FlinkCliTest {
    @TempDir
    Path dir;

    private static FilesAndVerbsTest.Result sluice(String... args) {
        return FilesAndVerbsTest.sluice(args);
    }

    private String sample() {
        return SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv")
                .toString();
    }

    private void same(String runner, String... verb) throws Exception {
        Path local = dir.resolve("local.csv");
        Path flink = dir.resolve("flink.csv");
        String[] a = java.util.Arrays.copyOf(verb, verb.length + 2);
        a[verb.length] = "--out";
        a[verb.length + 1] = local.toString();
        FilesAndVerbsTest.Result l = sluice(a);
        assertEquals(0, l.code(), l.err());
        String[] b = java.util.Arrays.copyOf(verb, verb.length + 4);
        b[verb.length] = "--out";
        b[verb.length + 1] = flink.toString();
        b[verb.length + 2] = "--runner";
        b[verb.length + 3] = runner;
        FilesAndVerbsTest.Result f = sluice(b);
        assertEquals(0, f.code(), f.err());
        assertArrayEquals(
                Files.readAllBytes(local), Files.readAllBytes(flink), String.join(" ", verb) + " on " + runner);
    }

    @Test
    void verbsOnAnEmbeddedFlinkWriteWhatTheyWriteLocally() throws Exception {
        same("flink", "sort", sample(), "--by", "Plate ID,Summons Number");
        same("flink", "group", sample(), "--by", "Registration State", "--agg", "count,sum:Violation Code");
        same("flink", "dedup", sample(), "--by", "Plate ID");
        Path makes = dir.resolve("makes.csv");
        Files.writeString(makes, "Vehicle Make,country\nTOYOT,JP\nFORD,US\nHONDA,JP\nFORD,again\n");
        same("flink", "join", sample(), makes.toString(), "--on", "Vehicle Make", "--left", "--threads", "3");
        same("flink", "stats", sample());
        Path sorted = dir.resolve("sorted.csv");
        assertEquals(
                0,
                sluice("sort", sample(), "--by", "Vehicle Make", "--out", sorted.toString())
                        .code());
        FilesAndVerbsTest.Result r = sluice(
                "join", sorted.toString(), makes.toString(), "--on", "Vehicle Make", "--sorted", "--runner", "flink");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("the Flink runner cannot run stage"), r.err());
        FilesAndVerbsTest.Result bad = sluice("head", sample(), "--runner", "spark");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--runner: local, flink or flink://HOST:PORT, was spark"), bad.err());
    }

    @Test
    void theDemoOnAnEmbeddedFlinkWritesWhatItWritesLocally() throws Exception {
        Path local = dir.resolve("local");
        Path flink = dir.resolve("flink");
        FilesAndVerbsTest.Result l = sluice("demo", "--rows", "3000", "--out", local.toString());
        assertEquals(0, l.code(), l.err());
        FilesAndVerbsTest.Result f = sluice(
                "demo",
                "--rows",
                "3000",
                "--input",
                local.resolve("parking_3000_rows_seed_1.csv").toString(),
                "--out",
                flink.toString(),
                "--runner",
                "flink");
        assertEquals(0, f.code(), f.err());
        assertTrue(f.err().contains("on FlinkRunner(MiniCluster"), f.err());
        for (String out : List.of("nj_ford_police.csv", "days_to_expiration.csv", "nj_ford_police_from_db.csv")) {
            assertArrayEquals(Files.readAllBytes(local.resolve(out)), Files.readAllBytes(flink.resolve(out)), out);
        }
    }

    @Test
    void flinkStartRunsARealClusterThatPipelinesRunOnAndStopLeavesNoProcess() throws Exception {
        Path cluster = dir.resolve("cluster");
        FilesAndVerbsTest.Result start = sluice(
                "flink", "start", "--taskmanagers", "2", "--slots", "2", "--port", "0", "--dir", cluster.toString());
        try {
            assertEquals(0, start.code(), start.err());
            String address = start.text().strip();
            assertTrue(address.matches("127\\.0\\.0\\.1:\\d+"), address);
            assertTrue(start.err().contains("1 JobManager and 2 TaskManagers × 2 slots"), start.err());
            FilesAndVerbsTest.Result status = sluice("flink", "status", "--dir", cluster.toString());
            assertEquals(0, status.code(), status.err());
            assertTrue(status.text().contains("2 TaskManagers, 4 slots"), status.text());
            same("flink://" + address, "sort", sample(), "--by", "Issue Date");
            FilesAndVerbsTest.Result jobs = sluice("flink", "jobs", "--dir", cluster.toString());
            assertEquals(0, jobs.code(), jobs.err());
            assertTrue(jobs.text().contains(" FINISHED "), jobs.text());
            assertTrue(jobs.text().contains("  parallelism 1 on {tm-"), jobs.text());
        } finally {
            FilesAndVerbsTest.Result stop = sluice("flink", "stop", "--dir", cluster.toString());
            assertEquals(0, stop.code(), stop.err());
        }
        List<String> pids = List.of(start.err()
                .replaceAll("(?s).*processes \\[([0-9, ]+)\\].*", "$1")
                .split(", "));
        for (String pid : pids) {
            assertFalse(
                    ProcessHandle.of(Long.parseLong(pid.strip()))
                            .map(ProcessHandle::isAlive)
                            .orElse(false),
                    "process " + pid + " left behind");
        }
        FilesAndVerbsTest.Result after = sluice("flink", "status", "--dir", cluster.toString());
        assertEquals(1, after.code());
        assertTrue(after.err().contains("no Flink cluster was started from"), after.err());
    }
}
