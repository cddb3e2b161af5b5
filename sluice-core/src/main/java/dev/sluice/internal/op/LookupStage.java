package dev.sluice.internal.op;

import dev.sluice.MemoryClass;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.SluiceException;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.JoinedRow;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.spi.LookupSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lookup(source, keys)}: each row enriched with the rows {@code source} has for its key, fetched in batches of
 * distinct keys (one call per batch, never one per row) through a cache bounded in bytes (least recently used keys
 * go first). Streaming: it holds one batch of rows; rows leave in input order. A left join: a row without a match
 * leaves with nulls (or is dropped when {@code inner}); a row with several matches leaves once per match.
 */
public final class LookupStage extends Stage {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // the user's serializable source
    private final LookupSource source;

    @SuppressWarnings("serial") // immutable List.copyOf of strings
    private final List<String> keys;

    private final boolean inner;
    private final int batch;
    private final long cacheBytes;

    public LookupStage(Stage up, LookupSource source, List<String> keys, boolean inner, int batch, long cacheBytes) {
        super(List.of(up), "lookup", "lookup");
        if (keys.size() != source.keyColumns().size()) {
            throw new IllegalArgumentException("lookup: " + keys.size() + " key column(s) " + keys + " for "
                    + source.name() + "'s " + source.keyColumns().size() + " " + source.keyColumns());
        }
        if (batch < 1) {
            throw new IllegalArgumentException("lookup batches must hold at least 1 key, was " + batch);
        }
        this.source = source;
        this.keys = List.copyOf(keys);
        this.inner = inner;
        this.batch = batch;
        this.cacheBytes = cacheBytes;
    }

    @Override
    public String describe() {
        return (inner ? "inner" : "left") + " lookup of " + keys + " in " + source.name() + ", " + batch
                + " keys a call, cache " + dev.sluice.internal.spill.MemoryBudget.format(cacheBytes);
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BOUNDED;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new LookupLink(down, this, stats, run);
    }

    static final class LookupLink extends Downstream.Link {
        private final LookupStage stage;
        private final StageStats stats;
        private final RunState run;
        private final List<Row> pending = new ArrayList<>();
        private final List<List<Object>> pendingKeys = new ArrayList<>();
        private final LinkedHashMap<List<Object>, List<Row>> cache = new LinkedHashMap<>(16, 0.75f, true);
        private long cached;
        private LookupSource.Fetcher fetcher;
        private Schema shapeLeft;
        private Schema shapeRight;
        private Schema out;
        private int[] fromLeft;
        private int[] fromRight;

        LookupLink(Downstream<Object> down, LookupStage stage, StageStats stats, RunState run) {
            super(down);
            this.stage = stage;
            this.stats = stats;
            this.run = run;
        }

        @Override
        public void push(Object t) {
            stats.in++;
            if (!(t instanceof Row row)) {
                throw new SluiceException(
                        "lookup enriches rows; this record is a " + t.getClass().getName());
            }
            List<Object> k = new ArrayList<>(stage.keys.size());
            boolean none = false;
            for (String c : stage.keys) {
                Object v = row.value(row.schema().require(c));
                if (v == null || (v instanceof String s && s.isEmpty())) {
                    none = true;
                }
                k.add(v);
            }
            pending.add(row);
            pendingKeys.add(none ? null : k);
            if (pending.size() >= stage.batch) {
                flush();
            }
        }

        private void flush() {
            List<List<Object>> missing = new ArrayList<>();
            java.util.Set<List<Object>> asked = new java.util.HashSet<>();
            for (List<Object> k : pendingKeys) {
                if (k != null && !cache.containsKey(k) && asked.add(k)) {
                    missing.add(k);
                }
            }
            Map<List<Object>, List<Row>> fetched = Map.of();
            if (!missing.isEmpty()) {
                try {
                    if (fetcher == null) {
                        fetcher = stage.source.open();
                    }
                    fetched = fetcher.fetch(missing);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new SluiceException("lookup in " + stage.source.name() + " failed: " + e.getMessage(), e);
                }
            }
            Map<List<Object>, List<Row>> batchRows = new HashMap<>();
            for (List<Object> k : missing) {
                List<Row> rows = fetched.getOrDefault(k, List.of());
                batchRows.put(k, rows);
                remember(k, rows);
            }
            for (int i = 0; i < pending.size(); i++) {
                Row l = pending.get(i);
                List<Object> k = pendingKeys.get(i);
                List<Row> matches = k == null ? List.of() : batchRows.containsKey(k) ? batchRows.get(k) : cache.get(k);
                if (matches == null) {
                    matches = List.of();
                }
                if (matches.isEmpty()) {
                    if (!stage.inner) {
                        stats.out++;
                        down.push(combine(l, null));
                    }
                    continue;
                }
                for (Row r : matches) {
                    stats.out++;
                    down.push(combine(l, r));
                }
            }
            pending.clear();
            pendingKeys.clear();
        }

        /** Keeps a key's rows in the cache, dropping the least recently used past its bytes. */
        private void remember(List<Object> k, List<Row> rows) {
            long size = 64 + 48L * k.size();
            for (Row r : rows) {
                size += 64 + 40L * r.size();
            }
            if (size > stage.cacheBytes) {
                return;
            }
            cache.put(k, rows);
            cached += size;
            var it = cache.entrySet().iterator();
            while (cached > stage.cacheBytes && it.hasNext()) {
                var e = it.next();
                long s = 64 + 48L * e.getKey().size();
                for (Row r : e.getValue()) {
                    s += 64 + 40L * r.size();
                }
                cached -= s;
                it.remove();
            }
        }

        private Row combine(Row l, Row r) {
            Schema ls = l.schema();
            Schema rs = r != null ? r.schema() : shapeRight;
            if (out == null || ls != shapeLeft || (rs != null && rs != shapeRight)) {
                List<String> names = new ArrayList<>(ls.names());
                List<Integer> fl = new ArrayList<>();
                List<Integer> fr = new ArrayList<>();
                for (int i = 0; i < ls.size(); i++) {
                    fl.add(i);
                    fr.add(-1);
                }
                if (rs != null) {
                    for (int i = 0; i < rs.size(); i++) {
                        String n = rs.name(i);
                        if (stage.source.keyColumns().contains(n)
                                && stage.keys
                                        .get(stage.source.keyColumns().indexOf(n))
                                        .equals(n)) {
                            continue; // the key, named the same: once
                        }
                        String o = n;
                        for (int j = 1; names.contains(o); j++) {
                            o = n + "_right" + (j == 1 ? "" : Integer.toString(j));
                        }
                        names.add(o);
                        fl.add(-1);
                        fr.add(i);
                    }
                }
                out = Schema.of(names);
                fromLeft = fl.stream().mapToInt(Integer::intValue).toArray();
                fromRight = fr.stream().mapToInt(Integer::intValue).toArray();
                shapeLeft = ls;
                shapeRight = rs;
            }
            if (r == null && rs == null) {
                return l; // nothing known of the right side yet: the row as it is
            }
            return new JoinedRow(out, l, r, fromLeft, fromRight, ls.size());
        }

        @Override
        public void finish() {
            flush();
            closeFetcher();
            stats.peakMemory = Math.max(stats.peakMemory, cached);
            down.finish();
        }

        private void closeFetcher() {
            LookupSource.Fetcher f = fetcher;
            fetcher = null;
            if (f != null) {
                try {
                    f.close();
                } catch (Exception e) {
                    throw new SluiceException(
                            "closing the lookup in " + stage.source.name() + " failed: " + e.getMessage(), e);
                }
            }
        }

        @Override
        public void abandon() {
            pending.clear();
            pendingKeys.clear();
            try {
                closeFetcher();
            } catch (RuntimeException e) {
                // the run is being abandoned; its own outcome is what is reported
            }
            down.abandon();
        }
    }
}
