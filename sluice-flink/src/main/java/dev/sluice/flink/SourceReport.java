package dev.sluice.flink;

import dev.sluice.Rejected;
import java.io.Serializable;
import java.util.List;

/**
 * What a source's reader saw on one split, sent down the stream after the split's last record (Flink 2 gives sources
 * no accumulators): records it rejected under a skip policy, and the first of them. The fused operator folds it into
 * the run's counts and passes no record on.
 */
record SourceReport(int split, long rejected, List<Rejected> first) implements Serializable {}
