package dev.sluice.flink;

import java.io.File;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * {@code concat} of two inputs, each in its order, on one subtask: the first input's records pass straight on; the
 * second's wait in a {@link Spool} until the first ends, are replayed, and pass straight on from then. Several inputs
 * are concatenated two at a time.
 */
final class Concat extends AbstractStreamOperator<Object>
        implements TwoInputStreamOperator<Object, Object, Object>, BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    private transient boolean firstEnded;
    private transient Spool waiting;
    private transient File dir;
    private transient StreamRecord<Object> reuse;

    @Override
    public void open() throws Exception {
        super.open();
        dir = Spool.dir(this);
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement1(StreamRecord<Object> element) {
        output.collect(reuse.replace(element.getValue()));
    }

    @Override
    public void processElement2(StreamRecord<Object> element) throws Exception {
        if (firstEnded) {
            output.collect(reuse.replace(element.getValue()));
            return;
        }
        if (waiting == null) {
            waiting = new Spool(dir, "sluice-concat-");
        }
        waiting.add(element.getValue());
    }

    @Override
    public void endInput(int input) throws Exception {
        if (input == 1 && !firstEnded) {
            firstEnded = true;
            if (waiting != null) {
                Spool s = waiting;
                waiting = null;
                s.replay(r -> output.collect(reuse.replace(r)));
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (waiting != null) {
                waiting.discard();
                waiting = null;
            }
        } finally {
            super.close();
        }
    }
}
