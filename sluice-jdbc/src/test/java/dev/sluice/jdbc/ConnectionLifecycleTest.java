package dev.sluice.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.CloseableIterator;
import dev.sluice.Flow;
import dev.sluice.Row;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every connection a source or sink opens is closed exactly once, however the run ends. */
class ConnectionLifecycleTest {
    @TempDir
    Path dir;

    Database db;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("c.db");
        try (Connection c = DriverManager.getConnection(url);
                var st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            st.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
                    + "INSERT INTO t SELECT i, 'v' || i FROM n");
        }
        db = Jdbc.of("counted", Dialect.SQLITE, () -> {
            Connection real = DriverManager.getConnection(url);
            opened.incrementAndGet();
            return (Connection) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                        if (m.getName().equals("close") && !real.isClosed()) {
                            closed.incrementAndGet();
                        }
                        try {
                            return m.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        });
    }

    private void assertBalanced(int expectedOpened) {
        assertEquals(expectedOpened, opened.get(), "opened");
        assertEquals(opened.get(), closed.get(), "every connection closed exactly once");
    }

    @Test
    void onCompletion() {
        assertEquals(5000, Flow.from(db.query("SELECT * FROM t")).count());
        assertEquals(
                5000, Flow.from(db.table("t").readByKey("id").withPageSize(300)).count());
        assertBalanced(2);
    }

    @Test
    void onAStageFailure() {
        assertThrows(
                RuntimeException.class,
                () -> Flow.from(db.query("SELECT * FROM t"))
                        .map(r -> {
                            if (r.getInt("id") == 77) {
                                throw new IllegalStateException("boom");
                            }
                            return r;
                        })
                        .run());
        assertThrows(
                RuntimeException.class,
                () -> Flow.from(db.table("t").readByKey("id")).forEach(r -> {
                    throw new IllegalStateException("consumer");
                }));
        assertBalanced(2);
    }

    @Test
    void onALimitAndAHalfReadIterator() {
        assertEquals(3, Flow.from(db.query("SELECT * FROM t")).limit(3).toList().size());
        try (CloseableIterator<Row> it =
                Flow.from(db.table("t").readByKey("id")).iterator()) {
            it.next();
        }
        assertBalanced(2);
    }

    @Test
    void sinksOnSuccessAndOnFailure() {
        Flow.of(Row.of("a", "1"))
                .to(db.table("s").write().withCreateTable(true))
                .run();
        assertThrows(
                RuntimeException.class,
                () -> Flow.of(Row.of("id", "1", "v", "dup"))
                        .to(db.table("t").write())
                        .run());
        assertThrows(
                RuntimeException.class,
                () -> Flow.from(db.query("SELECT * FROM nope")).count());
        assertBalanced(3);
    }
}
