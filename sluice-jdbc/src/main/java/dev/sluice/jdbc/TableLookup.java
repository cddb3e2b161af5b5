package dev.sluice.jdbc;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.spi.LookupSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A table looked up by key, many keys per query: {@code SELECT * FROM t WHERE k IN (?, ...)}, or {@code WHERE (k1,
 * k2) IN ((?, ?), ...)} for a composite key. Made by {@link Table#lookup}; used by {@link dev.sluice.Flow#lookup}. Key
 * values match by their text ({@code "7"} finds 7), and are bound as they come: a strict database (PostgreSQL) wants
 * them in the column's type.
 */
public final class TableLookup implements LookupSource {
    private static final long serialVersionUID = 1L;

    private final Database db;
    private final TableName table;

    @SuppressWarnings("serial") // immutable List.copyOf of strings
    private final List<String> keys;

    TableLookup(Database db, TableName table, List<String> keys) {
        this.db = db;
        this.table = table;
        this.keys = List.copyOf(keys);
    }

    @Override
    public List<String> keyColumns() {
        return keys;
    }

    @Override
    public String name() {
        return "table(" + table + " by " + String.join(", ", keys) + ")";
    }

    @Override
    public Fetcher open() throws Exception {
        Connection c = db.open();
        return new Fetcher() {
            @Override
            public Map<List<Object>, List<Row>> fetch(List<List<Object>> wanted) throws Exception {
                String cols = keys.stream().map(db.dialect()::quote).collect(Collectors.joining(", "));
                String one = keys.size() == 1 ? "?" : "(" + db.dialect().placeholders(keys.size()) + ")";
                String sql = "SELECT * FROM " + table.sql(db.dialect()) + " WHERE "
                        + (keys.size() == 1 ? cols : "(" + cols + ")") + " IN ("
                        + String.join(", ", java.util.Collections.nCopies(wanted.size(), one)) + ")";
                Map<List<String>, List<Object>> byText = new HashMap<>();
                for (List<Object> k : wanted) {
                    byText.put(text(k), k);
                }
                Map<List<Object>, List<Row>> out = new HashMap<>();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int p = 1;
                    for (List<Object> k : wanted) {
                        for (Object v : k) {
                            ps.setObject(p++, v);
                        }
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultRows rows = new ResultRows(rs.getMetaData());
                        int[] idx = new int[keys.size()];
                        long n = 0;
                        while (rs.next()) {
                            Row r = rows.read(rs, new Location(table.display, -1, ++n));
                            if (n == 1) {
                                for (int i = 0; i < idx.length; i++) {
                                    idx[i] = r.schema().require(keys.get(i));
                                }
                            }
                            List<Object> kv = new ArrayList<>();
                            for (int i : idx) {
                                kv.add(r.value(i));
                            }
                            List<Object> asked = byText.get(text(kv));
                            if (asked != null) {
                                out.computeIfAbsent(asked, x -> new ArrayList<>())
                                        .add(r);
                            }
                        }
                    }
                }
                return out;
            }

            @Override
            public void close() throws Exception {
                c.close();
            }
        };
    }

    private static List<String> text(List<Object> key) {
        List<String> t = new ArrayList<>(key.size());
        for (Object v : key) {
            t.add(String.valueOf(v));
        }
        return t;
    }
}
