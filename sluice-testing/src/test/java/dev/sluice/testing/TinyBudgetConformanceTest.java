package dev.sluice.testing;

import dev.sluice.LocalRunner;
import dev.sluice.Runner;

/**
 * The conformance suite on the local runner with a 256 KiB memory budget for its blocking stages, so every sort in
 * it spills and merges: the results must be those of an unlimited budget.
 */
class TinyBudgetConformanceTest extends RunnerConformance {
    @Override
    protected Runner runner() {
        return LocalRunner.get().withMemory(256 << 10);
    }
}
