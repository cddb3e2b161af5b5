package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testdata.MiniJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version, completion, --quiet, --summary-json and the terminal display, run in-process. */
class CliUsabilityTest {

    record Result(int code, String out, String err) {}

    static Result sluice(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs with standard error taken for an 80-column terminal. */
    static Result onTerminal(String... args) {
        System.setProperty("sluice.stderr.tty", "true");
        System.setProperty("sluice.columns", "80");
        try {
            return sluice(args);
        } finally {
            System.clearProperty("sluice.stderr.tty");
            System.clearProperty("sluice.columns");
        }
    }

    /** What the terminal shows: each redraw (after a carriage return) is a line of its own, escapes removed. */
    static List<String> screenLines(String err) {
        return List.of(err.replace("\033[K", "").split("[\r\n]+"));
    }

    @Test
    void helpListsEveryCommandOnOneLineWithExamples() {
        Result r = sluice("--help");
        assertEquals(0, r.code(), r.err());
        for (String line : r.out().split("\n")) {
            assertTrue(line.length() <= 80, line);
        }
        String commands =
                r.out().substring(r.out().indexOf("Commands:"), r.out().indexOf("Examples:"));
        for (String c : List.of(
                "demo",
                "generate",
                "convert",
                "count",
                "headers",
                "head",
                "slice",
                "select",
                "search",
                "cat",
                "sort",
                "group",
                "frequency",
                "dedup",
                "stats",
                "join",
                "tail",
                "flink",
                "load",
                "export",
                "run",
                "completion",
                "help")) {
            assertTrue(
                    commands.lines()
                            .anyMatch(l ->
                                    l.startsWith("  " + c + " ") && l.trim().endsWith(".")),
                    c + " has a one-line description ending in a full stop:\n" + commands);
        }
        assertEquals(24, commands.lines().filter(l -> !l.isBlank()).count(), "one line per command:\n" + commands);
        assertTrue(
                commands.lines().skip(1).filter(l -> !l.isBlank()).allMatch(l -> l.matches("  [a-z]+ +[A-Z].*\\.")),
                "one line per command, a whole sentence:\n" + commands);
        assertFalse(r.out().contains("seeds'"), r.out());
        assertTrue(r.out().contains("--verbose"), r.out());
        for (String c : List.of(
                "demo",
                "generate parking",
                "convert",
                "count",
                "load",
                "export",
                "run",
                "completion",
                "headers",
                "head",
                "slice",
                "select",
                "search",
                "cat")) {
            Result h = sluice((c + " --help").split(" "));
            assertEquals(0, h.code(), h.err());
            assertTrue(h.out().contains("Examples:\n  sluice " + c.split(" ")[0]), c + ":\n" + h.out());
            for (String line : h.out().split("\n")) {
                assertTrue(line.length() <= 80, c + ": " + line);
            }
            String examples = h.out().substring(h.out().indexOf("Examples:\n") + 10);
            assertTrue(
                    examples.lines().allMatch(l -> l.startsWith("  ")), c + ": an example was wrapped:\n" + examples);
        }
    }

    @Test
    void versionComesFromTheBuild() throws Exception {
        Result r = sluice("--version");
        assertEquals(0, r.code(), r.err());
        String pom = Files.readString(Path.of("pom.xml"));
        String version = pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));
        assertEquals("sluice " + version + "\n", r.out());
        assertEquals(r, sluice("count", "-V"));
        assertEquals(r, sluice("generate", "parking", "--version"));
    }

    @Test
    void completionPrintsABashScript() {
        Result r = sluice("completion", "bash");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out().substring(0, 100));
        assertTrue(r.out().contains("complete -F _complete_sluice"), "registers the completion function");
        assertTrue(r.out().contains("--summary-json"), "knows the options");
        assertEquals(2, sluice("completion", "fish").code());
    }

    @Test
    void enumsAreCaseInsensitiveAndErrorsOneLine(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("r.csv");
        Files.writeString(csv, "a,b\n1\n2,3\n");
        Result r = sluice("count", "--ragged", "Skip", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("1\n", r.out());
        Result bad = sluice("count", "--charset", "nosuch", csv.toString());
        assertEquals(2, bad.code(), "a bad flag value is a usage error");
        assertEquals(
                "sluice: --charset: unknown character set 'nosuch'",
                bad.err().lines().findFirst().orElseThrow());
        Result missing = sluice("count", dir.resolve("nope.csv").toString());
        assertEquals(1, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());
    }

    @Test
    void quietPrintsNothingButErrors(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("p.csv");
        Result g = onTerminal("generate", "parking", "--rows", "100", "--out", csv.toString(), "--quiet");
        assertEquals(new Result(0, "", ""), g);
        Result c = onTerminal(
                "convert", "-q", csv.toString(), dir.resolve("p.jsonl").toString());
        assertEquals(new Result(0, "", ""), c);
        Result missing = sluice(
                "convert",
                "-q",
                dir.resolve("nope.csv").toString(),
                dir.resolve("x.jsonl").toString());
        assertEquals(1, missing.code());
        assertEquals("sluice: no such file: " + dir.resolve("nope.csv") + "\n", missing.err());
    }

    @Test
    void summaryJsonForEveryCommand(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("p.csv");
        Path json = dir.resolve("s.json");
        assertEquals(
                0,
                sluice(
                                "generate",
                                "parking",
                                "--rows",
                                "300",
                                "--out",
                                csv.toString(),
                                "--summary-json",
                                json.toString())
                        .code());
        Map<?, ?> gen = (Map<?, ?>) MiniJson.parse(Files.readString(json));
        assertEquals(List.of(csv.toString()), gen.get("outputs"));

        Result count = sluice("count", csv.toString(), "--summary-json", "-");
        assertEquals(0, count.code(), count.err());
        List<String> lines = count.out().lines().toList();
        assertEquals("300", lines.get(0));
        Map<?, ?> s = (Map<?, ?>) MiniJson.parse(lines.get(1));
        assertEquals("sluice count", s.get("command"));
        assertEquals("300", s.get("result"));
        Map<?, ?> run = (Map<?, ?>) ((List<?>) s.get("runs")).get(0);
        assertEquals(300L, ((Number) run.get("records_in")).longValue());
        assertTrue(((Number) run.get("peak_heap_bytes")).longValue() > 0);
        assertTrue(((Number) s.get("elapsed_seconds")).doubleValue() > 0);

        Path jsonl = dir.resolve("p.jsonl");
        assertEquals(
                0,
                sluice("convert", csv.toString(), jsonl.toString(), "--summary-json", json.toString())
                        .code());
        Map<?, ?> conv = (Map<?, ?>) MiniJson.parse(Files.readString(json));
        assertEquals(List.of(jsonl.toString()), conv.get("outputs"));
        Map<?, ?> stages =
                (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) conv.get("runs")).get(0)).get("stages")).get(0);
        assertEquals("csv(p.csv)", stages.get("name"));
        assertEquals(300L, ((Number) stages.get("out")).longValue());

        String url = "jdbc:sqlite:" + dir.resolve("p.db");
        assertEquals(
                0,
                sluice("load", csv.toString(), "--db", url, "--table", "t", "--summary-json", json.toString())
                        .code());
        assertEquals(
                300L,
                ((Number) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) MiniJson.parse(Files.readString(json))).get("runs"))
                                        .get(0))
                                .get("records_out"))
                        .longValue());
        Path back = dir.resolve("back.csv");
        assertEquals(
                0,
                sluice(
                                "export",
                                "--db",
                                url,
                                "--query",
                                "SELECT * FROM t",
                                "--out",
                                back.toString(),
                                "--summary-json",
                                json.toString())
                        .code());
        assertEquals(List.of(back.toString()), ((Map<?, ?>) MiniJson.parse(Files.readString(json))).get("outputs"));

        // a failed run says so
        Result bad = sluice("count", dir.resolve("nope.csv").toString(), "--summary-json", json.toString());
        assertEquals(1, bad.code());
        Map<?, ?> failed = (Map<?, ?>) MiniJson.parse(Files.readString(json));
        assertEquals(false, failed.get("ok"));
        assertEquals("no such file: " + dir.resolve("nope.csv"), failed.get("error"));
    }

    @Test
    void onAnEightyColumnTerminalNothingWrapsAndTheLastBarHasTheTrueCount(@TempDir Path dir) {
        Result r = onTerminal(
                "demo",
                "--rows",
                "20000",
                "--out",
                dir.resolve("a-rather-long-output-directory-name").toString());
        assertEquals(0, r.code(), r.err());
        List<String> screen = screenLines(r.err());
        for (String line : screen) {
            assertTrue(line.length() < 80, "fits in 80 columns: " + line);
        }
        // a spinner while generating, then bars that end at 100% with the summary's count
        assertTrue(screen.stream().anyMatch(l -> l.startsWith("generate parking_20000_rows_seed_1.csv done")), r.err());
        for (String task : List.of("pipeline A", "pipeline B", "load")) {
            // the line a bar leaves on screen is the last redraw before a line break
            String last = java.util.Arrays.stream(r.err().split("\n"))
                    .filter(l -> l.contains("\r" + task + " "))
                    .findFirst()
                    .orElseThrow();
            String shown = screenLines(last).get(screenLines(last).size() - 1);
            assertTrue(shown.startsWith(task + " 100% ["), shown);
            assertTrue(shown.contains(" 20,000 records"), shown);
        }
        assertTrue(screen.stream().anyMatch(l -> l.startsWith("pipeline A from the db done")), r.err());
        assertTrue(screen.stream().anyMatch(l -> l.startsWith("stage ")), "summary tables:\n" + r.err());
        assertTrue(screen.stream().anyMatch(l -> l.startsWith("demo: pipelines A,B,DB over 20,000 records")), r.err());
    }

    @Test
    void runsAPipelineWrittenAsOneJavaFile(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("parking.csv");
        dev.sluice.examples.ParkingGenerator.write(in, 5000, 1);
        Path expected = dir.resolve("expected.csv");
        dev.sluice.Flow.from(dev.sluice.csv.Csv.read(in))
                .apply(dev.sluice.examples.ParkingPipelines.NJ_FORD_POLICE)
                .to(dev.sluice.csv.Csv.write(expected))
                .run();
        Path script = Path.of("../sluice-examples/scripts/Pipeline.java");
        // what the launcher does: the JDK's source launcher with Sluice on the class path
        Path viaJava = dir.resolve("via-java.csv");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        script.toString(),
                        in.toString(),
                        viaJava.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("5,000 records in"), output);
        assertEquals(Files.readAllLines(expected), Files.readAllLines(viaJava));
        // the run command starts that JVM itself
        Path viaCommand = dir.resolve("via-command.csv");
        Result r = sluice("run", script.toString(), in.toString(), viaCommand.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5,000 records in"), r.out());
        assertEquals(Files.readAllLines(expected), Files.readAllLines(viaCommand));
        Result missing = sluice("run", dir.resolve("Nope.java").toString());
        assertEquals(new Result(1, "", "sluice: no such file: " + dir.resolve("Nope.java") + "\n"), missing);
    }
}
