package dev.sluice.testing;

import dev.sluice.LocalRunner;
import dev.sluice.Runner;

/** The conformance suite on the local runner, as plans ask (sequential here). */
class LocalRunnerConformanceTest extends RunnerConformance {
    @Override
    protected Runner runner() {
        return LocalRunner.get();
    }
}
