package dev.sluice.cli;

import dev.sluice.Runner;

/** {@code --runner}: where a command's pipeline runs: here (the default), or on Apache Flink. */
final class Runners {
    private Runners() {}

    static final String DESCRIPTION = "Where the pipeline runs: local (default), flink (an embedded Flink MiniCluster)"
            + " or flink://HOST:PORT (a Flink cluster by its REST address, e.g. one `sluice flink start` started).";

    /** What {@code --threads} says of the work: on Flink, the parallelism. */
    static final String THREADS = "Threads for one uncompressed CSV file (default: all cores); with --runner flink...,"
            + " the job's parallelism (default: every slot of the cluster).";

    /** The runner {@code spec} names; {@code local} when it is null or {@code local}. */
    static Runner choose(String spec, Runner local) {
        return choose(spec, local, 0);
    }

    /**
     * The runner {@code spec} names; {@code local} when it is null or {@code local}. On Flink, jobs run with {@code
     * parallelism} subtasks, or (0) with every slot of the cluster.
     */
    static Runner choose(String spec, Runner local, int parallelism) {
        if (spec == null || spec.equals("local")) {
            return local;
        }
        if (spec.equals("flink")) {
            return flink(null, parallelism);
        }
        if (spec.startsWith("flink://") && spec.length() > "flink://".length()) {
            return flink(spec.substring("flink://".length()), parallelism);
        }
        throw new UsageError("--runner: local, flink or flink://HOST:PORT, was " + spec);
    }

    /** {@code threads} if the command line gave {@code --threads}, else 0 (the runner's default). */
    static int threadsGiven(picocli.CommandLine.Model.CommandSpec spec, int threads) {
        var parsed = spec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption("--threads") ? threads : 0;
    }

    private static Runner flink(String address, int parallelism) {
        available();
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error"); // Flink talks a lot
        }
        try {
            dev.sluice.flink.FlinkRunner r = address == null
                    ? dev.sluice.flink.FlinkRunner.local()
                    : dev.sluice.flink.FlinkRunner.remote(address);
            return parallelism > 0 ? r.withParallelism(parallelism) : r;
        } catch (IllegalArgumentException e) {
            throw new UsageError("--runner: " + e.getMessage());
        }
    }

    /** Fails with a usage error when the Flink runner is not on the class path. */
    static void available() {
        try {
            Class.forName("dev.sluice.flink.FlinkRunner");
        } catch (ClassNotFoundException | LinkageError e) {
            throw new UsageError("Flink is not on the class path: run this through the sluice launcher (./sluice), "
                    + "which adds the Flink runner when a command asks for it");
        }
    }

    /** Stops what the runner started (an embedded MiniCluster). */
    static void close(Runner r) {
        if (r instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new dev.sluice.SluiceException("stopping " + r + " failed: " + e.getMessage(), e);
            }
        }
    }
}
