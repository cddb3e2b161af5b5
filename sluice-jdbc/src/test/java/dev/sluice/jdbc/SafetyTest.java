package dev.sluice.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.SluiceException;
import dev.sluice.csv.Csv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading safely into SQLite (a real database file): replacing in one transaction, upsert and header checks, names
 * quoted once with schemas, read-only opening; and the masking of passwords in messages.
 */
class SafetyTest {
    @TempDir
    Path dir;

    Database db;

    @BeforeEach
    void setUp() {
        db = Jdbc.connect("jdbc:sqlite:" + dir.resolve("s.db"));
    }

    private void exec(String... sql) throws Exception {
        try (Connection c = db.open();
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private List<String> strings(String sql) {
        return Flow.from(db.query(sql)).map(r -> r.get(0)).toList();
    }

    private static List<Row> kv(String... keys) {
        List<Row> rows = new ArrayList<>();
        for (String k : keys) {
            rows.add(Row.of("k", k, "v", "new " + k));
        }
        return rows;
    }

    @Test
    void replaceEmptiesTheTableInTheLoadsTransaction() throws Exception {
        exec(
                "CREATE TABLE r (k TEXT PRIMARY KEY, v TEXT)",
                "INSERT INTO r VALUES ('a', 'old'), ('b', 'old'), ('c', 'old')");
        // record 4 repeats record 1, which is in an earlier batch: found by the retry, and nothing is committed
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(kv("x", "y", "z", "x"))
                        .to(db.table("r").write().withReplace(true).withBatchSize(2))
                        .run());
        assertTrue(e.getMessage().startsWith("writing to r failed on record 4: "), e.getMessage());
        assertTrue(
                e.getMessage()
                        .endsWith("the whole load was rolled back (replacing loads in one transaction): nothing "
                                + "is committed, and r keeps its earlier rows"),
                e.getMessage());
        assertEquals(List.of("a", "b", "c"), strings("SELECT k FROM r ORDER BY k"));

        long[] committed = {-1};
        Flow.from(kv("x", "y", "z"))
                .to(db.table("r").write().withReplace(true).withBatchSize(2).withCommitListener(n -> committed[0] = n))
                .run();
        assertEquals(List.of("x", "y", "z"), strings("SELECT k FROM r ORDER BY k"));
        assertEquals(3, committed[0], "one commit, at the end");

        Flow.from(List.<Row>of()).to(db.table("r").write().withReplace(true)).run();
        assertEquals(OptionalLong.of(0), db.table("r").count(), "replacing with no rows empties the table");
        Flow.from(List.<Row>of())
                .to(db.table("never").write().withReplace(true))
                .run();
        assertEquals(OptionalLong.empty(), db.table("never").count());
    }

    @Test
    void appendCommitsBatchByBatchAndTellsTheListener() throws Exception {
        List<Long> commits = new ArrayList<>();
        Flow.from(kv("a", "b", "c", "d", "e"))
                .to(db.table("t").write().withCreateTable(true).withBatchSize(2).withCommitListener(commits::add))
                .run();
        assertEquals(List.of(2L, 4L, 5L), commits);
        assertEquals(OptionalLong.of(5), db.table("t").count());
    }

    @Test
    void upsertNeedsAKeyColumnAndAUniqueConstraintOnIt() throws Exception {
        exec("CREATE TABLE nk (k TEXT, v TEXT)", "INSERT INTO nk VALUES ('a', 'old')");
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(kv("a"))
                        .to(db.table("nk").write().withUpsert("k"))
                        .run());
        assertTrue(
                e.getMessage()
                        .startsWith("cannot upsert on k: table nk has no primary key or unique index on exactly "
                                + "that column"),
                e.getMessage());
        assertEquals(List.of("old"), strings("SELECT v FROM nk"), "nothing written");
        exec("CREATE UNIQUE INDEX nk_k ON nk (k)");
        Flow.from(kv("a")).to(db.table("nk").write().withUpsert("k")).run();
        assertEquals(List.of("new a"), strings("SELECT v FROM nk"), "a unique index will do");

        List<Row> wide = new ArrayList<>();
        Object[] kvs = new Object[30];
        for (int i = 0; i < 15; i++) {
            kvs[2 * i] = "column " + i;
            kvs[2 * i + 1] = "x";
        }
        wide.add(Row.of(kvs));
        SluiceException missing = assertThrows(
                SluiceException.class,
                () -> Flow.from(wide)
                        .to(db.table("w").write().withCreateTable(true).withUpsert("nosuchcol"))
                        .run());
        assertEquals(
                "no column nosuchcol in the header (columns are column 0, column 1, column 2, column 3, column 4, "
                        + "column 5, column 6, column 7, column 8, column 9, ... 5 more); an upsert key must be a column",
                missing.getMessage());
        assertEquals(OptionalLong.empty(), db.table("w").count(), "checked before the table is created");
    }

    @Test
    void headerProblemsAreNamed(@TempDir Path files) throws Exception {
        Path dup = files.resolve("dup.csv");
        Files.writeString(dup, "a,b,A\n1,2,3\n");
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(Csv.read(dup))
                        .to(db.table("d").write().withCreateTable(true))
                        .run());
        assertEquals(
                "the header of dup.csv names a column twice: column 1 'a' and column 3 'A' are the same column in d "
                        + "(SQLite ignores the case of names)",
                e.getMessage());
        SluiceException same = assertThrows(
                SluiceException.class,
                () -> Flow.of(Row.of("a", "1", "a", "2"))
                        .to(db.table("d").write().withCreateTable(true))
                        .run());
        assertEquals(
                "the header names a column twice: column 1 'a' and column 2 'a' are the same column in d",
                same.getMessage());
        Path empty = files.resolve("empty.csv");
        Files.writeString(empty, "a,,c\n1,2,3\n");
        SluiceException blank = assertThrows(
                SluiceException.class,
                () -> Flow.from(Csv.read(empty))
                        .to(db.table("d").write().withCreateTable(true))
                        .run());
        assertEquals(
                "the header of empty.csv has an empty name for column 2; every column needs a name to be written "
                        + "to d (columns are a, , c)",
                blank.getMessage());
        assertEquals(OptionalLong.empty(), db.table("d").count());
    }

    @Test
    void namesAreQuotedOnceAndADotSeparatesTheSchema() throws Exception {
        exec("CREATE TABLE y (i INTEGER)");
        for (String name : List.of("a\"b", "x; DROP TABLE y", "x\"; DROP TABLE y; --", "e'f", "g`h", "select")) {
            Flow.of(Row.of("c", "1"))
                    .to(db.table(name).write().withCreateTable(true))
                    .run();
            assertEquals(OptionalLong.of(1), db.table(name).count(), name);
            assertEquals(
                    List.of(name),
                    strings("SELECT name FROM sqlite_master WHERE name = '" + name.replace("'", "''") + "'"),
                    "created once-quoted: " + name);
        }
        assertEquals(OptionalLong.of(0), db.table("y").count(), "y survived");

        Flow.of(Row.of("c", "1"))
                .to(db.table("main.t2").write().withCreateTable(true))
                .run();
        assertEquals(List.of("t2"), strings("SELECT name FROM sqlite_master WHERE name LIKE 't2%'"));
        assertEquals("\"main\".\"t2\"", db.table("main.t2").sqlName());
        assertEquals(1, Flow.from(db.table("main", "t2").readByKey("c")).count());
        Flow.of(Row.of("c", "1"))
                .to(db.table("\"x.y\"").write().withCreateTable(true))
                .run();
        assertEquals(List.of("x.y"), strings("SELECT name FROM sqlite_master WHERE name = 'x.y'"));
        assertEquals("\"a\"\"b\"", db.table("\"a\"\"b\"").sqlName());
        assertEquals("\"a\"\"b\"", db.table("a\"b").sqlName());

        for (String bad : List.of("", ".t", "s.", "a..b", "\"open", "\"a\"b", "a.b.c.d")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> db.table(bad), bad);
            assertTrue(e.getMessage().startsWith("the table name "), e.getMessage());
        }
        assertEquals(
                "the table name is empty",
                assertThrows(IllegalArgumentException.class, () -> db.table("")).getMessage());
    }

    @Test
    void headerNamesThatLookLikeSqlStayNames() throws Exception {
        exec("CREATE TABLE y (i INTEGER)");
        Row r = Row.of("a\"b", "1", "c;d", "2", "select", "3", "\"x\"); DROP TABLE y; --", "4", "e'f", "5", "g`h", "6");
        Flow.of(r).to(db.table("h").write().withCreateTable(true)).run();
        Row back = Flow.from(db.query("SELECT * FROM h")).first().orElseThrow();
        assertEquals(r.schema().names(), back.schema().names());
        assertEquals(List.of("1", "2", "3", "4", "5", "6"), back.values());
        assertEquals(OptionalLong.of(0), db.table("y").count(), "y survived");
    }

    @Test
    void readOnlyNeverCreatesADatabaseFile() {
        Path missing = dir.resolve("typo.db");
        Database ro = Jdbc.connect("jdbc:sqlite:" + missing).withReadOnly(true);
        SluiceException e = assertThrows(
                SluiceException.class, () -> Flow.from(ro.query("SELECT 1")).count());
        assertEquals(
                "connecting to jdbc:sqlite:" + missing + " failed: no such database file: " + missing, e.getMessage());
        assertFalse(Files.exists(missing));

        Flow.of(Row.of("c", "1"))
                .to(db.table("t").write().withCreateTable(true))
                .run();
        Database existing = db.withReadOnly(true);
        assertEquals(1, Flow.from(existing.query("SELECT * FROM t")).count());
        SluiceException write = assertThrows(
                SluiceException.class,
                () -> Flow.of(Row.of("c", "2")).to(existing.table("t").write()).run());
        assertTrue(write.getMessage().contains("readonly"), write.getMessage());
    }

    @Test
    void noDriverListsTheDriversAvailable() {
        Database mysql = Jdbc.connect("jdbc:nosuchdb://u:secretpw@localhost/x?password=secretpw2");
        NoDriverException e = assertThrows(NoDriverException.class, mysql::checkDriver);
        assertEquals("jdbc:nosuchdb://u:***@localhost/x?password=***", e.url());
        assertTrue(
                e.available().containsAll(List.of("SQLite (jdbc:sqlite:)", "PostgreSQL (jdbc:postgresql:)")),
                e.available().toString());
        assertFalse(e.getMessage().contains("secretpw"), e.getMessage());
        SluiceException q = assertThrows(
                SluiceException.class, () -> Flow.from(mysql.query("SELECT 1")).count());
        assertTrue(
                q.getMessage()
                        .startsWith(
                                "No JDBC driver for jdbc:nosuchdb://u:***@localhost/x?password=***; " + "available: "),
                q.getMessage());
    }

    @Test
    void redactMasksEveryFormOfPassword() {
        assertEquals(
                "jdbc:postgresql://h:5432/db?user=u&password=***&ssl=true",
                Jdbc.redact("jdbc:postgresql://h:5432/db?user=u&password=s3cr%26t&ssl=true"));
        assertEquals("jdbc:postgresql://h/db?password=***", Jdbc.redact("jdbc:postgresql://h/db?password=x"));
        assertEquals(
                "jdbc:sqlserver://h;user=u;Password=***;db=x",
                Jdbc.redact("jdbc:sqlserver://h;user=u;Password=p;db=x"));
        assertEquals("jdbc:h2:tcp://h/db;USER=u;PASSWORD=***", Jdbc.redact("jdbc:h2:tcp://h/db;USER=u;PASSWORD=p"));
        assertEquals("jdbc:mysql://u:***@h:3306/db", Jdbc.redact("jdbc:mysql://u:p4ss@h:3306/db"));
        assertEquals("jdbc:oracle:thin:scott/***@h:1521/x", Jdbc.redact("jdbc:oracle:thin:scott/tiger@h:1521/x"));
        assertEquals(
                "jdbc:postgresql://h:5432/db?user=u&sslpassword=***",
                Jdbc.redact("jdbc:postgresql://h:5432/db?user=u&sslpassword=k"));
        assertEquals(
                "query failed on jdbc:postgresql://h/db?user=u&password=*** ERROR: x",
                Jdbc.redact("query failed on jdbc:postgresql://h/db?user=u&password=pw ERROR: x"));
        assertEquals("jdbc:postgresql://h:5432/db?user=u", Jdbc.redact("jdbc:postgresql://h:5432/db?user=u"));
        assertEquals("jdbc:sqlite:/tmp/p.db", Jdbc.redact("jdbc:sqlite:/tmp/p.db"));
        Database db = Jdbc.connect("jdbc:postgresql://h/db?user=u&password=secretpw");
        assertEquals("jdbc:postgresql://h/db?user=u&password=***", db.url());
        assertEquals(db.url(), db.toString());
        assertEquals("a *** b", db.redact("a secretpw b"));
    }

    @Test
    void batchMessagesKeepTheErrorAndLoseTheRowValues() {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 43; i++) {
            values.append(i == 0 ? "" : ", ")
                    .append("('value number ")
                    .append(i)
                    .append(" of the row')");
        }
        String pg =
                "Batch entry 17 INSERT INTO \"t\" (\"a\", \"b\") VALUES (" + values + ") was aborted: ERROR: duplicate "
                        + "key value violates unique constraint \"t_pkey\"\n  Detail: Key (id)=(3) already exists.  Call "
                        + "getNextException to see other errors in the batch.";
        String m = TableSink.shortMessage(
                pg,
                "ERROR: duplicate key value violates unique constraint \"t_pkey\"\n  Detail: "
                        + "Key (id)=(3) already exists.");
        assertEquals(
                "ERROR: duplicate key value violates unique constraint \"t_pkey\" Detail: Key (id)=(3) already "
                        + "exists.",
                m);
        assertEquals(
                "ERROR: new row for relation \"t\" violates check constraint \"c\"",
                TableSink.shortMessage(
                        "ERROR: new row for relation \"t\" violates check constraint \"c\"\n  Detail: Failing "
                                + "row contains (" + values + ").",
                        null));
        String longOne = TableSink.shortMessage("x".repeat(2000), null);
        assertTrue(longOne.length() < 340 && longOne.endsWith("... (1,700 more characters)"), longOne);
    }
}
