package dev.sluice.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Writes a deterministic synthetic NYC parking-violations file in the real 43-column schema (header included,
 * {@code Days Parking In Effect    } with its four trailing spaces), about 195 bytes a row, with value shapes and
 * frequencies modelled on the real FY2017 exports: mostly New York plates (about 9% NJ), Fords about 12% of makes,
 * leading zeros kept ({@code 0143A}), many trailing empty fields, a few descriptions that need quoting.
 *
 * <p>Two deliberate choices, so the seeds' pipelines have work to do: Issue Date is written as the Open Data API
 * writes it ({@code 2016-07-10T00:00:00.000}), and Vehicle Expiration Date as {@code yyyyMMdd}, {@code 0} or the
 * placeholder {@code 88880088}. The same seed and row count always give the same bytes.
 */
public final class ParkingGenerator {
    private ParkingGenerator() {}

    /** The real header of the FY2017 export. */
    public static final String HEADER = "Summons Number,Plate ID,Registration State,Plate Type,Issue Date,"
            + "Violation Code,Vehicle Body Type,Vehicle Make,Issuing Agency,Street Code1,Street Code2,Street Code3,"
            + "Vehicle Expiration Date,Violation Location,Violation Precinct,Issuer Precinct,Issuer Code,Issuer Command,"
            + "Issuer Squad,Violation Time,Time First Observed,Violation County,Violation In Front Of Or Opposite,"
            + "House Number,Street Name,Intersecting Street,Date First Observed,Law Section,Sub Division,"
            + "Violation Legal Code,Days Parking In Effect    ,From Hours In Effect,To Hours In Effect,Vehicle Color,"
            + "Unregistered Vehicle?,Vehicle Year,Meter Number,Feet From Curb,Violation Post Code,Violation Description,"
            + "No Standing or Stopping Violation,Hydrant Violation,Double Parking Violation";

    private static final String[] STATES = {"NY", "NJ", "PA", "CT", "FL", "MA", "IN", "VA", "MD", "NC", "TX", "99"};
    private static final int[] STATE_W = {760, 90, 30, 20, 20, 10, 10, 10, 10, 10, 10, 20};
    private static final String[] PLATE_TYPES = {"PAS", "COM", "OMT", "SRF", "OMS", "999"};
    private static final int[] PLATE_TYPE_W = {700, 200, 50, 20, 20, 10};
    private static final String[] BODIES = {"SUBN", "4DSD", "VAN", "DELV", "PICK", "2DSD", "SDN", "TRAC", "REFG", ""};
    private static final int[] BODY_W = {330, 290, 130, 50, 40, 40, 30, 20, 10, 60};
    private static final String[] MAKES = {
        "FORD", "TOYOT", "HONDA", "NISSA", "CHEVR", "FRUEH", "ME/BE", "BMW", "DODGE", "JEEP", "INTER", "LEXUS", "HYUND",
        "GMC", "ACURA", "VOLKS", "SUBAR", "ISUZU", "MAZDA", "AUDI"
    };
    private static final int[] MAKE_W = {
        120, 110, 100, 80, 70, 40, 40, 35, 35, 30, 30, 25, 25, 25, 20, 20, 20, 15, 15, 15
    };
    private static final String[] AGENCIES = {"T", "S", "P", "K", "X", "V", "C", "M"};
    private static final int[] AGENCY_W = {700, 110, 100, 40, 20, 10, 10, 10};
    private static final int[] CODES = {21, 36, 38, 14, 20, 46, 37, 7, 40, 71, 19, 16, 70, 31, 5, 17, 69, 48, 50, 74};
    private static final String[] COUNTIES = {"NY", "K", "Q", "BX", "R"};
    private static final String[] STREETS = {
        "BROADWAY",
        "ALLERTON AVE (W/B) @",
        "3RD AVE",
        "W 175 ST",
        "EASTERN PKWY",
        "QUEENS BLVD",
        "MADISON AVE",
        "LEXINGTON AVE",
        "ATLANTIC AVE",
        "FLATBUSH AVE",
        "GRAND CONCOURSE",
        "NOSTRAND AVE",
        "LIBERTY AVE",
        "JAMAICA AVE",
        "W 57 ST",
        "E 42 ST",
        "KINGS HWY",
        "AMSTERDAM AVE"
    };
    private static final String[] COLORS = {"GY", "WH", "BK", "BL", "RD", "SILVE", "BROWN", "GREEN", "WHITE", ""};
    private static final String[] DESCRIPTIONS = {
        "",
        "",
        "",
        "FAILURE TO STOP AT RED LIGHT",
        "BUS LANE VIOLATION",
        "PHTO SCHOOL ZN SPEED VIOLATION",
        "\"64-No STD Ex Con/DPL, D/S Dec\"",
        "\"20A-No Parking (Non-COM), Sunday\""
    };
    private static final LocalDate FY_START = LocalDate.of(2016, 7, 1);

    /** Writes {@code rows} data rows generated from {@code seed} to {@code out}, atomically, creating its directory. */
    public static void write(Path out, long rows, long seed) throws IOException {
        write(dev.sluice.Output.file(out).withCreateDirectories(true), rows, seed);
    }

    /**
     * Writes {@code rows} data rows generated from {@code seed} to {@code out}: a file appears whole or not at all,
     * a pipe or standard output is streamed.
     */
    public static void write(dev.sluice.Output out, long rows, long seed) throws IOException {
        out.check();
        dev.sluice.Output.Opened o = out.open();
        boolean ok = false;
        try {
            Writer w = new BufferedWriter(new OutputStreamWriter(o.stream(), StandardCharsets.UTF_8), 1 << 16);
            write(w, rows, seed);
            w.flush();
            ok = true;
        } finally {
            o.close(ok);
        }
    }

    /** Writes the header and {@code rows} rows to {@code w}. */
    public static void write(Writer w, long rows, long seed) throws IOException {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be at least 0, was " + rows);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(512);
        w.write(HEADER);
        w.write('\n');
        long summons = 1_000_000_000L + rnd.nextLong(7_000_000_000L);
        for (long i = 0; i < rows; i++) {
            sb.setLength(0);
            summons += 1 + rnd.nextInt(40);
            row(sb, rnd, summons);
            sb.append('\n');
            w.append(sb);
        }
    }

    /** The registrations file's header. */
    public static final String REGISTRATIONS_HEADER =
            "Plate ID,Registration State,Owner Zip,Registered Make,Model Year,Registration Expires";

    /**
     * Writes registrations for the tickets that {@link #write(Writer, long, long)} makes with the same {@code rows}
     * and {@code seed}: one for the plate of about 80% of the tickets (a plate ticketed twice may be registered
     * twice), each with a zip code, a make, a model year and an expiry date, from a generator of its own.
     */
    public static void writeRegistrations(dev.sluice.Output out, long rows, long seed) throws IOException {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be at least 0, was " + rows);
        }
        out.check();
        dev.sluice.Output.Opened o = out.open();
        boolean ok = false;
        try {
            Writer w = new BufferedWriter(new OutputStreamWriter(o.stream(), StandardCharsets.UTF_8), 1 << 16);
            SplittableRandom rnd = new SplittableRandom(seed);
            SplittableRandom own = new SplittableRandom(seed * 31 + 17);
            StringBuilder sb = new StringBuilder(512);
            StringBuilder reg = new StringBuilder(128);
            w.write(REGISTRATIONS_HEADER);
            w.write('\n');
            long summons = 1_000_000_000L + rnd.nextLong(7_000_000_000L);
            for (long i = 0; i < rows; i++) {
                sb.setLength(0);
                summons += 1 + rnd.nextInt(40);
                row(sb, rnd, summons); // the same tickets, to know their plates
                if (own.nextInt(100) >= 80) {
                    continue;
                }
                int a = sb.indexOf(",");
                int b = sb.indexOf(",", a + 1);
                int c = sb.indexOf(",", b + 1);
                reg.setLength(0);
                reg.append(sb, a + 1, b).append(',').append(sb, b + 1, c).append(',');
                pad(reg, own.nextInt(100_000), 5).append(',');
                reg.append(pick(own, MAKES, MAKE_W)).append(',');
                reg.append(1990 + own.nextInt(28)).append(',');
                reg.append(FY_START.plusDays(own.nextInt(1500))).append('\n');
                w.append(reg);
            }
            w.flush();
            ok = true;
        } finally {
            o.close(ok);
        }
    }

    private static void row(StringBuilder sb, SplittableRandom r, long summons) {
        String state = pick(r, STATES, STATE_W);
        String plateType = pick(r, PLATE_TYPES, PLATE_TYPE_W);
        LocalDate issued = FY_START.plusDays(r.nextInt(365));
        String agency = pick(r, AGENCIES, AGENCY_W);
        boolean intersection = r.nextInt(100) < 20;
        sb.append(summons).append(',');
        plate(sb, r, plateType).append(',');
        sb.append(state).append(',').append(plateType).append(',');
        sb.append(issued).append("T00:00:00.000,");
        sb.append(r.nextInt(100) < 85 ? CODES[r.nextInt(CODES.length)] : 1 + r.nextInt(99))
                .append(',');
        sb.append(pick(r, BODIES, BODY_W)).append(',');
        sb.append(pick(r, MAKES, MAKE_W)).append(',');
        sb.append(agency).append(',');
        for (int k = 0; k < 3; k++) {
            sb.append(r.nextInt(100) < 25 ? 0 : 10000 + r.nextInt(90000)).append(',');
        }
        int e = r.nextInt(100);
        if (e < 78) {
            LocalDate exp = issued.plusDays(r.nextInt(800) - 200);
            sb.append(exp.getYear() * 10000 + exp.getMonthValue() * 100 + exp.getDayOfMonth());
        } else {
            sb.append(e < 96 ? "0" : "88880088");
        }
        sb.append(',');
        int precinct = 1 + r.nextInt(123);
        if (agency.equals("T")) {
            pad(sb, precinct, 4)
                    .append(',')
                    .append(precinct)
                    .append(',')
                    .append(precinct)
                    .append(',');
        } else {
            sb.append(",0,0,");
        }
        sb.append(100000 + r.nextInt(900000)).append(',');
        sb.append(agency.equals("T") ? "T" + (100 + r.nextInt(300)) : "0000").append(',');
        sb.append(agency.equals("T") ? (char) ('A' + r.nextInt(12)) : "0000").append(',');
        pad(sb, 1 + r.nextInt(12), 2);
        pad(sb, r.nextInt(60), 2).append(r.nextBoolean() ? 'A' : 'P').append(',');
        sb.append(r.nextInt(100) < 10 ? "1120A" : "").append(',');
        sb.append(COUNTIES[r.nextInt(COUNTIES.length)]).append(',');
        sb.append(intersection ? "" : r.nextInt(100) < 80 ? "F" : "O").append(',');
        if (!intersection) {
            if (r.nextInt(100) < 30) {
                sb.append(10 + r.nextInt(200))
                        .append('-')
                        .append(r.nextInt(100) < 50 ? "0" : "")
                        .append(1 + r.nextInt(60));
            } else {
                sb.append(1 + r.nextInt(2500));
            }
        }
        sb.append(',').append(STREETS[r.nextInt(STREETS.length)]).append(',');
        sb.append(intersection ? STREETS[r.nextInt(STREETS.length)] : "").append(',');
        sb.append(r.nextInt(100) < 95 ? "0" : "20170101").append(',');
        sb.append(r.nextInt(100) < 70 ? "408" : r.nextBoolean() ? "1111" : "1180")
                .append(',');
        sb.append((char) ('A' + r.nextInt(10)))
                .append(r.nextInt(100) < 40 ? "" : Integer.toString(1 + r.nextInt(9)))
                .append(',');
        sb.append(agency.equals("V") ? "T" : "").append(',');
        sb.append(r.nextInt(100) < 60 ? "BBBBBBB" : r.nextInt(100) < 50 ? "YYYYYBB" : "")
                .append(',');
        boolean all = r.nextInt(100) < 50;
        sb.append(all ? "ALL" : "0700A")
                .append(',')
                .append(all ? "ALL" : "0700P")
                .append(',');
        sb.append(COLORS[r.nextInt(COLORS.length)]).append(',');
        sb.append(r.nextInt(100) < 80 ? "0" : "").append(',');
        sb.append(r.nextInt(100) < 15 ? 0 : 1990 + r.nextInt(28)).append(',');
        sb.append(r.nextInt(100) < 85 ? "-" : (100 + r.nextInt(900)) + "-" + (1000 + r.nextInt(9000)))
                .append(',');
        sb.append(r.nextInt(100) < 90 ? 0 : r.nextInt(12)).append(',');
        sb.append(r.nextInt(100) < 40 ? "" : (char) ('A' + r.nextInt(26)) + " " + r.nextInt(100))
                .append(',');
        sb.append(DESCRIPTIONS[r.nextInt(DESCRIPTIONS.length)]).append(",,,");
    }

    private static StringBuilder plate(StringBuilder sb, SplittableRandom r, String plateType) {
        if (plateType.equals("COM")) {
            sb.append(10000 + r.nextInt(90000))
                    .append((char) ('A' + r.nextInt(26)))
                    .append((char) ('A' + r.nextInt(26)));
        } else {
            for (int k = 0; k < 3; k++) {
                sb.append((char) ('A' + r.nextInt(26)));
            }
            pad(sb, r.nextInt(10000), 4);
        }
        return sb;
    }

    private static StringBuilder pad(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int k = s.length(); k < width; k++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    private static String pick(SplittableRandom r, String[] values, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    /** {@code ParkingGenerator [OUT.csv [ROWS [SEED]]]}; by default 1,000,000 rows to {@code sluice-out/parking.csv}. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "sluice-out/parking.csv");
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        write(out, rows, seed);
        System.out.printf(java.util.Locale.ROOT, "wrote %s: %,d rows, %,.0f MB%n", out, rows, Files.size(out) / 1e6);
    }
}
