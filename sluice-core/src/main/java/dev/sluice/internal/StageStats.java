package dev.sluice.internal;

import dev.sluice.MemoryClass;
import dev.sluice.StageSummary;

/** Internal: one stage's counters during a run. Written by the running thread, read racily for progress. */
public final class StageStats {
    public final String name;
    public final String kind;
    public final MemoryClass memoryClass;
    /** 0 for the source, then 1, 2, ... downstream. */
    public final int position;

    public long in;
    public long out;
    public long rejected;
    /** Records a window stage set aside as late (also counted in {@link #rejected}). */
    public long late;
    /** Bytes spilled to temporary files, and the peak of budget held (blocking stages). */
    public long spilled;

    public long peakMemory;

    public StageStats(String name, String kind, MemoryClass memoryClass, int position) {
        this.name = name;
        this.kind = kind;
        this.position = position;
        this.memoryClass = memoryClass;
    }

    public StageSummary summary() {
        return new StageSummary(name, kind, memoryClass, in, out, rejected, spilled, peakMemory, late);
    }

    /** Counters for a plan's stages (source first) and its sink, if any; repeated names get {@code #2}, {@code #3}. */
    public static java.util.List<StageStats> forPlan(java.util.List<Stage> stages, String sinkName) {
        return forPlan(stages, sinkName, new java.util.HashMap<>());
    }

    /** As {@link #forPlan(java.util.List, String)}, names made unique among those in {@code seen} (a whole graph's). */
    public static java.util.List<StageStats> forPlan(
            java.util.List<Stage> stages, String sinkName, java.util.Map<String, Integer> seen) {
        java.util.List<StageStats> stats = new java.util.ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            stats.add(new StageStats(unique(s.name(), seen), s.kind(), s.memoryClass(), i));
        }
        if (sinkName != null) {
            stats.add(new StageStats(unique(sinkName, seen), "sink", MemoryClass.STREAMING, stages.size()));
        }
        return stats;
    }

    private static String unique(String name, java.util.Map<String, Integer> seen) {
        int n = seen.merge(name, 1, Integer::sum);
        return n == 1 ? name : name + "#" + n;
    }

    /** The run's summary from its counters. */
    static dev.sluice.RunSummary summarize(
            java.util.List<StageStats> stats, RunState run, long startedNanos, long peakHeap) {
        java.util.List<StageSummary> list = new java.util.ArrayList<>();
        for (StageStats s : stats) {
            list.add(s.summary());
        }
        return new dev.sluice.RunSummary(
                list,
                run.rejected(),
                run.firstRejections(),
                java.time.Duration.ofNanos(System.nanoTime() - startedNanos),
                peakHeap);
    }
}
