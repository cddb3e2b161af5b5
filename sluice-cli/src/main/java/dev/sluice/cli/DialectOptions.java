package dev.sluice.cli;

import dev.sluice.ErrorPolicy;
import dev.sluice.csv.CsvFormat;
import dev.sluice.csv.RaggedPolicy;
import java.nio.charset.Charset;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The CSV dialect and error-policy flags shared by the commands that read CSV. */
final class DialectOptions {
    @Option(names = "--delimiter", paramLabel = "CHAR", description = "Field delimiter (default: ,; use \\t for tab).")
    String delimiter;

    @Option(names = "--quote", paramLabel = "CHAR", description = "Quote character (default: \"; 'none' for none).")
    String quote;

    @Option(names = "--escape", paramLabel = "CHAR", description = "Escape character, e.g. \\\\ (default: none).")
    String escape;

    @Option(
            names = "--comment",
            paramLabel = "CHAR",
            description = "Lines starting with CHAR are skipped (default: none).")
    String comment;

    @Option(names = "--no-header", description = "The first record is data; columns are named 1, 2, 3, ...")
    boolean noHeader;

    @Option(names = "--charset", paramLabel = "NAME", description = "Character set (default: UTF-8).")
    String charset;

    @Option(
            names = "--ragged",
            paramLabel = "POLICY",
            description = "Rows whose width differs from the header's: ${COMPLETION-CANDIDATES} (default: FAIL).")
    RaggedPolicy ragged;

    @Option(names = "--strict", description = "Reject text after a closing quote and unclosed quotes (RFC 4180).")
    boolean strict;

    @Option(names = "--empty-as-null", description = "Unquoted empty fields are absent (null), as in PostgreSQL CSV.")
    boolean emptyAsNull;

    @Option(
            names = "--max-record-size",
            paramLabel = "BYTES",
            description =
                    "The longest record allowed, in bytes (default: 8 MiB); a longer one is an error naming its line.")
    Integer maxRecordSize;

    @Option(
            names = "--max-fields",
            paramLabel = "N",
            description = "The most fields a record may have (default: 100,000).")
    Integer maxFields;

    @Option(
            names = "--in-format",
            paramLabel = "FORMAT",
            description =
                    "The input format when the name does not say (standard input is CSV): ${COMPLETION-CANDIDATES}.")
    Io.Format inFormat;

    @Option(names = "--skip-bad", paramLabel = "N", description = "Skip up to N bad records instead of failing.")
    Long skipBad;

    @Option(
            names = "--dead-letter",
            paramLabel = "FILE",
            description = "Write bad records, with the reason, file and line, to this CSV file and go on.")
    Path deadLetter;

    /** The dialect; a bad value is a usage error naming its flag. */
    CsvFormat format() {
        try {
            return build();
        } catch (java.nio.charset.IllegalCharsetNameException | java.nio.charset.UnsupportedCharsetException e) {
            throw new UsageError("--charset: unknown character set '" + charset + "'");
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private CsvFormat build() {
        CsvFormat f = CsvFormat.DEFAULT;
        if (maxRecordSize != null) {
            if (maxRecordSize <= 0) {
                throw new UsageError("--max-record-size must be at least 1, was " + maxRecordSize);
            }
            f = f.withMaxRecordSize(maxRecordSize).withMaxFieldSize(maxRecordSize); // a field is at most its record
        }
        if (maxFields != null) {
            if (maxFields <= 0) {
                throw new UsageError("--max-fields must be at least 1, was " + maxFields);
            }
            f = f.withMaxFields(maxFields);
        }
        if (delimiter != null) {
            f = f.withDelimiter(oneChar("--delimiter", delimiter));
        }
        if (quote != null) {
            f = f.withQuote(oneChar("--quote", quote));
        }
        if (escape != null) {
            f = f.withEscape(oneChar("--escape", escape));
        }
        if (comment != null) {
            f = f.withComment(oneChar("--comment", comment));
        }
        if (noHeader) {
            f = f.withHeader(false);
        }
        if (charset != null) {
            f = f.withCharset(Charset.forName(charset));
        }
        if (ragged != null) {
            f = f.withRagged(ragged);
        }
        return f.withStrict(strict).withEmptyAsNull(emptyAsNull);
    }

    ErrorPolicy policy() {
        if (skipBad != null && skipBad < 0) {
            throw new UsageError("--skip-bad must be at least 0, was " + skipBad);
        }
        if (deadLetter != null) {
            ErrorPolicy p = ErrorPolicy.deadLetter(deadLetter);
            return skipBad != null ? p.withLimit(skipBad) : p;
        }
        return skipBad != null ? ErrorPolicy.skip(skipBad) : ErrorPolicy.fail();
    }

    static char oneChar(String option, String value) {
        switch (value) {
            case "\\t":
            case "tab":
                return '\t';
            case "none":
                return CsvFormat.NONE;
            case "\\\\":
                return '\\';
            default:
                if (value.length() != 1) {
                    throw new UsageError(option + " must be one character (or \\t, tab, none), was '" + value + "'");
                }
                return value.charAt(0);
        }
    }
}
