package dev.sluice.fn;

import dev.sluice.Flow;
import java.io.Serializable;

/** A reusable stage: a plain function from one flow to another, used with {@link Flow#apply}. */
@FunctionalInterface
public interface FlowFn<A, B> extends Serializable {
    Flow<B> apply(Flow<A> flow);
}
