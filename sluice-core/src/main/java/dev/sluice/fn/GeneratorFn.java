package dev.sluice.fn;

import dev.sluice.Emitter;
import java.io.Serializable;

/**
 * A generator function: the body of a Python-style generator, written with an {@link Emitter}.
 *
 * <pre>{@code
 * Flow<Long> naturals = Flow.generate(out -> { for (long i = 0; ; i++) out.emit(i); });
 * }</pre>
 *
 * <p>The function may be endless. When the consumer stops early, the pending {@code emit} throws
 * {@link dev.sluice.GeneratorExit} (like Python's {@code GeneratorExit}), so the body's {@code finally}
 * blocks and try-with-resources run; do not swallow it.
 */
@FunctionalInterface
public interface GeneratorFn<T> extends Serializable {
    void generate(Emitter<T> out) throws Exception;
}
