package dev.sluice.logs;

import dev.sluice.DataException;
import dev.sluice.Row;
import dev.sluice.internal.JsonObjectParser;
import java.util.ArrayList;
import java.util.List;

/** One JSON object a line, read as {@link dev.sluice.json.JsonLines} reads it, with the same parser. */
final class JsonLogParser extends VaryingParser {
    private static final long serialVersionUID = 1L;

    @Override
    String notA() {
        return "not a JSON object";
    }

    @Override
    Row parse(String s, dev.sluice.Location origin) {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try {
            new JsonObjectParser(s).parse(keys, values);
        } catch (IllegalArgumentException e) {
            throw new DataException(notA() + ": " + e.getMessage());
        }
        return row(keys, values.toArray(), origin);
    }
}
