package dev.sluice.fn;

import java.io.Serializable;

/** A serializable predicate that may throw checked exceptions. */
@FunctionalInterface
public interface FilterFn<T> extends Serializable {
    boolean test(T t) throws Exception;
}
