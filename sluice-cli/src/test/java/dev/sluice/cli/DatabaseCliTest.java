package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.CliTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice load} and {@code export} against real SQLite files, and H2 through a driver jar on --classpath. */
class DatabaseCliTest {
    @TempDir
    Path dir;

    Path csv;
    String url;

    @BeforeEach
    void setUp() throws IOException {
        csv = dir.resolve("kv.csv");
        Files.writeString(csv, "k,v\n1,a\n2,b\n3,c\n");
        url = "jdbc:sqlite:" + dir.resolve("t.db");
    }

    static Result sluice(String... args) {
        return CliTest.sluice(args);
    }

    private long scalar(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void exec(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void aTableWithRowsIsRefusedUnlessAppendReplaceOrUpsert() throws Exception {
        Result first = sluice("load", csv.toString(), "--db", url, "--table", "t");
        assertEquals(0, first.code(), first.err());
        Result again = sluice("load", csv.toString(), "--db", url, "--table", "t");
        assertEquals(1, again.code());
        assertEquals(
                "sluice: table t already has 3 rows; add --append to add to them, --replace to replace them, or "
                        + "--upsert KEY to update them by key",
                again.err().lines().findFirst().orElseThrow());
        assertEquals(3, scalar("SELECT count(*) FROM t"));

        Result append = sluice("load", csv.toString(), "--db", url, "--table", "t", "--append");
        assertEquals(0, append.code(), append.err());
        assertEquals(6, scalar("SELECT count(*) FROM t"));
        Result replace = sluice("load", csv.toString(), "--db", url, "--table", "t", "--replace");
        assertEquals(0, replace.code(), replace.err());
        assertTrue(
                replace.err().startsWith("loaded 3 rows into t in ")
                        && replace.err().contains("replacing its earlier " + "rows"),
                replace.err());
        assertEquals(3, scalar("SELECT count(*) FROM t"));

        Result both = sluice("load", csv.toString(), "--db", url, "--table", "t", "--append", "--replace");
        assertEquals(2, both.code());
        assertTrue(both.err().startsWith("sluice: --append and --replace cannot be used together"), both.err());

        exec("CREATE TABLE empty (k TEXT, v TEXT)");
        Result empty = sluice("load", csv.toString(), "--db", url, "--table", "empty");
        assertEquals(0, empty.code(), empty.err());
        assertEquals(3, scalar("SELECT count(*) FROM empty"));
    }

    @Test
    void upsertErrorsNameTheKey() throws Exception {
        assertEquals(
                0, sluice("load", csv.toString(), "--db", url, "--table", "t").code());
        Result noKey = sluice("load", csv.toString(), "--db", url, "--table", "t", "--upsert", "k");
        assertEquals(1, noKey.code());
        assertTrue(
                noKey.err()
                        .startsWith("sluice: cannot upsert on k: table t has no primary key or unique index on "
                                + "exactly that column"),
                noKey.err());
        assertTrue(noKey.err().contains("(CREATE UNIQUE INDEX \"t_key\" ON \"t\" (\"k\"))"), noKey.err());
        assertTrue(noKey.err().contains("; nothing was committed to t\n"), noKey.err());
        exec("CREATE UNIQUE INDEX \"t_key\" ON \"t\" (\"k\")");
        Result fixed = sluice("load", csv.toString(), "--db", url, "--table", "t", "--upsert", "k");
        assertEquals(0, fixed.code(), fixed.err());
        assertEquals(3, scalar("SELECT count(*) FROM t"));
        Result noCol = sluice("load", csv.toString(), "--db", url, "--table", "u", "--upsert", "nosuchcol");
        assertEquals(1, noCol.code());
        assertTrue(
                noCol.err().startsWith("sluice: no column nosuchcol in the header of kv.csv (columns are k, v)"),
                noCol.err());
        Result ok = sluice("load", csv.toString(), "--db", url, "--table", "u", "--upsert", "k");
        assertEquals(0, ok.code(), ok.err());
        Result twice = sluice("load", csv.toString(), "--db", url, "--table", "u", "--upsert", "k");
        assertEquals(0, twice.code(), twice.err());
        assertEquals(3, scalar("SELECT count(*) FROM u"));
    }

    @Test
    void aFailedLoadSaysWhatIsCommitted() throws Exception {
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "k,v\n1,a\n2,b\n3,c,extra\n4,d\n");
        Result r = sluice("load", ragged.toString(), "--db", url, "--table", "t", "--batch", "1");
        assertEquals(1, r.code());
        assertTrue(
                r.err().startsWith("sluice: ragged.csv line 4: ") && r.err().contains("; 2 rows were committed to t\n"),
                r.err());
        assertEquals(2, scalar("SELECT count(*) FROM t"));
        Result replace = sluice("load", ragged.toString(), "--db", url, "--table", "t", "--batch", "1", "--replace");
        assertEquals(1, replace.code());
        assertTrue(
                replace.err()
                        .contains("; nothing was committed (--replace loads in one transaction), and t keeps its "
                                + "earlier rows\n"),
                replace.err());
        assertEquals(2, scalar("SELECT count(*) FROM t"));
    }

    @Test
    void usageErrorsExit2BeforeAnyWork() {
        Path db = dir.resolve("never.db");
        for (String[] bad : List.of(new String[] {"--batch", "0"}, new String[] {"--batch", "-1"})) {
            Result r = sluice("load", csv.toString(), "--db", "jdbc:sqlite:" + db, "--table", "t", bad[0], bad[1]);
            assertEquals(2, r.code(), r.err());
            assertEquals(
                    "sluice: --batch must be at least 1, was " + bad[1],
                    r.err().lines().findFirst().orElseThrow());
        }
        Result fetch = sluice(
                "export",
                "--db",
                "jdbc:sqlite:" + db,
                "--query",
                "SELECT 1",
                "--out",
                dir.resolve("o.csv").toString(),
                "--fetch",
                "0");
        assertEquals(2, fetch.code());
        assertEquals(
                "sluice: --fetch must be at least 1, was 0",
                fetch.err().lines().findFirst().orElseThrow());
        Result table = sluice("load", csv.toString(), "--db", "jdbc:sqlite:" + db, "--table", "");
        assertEquals(2, table.code());
        assertEquals(
                "sluice: --table: the table name is empty",
                table.err().lines().findFirst().orElseThrow());
        Result jar = sluice(
                "load",
                csv.toString(),
                "--db",
                "jdbc:sqlite:" + db,
                "--table",
                "t",
                "--classpath",
                dir.resolve("nope.jar").toString());
        assertEquals(2, jar.code());
        assertEquals(
                "sluice: --classpath: no such file: " + dir.resolve("nope.jar"),
                jar.err().lines().findFirst().orElseThrow());
        Result copy = sluice("load", csv.toString(), "--db", "jdbc:sqlite:" + db, "--table", "t", "--copy");
        assertEquals(2, copy.code());
        assertEquals(
                "sluice: --copy is PostgreSQL's; jdbc:sqlite:" + db + " is not a PostgreSQL URL",
                copy.err().lines().findFirst().orElseThrow());
        assertFalse(Files.exists(db), "no database was created");
    }

    @Test
    void tableNamesAreQuotedOnceWithSchemas() throws Exception {
        for (String name : List.of("a\"b", "select", "x; DROP TABLE y")) {
            Result r = sluice("load", csv.toString(), "--db", url, "--table", name);
            assertEquals(0, r.code(), r.err());
            assertEquals(
                    1,
                    scalar("SELECT count(*) FROM sqlite_master WHERE name = '" + name.replace("'", "''") + "'"),
                    name);
        }
        Result schema = sluice("load", csv.toString(), "--db", url, "--table", "main.t2");
        assertEquals(0, schema.code(), schema.err());
        assertEquals(3, scalar("SELECT count(*) FROM t2"));
        Result dotted = sluice("load", csv.toString(), "--db", url, "--table", "\"x.y\"");
        assertEquals(0, dotted.code(), dotted.err());
        assertEquals(3, scalar("SELECT count(*) FROM \"x.y\""));
    }

    @Test
    void exportOpensSqliteReadOnly() throws Exception {
        Path typo = dir.resolve("typo.db");
        Result r = sluice(
                "export",
                "--db",
                "jdbc:sqlite:" + typo,
                "--query",
                "SELECT 1",
                "--out",
                dir.resolve("o.csv").toString());
        assertEquals(1, r.code());
        assertEquals(
                "sluice: connecting to jdbc:sqlite:" + typo + " failed: no such database file: " + typo,
                r.err().lines().findFirst().orElseThrow());
        assertFalse(Files.exists(typo), "no empty database left behind");
        assertFalse(Files.exists(dir.resolve("o.csv")));

        assertEquals(
                0, sluice("load", csv.toString(), "--db", url, "--table", "t").code());
        Result write = sluice(
                "export",
                "--db",
                url,
                "--query",
                "DELETE FROM t RETURNING *",
                "--out",
                dir.resolve("o.csv").toString());
        assertEquals(1, write.code());
        assertTrue(write.err().contains("readonly"), write.err());
        assertEquals(3, scalar("SELECT count(*) FROM t"));
    }

    /** The H2 driver jar from Maven's local repository (sluice-jdbc's tests use it; this module does not). */
    static Path h2Jar() throws IOException {
        String repo = System.getProperty("maven.repo.local");
        Path base = repo != null ? Path.of(repo) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path dir = base.resolve("com/h2database/h2");
        assertTrue(Files.isDirectory(dir), "H2 is in Maven's local repository: " + dir);
        try (Stream<Path> versions = Files.list(dir)) {
            return versions.map(v -> v.resolve("h2-" + v.getFileName() + ".jar"))
                    .filter(Files::exists)
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow();
        }
    }

    @Test
    void driversFromClasspathAndAClearErrorWithoutOne() throws Exception {
        assertFalse(isOnClassPath("org.h2.Driver"), "the command does not bundle H2");
        String h2 = "jdbc:h2:" + dir.resolve("h2db");
        Result none = sluice("load", csv.toString(), "--db", h2, "--table", "t");
        assertEquals(1, none.code());
        assertEquals(
                "sluice: No JDBC driver for " + h2 + "; bundled: SQLite (jdbc:sqlite:), PostgreSQL "
                        + "(jdbc:postgresql:); add a driver jar with --classpath or SLUICE_CLASSPATH",
                none.err().lines().findFirst().orElseThrow());
        Result mysql = sluice(
                "export",
                "--db",
                "jdbc:mysql://u:secretpw@localhost/x?password=secretpw",
                "--query",
                "q",
                "--out",
                dir.resolve("m.csv").toString());
        assertEquals(1, mysql.code());
        assertTrue(
                mysql.err().startsWith("sluice: No JDBC driver for jdbc:mysql://u:***@localhost/x?password=***; "),
                mysql.err());
        assertFalse(mysql.err().contains("secretpw"), mysql.err());

        String jar = h2Jar().toString();
        Result load = sluice("load", csv.toString(), "--db", h2, "--table", "kv", "--classpath", jar);
        assertEquals(0, load.code(), load.err());
        assertTrue(load.err().startsWith("loaded 3 rows into kv"), load.err());
        Path out = dir.resolve("back.csv");
        Result export = sluice(
                "export",
                "--db",
                h2,
                "--query",
                "SELECT * FROM \"kv\" ORDER BY \"k\"",
                "--out",
                out.toString(),
                "--classpath",
                dir + java.io.File.pathSeparator + jar);
        assertEquals(0, export.code(), export.err());
        assertEquals(Files.readString(csv), Files.readString(out));
        Path jars = Files.createDirectories(dir.resolve("jars"));
        Files.copy(Path.of(jar), jars.resolve("h2.jar"));
        Result refused = sluice("load", csv.toString(), "--db", h2, "--table", "kv", "--classpath", jars + "/*");
        assertEquals(1, refused.code());
        assertTrue(refused.err().startsWith("sluice: table kv already has 3 rows"), refused.err());
    }

    @Test
    void driversFromTheEnvironment() throws Exception {
        String h2 = "jdbc:h2:" + dir.resolve("envdb");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "load",
                        csv.toString(),
                        "--db",
                        h2,
                        "--table",
                        "kv")
                .redirectErrorStream(true);
        pb.environment().put(DatabaseOptions.ENV, h2Jar().toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.startsWith("loaded 3 rows into kv"), output);
    }

    private static boolean isOnClassPath(String name) {
        try {
            Class.forName(name, false, DatabaseCliTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
