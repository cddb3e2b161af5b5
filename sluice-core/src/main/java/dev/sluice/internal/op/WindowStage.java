package dev.sluice.internal.op;

import dev.sluice.Agg;
import dev.sluice.Clock;
import dev.sluice.DataException;
import dev.sluice.Location;
import dev.sluice.MemoryClass;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.Sink;
import dev.sluice.SinkWriter;
import dev.sluice.SluiceException;
import dev.sluice.SortKey;
import dev.sluice.VirtualClock;
import dev.sluice.Window;
import dev.sluice.internal.Checkpointed;
import dev.sluice.internal.Downstream;
import dev.sluice.internal.RunState;
import dev.sluice.internal.Stage;
import dev.sluice.internal.StageStats;
import dev.sluice.internal.Timers;
import dev.sluice.internal.op.Accumulators.Acc;
import dev.sluice.internal.spill.Bytes;
import dev.sluice.internal.spill.KeyEncoder;
import dev.sluice.internal.spill.RecordCodec;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code window(spec).groupBy(keys).aggregate(aggs)}: one row per window and key as each window fires; see {@link
 * Window} for the semantics. Bounded: it holds the open windows' groups (and those kept for the allowed lateness).
 * Timed: the runner wakes it for idleness and processing time.
 */
public final class WindowStage extends Stage {
    private static final long serialVersionUID = 1L;

    /** The window's first output column. */
    public static final String START = "window_start";
    /** The window's second output column. */
    public static final String END = "window_end";
    /** The last output column: whether the row replaces one emitted before for the same window and keys. */
    public static final String UPDATE = "update";

    private final Window spec;

    @SuppressWarnings("serial") // immutable List.copyOf of strings
    private final List<String> keys;

    @SuppressWarnings("serial") // immutable List.copyOf of serializable aggregates
    private final List<Agg> aggs;

    public WindowStage(Stage up, Window spec, List<String> keys, List<Agg> aggs) {
        super(List.of(up), "window", "window");
        this.spec = spec;
        this.keys = List.copyOf(keys);
        this.aggs = List.copyOf(aggs);
        Set<String> names = new HashSet<>(List.of(START, END, UPDATE));
        for (String k : keys) {
            if (!names.add(k)) {
                throw new IllegalArgumentException(
                        k.equals(START) || k.equals(END) || k.equals(UPDATE)
                                ? "a window's key column must not be named '" + k + "', an output column of its own"
                                : "groupBy names key column '" + k + "' twice");
            }
        }
        for (Agg a : aggs) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException(
                        "two output columns would be named '" + a.name() + "': rename one with as(\"...\")");
            }
        }
    }

    public Window spec() {
        return spec;
    }

    public List<String> keys() {
        return keys;
    }

    public List<Agg> aggs() {
        return aggs;
    }

    @Override
    public String describe() {
        return "window " + spec + (keys.isEmpty() ? "" : "; group by " + String.join(", ", keys)) + ": " + aggs;
    }

    @Override
    public MemoryClass memoryClass() {
        return MemoryClass.BOUNDED;
    }

    /** Always: idleness and processing time need timers, and the stage must see records in order, on one thread. */
    /** Its link saves and restores open windows, watermarks and fired-but-kept windows at checkpoints. */
    @Override
    public boolean checkpointable() {
        return true;
    }

    @Override
    public boolean timed() {
        return true;
    }

    @Override
    public Downstream<Object> link(Downstream<Object> down, StageStats stats, RunState run) {
        return new WindowLink(down, this, stats, run);
    }

    /** The type of the time column, which the output's window bounds take. */
    enum Family {
        OFFSET,
        ZONED,
        INSTANT,
        LOCAL,
        MILLIS
    }

    /** One key's state in one window, or one session. */
    static class Group {
        final HashKey key;
        final Object[] keyValues;
        Object[] states;
        /** Whether a row for it has been emitted: the next is an update. */
        boolean emitted;

        Group(HashKey key, Object[] keyValues, Object[] states) {
            this.key = key;
            this.keyValues = keyValues;
            this.states = states;
        }
    }

    /** An aligned (tumbling or sliding) window: its groups by key. */
    static final class Win {
        final long start;
        final long end;
        final Map<HashKey, Group> groups = new HashMap<>();

        Win(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }

    /** A session of one key. Ordered by end, then by when it was made; the end moves only while out of the sets. */
    static final class Session extends Group {
        final long id;
        long start;
        long end;

        Session(long id, HashKey key, Object[] keyValues, Object[] states, long start, long end) {
            super(key, keyValues, states);
            this.id = id;
            this.start = start;
            this.end = end;
        }
    }

    private static final Comparator<Session> BY_END =
            Comparator.<Session>comparingLong(s -> s.end).thenComparingLong(s -> s.id);

    /** One input's watermark bookkeeping. */
    static final class Input {
        long max = Long.MIN_VALUE;
        long lastArrival;
    }

    /** The serializable state of a link at a checkpoint. */
    static final class State implements Serializable {
        private static final long serialVersionUID = 1L;
        long watermark;
        LinkedHashMap<String, Long> inputs = new LinkedHashMap<>();
        String family;
        String zone;
        long seq;
        long late;
        long sessionIds;
        List<GroupState> groups = new ArrayList<>();

        @SuppressWarnings("serial") // rows are serializable
        List<Row> pending = new ArrayList<>();
    }

    /** One group at a checkpoint: its window (or session) bounds, key and states. */
    static final class GroupState implements Serializable {
        private static final long serialVersionUID = 1L;
        long start;
        long end;
        long id;
        byte[] key;

        @SuppressWarnings("serial") // key values of rows are serializable
        Object[] keyValues;

        byte[] states;
        boolean emitted;
    }

    /** The runtime link. */
    public static final class WindowLink extends Downstream.Link implements Checkpointed {
        private static final String NO_ORIGIN = "";
        private static final long NANOS_PER_MILLI = 1_000_000L;

        private final StageStats stats;
        private final RunState run;
        private final Timers timers;
        private final Clock clock;
        private final String name;
        private final boolean processing;
        private final boolean sessions;
        private final long size;
        private final long slide;
        private final long outOfOrder;
        private final long lateness;
        private final long idleNanos;
        private final String timeColumn;
        private final String[] keyNames;
        private final KeyEncoder encoder;
        private final Acc[] accs;
        private final Object[] inputs;
        private final Schema out;
        private final RecordCodec codec;
        private final Bytes key = new Bytes(256);
        private final HashKey.Probe probe = new HashKey.Probe();
        private final long originNanos;
        private final long originMillis;

        @SuppressWarnings("unchecked")
        private final Sink<Object> lateSink;

        private Schema schema;
        private int timeIndex;
        private int[] keyIndex;

        // state
        private final Map<String, Input> sources = new LinkedHashMap<>();
        private long watermark = Long.MIN_VALUE;
        private long lastArrival;
        private Family family;
        private ZoneId zone;
        private final TreeMap<Long, Win> open = new TreeMap<>();
        private final TreeMap<Long, Win> fired = new TreeMap<>();
        private final Map<HashKey, Object> byKey = new HashMap<>(); // a Session, or a List<Session> of several
        private final TreeSet<Session> openSessions = new TreeSet<>(BY_END);
        private final TreeSet<Session> firedSessions = new TreeSet<>(BY_END);
        private long sessionIds;
        private long seq;
        private long late;

        // output
        private final ArrayDeque<Row> pending = new ArrayDeque<>();
        private boolean finished;
        private boolean downFinished;
        private Timers.Timer timer;
        private long timerAt = Long.MAX_VALUE;
        private SinkWriter<Object> lateWriter;

        @SuppressWarnings("unchecked")
        WindowLink(Downstream<Object> down, WindowStage stage, StageStats stats, RunState run) {
            super(down);
            this.stats = stats;
            this.run = run;
            this.timers = run.timers();
            this.clock = timers.clock();
            this.name = stats.name.equals("window") ? "window" : "window '" + stats.name + "'";
            Window w = stage.spec;
            this.processing = w.isProcessingTime();
            this.sessions = w.kind() == Window.Kind.SESSION;
            this.size = w.size().toMillis();
            this.slide = w.slide().toMillis();
            this.outOfOrder = w.outOfOrder().toMillis();
            this.lateness = w.allowedLateness().toMillis();
            this.idleNanos = w.idleAfter() == null ? 0 : w.idleAfter().toNanos();
            this.timeColumn = w.timeColumn();
            this.lateSink = (Sink<Object>) w.lateTo();
            this.keyNames = stage.keys.toArray(new String[0]);
            List<SortKey> sk = new ArrayList<>();
            for (String k : stage.keys) {
                sk.add(SortKey.asc(k));
            }
            this.encoder = new KeyEncoder(sk, true);
            this.accs = new Acc[stage.aggs.size()];
            List<String> names = new ArrayList<>(List.of(START, END));
            names.addAll(stage.keys);
            for (int i = 0; i < accs.length; i++) {
                accs[i] = Accumulators.of(stage.aggs.get(i));
                names.add(stage.aggs.get(i).name());
            }
            names.add(UPDATE);
            this.out = Schema.of(names);
            this.inputs = new Object[accs.length];
            this.codec = new RecordCodec(name, run.codecs());
            boolean virtual = clock instanceof VirtualClock; // its time is Instant.EPOCH plus its nanoTime()
            this.originNanos = virtual ? 0 : clock.nanoTime();
            this.originMillis = virtual ? 0 : System.currentTimeMillis();
            if (processing) {
                family = Family.INSTANT;
            }
        }

        // ---- records ---------------------------------------------------------------------------------------------

        @Override
        public void push(Object t) {
            long n = ++stats.in;
            Row row = Keyed.row(t, name, "groups");
            long now = clock.nanoTime();
            Input in = null;
            if (!processing) {
                Location origin = row.origin();
                in = sources.computeIfAbsent(origin == null ? NO_ORIGIN : origin.source(), k -> new Input());
                in.lastArrival = now;
            }
            lastArrival = now;
            advance(now); // what came due before this record (processing time; idleness) leaves first
            long time;
            try {
                if (row.schema() != schema) {
                    bind(row.schema());
                }
                time = processing ? procMillis(now) : eventTime(row);
                for (int i = 0; i < accs.length; i++) {
                    inputs[i] = accs[i].input(row);
                }
                key.reset();
                encoder.encode(row, key);
            } catch (DataException | IllegalArgumentException e) {
                run.reject(stats, n, t, e);
                reschedule(now);
                drain();
                return;
            }
            probe.set(key.array(), key.length());
            boolean taken = sessions ? addSession(row, time) : addAligned(row, time);
            if (!taken) {
                late(row, n, time);
            }
            if (in != null && time > in.max) {
                in.max = time;
                advance(now);
            }
            reschedule(now);
            drain();
        }

        private void bind(Schema s) {
            keyIndex = new int[keyNames.length];
            for (int i = 0; i < keyNames.length; i++) {
                keyIndex[i] = s.require(keyNames[i]);
            }
            for (Acc a : accs) {
                a.column = a.agg.column() == null ? -1 : s.require(a.agg.column());
            }
            timeIndex = processing ? -1 : s.require(timeColumn);
            schema = s;
        }

        /** The row's event time in epoch milliseconds; the first one also fixes the output's type. */
        private long eventTime(Row row) {
            Object v = row.value(timeIndex);
            Family f;
            ZoneId z = null;
            long ms;
            try {
                if (v instanceof String s) {
                    v = parseText(s.strip());
                }
                if (v instanceof OffsetDateTime o) {
                    f = Family.OFFSET;
                    z = o.getOffset();
                    ms = o.toInstant().toEpochMilli();
                } else if (v instanceof ZonedDateTime zd) {
                    f = Family.ZONED;
                    z = zd.getZone();
                    ms = zd.toInstant().toEpochMilli();
                } else if (v instanceof Instant i) {
                    f = Family.INSTANT;
                    ms = i.toEpochMilli();
                } else if (v instanceof LocalDateTime l) {
                    f = Family.LOCAL;
                    ms = l.toInstant(ZoneOffset.UTC).toEpochMilli();
                } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
                    f = Family.MILLIS;
                    ms = ((Number) v).longValue();
                } else {
                    throw notATime(row.value(timeIndex));
                }
            } catch (ArithmeticException | DateTimeParseException e) {
                throw notATime(row.value(timeIndex));
            }
            if (family == null) {
                family = f;
                zone = z;
            }
            return ms;
        }

        private static Object parseText(String s) {
            if (s.isEmpty()) {
                return null;
            }
            boolean digits = true;
            for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
                char c = s.charAt(i);
                digits &= c >= '0' && c <= '9';
            }
            if (digits && s.length() > (s.charAt(0) == '-' ? 1 : 0) && s.length() < 19) {
                return Long.parseLong(s);
            }
            char last = s.charAt(s.length() - 1);
            boolean offset = last == 'Z' || last == 'z' || s.lastIndexOf('+') > 0 || s.lastIndexOf('-') > 9;
            return offset ? OffsetDateTime.parse(s) : LocalDateTime.parse(s);
        }

        private DataException notATime(Object v) {
            String what = v == null || (v instanceof String s && s.isEmpty())
                    ? "is empty"
                    : "has '" + v + "'"
                            + (v instanceof String ? "" : " (" + v.getClass().getSimpleName() + ")")
                            + ", which is not a time";
            return new DataException(
                    name + ": time column '" + timeColumn + "' " + what
                            + " (an OffsetDateTime, ZonedDateTime, Instant, LocalDateTime, epoch milliseconds, or"
                            + " ISO-8601 text)",
                    null,
                    null);
        }

        private Object[] keyValues(Row row) {
            Object[] kv = new Object[keyIndex.length];
            for (int i = 0; i < kv.length; i++) {
                Object v = row.value(keyIndex[i]);
                kv[i] = v instanceof String s && s.isEmpty() ? null : v;
            }
            return kv;
        }

        private Object[] newStates() {
            Object[] states = new Object[accs.length];
            for (int i = 0; i < accs.length; i++) {
                states[i] = accs[i].create();
            }
            return states;
        }

        private void add(Group g, long rowSeq) {
            for (int i = 0; i < accs.length; i++) {
                g.states[i] = accs[i].add(g.states[i], inputs[i], rowSeq);
            }
        }

        /** Adds the record to its tumbling or sliding windows; false if every one of them has closed (it is late). */
        private boolean addAligned(Row row, long t) {
            long rowSeq = seq++;
            long last = Math.floorDiv(t, slide) * slide;
            boolean taken = false;
            for (long s = last; s > t - size; s -= slide) {
                long end = s + size;
                if (plus(end, lateness) <= watermark) {
                    continue; // this window has closed; its later ones may not have (sliding)
                }
                Win w = open.get(s);
                boolean wasFired = false;
                if (w == null) {
                    w = fired.get(s);
                    wasFired = w != null;
                }
                if (w == null) {
                    w = new Win(s, end);
                    if (end <= watermark) { // its first record comes within the allowed lateness
                        fired.put(s, w);
                        wasFired = true;
                    } else {
                        open.put(s, w);
                    }
                }
                Group g = w.groups.get(probe);
                if (g == null) {
                    HashKey k = new HashKey(key.array(), key.length(), probe.hash);
                    g = new Group(k, keyValues(row), newStates());
                    w.groups.put(k, g);
                }
                add(g, rowSeq);
                if (wasFired) {
                    emit(w.start, w.end, g); // fires again for this key, with the updated result
                }
                taken = true;
            }
            return taken;
        }

        @SuppressWarnings("unchecked")
        private List<Session> sessionsOf(Object v) {
            if (v == null) {
                return List.of();
            }
            return v instanceof Session s ? List.of(s) : (List<Session>) v;
        }

        /** Adds the record to its key's session, merging the sessions it bridges; false if it is late. */
        @SuppressWarnings("unchecked")
        private boolean addSession(Row row, long t) {
            long rowSeq = seq++;
            long start = t;
            long end = plus(t, size);
            Object held = byKey.get(probe);
            List<Session> hits = new ArrayList<>(1);
            for (Session s : sessionsOf(held)) {
                if (s.start < end && t < s.end) {
                    hits.add(s);
                }
            }
            Session target;
            if (hits.isEmpty()) {
                if (plus(end, lateness) <= watermark) {
                    return false;
                }
                HashKey k = new HashKey(key.array(), key.length(), probe.hash);
                target = new Session(sessionIds++, k, keyValues(row), newStates(), start, end);
                if (held == null) {
                    byKey.put(k, target);
                } else if (held instanceof Session other) {
                    List<Session> list = new ArrayList<>(2);
                    list.add(other);
                    list.add(target);
                    byKey.put(other.key, list);
                } else {
                    ((List<Session>) held).add(target);
                }
            } else {
                target = hits.get(0);
                detach(target);
                for (int h = 1; h < hits.size(); h++) {
                    Session other = hits.get(h);
                    detach(other);
                    forget(other);
                    for (int i = 0; i < accs.length; i++) {
                        target.states[i] = accs[i].merge(target.states[i], other.states[i]);
                    }
                    target.emitted |= other.emitted;
                    target.start = Math.min(target.start, other.start);
                    target.end = Math.max(target.end, other.end);
                }
                target.start = Math.min(target.start, start);
                target.end = Math.max(target.end, end);
            }
            add(target, rowSeq);
            if (target.end <= watermark) { // within the allowed lateness: fires again now
                emit(target.start, target.end, target);
                if (plus(target.end, lateness) <= watermark) {
                    forget(target);
                } else {
                    firedSessions.add(target);
                }
            } else {
                openSessions.add(target);
            }
            return true;
        }

        private void detach(Session s) {
            if (!openSessions.remove(s)) {
                firedSessions.remove(s);
            }
        }

        /** Drops a session from its key's list (and the key, with its last session). */
        @SuppressWarnings("unchecked")
        private void forget(Session s) {
            Object held = byKey.get(s.key);
            if (held == s) {
                byKey.remove(s.key);
            } else if (held instanceof List<?> l) {
                List<Session> list = (List<Session>) l;
                list.remove(s);
                if (list.size() == 1) {
                    byKey.put(s.key, list.get(0));
                }
            }
        }

        /** A record later than its windows allow: counted, sent to the side output, and set aside with a reason. */
        private void late(Row row, long n, long t) {
            late++;
            stats.late++;
            if (lateSink != null) {
                try {
                    if (lateWriter == null) {
                        lateWriter = lateSink.open();
                    }
                    lateWriter.write(row);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new SluiceException(
                            name + ": writing a late record to " + lateSink.name() + " failed: " + e.getMessage(), e);
                }
            }
            long start = sessions ? t : Math.floorDiv(t, slide) * slide;
            long end = plus(start, size);
            String reason = String.format(
                    Locale.ROOT,
                    "late: event time %s is %s behind the watermark %s; %s [%s, %s) closed%s",
                    Instant.ofEpochMilli(t),
                    seconds(watermark - t),
                    Instant.ofEpochMilli(watermark),
                    sessions ? "session" : "window",
                    Instant.ofEpochMilli(start),
                    Instant.ofEpochMilli(end),
                    lateness > 0 ? " (allowed lateness " + java.time.Duration.ofMillis(lateness) + ")" : "");
            run.skip(stats, n, row.origin(), String.valueOf(row), reason);
        }

        private static String seconds(long ms) {
            return ms % 1000 == 0
                    ? String.format(Locale.ROOT, "%d s", ms / 1000)
                    : String.format(Locale.ROOT, "%.3f s", ms / 1000.0);
        }

        private static long plus(long a, long b) {
            long r = a + b;
            return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
        }

        // ---- watermark and firing ----------------------------------------------------------------------------------

        private long procMillis(long nanos) {
            return originMillis + Math.floorDiv(nanos - originNanos, NANOS_PER_MILLI);
        }

        private long procNanos(long millis) {
            return originNanos + (millis - originMillis) * NANOS_PER_MILLI;
        }

        /** The watermark the inputs allow now (the stage's never goes back). */
        private long allowed(long now) {
            if (processing) {
                return procMillis(now);
            }
            long min = Long.MAX_VALUE;
            long greatest = Long.MIN_VALUE;
            boolean active = false;
            for (Input in : sources.values()) {
                if (in.max == Long.MIN_VALUE) {
                    continue; // no time yet: no watermark to hold back
                }
                long wm = in.max - outOfOrder;
                greatest = Math.max(greatest, wm);
                if (idleNanos > 0 && now - in.lastArrival >= idleNanos) {
                    continue; // idle
                }
                active = true;
                min = Math.min(min, wm);
            }
            if (active) {
                return min;
            }
            if (greatest == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
            // every input is idle: event time moves on with the run's clock from the last record that arrived
            return plus(greatest, Math.floorDiv(now - lastArrival, NANOS_PER_MILLI));
        }

        private void advance(long now) {
            long w = allowed(now);
            if (w > watermark) {
                watermark = w;
                fire();
            }
        }

        /** Fires the windows the watermark has passed, and drops those past their allowed lateness. */
        private void fire() {
            while (!open.isEmpty() && open.firstEntry().getValue().end <= watermark) {
                Win w = open.pollFirstEntry().getValue();
                List<Group> groups = new ArrayList<>(w.groups.values());
                groups.sort((a, b) -> HashKey.compare(a.key, b.key));
                for (Group g : groups) {
                    emit(w.start, w.end, g);
                }
                if (plus(w.end, lateness) > watermark) {
                    fired.put(w.start, w);
                }
            }
            while (!fired.isEmpty() && plus(fired.firstEntry().getValue().end, lateness) <= watermark) {
                fired.pollFirstEntry();
            }
            while (!openSessions.isEmpty() && openSessions.first().end <= watermark) {
                Session s = openSessions.pollFirst();
                emit(s.start, s.end, s);
                if (plus(s.end, lateness) <= watermark) {
                    forget(s);
                } else {
                    firedSessions.add(s);
                }
            }
            while (!firedSessions.isEmpty() && plus(firedSessions.first().end, lateness) <= watermark) {
                forget(firedSessions.pollFirst());
            }
        }

        /** The earliest watermark at which something happens: a window fires or is dropped. */
        private long nextDue() {
            long e = Long.MAX_VALUE;
            if (!open.isEmpty()) {
                e = Math.min(e, open.firstEntry().getValue().end);
            }
            if (!fired.isEmpty()) {
                e = Math.min(e, plus(fired.firstEntry().getValue().end, lateness));
            }
            if (!openSessions.isEmpty()) {
                e = Math.min(e, openSessions.first().end);
            }
            if (!firedSessions.isEmpty()) {
                e = Math.min(e, plus(firedSessions.first().end, lateness));
            }
            return e;
        }

        /** When, by the run's clock, the stage must look again without a record: Long.MAX_VALUE for never. */
        private long wakeAt(long now) {
            long due = nextDue();
            if (processing) {
                return due == Long.MAX_VALUE ? due : procNanos(due);
            }
            if (idleNanos <= 0) {
                return Long.MAX_VALUE;
            }
            long d = Long.MAX_VALUE;
            long greatest = Long.MIN_VALUE;
            boolean active = false;
            for (Input in : sources.values()) {
                if (in.max == Long.MIN_VALUE) {
                    continue;
                }
                greatest = Math.max(greatest, in.max - outOfOrder);
                if (now - in.lastArrival < idleNanos) {
                    active = true;
                    d = Math.min(d, in.lastArrival + idleNanos);
                }
            }
            if (!active && greatest != Long.MIN_VALUE && due != Long.MAX_VALUE && due > greatest) {
                long ms = due - greatest;
                d = ms >= Long.MAX_VALUE / NANOS_PER_MILLI ? Long.MAX_VALUE : lastArrival + ms * NANOS_PER_MILLI;
            }
            return d;
        }

        private void reschedule(long now) {
            if (finished) {
                return;
            }
            long d = wakeAt(now);
            if (d == Long.MAX_VALUE || (timer != null && timerAt <= d)) {
                return;
            }
            if (timer != null) {
                timer.cancel();
            }
            timerAt = d;
            timer = timers.schedule(d, this::wake);
        }

        private void wake() {
            timer = null;
            timerAt = Long.MAX_VALUE;
            if (finished || run.dead(stats.position)) {
                return;
            }
            long now = clock.nanoTime();
            advance(now);
            reschedule(now);
            drain();
        }

        // ---- output ------------------------------------------------------------------------------------------------

        private void emit(long start, long end, Group g) {
            Object[] values = new Object[out.size()];
            values[0] = bound(start);
            values[1] = bound(end);
            System.arraycopy(g.keyValues, 0, values, 2, keyNames.length);
            for (int i = 0; i < accs.length; i++) {
                values[2 + keyNames.length + i] = accs[i].result(g.states[i]);
            }
            values[values.length - 1] = g.emitted;
            g.emitted = true;
            pending.add(Row.of(out, values, null));
        }

        private Object bound(long ms) {
            Family f = family == null ? Family.INSTANT : family;
            return switch (f) {
                case OFFSET -> Instant.ofEpochMilli(ms).atOffset((ZoneOffset) zone);
                case ZONED -> Instant.ofEpochMilli(ms).atZone(zone);
                case INSTANT -> Instant.ofEpochMilli(ms);
                case LOCAL ->
                    LocalDateTime.ofEpochSecond(
                            Math.floorDiv(ms, 1000), Math.floorMod(ms, 1000) * 1_000_000, ZoneOffset.UTC);
                case MILLIS -> ms;
            };
        }

        private void drain() {
            while (!pending.isEmpty() && !run.dead(stats.position)) {
                if (down.full()) {
                    return;
                }
                stats.out++;
                down.push(pending.poll());
            }
            if (finished && !downFinished) {
                downFinished = true;
                pending.clear();
                down.finish();
            }
        }

        @Override
        public void finish() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            if (!run.dead(stats.position)) {
                watermark = Long.MAX_VALUE; // the end of the input: every window fires
                fire();
            }
            finished = true;
            closeLate(true);
            drain();
        }

        @Override
        public boolean resume() {
            if (down.resume()) {
                return true;
            }
            if (pending.isEmpty()) {
                return false;
            }
            drain();
            return true;
        }

        @Override
        public void abandon() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            finished = true;
            downFinished = true;
            pending.clear();
            try {
                closeLate(false);
            } finally {
                down.abandon();
            }
        }

        private void closeLate(boolean success) {
            SinkWriter<Object> w = lateWriter;
            lateWriter = null;
            if (w != null) {
                try {
                    w.close(success);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new SluiceException(
                            name + ": closing the late records' sink " + lateSink.name() + " failed: " + e.getMessage(),
                            e);
                }
            }
        }

        // ---- state -------------------------------------------------------------------------------------------------

        /**
         * For tests: the groups the link holds now, one per open or retained window and key, and one per session.
         */
        public long liveEntries() {
            long n = 0;
            for (Win w : open.values()) {
                n += w.groups.size();
            }
            for (Win w : fired.values()) {
                n += w.groups.size();
            }
            return n + openSessions.size() + firedSessions.size();
        }

        /** For tests: the keys that hold sessions. */
        public int sessionKeys() {
            return byKey.size();
        }

        /** For tests: the records set aside as late (kept across a checkpoint). */
        public long lateCount() {
            return late;
        }

        /** For tests: the watermark, in epoch milliseconds ({@code Long.MIN_VALUE} before the first). */
        public long watermark() {
            return watermark;
        }

        @Override
        public Serializable snapshot() {
            State s = new State();
            s.watermark = watermark;
            for (Map.Entry<String, Input> e : sources.entrySet()) {
                s.inputs.put(e.getKey(), e.getValue().max);
            }
            s.family = family == null ? null : family.name();
            s.zone = zone == null ? null : zone.getId();
            s.seq = seq;
            s.late = late;
            s.sessionIds = sessionIds;
            for (TreeMap<Long, Win> m : List.of(open, fired)) {
                for (Win w : m.values()) {
                    for (Group g : w.groups.values()) {
                        s.groups.add(save(g, w.start, w.end, -1));
                    }
                }
            }
            for (TreeSet<Session> set : List.of(openSessions, firedSessions)) {
                for (Session x : set) {
                    s.groups.add(save(x, x.start, x.end, x.id));
                }
            }
            s.pending.addAll(pending);
            return s;
        }

        private GroupState save(Group g, long start, long end, long id) {
            GroupState gs = new GroupState();
            gs.start = start;
            gs.end = end;
            gs.id = id;
            gs.key = g.key.bytes.clone();
            gs.keyValues = g.keyValues.clone();
            gs.emitted = g.emitted;
            Bytes b = new Bytes(64);
            for (int i = 0; i < accs.length; i++) {
                accs[i].write(g.states[i], b, codec);
            }
            gs.states = java.util.Arrays.copyOf(b.array(), b.length());
            return gs;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void restore(Serializable state) {
            State s = (State) state;
            long now = clock.nanoTime();
            sources.clear();
            for (Map.Entry<String, Long> e : s.inputs.entrySet()) {
                Input in = new Input();
                in.max = e.getValue();
                in.lastArrival = now; // the resumed run has just heard from every input
                sources.put(e.getKey(), in);
            }
            lastArrival = now;
            watermark = s.watermark;
            family = s.family == null ? (processing ? Family.INSTANT : null) : Family.valueOf(s.family);
            zone = s.zone == null ? null : ZoneId.of(s.zone);
            seq = s.seq;
            late = s.late;
            stats.late = s.late;
            sessionIds = s.sessionIds;
            open.clear();
            fired.clear();
            byKey.clear();
            openSessions.clear();
            firedSessions.clear();
            for (GroupState gs : s.groups) {
                Bytes.Reader r = new Bytes.Reader(gs.states, 0, gs.states.length);
                Object[] states = new Object[accs.length];
                for (int i = 0; i < accs.length; i++) {
                    states[i] = accs[i].read(r, codec);
                }
                HashKey k = new HashKey(gs.key, gs.key.length, HashKey.hash(gs.key, gs.key.length));
                if (sessions) {
                    Session x = new Session(gs.id, k, gs.keyValues, states, gs.start, gs.end);
                    x.emitted = gs.emitted;
                    Object held = byKey.get(k);
                    if (held == null) {
                        byKey.put(k, x);
                    } else if (held instanceof Session other) {
                        byKey.put(k, new ArrayList<>(List.of(other, x)));
                    } else {
                        ((List<Session>) held).add(x);
                    }
                    (x.end <= watermark ? firedSessions : openSessions).add(x);
                } else {
                    TreeMap<Long, Win> m = gs.end <= watermark ? fired : open;
                    Win w = m.computeIfAbsent(gs.start, st -> new Win(st, gs.end));
                    Group g = new Group(k, gs.keyValues, states);
                    g.emitted = gs.emitted;
                    w.groups.put(k, g);
                }
            }
            pending.clear();
            pending.addAll(s.pending);
            reschedule(now);
        }
    }
}
