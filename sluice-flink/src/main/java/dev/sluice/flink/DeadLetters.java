package dev.sluice.flink;

import dev.sluice.ErrorPolicy;
import dev.sluice.Rejected;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.flink.util.OutputTag;

/**
 * Dead letters on Flink: each operator's rejected records leave it on a side output ({@link #TAG}), and the runner
 * sends the side outputs of every operator to the plan's dead-letter sink, written once, on one subtask. Inside an
 * operator, its error policy's dead-letter sink is replaced by one that hands each rejection to the operator.
 */
final class DeadLetters {
    private DeadLetters() {}

    /** The side output of rejected records. */
    static final OutputTag<Object> TAG = new OutputTag<>("sluice-dead-letters", RecordType.INSTANCE);

    /** A rejection on its way from a source reader to the first operator, which puts it on the side output. */
    record Letter(Rejected rejected) implements Serializable {}

    /**
     * {@code policy} with its dead letters handed to {@code to} instead of written (the same mode and limit); {@code
     * policy} itself when it has no dead-letter sink.
     */
    static ErrorPolicy local(ErrorPolicy policy, Consumer<Rejected> to) {
        if (policy.deadLetters() == null) {
            return policy;
        }
        return ErrorPolicy.deadLetter(new Handed(policy.deadLetters().name(), to))
                .withLimit(policy.maxRejected());
    }

    /** A dead-letter "sink" that hands each rejection on; it lives inside one operator and is never shipped. */
    private static final class Handed implements Sink<Rejected> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final transient Consumer<Rejected> to;

        Handed(String name, Consumer<Rejected> to) {
            this.name = name;
            this.to = to;
        }

        @Override
        public SinkWriter<Rejected> open() {
            return new SinkWriter<>() {
                @Override
                public void write(Rejected r) {
                    to.accept(r);
                }

                @Override
                public void close(boolean success) {}
            };
        }

        @Override
        public String name() {
            return name;
        }
    }
}
