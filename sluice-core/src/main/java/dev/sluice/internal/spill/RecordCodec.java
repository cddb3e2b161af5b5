package dev.sluice.internal.spill;

import dev.sluice.Location;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.SluiceException;
import dev.sluice.internal.Hooks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal: writes the records a blocking operator holds as bytes (in its pages and spill files) and reads them back
 * equal. One instance per operator: it keeps, in memory, what many records share (schemas, a CSV source's settings,
 * record classes) and writes only a small number for it. CSV rows are written as their raw text (never re-encoded);
 * other rows as their values; Java records by their components; strings and boxed numbers directly; anything else
 * {@link Serializable} by Java serialization (slow).
 */
public final class RecordCodec {
    private static final int HOOK = 1;
    private static final int ROW = 2;
    private static final int STRING = 3;
    private static final int LONG = 4;
    private static final int INT = 5;
    private static final int DOUBLE = 6;
    private static final int RECORD = 7;
    private static final int SERIAL = 9;
    private static final int USER = 10;

    private final String operator;
    private final List<Object> shared = new ArrayList<>();
    private final Map<Object, Integer> ids = new IdentityHashMap<>();
    private final Map<Schema, Integer> schemaIds = new HashMap<>();

    private final java.util.List<dev.sluice.Codec<?>> codecs;
    private final Map<Class<?>, dev.sluice.Codec<?>> codecOf = new HashMap<>();

    public RecordCodec(String operator) {
        this(operator, java.util.List.of());
    }

    /** {@code codecs}: the users' codecs ({@code flow.codec}), which write records of their types first. */
    public RecordCodec(String operator, java.util.List<dev.sluice.Codec<?>> codecs) {
        this.operator = operator;
        this.codecs = codecs;
    }

    /** The user's codec for records of {@code type}, or null. */
    private dev.sluice.Codec<?> userCodec(Class<?> type) {
        if (codecs.isEmpty()) {
            return null;
        }
        dev.sluice.Codec<?> c = codecOf.computeIfAbsent(type, t -> {
            for (dev.sluice.Codec<?> k : codecs) {
                if (k.type().isAssignableFrom(t)) {
                    return k;
                }
            }
            return NO_CODEC;
        });
        return c == NO_CODEC ? null : c;
    }

    private static final dev.sluice.Codec<Object> NO_CODEC = dev.sluice.Codec.of(Object.class, (r, o) -> {}, i -> null);

    /** A small number for {@code o}, the same for the same object every time. */
    public int id(Object o) {
        Integer id = ids.get(o);
        if (id == null) {
            id = shared.size();
            shared.add(o);
            ids.put(o, id);
        }
        return id;
    }

    /** The object {@link #id} numbered {@code id}. */
    public Object shared(int id) {
        return shared.get(id);
    }

    private int schemaId(Schema s) {
        Integer id = schemaIds.get(s);
        if (id == null) {
            id = id(s);
            schemaIds.put(s, id);
        }
        return id;
    }

    @SuppressWarnings("unchecked")
    public void write(Object rec, Bytes out) {
        SpillCodec<Object> hook = (SpillCodec<Object>) Hooks.spillCodec(rec.getClass());
        dev.sluice.Codec<Object> user = (dev.sluice.Codec<Object>) userCodec(rec.getClass());
        if (user != null) {
            out.write(USER);
            out.writeVarLong(id(user));
            writeUser(user, rec, out);
        } else if (hook != null) {
            out.write(HOOK);
            out.writeVarLong(id(hook));
            hook.write(rec, out, this);
        } else if (rec instanceof Row r) {
            out.write(ROW);
            writeRow(r, out);
        } else if (rec instanceof String s) {
            out.write(STRING);
            out.writeString(s);
        } else if (rec instanceof Long l) {
            out.write(LONG);
            out.writeZigZag(l);
        } else if (rec instanceof Integer i) {
            out.write(INT);
            out.writeZigZag(i);
        } else if (rec instanceof Double d) {
            out.write(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(d));
        } else if (rec instanceof Record r) {
            out.write(RECORD);
            writeRecord(r, out);
        } else if (rec instanceof Serializable) {
            out.write(SERIAL);
            writeSerial(rec, out);
        } else {
            throw new SluiceException(
                    operator + " holds records of " + rec.getClass().getName()
                            + ", which it cannot write to its pages: make it a record or Serializable, give the flow a codec for it "
                            + "(flow.codec(Codec.of(...))), or map it to rows first");
        }
    }

    @SuppressWarnings("unchecked")
    public Object read(Bytes.Reader in) {
        int tag = in.read();
        switch (tag) {
            case HOOK:
                return ((SpillCodec<Object>) shared((int) in.readVarLong())).read(in, this);
            case USER:
                return readUser((dev.sluice.Codec<?>) shared((int) in.readVarLong()), in);
            case ROW:
                return readRow(in);
            case STRING:
                return in.readString();
            case LONG:
                return in.readZigZag();
            case INT:
                return (int) in.readZigZag();
            case DOUBLE:
                return Double.longBitsToDouble(in.readLong());
            case RECORD:
                return readRecord(in);
            case SERIAL:
                return readSerial(in);
            default:
                throw new IllegalStateException("corrupt spill data: tag " + tag);
        }
    }

    /** A row as its schema, its origin and its values. */
    public void writeRow(Row r, Bytes out) {
        Schema s = r.schema();
        out.writeVarLong(schemaId(s));
        Location o = r.origin();
        if (o == null) {
            out.write(0);
        } else {
            out.write(1);
            out.writeVarLong(id(o.source().intern()));
            out.writeZigZag(o.line());
            out.writeZigZag(o.record());
            out.writeZigZag(o.byteOffset());
        }
        int n = s.size();
        for (int i = 0; i < n; i++) {
            writeValue(r.value(i), out);
        }
    }

    public Row readRow(Bytes.Reader in) {
        Schema s = (Schema) shared((int) in.readVarLong());
        Location o = null;
        if (in.read() == 1) {
            String src = (String) shared((int) in.readVarLong());
            o = new Location(src, in.readZigZag(), in.readZigZag(), in.readZigZag());
        }
        Object[] values = new Object[s.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = readValue(in);
        }
        return Row.of(s, values, o);
    }

    private static final int V_NULL = 0;
    private static final int V_STRING = 1;
    private static final int V_LONG = 2;
    private static final int V_INT = 3;
    private static final int V_DOUBLE = 4;
    private static final int V_DECIMAL = 5;
    private static final int V_TRUE = 6;
    private static final int V_FALSE = 7;
    private static final int V_DATE = 8;
    private static final int V_DATETIME = 9;
    private static final int V_INSTANT = 10;
    private static final int V_OTHER = 11;

    /** One value of a row or a record's component. */
    public void writeValue(Object v, Bytes out) {
        if (v == null) {
            out.write(V_NULL);
        } else if (v instanceof String s) {
            out.write(V_STRING);
            out.writeString(s);
        } else if (v instanceof Long l) {
            out.write(V_LONG);
            out.writeZigZag(l);
        } else if (v instanceof Integer i) {
            out.write(V_INT);
            out.writeZigZag(i);
        } else if (v instanceof Double d) {
            out.write(V_DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(d));
        } else if (v instanceof BigDecimal d) {
            out.write(V_DECIMAL);
            out.writeString(d.toString());
        } else if (v instanceof Boolean b) {
            out.write(b ? V_TRUE : V_FALSE);
        } else if (v instanceof LocalDate d) {
            out.write(V_DATE);
            out.writeZigZag(d.toEpochDay());
        } else if (v instanceof LocalDateTime d) {
            out.write(V_DATETIME);
            out.writeString(d.toString());
        } else if (v instanceof Instant t) {
            out.write(V_INSTANT);
            out.writeZigZag(t.getEpochSecond());
            out.writeVarLong(t.getNano());
        } else {
            out.write(V_OTHER);
            write(v, out);
        }
    }

    public Object readValue(Bytes.Reader in) {
        int tag = in.read();
        return switch (tag) {
            case V_NULL -> null;
            case V_STRING -> in.readString();
            case V_LONG -> in.readZigZag();
            case V_INT -> (int) in.readZigZag();
            case V_DOUBLE -> Double.longBitsToDouble(in.readLong());
            case V_DECIMAL -> new BigDecimal(in.readString());
            case V_TRUE -> Boolean.TRUE;
            case V_FALSE -> Boolean.FALSE;
            case V_DATE -> LocalDate.ofEpochDay(in.readZigZag());
            case V_DATETIME -> LocalDateTime.parse(in.readString());
            case V_INSTANT -> Instant.ofEpochSecond(in.readZigZag(), in.readVarLong());
            case V_OTHER -> read(in);
            default -> throw new IllegalStateException("corrupt spill data: value tag " + tag);
        };
    }

    /** A record class's components and canonical constructor. */
    private record RecordShape(Class<?> type, RecordComponent[] components, Constructor<?> constructor) {}

    private final Map<Class<?>, RecordShape> shapes = new HashMap<>();

    private RecordShape shape(Class<?> type) {
        return shapes.computeIfAbsent(type, t -> {
            RecordComponent[] cs = t.getRecordComponents();
            Class<?>[] types = new Class<?>[cs.length];
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                cs[i].getAccessor().setAccessible(true);
            }
            try {
                Constructor<?> c = t.getDeclaredConstructor(types);
                c.setAccessible(true);
                return new RecordShape(t, cs, c);
            } catch (NoSuchMethodException | RuntimeException e) {
                throw new SluiceException(operator + " cannot rebuild records of " + t.getName() + ": " + e, e);
            }
        });
    }

    private void writeRecord(Record r, Bytes out) {
        RecordShape sh = shape(r.getClass());
        out.writeVarLong(id(sh));
        try {
            for (RecordComponent c : sh.components()) {
                writeValue(c.getAccessor().invoke(r), out);
            }
        } catch (ReflectiveOperationException e) {
            throw new SluiceException(
                    operator + " cannot read the components of " + r.getClass().getName(), e);
        }
    }

    private Object readRecord(Bytes.Reader in) {
        RecordShape sh = (RecordShape) shared((int) in.readVarLong());
        Object[] args = new Object[sh.components().length];
        for (int i = 0; i < args.length; i++) {
            args[i] = readValue(in);
        }
        try {
            return sh.constructor().newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new SluiceException(
                    operator + " cannot rebuild a " + sh.type().getName() + ": " + e, e);
        }
    }

    private void writeSerial(Object o, Bytes out) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(b)) {
            oos.writeObject(o);
        } catch (IOException e) {
            throw new SluiceException(
                    operator + " cannot serialize a " + o.getClass().getName() + ": " + e, e);
        }
        byte[] bytes = b.toByteArray();
        out.writeVarLong(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private Object readSerial(Bytes.Reader in) {
        int n = (int) in.readVarLong();
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(in.a, in.pos, n))) {
            in.pos += n;
            return ois.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new SluiceException(operator + " cannot read back a spilled record: " + e, e);
        }
    }

    private void writeUser(dev.sluice.Codec<Object> codec, Object rec, Bytes out) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        try (java.io.DataOutputStream d = new java.io.DataOutputStream(b)) {
            codec.write(rec, d);
        } catch (IOException | RuntimeException e) {
            throw new SluiceException(
                    operator + ": " + codec + " failed to write a "
                            + rec.getClass().getName() + ": " + e,
                    e);
        }
        out.writeVarLong(b.size());
        out.write(b.toByteArray(), 0, b.size());
    }

    private Object readUser(dev.sluice.Codec<?> codec, Bytes.Reader in) {
        int n = (int) in.readVarLong();
        try (java.io.DataInputStream d = new java.io.DataInputStream(new ByteArrayInputStream(in.a, in.pos, n))) {
            in.pos += n;
            return codec.read(d);
        } catch (IOException | RuntimeException e) {
            throw new SluiceException(operator + ": " + codec + " failed to read back a record: " + e, e);
        }
    }
}
