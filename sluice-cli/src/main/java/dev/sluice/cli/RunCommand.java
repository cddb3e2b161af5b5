package dev.sluice.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice run Pipeline.java [ARGS...]}: runs a single-file Java program with Sluice on its class path, through
 * the JDK's source launcher, like {@code python script.py}. The {@code sluice} launcher runs it itself, in one JVM;
 * this command is what {@code java -jar sluice.jar run} does: it starts a second JVM with the same class path and
 * passes the program's output on.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs your own pipeline, written as one Java file.",
            "The file may import dev.sluice.* and declare a main method; no build needed (the JDK compiles it).",
            "Options go before FILE; everything after FILE is passed to the program."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sluice run Pipeline.java parking.csv",
            "  sluice run dev.sluice.examples.CountingGenerator",
            "  sluice run --classpath h2.jar:lib/my.jar Report.java",
            "  SLUICE_CLASSPATH=mysql-connector-j.jar sluice run Export.java"
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--classpath",
            paramLabel = "JARS",
            description = "More jars or directories for the program, separated by ':' (also: $SLUICE_CLASSPATH).")
    String classpath;

    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description =
                    "The Java source file, e.g. Pipeline.java; or a main class, e.g. dev.sluice.examples.LogProcessing.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the program.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (file.toString().endsWith(".java") && !Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        String cp = System.getProperty("java.class.path");
        for (String extra : new String[] {classpath, System.getenv("SLUICE_CLASSPATH")}) {
            if (extra != null && !extra.isBlank()) {
                cp += File.pathSeparator + extra;
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv("JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            cmd.addAll(List.of(opts.trim().split("\\s+")));
        }
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", cp, file.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .start();
        // the program's output goes to this command's streams (standard output and error, or a test's writers)
        Thread out = copy(p.getInputStream(), spec.commandLine().getOut());
        Thread err = copy(p.getErrorStream(), spec.commandLine().getErr());
        int code = p.waitFor();
        out.join();
        err.join();
        return code;
    }

    private static Thread copy(java.io.InputStream from, java.io.PrintWriter to) {
        Thread t = new Thread(
                () -> {
                    char[] buf = new char[8192];
                    try (java.io.Reader r =
                            new java.io.InputStreamReader(from, java.nio.charset.Charset.defaultCharset())) {
                        for (int n; (n = r.read(buf)) >= 0; ) {
                            to.write(buf, 0, n);
                            to.flush();
                        }
                    } catch (java.io.IOException e) {
                        // the program ended; its exit code tells
                    }
                },
                "sluice-run-output");
        t.start();
        return t;
    }
}
