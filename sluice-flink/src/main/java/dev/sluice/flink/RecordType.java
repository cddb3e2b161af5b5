package dev.sluice.flink;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The Flink type of every stream of Sluice records: serialized by {@link RecordSerializer}, never by Kryo. */
public final class RecordType extends TypeInformation<Object> {
    private static final long serialVersionUID = 1L;
    static final RecordType INSTANCE = new RecordType();

    public RecordType() {}

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<Object> getTypeClass() {
        return Object.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Object> createSerializer(SerializerConfig config) {
        return RecordSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "SluiceRecord";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordType;
    }

    @Override
    public int hashCode() {
        return RecordType.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof RecordType;
    }
}
