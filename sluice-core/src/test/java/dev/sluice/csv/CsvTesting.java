package dev.sluice.csv;

import dev.sluice.Flow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads raw records (every field, whatever the width) for differential and corpus tests. */
final class CsvTesting {
    private CsvTesting() {}

    static List<List<String>> records(CsvSource source) {
        CsvSource raw = source.withFormat(source.format().withHeader(false).withRagged(RaggedPolicy.PAD));
        List<List<String>> out = new ArrayList<>();
        Flow.from(raw).forEach(r -> out.add(((CsvRow) r).fields()));
        return out;
    }

    static List<List<String>> records(Path file, CsvFormat f) {
        return records(Csv.read(file, f));
    }

    static List<List<String>> records(String text, CsvFormat f) {
        return records(Csv.parse(text).withFormat(f));
    }

    static List<List<String>> records(byte[] bytes, CsvFormat f) {
        return records(
                Csv.read("bytes", () -> new java.io.ByteArrayInputStream(bytes)).withFormat(f));
    }
}
