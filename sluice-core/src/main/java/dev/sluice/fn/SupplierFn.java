package dev.sluice.fn;

import java.io.Serializable;

/** A serializable supplier that may throw checked exceptions. */
@FunctionalInterface
public interface SupplierFn<T> extends Serializable {
    T get() throws Exception;
}
