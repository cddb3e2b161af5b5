package dev.sluice.logs;

import dev.sluice.Row;
import dev.sluice.Schema;
import java.util.List;

/** A format whose fields vary from line to line; lines with the keys of the line before share its schema. */
abstract class VaryingParser extends LineParser {
    private static final long serialVersionUID = 1L;

    /** The last schema, kept as one object so that threads sharing this parser see a consistent value. */
    private transient Schema last;

    @Override
    final Schema schema() {
        return null;
    }

    final Row row(List<String> keys, Object[] values, dev.sluice.Location origin) {
        Schema s = last;
        if (s == null || !s.names().equals(keys)) {
            s = Schema.interned(keys);
            last = s;
        }
        return Row.of(s, values, origin);
    }
}
