package dev.sluice.csv;

/** What a CSV source does with a record whose field count differs from the header's (or the first record's). */
public enum RaggedPolicy {
    /**
     * Report it as a bad record: the run's {@link dev.sluice.ErrorPolicy} decides (by default the run fails with
     * the file, line and field counts). The default.
     */
    FAIL,
    /** Drop it; it is counted as rejected (and dead-lettered if the run has a dead-letter sink), never fatal. */
    SKIP,
    /** Keep it: missing trailing fields are absent ({@code null}), extra fields are dropped. */
    PAD
}
