package dev.sluice.cli;

import dev.sluice.SluiceException;
import dev.sluice.jdbc.Database;
import dev.sluice.jdbc.Jdbc;
import dev.sluice.jdbc.NoDriverException;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The flags every database command shares: {@code --db URL} and {@code --classpath JARS} for extra drivers. */
final class DatabaseOptions {
    /** The environment variable with more driver jars, like {@code --classpath}. */
    static final String ENV = "SLUICE_CLASSPATH";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--db",
            required = true,
            paramLabel = "URL",
            description = "JDBC URL, e.g. jdbc:sqlite:parking.db or jdbc:postgresql://host/db?user=u&password=p "
                    + "(bundled drivers: SQLite, PostgreSQL).")
    String url;

    @Option(
            names = "--classpath",
            paramLabel = "JARS",
            description = "More JDBC driver jars (or directories, or DIR/* for every jar in DIR), separated by "
                    + "'${sys:path.separator}'; also read from the environment variable " + ENV + ".")
    String classpath;

    /** The database, with its driver found (or a one-line error saying how to add one) before any work. */
    Database database() {
        List<Path> jars = new ArrayList<>();
        jars(classpath, "--classpath", jars);
        jars(System.getenv(ENV), ENV, jars);
        Database db = Jdbc.connect(url).withDriverJars(jars);
        try {
            db.checkDriver();
        } catch (NoDriverException e) {
            throw new SluiceException(
                    "No JDBC driver for " + e.url() + "; " + (jars.isEmpty() ? "bundled: " : "available: ")
                            + String.join(", ", e.available()) + "; add a driver jar with --classpath or " + ENV);
        } catch (SQLException e) {
            throw new SluiceException(Jdbc.redact(e.getMessage()), e);
        }
        return db;
    }

    private void jars(String list, String from, List<Path> out) {
        if (list == null || list.isBlank()) {
            return;
        }
        for (String entry : list.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                if (entry.endsWith("*")) {
                    Path dir = Path.of(
                            entry.substring(0, entry.length() - 1).isEmpty()
                                    ? "."
                                    : entry.substring(0, entry.length() - 1));
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
                        ds.forEach(out::add);
                    } catch (IOException e) {
                        throw new ParameterException(spec.commandLine(), from + ": no such directory: " + dir);
                    }
                } else {
                    Path p = Path.of(entry);
                    if (!Files.exists(p)) {
                        throw new ParameterException(spec.commandLine(), from + ": no such file: " + entry);
                    }
                    out.add(p);
                }
            } catch (InvalidPathException e) {
                throw new ParameterException(spec.commandLine(), from + ": not a path: " + entry);
            }
        }
    }
}
