package dev.sluice.fn;

import java.io.Serializable;

/** A serializable function from one record to zero or more records, that may throw checked exceptions. */
@FunctionalInterface
public interface FlatMapFn<T, R> extends Serializable {
    Iterable<? extends R> apply(T t) throws Exception;
}
