package dev.sluice.flink;

import dev.sluice.SluiceException;
import java.io.File;
import java.io.IOException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Puts the parts of a parallel read back in input order, on one subtask: the records of the part due next pass
 * straight on; those of later parts (read at the same time by other subtasks) wait in a file per part in Flink's
 * temporary directories, written with the records' own serializer, so memory stays flat whatever the input's size.
 * When the part due ends, the next one's file is replayed and its records pass straight on from then. The records
 * of one part arrive in order (one subtask reads a part, and a Flink channel keeps order), so the output is exactly
 * the input's order. The files are removed as they are replayed, and on failure.
 */
final class InOrder extends AbstractStreamOperator<Object>
        implements OneInputStreamOperator<Object, Object>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private final String name;

    private transient int due;
    private transient BitSet ended;
    private transient Map<Integer, Spool> waiting;
    private transient StreamRecord<Object> reuse;
    private transient File dir;

    InOrder(String name) {
        this.name = name;
    }

    @Override
    public void open() throws Exception {
        super.open();
        due = 0;
        ended = new BitSet();
        waiting = new HashMap<>();
        reuse = new StreamRecord<>(null);
        dir = Spool.dir(this);
    }

    @Override
    public void processElement(StreamRecord<Object> element) throws Exception {
        Object t = element.getValue();
        if (t instanceof Parts.End e) {
            ended.set(e.part());
            while (ended.get(due)) {
                due++;
                replay(due);
            }
            return;
        }
        DistinctFunction.Numbered n = (DistinctFunction.Numbered) t;
        int part = Parts.part(n.seq());
        if (part == due) {
            output.collect(reuse.replace(n.record()));
        } else if (part > due) {
            Spool s = waiting.get(part);
            if (s == null) {
                s = new Spool(dir, "sluice-part-" + part + "-");
                waiting.put(part, s);
            }
            s.add(n.record());
        } else {
            throw new SluiceException(name + ": a record of part " + part + " arrived after the part had ended");
        }
    }

    /** Sends on what waited of {@code part}, and removes its file. */
    private void replay(int part) throws IOException {
        Spool s = waiting.remove(part);
        if (s != null) {
            s.replay(r -> output.collect(reuse.replace(r)));
        }
    }

    @Override
    public void endInput() throws Exception {
        while (!waiting.isEmpty()) { // every part has ended by now: what waits goes in part order
            int next = waiting.keySet().stream().min(Integer::compare).orElseThrow();
            due = next;
            replay(next);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (waiting != null) {
                for (Spool s : waiting.values()) {
                    s.discard();
                }
                waiting.clear();
            }
        } finally {
            super.close();
        }
    }
}
