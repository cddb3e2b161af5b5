package dev.sluice;

import java.io.Serializable;

/**
 * A record that a run rejected, with the reason: what a dead-letter sink receives.
 *
 * @param stage the stage that rejected it (a source's name for unreadable input)
 * @param record the 1-based record number at that stage's input
 * @param source the source the record came from, or "" if unknown
 * @param line the 1-based line the record starts on in its source, or -1
 * @param reason a one-line description of what was wrong
 * @param rawText the record's raw text as read (e.g. the CSV line), or "" if unknown
 */
public record Rejected(String stage, long record, String source, long line, String reason, String rawText)
        implements Serializable {

    /** The columns of {@link #toRow()}. */
    public static final Schema SCHEMA = Schema.of("stage", "record", "source", "line", "reason", "raw");

    /** This rejection as a row, e.g. for a CSV dead-letter file. */
    public Row toRow() {
        return SCHEMA.row(stage, Long.toString(record), source, Long.toString(line), reason, rawText);
    }

    @Override
    public String toString() {
        StringBuilder sb =
                new StringBuilder("stage '").append(stage).append("' record ").append(record);
        if (!source.isEmpty()) {
            sb.append(" (").append(source);
            if (line >= 0) {
                sb.append(" line ").append(line);
            }
            sb.append(')');
        }
        return sb.append(": ").append(reason).toString();
    }
}
