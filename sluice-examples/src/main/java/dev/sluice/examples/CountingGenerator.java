package dev.sluice.examples;

import dev.sluice.CloseableIterator;
import dev.sluice.Flow;

/**
 * The seeds' counting generator, pulled with {@code next()}:
 *
 * <pre>
 * def infinite_sequence():
 *     num = 0
 *     while True:
 *         yield num
 *         num += 1
 * gen = infinite_sequence()
 * next(gen); next(gen)
 * </pre>
 *
 * <p>Pulled, the generator runs in lock-step with {@code next()}: the code after {@code emit} runs only when the
 * next value is asked for. Closing the iterator stops it, running its {@code finally} blocks.
 */
public final class CountingGenerator {
    private CountingGenerator() {}

    /** An endless flow of 0, 1, 2, ... */
    public static Flow<Integer> infiniteSequence() {
        return Flow.generate("infinite_sequence", out -> {
            int num = 0;
            while (true) {
                out.emit(num);
                num += 1;
            }
        });
    }

    public static void main(String[] args) {
        try (CloseableIterator<Integer> gen = infiniteSequence().iterator()) {
            System.out.println(gen.next());
            System.out.println(gen.next());
            System.out.println(gen.next());
        }
    }
}
