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
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
    description = "Lazy, constant-memory data pipelines.",
    subcommands = {DemoCommand.class, GenerateCommand.class, ConvertCommand.class, CountCommand.class,
        Verbs.Headers.class, Verbs.Head.class, Verbs.Slice.class, Verbs.Select.class, Verbs.Search.class,
        Verbs.Cat.class, LoadCommand.class, ExportCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (demo, generate, convert, count, load, export)");
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command line with these streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    Main main = new Main();
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Throwable usage = e;
      while (usage != null && !(usage instanceof UsageError)) {
        usage = usage.getCause();
      }
      if (usage != null) {
        commandLine.getErr().println("sluice: " + usage.getMessage());
        commandLine.getErr().println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
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
      } else {
        commandLine.getErr().println("(run with --verbose for the stack trace)");
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
      PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(records, java.nio.charset.StandardCharsets.UTF_8),
          true);
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
      if (t instanceof java.io.IOException && t.getMessage() != null && t.getMessage().contains("Broken pipe")) {
        return true;
      }
    }
    return false;
  }

  /** A one-line description of an error: its message, with the file for common I/O failures. */
  static String describe(Throwable e) {
    if (e instanceof java.io.UncheckedIOException && e.getCause() != null) {
      return describe(e.getCause());
    }
    if (e instanceof NoSuchFileException) {
      NoSuchFileException n = (NoSuchFileException) e;
      return n.getReason() == null || n.getReason().equals("no such file") ? "no such file: " + n.getFile()
          : n.getFile() + ": " + n.getReason();
    }
    if (e instanceof AccessDeniedException) {
      AccessDeniedException a = (AccessDeniedException) e;
      return "permission denied: " + a.getFile()
          + (a.getReason() == null || a.getReason().equals("permission denied") ? "" : " (" + a.getReason() + ")");
    }
    if (e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getFile() != null) {
      java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
      return f.getFile() + ": " + (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason());
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getCause() != null && e.getCause() != e ? describe(e.getCause()) : e.getClass().getSimpleName();
    }
    return m.replace('\n', ' ');
  }

}
