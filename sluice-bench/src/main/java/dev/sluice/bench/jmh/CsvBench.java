package dev.sluice.bench.jmh;

import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.csv.Csv;
import dev.sluice.csv.CsvFormat;
import dev.sluice.csv.CsvSource;
import dev.sluice.csv.CsvWriter;
import dev.sluice.examples.ParkingGenerator;
import dev.sluice.examples.ParkingPipelines;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the CSV hot paths, over 20,000 generated parking rows (about 4 MB) held in memory, so the
 * disk is out of the picture. Scores are operations per second over the whole block: multiply by {@link #mb()}
 * for MB/s. Run: {@code bench/jmh.sh} (or {@code java -cp ... org.openjdk.jmh.Main CsvBench}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx160m", "-Xmn96m", "-XX:+UseSerialGC"})
public class CsvBench {
    private byte[] data;
    private List<Row> rows;
    private List<Row> decodedRows;

    private CsvSource source() {
        byte[] d = data;
        return Csv.read("memory", () -> new ByteArrayInputStream(d));
    }

    /** The size of the block, in MB. */
    public double mb() {
        return data.length / 1e6;
    }

    @Setup
    public void setup() throws IOException {
        StringWriter w = new StringWriter();
        ParkingGenerator.write(w, 20_000, 1);
        data = w.toString().getBytes(StandardCharsets.UTF_8);
        rows = Flow.from(source()).toList();
        decodedRows = new ArrayList<>();
        for (Row r : rows) {
            decodedRows.add(Row.of(r.schema(), r.values().toArray(), null));
        }
    }

    /** Parsing into row views: the byte-level parser and one small copy per row. */
    @Benchmark
    public long parse() {
        return Flow.from(source()).count();
    }

    /** Pipeline A's filter: three byte comparisons per row, nothing decoded. */
    @Benchmark
    public long filterA() {
        return Flow.from(source())
                .filter(r ->
                        r.is("Registration State", "NJ") && r.is("Vehicle Make", "FORD") && r.is("Issuing Agency", "P"))
                .count();
    }

    /** {@code is} on parsed rows: no decoding, no allocation. */
    @Benchmark
    public int isWithoutDecoding() {
        int n = 0;
        for (Row r : rows) {
            if (r.is("Vehicle Make", "FORD")) {
                n++;
            }
        }
        return n;
    }

    /** The same comparison through {@code get}: decodes a String per row. */
    @Benchmark
    public int getAndEquals() {
        int n = 0;
        for (Row r : rows) {
            if (r.get("Vehicle Make").equals("FORD")) {
                n++;
            }
        }
        return n;
    }

    /** Pipeline B's computation: two fixed-pattern dates per row. */
    @Benchmark
    public long daysToExpiration() {
        long sum = 0;
        for (Row r : rows) {
            sum += ParkingPipelines.daysToExpiration(r.get("Issue Date"), r.get("Vehicle Expiration Date"));
        }
        return sum;
    }

    /** Writing rows that pass through unchanged: raw bytes copied. */
    @Benchmark
    public void writeRaw() throws IOException {
        try (CsvWriter w = new CsvWriter(OutputStream.nullOutputStream(), CsvFormat.DEFAULT)) {
            for (Row r : rows) {
                w.writeRow(r, true);
            }
        }
    }

    /** Writing the same rows field by field (what raw pass-through avoids). */
    @Benchmark
    public void writeEncoded() throws IOException {
        try (CsvWriter w = new CsvWriter(OutputStream.nullOutputStream(), CsvFormat.DEFAULT)) {
            for (Row r : decodedRows) {
                w.writeRow(r, true);
            }
        }
    }
}
