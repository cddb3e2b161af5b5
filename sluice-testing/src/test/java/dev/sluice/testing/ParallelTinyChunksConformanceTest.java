package dev.sluice.testing;

import dev.sluice.LocalRunner;
import dev.sluice.Runner;

/**
 * The conformance suite on the local runner with 2 threads and 1-byte chunks: every record boundary of a CSV file
 * is a chunk boundary, so the parallel path's stitching is exercised on every record.
 */
class ParallelTinyChunksConformanceTest extends RunnerConformance {
    @Override
    protected Runner runner() {
        return LocalRunner.get().withThreads(2).withChunkBytes(1);
    }
}
