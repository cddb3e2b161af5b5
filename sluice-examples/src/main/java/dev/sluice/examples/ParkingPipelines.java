package dev.sluice.examples;

import dev.sluice.Dates;
import dev.sluice.Flow;
import dev.sluice.Pipeline;
import dev.sluice.Row;
import dev.sluice.Schema;
import dev.sluice.csv.Csv;
import dev.sluice.fn.FlowFn;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The seeds' two pipelines over the NYC parking-violations CSV, as a user would write them.
 *
 * <p><b>A</b>: rows with Registration State {@code NJ}, Vehicle Make {@code FORD} and Issuing Agency {@code P},
 * written with header {@code vehicle_make,issuing_agency,address}; the agency becomes {@code police} and the
 * address is House Number, Street Name and Registration State joined with {@code ", "}.
 *
 * <p><b>B</b>: every row plus {@code days_to_expiration}: days from Issue Date (its first 10 characters, {@code
 * yyyy-MM-dd}) to Vehicle Expiration Date (its integer part, {@code yyyyMMdd}); {@code -1} when either does not
 * parse.
 */
public final class ParkingPipelines {
    private ParkingPipelines() {}

    /** The output columns of pipeline A. */
    public static final Schema A_SCHEMA = Schema.of("vehicle_make", "issuing_agency", "address");

    /** Pipeline A's stages, reusable with {@link Flow#apply}. */
    public static final FlowFn<Row, Row> NJ_FORD_POLICE = rows -> rows.filter(r ->
                    r.is("Registration State", "NJ") && r.is("Vehicle Make", "FORD") && r.is("Issuing Agency", "P"))
            .named("nj-ford-police")
            .map(r -> A_SCHEMA.row(
                    r.get("Vehicle Make"),
                    "police",
                    String.join(", ", r.get("House Number"), r.get("Street Name"), r.get("Registration State"))))
            .named("to-address");

    /** Pipeline B's stage, reusable with {@link Flow#apply}. */
    public static final FlowFn<Row, Row> DAYS_TO_EXPIRATION = rows -> rows.map(r -> r.with(
                    "days_to_expiration", daysToExpiration(r.get("Issue Date"), r.get("Vehicle Expiration Date"))))
            .named("days-to-expiration");

    /** Pipeline A from {@code input} to {@code output}, on all cores (its functions are pure, so thread-safe). */
    public static Pipeline pipelineA(Path input, Path output) {
        return Flow.from(Csv.read(input)).parallel().apply(NJ_FORD_POLICE).to(Csv.write(output));
    }

    /** Pipeline B from {@code input} to {@code output}, on all cores. */
    public static Pipeline pipelineB(Path input, Path output) {
        return Flow.from(Csv.read(input)).parallel().apply(DAYS_TO_EXPIRATION).to(Csv.write(output));
    }

    /**
     * Days from {@code issueDate} (first 10 characters, {@code yyyy-MM-dd}) to {@code expiration} (integer part,
     * {@code yyyyMMdd}), or -1 when either is absent or does not parse.
     */
    public static long daysToExpiration(String issueDate, String expiration) {
        LocalDate issued = Dates.tryParse(issueDate, 0, 10, "yyyy-MM-dd");
        if (issued == null || expiration == null) {
            return -1;
        }
        String e = expiration.trim();
        int dot = e.indexOf('.');
        LocalDate expires = Dates.tryParse(e, 0, dot < 0 ? e.length() : dot, "yyyyMMdd"); // the integer part
        return expires == null ? -1 : ChronoUnit.DAYS.between(issued, expires);
    }

    /** Runs A and B over a file: {@code ParkingPipelines [IN.csv [OUT_DIR]]}, by default from and into {@code sluice-out}. */
    public static void main(String[] args) {
        Path in = Path.of(args.length > 0 ? args[0] : "sluice-out/parking.csv");
        Path out = Path.of(args.length > 1 ? args[1] : "sluice-out/examples");
        if (!java.nio.file.Files.isRegularFile(in)) {
            System.err.println(
                    in + " is not a file: make it first with the ParkingGenerator example, or pass a parking CSV");
            System.exit(2);
        }
        System.out.println(pipelineA(in, out.resolve("nj_ford_police.csv")).run());
        System.out.println(pipelineB(in, out.resolve("days_to_expiration.csv")).run());
    }
}
