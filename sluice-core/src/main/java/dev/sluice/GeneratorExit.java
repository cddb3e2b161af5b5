package dev.sluice;

/**
 * Thrown by {@link Emitter#emit} when the consumer of a generator has stopped, like Python's
 * {@code GeneratorExit}. Generators must let it propagate (clean up in {@code finally}). It carries no stack trace.
 */
public final class GeneratorExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GeneratorExit() {
        super("the consumer of this generator has stopped", null, false, false);
    }
}
