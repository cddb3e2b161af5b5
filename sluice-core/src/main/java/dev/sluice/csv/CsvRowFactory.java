package dev.sluice.csv;

import dev.sluice.Location;
import dev.sluice.SourceContext;
import java.util.Arrays;
import java.util.Locale;

/** Internal: turns the parser's current record into a row, numbering records and applying the ragged policy. */
final class CsvRowFactory {
    private final CsvFormat format;
    private final CsvRow.Shared shared;
    private final int width;
    private final SourceContext ctx;
    private final boolean numbered;
    private final ChunkLines lines;
    long records;

    CsvRowFactory(
            CsvFormat format,
            CsvRow.Shared shared,
            int width,
            SourceContext ctx,
            long recordsBefore,
            boolean numbered,
            ChunkLines lines) {
        this.lines = lines;
        this.format = format;
        this.shared = shared;
        this.width = width;
        this.ctx = ctx;
        this.records = recordsBefore;
        this.numbered = numbered;
        this.strictUtf8 = format.strict() && shared.utf8;
    }

    private final boolean strictUtf8;

    /** The row for the parser's current record, or null if the ragged policy dropped it. */
    CsvRow make(CsvParser p) {
        records++;
        int n = p.fieldCount;
        CsvRow row = new CsvRow(
                shared,
                Arrays.copyOfRange(p.buffer(), p.recStart, p.recEnd),
                p.scanning() ? null : Arrays.copyOf(p.bounds(), 2 * n),
                n,
                p.recLine,
                numbered ? records : -1,
                p.recordOffset(),
                lines,
                p.recQuoted,
                p.recHigh);
        if (strictUtf8) {
            byte[] raw = row.raw();
            int bad = Utf8.firstInvalid(raw, 0, raw.length);
            if (bad >= 0) {
                Location where = numbered ? row.origin() : null;
                ctx.reject(
                        where,
                        numbered ? row.rawText() : null,
                        String.format(
                                Locale.ROOT,
                                "record %,d is not valid UTF-8: byte 0x%02X at byte %,d of the record",
                                records,
                                raw[bad] & 0xff,
                                bad + 1),
                        null);
                return null;
            }
        }
        if (n == width || format.ragged() == RaggedPolicy.PAD) {
            return row;
        }
        // a worker's speculative row only aborts its chunk: do not wait for its exact location
        Location where = numbered ? row.origin() : null;
        String reason = String.format(
                Locale.ROOT,
                "record %,d has %d field%s, but the %s has %d",
                records,
                n,
                n == 1 ? "" : "s",
                format.header() ? "header" : "first record",
                width);
        String raw = numbered ? row.rawText() : null;
        if (format.ragged() == RaggedPolicy.SKIP) {
            ctx.skip(where, raw, reason);
        } else {
            ctx.reject(where, raw, reason, null);
        }
        return null;
    }
}
