package dev.sluice.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice flink start|status|stop}: a real Flink cluster on this machine, one JVM per process. */
@Command(
        name = "flink",
        mixinStandardHelpOptions = true,
        description = {
            "Starts, shows and stops a Flink cluster on this machine.",
            "A JobManager and N TaskManagers, each its own JVM on 127.0.0.1, from the jars Sluice is built with. "
                    + "Run pipelines on it with --runner flink://127.0.0.1:PORT."
        },
        subcommands = {
            FlinkCommand.Start.class,
            FlinkCommand.Status.class,
            FlinkCommand.Jobs.class,
            FlinkCommand.Stop.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sluice flink start --taskmanagers 2 --slots 2",
            "  sluice convert parking.csv out.jsonl --runner flink://127.0.0.1:8081",
            "  sluice flink status",
            "  sluice flink jobs",
            "  sluice flink stop"
        })
final class FlinkCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Where a cluster's files live: {@code --dir}, else $SLUICE_FLINK_DIR, else ~/.sluice/flink. */
    static Path dir(String option) {
        if (option != null) {
            return Path.of(option);
        }
        String env = System.getenv("SLUICE_FLINK_DIR");
        return env != null && !env.isEmpty()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".sluice", "flink");
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts a cluster and waits for it.")
    static final class Start implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--taskmanagers", paramLabel = "N", description = "TaskManagers (default: ${DEFAULT-VALUE}).")
        int taskManagers = 2;

        @Option(names = "--slots", paramLabel = "S", description = "Slots per TaskManager (default: ${DEFAULT-VALUE}).")
        int slots = 2;

        @Option(
                names = "--port",
                paramLabel = "P",
                description = "The REST port; 0 for a free one (default: ${DEFAULT-VALUE}).")
        int port = 8081;

        @Option(names = "--dir", paramLabel = "DIR", description = "The cluster's files (default: ~/.sluice/flink).")
        String dir;

        @Override
        public Integer call() throws Exception {
            if (taskManagers < 1 || slots < 1 || port < 0) {
                throw new UsageError("--taskmanagers and --slots must be at least 1, --port at least 0");
            }
            Runners.available();
            long t0 = System.nanoTime();
            List<String> c = Clusters.start(dir(dir), taskManagers, slots, port); // address, processes, logs
            spec.commandLine().getOut().println(c.get(0));
            spec.commandLine()
                    .getErr()
                    .printf(
                            "sluice: started a Flink cluster at %s in %.1f s: 1 JobManager and %d TaskManagers × %d "
                                    + "slots (processes %s; logs in %s); stop it with: sluice flink stop%n",
                            c.get(0), (System.nanoTime() - t0) / 1e9, taskManagers, slots, c.get(1), c.get(2));
            return 0;
        }
    }

    /** A command on the cluster started from {@code --dir}: status or stop. */
    abstract static class OnCluster implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "The cluster's files (default: ~/.sluice/flink).")
        String dir;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows the cluster's address and size.")
    static final class Status extends OnCluster {
        @Override
        public Integer call() throws Exception {
            Runners.available();
            return Clusters.status(
                    dir(dir), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    @Command(
            name = "jobs",
            mixinStandardHelpOptions = true,
            description = "Lists the cluster's jobs, newest first, and where their subtasks ran.")
    static final class Jobs extends OnCluster {
        @Override
        public Integer call() throws Exception {
            Runners.available();
            return Clusters.jobs(
                    dir(dir), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops every process of the cluster.")
    static final class Stop extends OnCluster {
        @Override
        public Integer call() throws Exception {
            Runners.available();
            return Clusters.stop(dir(dir), spec.commandLine().getErr());
        }
    }

    /**
     * The cluster operations, apart from the commands: picocli reads the commands' members reflectively when it
     * builds the command line, so they must not name Flink's or the Flink runner's types, which are on the class
     * path only when a command asks for Flink (the launcher adds them).
     */
    static final class Clusters {
        private Clusters() {}

        /** Starts a cluster: its address, its process ids and its log directory. */
        static List<String> start(Path dir, int taskManagers, int slots, int port) throws java.io.IOException {
            dev.sluice.flink.FlinkCluster c = dev.sluice.flink.FlinkCluster.start(dir, taskManagers, slots, port);
            return List.of(
                    c.address(), c.pids().toString(), c.dir().resolve("log").toString());
        }

        static int status(Path dir, java.io.PrintWriter out, java.io.PrintWriter err) throws java.io.IOException {
            var c = dev.sluice.flink.FlinkCluster.find(dir);
            if (c.isEmpty()) {
                err.println("sluice: no Flink cluster was started from " + dir);
                return 1;
            }
            out.println(c.get().describe());
            return c.get().alive() ? 0 : 1;
        }

        static int jobs(Path dir, java.io.PrintWriter out, java.io.PrintWriter err) throws java.io.IOException {
            var c = dev.sluice.flink.FlinkCluster.find(dir);
            if (c.isEmpty()) {
                err.println("sluice: no Flink cluster was started from " + dir);
                return 1;
            }
            for (String line : c.get().jobs()) {
                out.println(line);
            }
            return 0;
        }

        static int stop(Path dir, java.io.PrintWriter err) throws java.io.IOException {
            var c = dev.sluice.flink.FlinkCluster.find(dir);
            if (c.isEmpty()) {
                err.println("sluice: no Flink cluster was started from " + dir);
                return 1;
            }
            c.get().stop();
            err.println("sluice: stopped the Flink cluster at " + c.get().address() + " (processes "
                    + c.get().pids() + ")");
            return 0;
        }
    }
}
