package dev.sluice.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.Flow;
import dev.sluice.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

/** H2: MERGE for upserts, keyset reads with a composite key. */
class H2Test {
    @Test
    void mergeAndKeyset() {
        Database db = Jdbc.connect("jdbc:h2:mem:h2test;DB_CLOSE_DELAY=-1");
        Flow.of(Row.of("a", "x", "b", "1", "v", "first"), Row.of("a", "x", "b", "2", "v", "second"))
                .to(db.table("t").write().withCreateTable(true).withUpsert("a", "b"))
                .run();
        Flow.of(Row.of("a", "x", "b", "1", "v", "updated"))
                .to(db.table("t").write().withUpsert("a", "b"))
                .run();
        List<String> rows = Flow.from(db.table("t").readByKey("a", "b").withPageSize(1))
                .map(r -> r.get("b") + "=" + r.get("v"))
                .toList();
        assertEquals(List.of("1=updated", "2=second"), rows);
    }
}
