package dev.sluice.flink;

import dev.sluice.Row;
import dev.sluice.Schema;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * Flink's serializer for Sluice records, so jobs run with {@code pipeline.generic-types: false} (no Kryo): rows as
 * their column names and values, strings and numbers directly, anything else (a Java record, a user type) by Java
 * serialization. Each record is self-contained. Records are immutable, so copies are the records themselves.
 */
public final class RecordSerializer extends TypeSerializer<Object> {
    private static final long serialVersionUID = 1L;
    static final RecordSerializer INSTANCE = new RecordSerializer();

    private static final int NULL = 0;
    private static final int ROW = 1;
    private static final int STRING = 2;
    private static final int LONG = 3;
    private static final int INT = 4;
    private static final int DOUBLE = 5;
    private static final int DECIMAL = 6;
    private static final int TRUE = 7;
    private static final int FALSE = 8;
    private static final int DATE = 9;
    private static final int DATETIME = 10;
    private static final int INSTANT = 11;
    private static final int SERIAL = 12;
    private static final int NUMBERED = 13;

    public RecordSerializer() {}

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<Object> duplicate() {
        return this;
    }

    @Override
    public Object createInstance() {
        return null;
    }

    @Override
    public Object copy(Object from) {
        return from;
    }

    @Override
    public Object copy(Object from, Object reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Object record, DataOutputView out) throws IOException {
        if (record instanceof DistinctFunction.Numbered n) { // a record and its place in input order
            out.writeByte(NUMBERED);
            out.writeLong(n.seq());
            serialize(n.record(), out);
        } else if (record instanceof Row r) {
            out.writeByte(ROW);
            Schema s = r.schema();
            out.writeInt(s.size());
            for (int i = 0; i < s.size(); i++) {
                out.writeUTF(s.name(i));
            }
            for (int i = 0; i < s.size(); i++) {
                value(r.value(i), out);
            }
        } else {
            value(record, out);
        }
    }

    private static void value(Object v, DataOutputView out) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            writeString(s, out);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (v instanceof BigDecimal d) {
            out.writeByte(DECIMAL);
            writeString(d.toString(), out);
        } else if (v instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (v instanceof LocalDate d) {
            out.writeByte(DATE);
            out.writeLong(d.toEpochDay());
        } else if (v instanceof LocalDateTime d) {
            out.writeByte(DATETIME);
            writeString(d.toString(), out);
        } else if (v instanceof Instant t) {
            out.writeByte(INSTANT);
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        } else {
            out.writeByte(SERIAL);
            byte[] b = InstantiationUtil.serializeObject(v);
            out.writeInt(b.length);
            out.write(b);
        }
    }

    /** UTF-8 with a length prefix: writeUTF stops at 64 KiB, a CSV field need not. */
    private static void writeString(String s, DataOutputView out) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputView in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public Object deserialize(DataInputView in) throws IOException {
        int tag = in.readByte();
        if (tag == NUMBERED) {
            long seq = in.readLong();
            return new DistinctFunction.Numbered(seq, deserialize(in));
        }
        if (tag == ROW) {
            int n = in.readInt();
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = in.readUTF();
            }
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                values[i] = value(in.readByte(), in);
            }
            // one schema object per shape, not per row: rows held by a sort or a join share it
            return Row.of(Schema.interned(java.util.Arrays.asList(names)), values, null);
        }
        return value(tag, in);
    }

    private static Object value(int tag, DataInputView in) throws IOException {
        switch (tag) {
            case NULL:
                return null;
            case STRING:
                return readString(in);
            case LONG:
                return in.readLong();
            case INT:
                return in.readInt();
            case DOUBLE:
                return in.readDouble();
            case DECIMAL:
                return new BigDecimal(readString(in));
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case DATE:
                return LocalDate.ofEpochDay(in.readLong());
            case DATETIME:
                return LocalDateTime.parse(readString(in));
            case INSTANT:
                return Instant.ofEpochSecond(in.readLong(), in.readInt());
            case SERIAL:
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                try {
                    return InstantiationUtil.deserializeObject(
                            b, Thread.currentThread().getContextClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IOException("cannot read a record back: " + e.getMessage(), e);
                }
            default:
                throw new IOException("corrupt record: tag " + tag);
        }
    }

    @Override
    public Object deserialize(Object reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordSerializer;
    }

    @Override
    public int hashCode() {
        return RecordSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<Object> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no parameters: its snapshot is its class, compatible as is. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Object> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
