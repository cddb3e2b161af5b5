package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.csv.Csv;
import dev.sluice.csv.CsvFormat;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader says where it is; the source reopens there and reads exactly the rest, with the same locations. */
class PositionTest {
    @TempDir
    Path dir;

    private static final SourceContext FAIL = new SourceContext() {
        @Override
        public void reject(Location where, String rawText, String reason, Throwable cause) {
            throw new DataException(where + ": " + reason, where, cause);
        }

        @Override
        public void skip(Location where, String rawText, String reason) {}
    };

    private static <T> List<String> all(SourceReader<T> r) throws Exception {
        List<String> out = new ArrayList<>();
        try (r) {
            T t;
            while ((t = r.next()) != null) {
                out.add(t + " @ " + r.location());
            }
        }
        return out;
    }

    /** For every record index: read that many, take the position (through serialization), resume, compare. */
    private static <T> void resumesExactly(Source<T> source) throws Exception {
        List<String> whole = all(source.open(FAIL));
        for (int i = 0; i <= whole.size(); i++) {
            Position at;
            try (SourceReader<T> r = source.open(FAIL)) {
                for (int k = 0; k < i; k++) {
                    r.next();
                }
                at = SerializationTest.roundTrip(r.position());
            }
            assertEquals(
                    whole.subList(i, whole.size()),
                    all(source.open(FAIL, at)),
                    source.name() + " after " + i + ": " + at);
        }
    }

    @Test
    void csvFilesResumeAtTheirByteOffsetWithTheirLinesAndRecordNumbers() throws Exception {
        String text =
                "\uFEFFid,note\r\n1,plain\r\n\r\n2,\"two\nlines\"\r\n#,not a comment here\n3,\"a \"\"q\"\"\"\n4,last";
        Path plain = dir.resolve("p.csv");
        Files.writeString(plain, text);
        resumesExactly(Csv.read(plain));
        Path gz = dir.resolve("p.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        resumesExactly(Csv.read(gz));
        Path noHeader = dir.resolve("n.tsv");
        Files.writeString(noHeader, "a\tb\n#skip me\nc\td\n\ne\tf\n");
        resumesExactly(Csv.read(
                noHeader,
                CsvFormat.DEFAULT.withHeader(false).withDelimiter('\t').withComment('#')));
        Path latin = dir.resolve("l.csv");
        Files.write(latin, "k,v\n1,caf\u00e9\n2,na\u00efve\n".getBytes(StandardCharsets.UTF_16));
        resumesExactly(Csv.read(latin, CsvFormat.DEFAULT.withCharset(StandardCharsets.UTF_16)));
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        resumesExactly(Csv.read("stream", () -> new ByteArrayInputStream(bytes)));
    }

    @Test
    void inMemorySourcesResumeByRecordCount() throws Exception {
        resumesExactly(dev.sluice.internal.InMemorySources.range(5, 12));
        resumesExactly(dev.sluice.internal.InMemorySources.iterable(List.of("a", "b", "c")));
        assertThrows(
                IllegalArgumentException.class,
                () -> dev.sluice.internal.InMemorySources.range(0, 3)
                        .open(FAIL, new dev.sluice.csv.CsvSource.Offset(1, 1, 1)));
    }
}
