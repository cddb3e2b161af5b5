package dev.sluice.flink;

import dev.sluice.SluiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink cluster on this machine: one JobManager and N TaskManagers, each its own JVM on 127.0.0.1, started from
 * the jars on this JVM's class path (Flink publishes no distribution jar; its own tests start processes the same way).
 * {@link #start} waits until the REST API reports every TaskManager; the cluster's directory keeps its configuration,
 * logs, working files and process ids, so {@link #status} and {@link #stop} work from another process ({@code sluice flink status}).
 */
public final class FlinkCluster {
    private static final String STATE = "cluster.properties";
    private static final Pattern TASKMANAGER_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final Path dir;
    private final int restPort;
    private final List<Long> pids;

    private FlinkCluster(Path dir, int restPort, List<Long> pids) {
        this.dir = dir;
        this.restPort = restPort;
        this.pids = List.copyOf(pids);
    }

    /** The REST address, {@code 127.0.0.1:PORT}: what {@link FlinkRunner#remote} and {@code --runner flink://} take. */
    public String address() {
        return "127.0.0.1:" + restPort;
    }

    /** The process ids: the JobManager's first, then the TaskManagers'. */
    public List<Long> pids() {
        return pids;
    }

    /** The cluster's directory: {@code conf/config.yaml}, {@code log/*.out}, {@code cluster.properties}. */
    public Path dir() {
        return dir;
    }

    /**
     * Starts a JobManager and {@code taskManagers} TaskManagers of {@code slots} slots each, their files under {@code
     * dir}, the REST API on {@code restPort} (0: a free port). Returns when the REST API reports every TaskManager;
     * if they do not come up within two minutes, stops what it started and fails with the end of their logs.
     */
    public static FlinkCluster start(Path dir, int taskManagers, int slots, int restPort) throws IOException {
        if (taskManagers < 1 || slots < 1) {
            throw new IllegalArgumentException("a cluster needs at least one TaskManager and one slot");
        }
        Optional<FlinkCluster> running = find(dir);
        if (running.isPresent() && running.get().alive()) {
            throw new SluiceException("a Flink cluster is already running from " + dir + " at "
                    + running.get().address() + ": stop it first (sluice flink stop)");
        }
        int port = restPort > 0 ? restPort : freePort();
        int rpc = freePort();
        Path conf = dir.resolve("conf");
        Path log = dir.resolve("log");
        Path tmp =
                dir.resolve("tmp"); // the processes' working files stay in the cluster's directory, even after kill -9
        Files.createDirectories(conf);
        Files.createDirectories(log);
        Files.createDirectories(tmp);
        Files.writeString(
                conf.resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: 127.0.0.1",
                        "jobmanager.rpc.port: " + rpc,
                        "jobmanager.bind-host: 127.0.0.1",
                        "rest.address: 127.0.0.1",
                        "rest.bind-address: 127.0.0.1",
                        "rest.port: " + port,
                        "taskmanager.host: 127.0.0.1",
                        "taskmanager.bind-host: 127.0.0.1",
                        "taskmanager.numberOfTaskSlots: " + slots,
                        "taskmanager.cpu.cores: " + slots,
                        "taskmanager.memory.task.heap.size: 896m", // sorts and joins hold rows read back from the
                        // network
                        "taskmanager.memory.managed.size: 256m", // BATCH mode sorts each keyed input in managed memory
                        "taskmanager.memory.network.min: 64m",
                        "taskmanager.memory.network.max: 64m",
                        // started directly (not by Flink's scripts), a TaskManager needs every memory part set
                        "taskmanager.memory.task.off-heap.size: 0m",
                        "taskmanager.memory.framework.heap.size: 128m",
                        "taskmanager.memory.framework.off-heap.size: 128m",
                        "taskmanager.memory.jvm-metaspace.size: 256m",
                        "taskmanager.memory.jvm-overhead.min: 192m",
                        "taskmanager.memory.jvm-overhead.max: 192m",
                        "parallelism.default: 1",
                        "io.tmp.dirs: " + tmp,
                        "restart-strategy.type: fixed-delay",
                        "restart-strategy.fixed-delay.attempts: 3",
                        "restart-strategy.fixed-delay.delay: 2 s",
                        "heartbeat.timeout: 20000",
                        "heartbeat.interval: 2000",
                        ""));
        List<Long> pids = new ArrayList<>();
        try {
            pids.add(launch(
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    "-Xmx384m",
                    conf,
                    log.resolve("jobmanager.out"),
                    List.of()));
            for (int i = 1; i <= taskManagers; i++) {
                pids.add(launch(
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        "-Xmx1024m", // framework heap 128m + task heap 896m
                        conf,
                        log.resolve("taskmanager-" + i + ".out"),
                        List.of("-D", "taskmanager.resource-id=tm-" + i)));
            }
            FlinkCluster c = new FlinkCluster(dir, port, pids);
            c.save();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (c.taskManagers() < taskManagers) {
                if (System.nanoTime() > deadline || !c.alive()) {
                    throw new SluiceException("the Flink cluster did not come up: " + c.taskManagers() + " of "
                            + taskManagers + " TaskManagers after " + (c.alive() ? "two minutes" : "a process died")
                            + "; the end of its logs:\n" + tail(log));
                }
                sleep(300);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            new FlinkCluster(dir, port, pids).stop();
            throw e;
        }
    }

    private static long launch(String main, String heap, Path conf, Path out, List<String> extra) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add(heap);
        cmd.add("-XX:MaxDirectMemorySize=256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.addAll(List.of(
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.text=ALL-UNNAMED",
                "--add-opens=java.base/java.time=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.add("--configDir");
        cmd.add(conf.toString());
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return p.pid();
    }

    /** The cluster started from {@code dir}, if its state file is there (it may have died since). */
    public static Optional<FlinkCluster> find(Path dir) throws IOException {
        Path state = dir.resolve(STATE);
        if (!Files.exists(state)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(state)) {
            p.load(in);
        }
        List<Long> pids = new ArrayList<>();
        for (String s : p.getProperty("pids", "").split(",")) {
            if (!s.isBlank()) {
                pids.add(Long.parseLong(s.trim()));
            }
        }
        return Optional.of(new FlinkCluster(dir, Integer.parseInt(p.getProperty("rest.port")), pids));
    }

    private void save() throws IOException {
        Properties p = new Properties();
        p.setProperty("rest.port", Integer.toString(restPort));
        StringBuilder b = new StringBuilder();
        for (long pid : pids) {
            b.append(b.length() == 0 ? "" : ",").append(pid);
        }
        p.setProperty("pids", b.toString());
        try (OutputStream out = Files.newOutputStream(dir.resolve(STATE))) {
            p.store(out, "a Flink cluster started by sluice flink start");
        }
    }

    /** Whether every process of the cluster is alive. */
    public boolean alive() {
        for (long pid : pids) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false) {
                return false;
            }
        }
        return !pids.isEmpty();
    }

    /** The number of TaskManagers the REST API reports (0 if it does not answer). */
    public int taskManagers() {
        return taskManagerIds().size();
    }

    /** The ids of the TaskManagers the REST API reports ({@code tm-1}, ...), empty if it does not answer. */
    public List<String> taskManagerIds() {
        List<String> ids = new ArrayList<>();
        try {
            Matcher m = TASKMANAGER_ID.matcher(get("/taskmanagers"));
            while (m.find()) {
                ids.add(m.group(1));
            }
        } catch (IOException e) {
            // not up (yet)
        }
        return ids;
    }

    /** A GET of the REST API, e.g. {@code /overview}: the JSON it answers. */
    public String get(String path) throws IOException {
        return get(address(), path);
    }

    /** A GET of the REST API of the cluster at {@code address} ({@code host:port}): the JSON it answers. */
    static String get(String address, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://" + address + path).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10_000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /**
     * The cluster's jobs, newest first, each with its state and name, then a line per operator chain: its
     * parallelism and the TaskManagers its subtasks ran on (how many on each).
     */
    public List<String> jobs() throws IOException {
        var json = new org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper();
        List<org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode> jobs = new ArrayList<>();
        json.readTree(get("/jobs/overview")).get("jobs").forEach(jobs::add);
        jobs.sort((a, b) ->
                Long.compare(b.path("start-time").asLong(), a.path("start-time").asLong()));
        List<String> lines = new ArrayList<>();
        for (var job : jobs) {
            String jid = job.get("jid").asText();
            lines.add(String.format(
                    Locale.ROOT,
                    "%s %s %.1f s %s",
                    jid,
                    job.path("state").asText(),
                    job.path("duration").asLong() / 1000.0,
                    job.path("name").asText()));
            for (var vertex : json.readTree(get("/jobs/" + jid)).get("vertices")) {
                java.util.Map<String, Integer> on = new java.util.TreeMap<>();
                var detail = json.readTree(
                        get("/jobs/" + jid + "/vertices/" + vertex.get("id").asText()));
                for (var subtask : detail.get("subtasks")) {
                    on.merge(subtask.path("taskmanager-id").asText("?"), 1, Integer::sum);
                }
                lines.add(String.format(
                        Locale.ROOT,
                        "  parallelism %d on %s: %s",
                        vertex.get("parallelism").asInt(),
                        on,
                        vertex.path("name").asText()));
            }
        }
        return lines;
    }

    /** One line on the cluster: address, processes, TaskManagers, slots. */
    public String describe() {
        String overview;
        try {
            overview = get("/overview");
        } catch (IOException e) {
            return String.format(
                    Locale.ROOT,
                    "a Flink cluster at %s: not answering (%d of %d processes alive)",
                    address(),
                    pids.stream()
                            .filter(p -> ProcessHandle.of(p)
                                    .map(ProcessHandle::isAlive)
                                    .orElse(false))
                            .count(),
                    pids.size());
        }
        return String.format(
                Locale.ROOT,
                "a Flink cluster at %s: %s TaskManagers, %s slots (%s free), %s jobs running; processes %s",
                address(),
                field(overview, "taskmanagers"),
                field(overview, "slots-total"),
                field(overview, "slots-available"),
                field(overview, "jobs-running"),
                pids);
    }

    /** A number field of a REST answer, or "?". */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\\d+)")
                .matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    /** Stops every process (TERM, then KILL after 15 s) and removes the state file; no process is left behind. */
    public void stop() {
        List<ProcessHandle> handles = new ArrayList<>();
        for (int i = pids.size() - 1; i >= 0; i--) { // TaskManagers first
            ProcessHandle.of(pids.get(i)).ifPresent(h -> {
                h.destroy();
                handles.add(h);
            });
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (ProcessHandle h : handles) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                sleep(100);
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : handles) {
            try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by alive() below
            }
        }
        try {
            Files.deleteIfExists(dir.resolve(STATE));
        } catch (IOException e) {
            throw new SluiceException("stopped the Flink cluster, but could not remove " + dir.resolve(STATE), e);
        }
    }

    private static String tail(Path log) {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(log)) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                b.append("== ").append(f.getFileName()).append('\n');
                for (String l : lines.subList(Math.max(0, lines.size() - 15), lines.size())) {
                    b.append(l).append('\n');
                }
            }
        } catch (IOException e) {
            b.append("(logs unreadable: ").append(e.getMessage()).append(")");
        }
        return b.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException("interrupted while waiting for the Flink cluster", e);
        }
    }
}
