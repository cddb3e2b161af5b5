package dev.sluice.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Flow;
import dev.sluice.LocalRunner;
import dev.sluice.Row;
import dev.sluice.csv.Csv;
import dev.sluice.testdata.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real multi-process Flink cluster on this machine (1 JobManager + 2 TaskManagers, each its own JVM), a pipeline
 * submitted to it by its REST address, the output equal to the local runner's, and no process left after stop.
 */
class FlinkClusterTest {
    @TempDir
    Path dir;

    private static Flow<Row> pipeline(Path in) {
        return Flow.from(Csv.read(in))
                .filter(r -> r.is("Registration State", "NY"))
                .map(r -> r.select("Summons Number", "Plate ID", "Violation Code"))
                .sortBy("Plate ID", "Summons Number");
    }

    @Test
    void startsRunsAPipelineAndStopsLeavingNoProcess() throws Exception {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        FlinkCluster c = FlinkCluster.start(dir.resolve("cluster"), 2, 2, 0);
        List<Long> pids = c.pids();
        try {
            assertEquals(3, pids.size());
            assertEquals(
                    List.of("tm-1", "tm-2"),
                    c.taskManagerIds().stream().sorted().toList());
            assertTrue(c.describe().contains("2 TaskManagers, 4 slots"), c.describe());
            Path local = dir.resolve("local.csv");
            Path remote = dir.resolve("remote.csv");
            pipeline(in).to(Csv.write(local)).run(LocalRunner.get());
            try (FlinkRunner flink = FlinkRunner.remote(c.address())) {
                pipeline(in).to(Csv.write(remote)).run(flink);
            }
            assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(remote));
            assertTrue(FlinkCluster.find(dir.resolve("cluster")).isPresent(), "the state file names the cluster");
        } finally {
            c.stop();
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " left");
        }
        assertFalse(FlinkCluster.find(dir.resolve("cluster")).isPresent());
    }
}
