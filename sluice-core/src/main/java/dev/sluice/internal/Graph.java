package dev.sluice.internal;

import dev.sluice.MemoryClass;
import dev.sluice.Source;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Internal: walks over a plan graph. A plan is a tree whose root is its last stage: every node's output feeds one
 * consumer (several sinks hang off the root as one sink). A <i>segment</i> is a run of single-input stages headed by
 * a source or a merging stage; a run links each segment into one fused chain.
 */
public final class Graph {
    private Graph() {}

    /** The segment ending at {@code tail}: its head (a source or a merging stage) first, {@code tail} last. */
    public static List<Stage> segment(Stage tail) {
        List<Stage> stages = new ArrayList<>();
        Stage s = tail;
        while (true) {
            stages.add(s);
            if (s.inputs().size() != 1) {
                break;
            }
            s = s.inputs().get(0);
        }
        Collections.reverse(stages);
        return stages;
    }

    /** Every node of the graph ending at {@code tail}, inputs before the nodes that read them, in input order. */
    public static List<Stage> nodes(Stage tail) {
        List<Stage> out = new ArrayList<>();
        collect(tail, out);
        return out;
    }

    private static void collect(Stage s, List<Stage> out) {
        for (Stage in : s.inputs()) {
            collect(in, out);
        }
        out.add(s);
    }

    /** The sources the graph reads, in input order. */
    public static List<Source<?>> sources(Stage tail) {
        List<Source<?>> out = new ArrayList<>();
        for (Stage s : nodes(tail)) {
            if (s instanceof SourceStage src) {
                out.add(src.source());
            }
        }
        return out;
    }

    /** Whether the output of {@code s} may be endless. */
    public static boolean unbounded(Stage s) {
        if (s instanceof SourceStage src) {
            return !src.source().bounded();
        }
        boolean any = false;
        for (Stage in : s.inputs()) {
            any |= unbounded(in);
        }
        return s.unbounded(any);
    }

    /** The first source that makes {@code s}'s input endless, or null. */
    static Source<?> endlessSource(Stage s) {
        for (Stage in : s.inputs()) {
            if (unbounded(in)) {
                return in instanceof SourceStage src ? src.source() : endlessSource(in);
            }
        }
        return null;
    }

    /**
     * Checks a node as it is added to a plan: a blocking stage (one that must see all its input before its last
     * output) is refused on an input that may be endless, naming the stage and the source.
     */
    public static Stage validate(Stage s) {
        List<Stage> inputs = s.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            Stage in = inputs.get(i);
            if (s.needsEnd(i) && unbounded(in)) {
                Source<?> src = in instanceof SourceStage ss ? ss.source() : endlessSource(in);
                String which = inputs.size() > 1 ? "its input " + (i + 1) : "its input";
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "%s needs all of %s before it can emit, but %s from %s may be endless: bound it first "
                                + "(limit(n)), or declare that it ends (bounded())",
                        s.name(),
                        inputs.size() > 1 ? "input " + (i + 1) : "its input",
                        which,
                        src == null ? "a source" : src.name()));
            }
        }
        return s;
    }

    /** Lines of {@code explain()} for the graph ending at {@code tail}, followed by a sink line if {@code sink}. */
    public static String explain(Stage tail, String sinkName) {
        List<String[]> rows = new ArrayList<>();
        explain(tail, "", rows);
        if (sinkName != null) {
            rows.add(new String[] {"", "-> ", sinkName, MemoryClass.STREAMING.toString(), "sink"});
        }
        int w = 0;
        for (String[] r : rows) {
            if (r[3] != null) {
                w = Math.max(w, r[0].length() + r[1].length() + r[2].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            if (r[3] == null) {
                sb.append(r[0]).append(r[2]).append('\n');
                continue;
            }
            String head = r[0] + r[1] + r[2];
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %-9s  %s", head, r[3], r[4])
                            .stripTrailing())
                    .append('\n');
        }
        return sb.toString();
    }

    private static void explain(Stage tail, String indent, List<String[]> rows) {
        List<Stage> seg = segment(tail);
        Stage head = seg.get(0);
        List<Stage> inputs = head.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            rows.add(new String[] {indent, "", "input " + (i + 1) + " of " + head.name() + ":", null, null});
            explain(inputs.get(i), indent + "    ", rows);
        }
        for (int i = 0; i < seg.size(); i++) {
            Stage s = seg.get(i);
            rows.add(new String[] {
                indent, i == 0 ? "   " : "-> ", s.name(), s.memoryClass().toString(), s.describe()
            });
        }
    }
}
