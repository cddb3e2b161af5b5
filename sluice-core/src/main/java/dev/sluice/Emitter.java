package dev.sluice;

/**
 * Where a {@link dev.sluice.fn.GeneratorFn generator} sends its values: the Java form of Python's {@code yield}.
 *
 * <p>{@link #emit} hands one value downstream. When the consumer has stopped (a {@code limit} was reached, the
 * iterator was closed, a later stage failed), {@code emit} throws {@link GeneratorExit} so the generator unwinds
 * and its {@code finally} blocks run. Not thread-safe: call it only from the generator's own thread.
 */
public interface Emitter<T> {
    /**
     * Sends one value downstream.
     *
     * @param value the value; must not be null
     * @throws GeneratorExit when the consumer has stopped; let it propagate
     */
    void emit(T value);

    /** Sends every value of {@code values} downstream, in order. */
    default void emitAll(Iterable<? extends T> values) {
        for (T v : values) {
            emit(v);
        }
    }
}
