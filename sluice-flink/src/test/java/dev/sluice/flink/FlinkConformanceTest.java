package dev.sluice.flink;

import dev.sluice.Runner;
import dev.sluice.testing.Capability;
import dev.sluice.testing.RunnerConformance;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * The conformance suite on a real Flink MiniCluster (2 TaskManagers × 2 slots, shared by the class). Each capability
 * the runner does not have yet is declared here, and each test that needs one reports itself skipped, naming it.
 */
class FlinkConformanceTest extends RunnerConformance {
    private static final FlinkRunner FLINK = FlinkRunner.local(2, 2);

    @AfterAll
    static void stop() {
        FLINK.close();
    }

    @Override
    protected Runner runner() {
        return FLINK;
    }

    @Override
    protected Set<Capability> skipped() {
        return Set.of(Capability.PULL, Capability.SORTED_INPUT);
    }
}
