package dev.sluice.logs;

import dev.sluice.Row;
import dev.sluice.Schema;

/** Any line: one field, {@code line}. */
final class LinesParser extends LineParser {
    private static final long serialVersionUID = 1L;

    static final Schema SCHEMA = Schema.of("line");

    @Override
    Schema schema() {
        return SCHEMA;
    }

    @Override
    String notA() {
        return "not a line";
    }

    @Override
    Row parse(String line, dev.sluice.Location origin) {
        return Row.of(SCHEMA, new Object[] {line}, origin);
    }
}
