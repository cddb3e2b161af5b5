package dev.sluice.fn;

import java.io.Serializable;

/**
 * A serializable function from one record to another that may throw checked exceptions.
 *
 * <p>Serializable so that a plan can be shipped to another runner; throwing so that user code needs no
 * try/catch noise. An exception thrown here is handled by the run's error policy.
 */
@FunctionalInterface
public interface MapFn<T, R> extends Serializable {
    R apply(T t) throws Exception;
}
