package dev.sluice.examples;

import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.csv.Csv;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seeds' first example: read a large CSV file with a generator, one line at a time, and process it row by row
 * without ever holding the file in memory.
 *
 * <pre>
 * def csv_reader(file_name):
 *     for row in open(file_name, "r"):
 *         yield row
 * row_count = sum(1 for row in csv_reader("parking.csv"))
 * </pre>
 */
public final class ReadLargeCsv {
    private ReadLargeCsv() {}

    /** The seed's generator, in Java: yields each line of the file; the file is closed however the run ends. */
    public static Flow<String> csvReader(Path file) {
        return Flow.generate("csv_reader(" + file.getFileName() + ")", out -> {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.emit(line);
                }
            }
        });
    }

    /** Counts the lines as the seed does (header included). */
    public static long rowCount(Path file) {
        return csvReader(file).count();
    }

    /** The same, the Sluice way: a real CSV parser (quoted newlines and all), row by row, counting Fords. */
    public static long fords(Path file) {
        return Flow.from(Csv.read(file))
                .filter(r -> r.is("Vehicle Make", "FORD"))
                .count();
    }

    /** Row-by-row processing with typed access: the total of the Violation Code column, as an example. */
    public static long sumOfViolationCodes(Path file) {
        long[] sum = {0};
        Flow.from(Csv.read(file)).forEach((Row r) -> sum[0] += r.getInt("Violation Code"));
        return sum[0];
    }

    /** {@code ReadLargeCsv [FILE.csv]}, by default {@code sluice-out/parking.csv} (made by ParkingGenerator). */
    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "sluice-out/parking.csv");
        if (!Files.isRegularFile(file)) {
            System.err.println(
                    file + " is not a file: make it first with the ParkingGenerator example, or pass a CSV file");
            System.exit(2);
        }
        System.out.println("Row count is " + rowCount(file) + " (lines, the header included, as the seed counts)");
        System.out.println("Fords: " + fords(file));
    }
}
