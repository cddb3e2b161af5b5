package dev.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code sluice} command. Thin: each subcommand builds the same pipelines a user would write in Java.
 *
 * <p>Errors exit non-zero with one line naming the problem and where ({@code sluice: parking.csv line 787: ...});
 * {@code --verbose} adds the stack trace.
 */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Lazy, constant-memory data pipelines over CSV files and databases.",
        subcommands = {
            DemoCommand.class,
            GenerateCommand.class,
            ConvertCommand.class,
            CountCommand.class,
            Verbs.Headers.class,
            Verbs.Head.class,
            Verbs.Slice.class,
            Verbs.Select.class,
            Verbs.Search.class,
            Verbs.Cat.class,
            Verbs.Sort.class,
            Verbs.Group.class,
            Verbs.Frequency.class,
            Verbs.Dedup.class,
            Verbs.Stats.class,
            Verbs.JoinFiles.class,
            TailCommand.class,
            FlinkCommand.class,
            LoadCommand.class,
            ExportCommand.class,
            RunCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sluice demo                      the example pipelines over 1M generated rows",
            "  sluice count parking.csv         the number of records",
            "  sluice convert in.csv out.jsonl  CSV to JSON Lines (and back, by the extensions)",
            "  sluice search in.csv FORD | sluice select - 'Plate ID,Issue Date' | head",
            "  sluice tail app.log --format combined --state st --out access.csv   follow a log, resumable",
            "  sluice load in.csv --db jdbc:sqlite:p.db --table tickets",
            "  sluice run Pipeline.java in.csv  your own pipeline in one Java file",
            "  sluice help COMMAND              a command's options and examples",
            "",
            "An error prints one line and exits with 1 (--verbose adds the stack trace);",
            "a usage error exits with 2."
        })
public final class Main implements Runnable {

    @Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of an error.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a command is required (" + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with these streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        if (System.getProperty("picocli.converters.excludes") == null) {
            // Start-up: picocli readies converters for java.time and java.sql types by initializing those classes,
            // which
            // costs more than parsing a command line. No option has such a type; one that does needs its pattern
            // removed.
            System.setProperty("picocli.converters.excludes", "java\\.time\\..*,java\\.sql\\..*");
        }
        Main main = new Main();
        CommandLine cl = args.length > 0 ? withOnly(main, args[0]) : null;
        if (cl == null) {
            cl = new CommandLine(main);
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        withVersion(cl); // every command's -V, not just the top one's
        if (cl.getSubcommands().containsKey("run")) {
            cl.getSubcommands().get("run").setStopAtPositional(true); // what follows the file is the program's
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable usage = e;
            while (usage != null && !(usage instanceof UsageError)) {
                usage = usage.getCause();
            }
            if (usage != null) {
                commandLine.getErr().println("sluice: " + usage.getMessage());
                commandLine
                        .getErr()
                        .println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
                commandLine.getErr().flush();
                return 2;
            }
            if (brokenPipe(e)) {
                return 0; // the reader went away (| head): stop quietly, as other tools do
            }
            boolean verbose = parseResult.originalArgs().contains("--verbose");
            commandLine.getErr().println("sluice: " + describe(e));
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            for (CommandLine.Model.CommandSpec mixin :
                    commandLine.getCommandSpec().mixins().values()) {
                if (mixin.userObject() instanceof RunOptions) {
                    ((RunOptions) mixin.userObject()).failed(describe(e));
                }
            }
            commandLine.getErr().flush();
            return 1;
        });
        cl.setParameterExceptionHandler((e, args2) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("sluice: " + e.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            c.getErr().flush();
            return 2;
        });
        return cl.execute(args);
    }

    /**
     * Runs the command line with records written to {@code -} going to {@code records} and read from {@code -} coming
     * from {@code input} (for tests); returns the exit code.
     */
    public static int run(java.io.OutputStream records, java.io.InputStream input, PrintWriter err, String... args) {
        java.io.OutputStream oldOut = Io.stdout;
        java.io.InputStream oldIn = Io.stdin;
        Io.stdout = records;
        Io.stdin = input;
        try {
            PrintWriter out = new PrintWriter(
                    new java.io.OutputStreamWriter(records, java.nio.charset.StandardCharsets.UTF_8), true);
            int code = run(out, err, args);
            out.flush();
            return code;
        } finally {
            Io.stdout = oldOut;
            Io.stdin = oldIn;
        }
    }

    private static boolean brokenPipe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException
                    && t.getMessage() != null
                    && t.getMessage().contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The command line with just the subcommand {@code name}, or null if {@code name} is not one that can run alone.
     * Start-up time: picocli inspects every command it is given, which costs more than the JVM's own start, so a run
     * builds only the command it runs; help and completion, which list all commands, get them all.
     */
    static CommandLine withOnly(Main main, String name) {
        for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
            Command sub = c.getAnnotation(Command.class);
            if (sub == null
                    || !sub.name().equals(name)
                    || c == CommandLine.HelpCommand.class
                    || c == CompletionCommand.class) {
                continue;
            }
            CommandLine.Model.CommandSpec root = CommandLine.Model.CommandSpec.wrapWithoutInspection(main);
            Command top = Main.class.getAnnotation(Command.class);
            root.name(top.name()).mixinStandardHelpOptions(top.mixinStandardHelpOptions());
            root.versionProvider(new Version());
            for (java.lang.reflect.Field f : Main.class.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                if (o != null) {
                    root.addOption(CommandLine.Model.OptionSpec.builder(o.names())
                            .description(o.description())
                            .scopeType(o.scope())
                            .type(f.getType())
                            .build());
                }
            }
            CommandLine cl = new CommandLine(root);
            try {
                java.lang.reflect.Constructor<?> k = c.getDeclaredConstructor();
                k.setAccessible(true);
                cl.addSubcommand(name, new CommandLine(k.newInstance()));
            } catch (ReflectiveOperationException e) {
                return null;
            }
            return cl;
        }
        return null;
    }

    private static void withVersion(CommandLine cl) {
        cl.getCommandSpec().versionProvider(new Version());
        cl.getSubcommands().values().forEach(Main::withVersion);
    }

    /** The version, from {@code version.properties}, which the build fills in. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"sluice " + p.getProperty("version", "(unknown version)")};
        }
    }

    /** A one-line description of an error: its message, with the file for common I/O failures. */
    static String describe(Throwable e) {
        if (e instanceof java.io.UncheckedIOException && e.getCause() != null) {
            return describe(e.getCause());
        }
        if (e instanceof NoSuchFileException) {
            NoSuchFileException n = (NoSuchFileException) e;
            return n.getReason() == null || n.getReason().equals("no such file")
                    ? "no such file: " + n.getFile()
                    : n.getFile() + ": " + n.getReason();
        }
        if (e instanceof AccessDeniedException) {
            AccessDeniedException a = (AccessDeniedException) e;
            return "permission denied: " + a.getFile()
                    + (a.getReason() == null || a.getReason().equals("permission denied")
                            ? ""
                            : " (" + a.getReason() + ")");
        }
        if (e instanceof java.nio.file.FileSystemException
                && ((java.nio.file.FileSystemException) e).getFile() != null) {
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
            return f.getFile() + ": " + (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason());
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getCause() != null && e.getCause() != e
                    ? describe(e.getCause())
                    : e.getClass().getSimpleName();
        }
        return m.replace('\n', ' ');
    }
}
