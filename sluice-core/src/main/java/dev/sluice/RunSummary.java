package dev.sluice;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a run did: records in and out per stage, rejected records, elapsed time and peak heap.
 *
 * @param stages one entry per stage, sources first (each input of a merge before the merge) and the sink last
 * @param rejected records rejected in all, under a skip or dead-letter policy
 * @param firstRejections the first few rejections (at most 10), to show the user
 * @param elapsed wall-clock time of the run
 * @param peakHeapBytes the JVM's peak heap use during the run (sum of the heap pools' peaks)
 */
public record RunSummary(
        List<StageSummary> stages,
        long rejected,
        List<Rejected> firstRejections,
        Duration elapsed,
        long peakHeapBytes) {

    /** Records read by the sources (for a plan with several inputs, by all of them). */
    public long recordsIn() {
        long n = 0;
        for (StageSummary s : stages) {
            if (s.isSource()) {
                n += s.in();
            }
        }
        return n;
    }

    /** Bytes written to temporary files by all stages, because their state outgrew the memory budget. */
    public long spilledBytes() {
        long n = 0;
        for (StageSummary s : stages) {
            n += s.spilledBytes();
        }
        return n;
    }

    /**
     * Records that window stages received after their windows had closed, in all: they are also in {@link
     * #rejected()}, and in the dead letters.
     */
    public long late() {
        long n = 0;
        for (StageSummary s : stages) {
            n += s.late();
        }
        return n;
    }

    /** Records that reached the end of the pipeline (written by the sink, if there is one). */
    public long recordsOut() {
        return stages.isEmpty() ? 0 : stages.get(stages.size() - 1).out();
    }

    /** The summary for the stage named {@code name}. */
    public StageSummary stage(String name) {
        for (StageSummary s : stages) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no stage named '" + name + "'; stages: "
                + stages.stream().map(StageSummary::name).toList());
    }

    /** A small table, one line per stage, then totals. */
    @Override
    public String toString() {
        int w = 5;
        for (StageSummary s : stages) {
            w = Math.max(w, s.name().length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT, "%-" + w + "s  %-9s  %14s  %14s  %10s%n", "stage", "memory", "in", "out", "rejected"));
        for (StageSummary s : stages) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-" + w + "s  %-9s  %,14d  %,14d  %,10d%n",
                    s.name(),
                    s.memoryClass(),
                    s.in(),
                    s.out(),
                    s.rejected()));
        }
        double secs = elapsed.toNanos() / 1e9;
        sb.append(String.format(
                Locale.ROOT,
                "%,d records in, %,d out, %,d rejected%s; %.2f s (%,.0f records/s); peak heap %,d MB",
                recordsIn(),
                recordsOut(),
                rejected,
                late() > 0 ? String.format(Locale.ROOT, " (%,d late)", late()) : "",
                secs,
                secs > 0 ? recordsIn() / secs : 0.0,
                peakHeapBytes >> 20));
        for (Rejected r : firstRejections) {
            sb.append(System.lineSeparator()).append("  rejected: ").append(r);
        }
        return sb.toString();
    }
}
