package dev.sluice.fn;

import java.io.Serializable;

/** A serializable consumer that may throw checked exceptions. */
@FunctionalInterface
public interface ConsumerFn<T> extends Serializable {
    void accept(T t) throws Exception;
}
