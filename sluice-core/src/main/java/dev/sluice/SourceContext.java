package dev.sluice;

/**
 * What a source may ask of the run it is part of: chiefly, how to report a record it cannot read (a ragged CSV
 * row, a line that does not parse). The run's {@link ErrorPolicy} decides whether that fails the run or rejects the
 * record.
 */
public interface SourceContext {
    /**
     * Reports a bad input record. Under {@link ErrorPolicy#fail()} this throws a {@link DataException}; under the
     * other policies it counts (and dead-letters) the record and returns, and the source goes on to the next record.
     *
     * @param where where the record came from
     * @param rawText the record's raw text, or null
     * @param reason a one-line description of what is wrong
     * @param cause the underlying exception, or null
     */
    void reject(Location where, String rawText, String reason, Throwable cause);

    /**
     * Reports a bad input record that the source's own configuration says to skip (e.g. ragged rows with a skip
     * policy): it is counted and dead-lettered but never fails the run.
     */
    void skip(Location where, String rawText, String reason);
}
