package dev.sluice;

/** One run's open view of a {@link Sink}. */
public interface SinkWriter<T> {
  /**
   * Writes one record. A {@link DataException} here means the record is bad (it is handled by the run's error
   * policy); any other exception fails the run.
   */
  void write(T record) throws Exception;

  /**
   * Finishes the run. Called exactly once.
   *
   * @param success true when the run completed; false when it failed, in which case a sink should discard
   *     what it wrote where it can (e.g. delete a partial file) rather than leave output that looks complete
   */
  void close(boolean success) throws Exception;
}
