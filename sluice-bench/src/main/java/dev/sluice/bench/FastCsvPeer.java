package dev.sluice.bench;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.sluice.examples.ParkingPipelines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The seeds' pipelines as a hand-written loop with FastCSV: what a careful Java programmer writes without a
 * pipeline library (column indexes resolved once, no per-row maps). Single-threaded.
 *
 * <p>Usage: {@code FastCsvPeer A|B IN.csv OUT.csv}.
 */
public final class FastCsvPeer {
    private FastCsvPeer() {}

    public static void main(String[] args) throws Exception {
        String pipeline = args[0];
        Path in = Path.of(args[1]);
        Path out = Path.of(args[2]);
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(in);
                CsvWriter writer =
                        CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(out)) {
            Iterator<CsvRecord> it = reader.iterator();
            List<String> header = it.next().getFields();
            int state = header.indexOf("Registration State");
            int make = header.indexOf("Vehicle Make");
            int agency = header.indexOf("Issuing Agency");
            int house = header.indexOf("House Number");
            int street = header.indexOf("Street Name");
            int issued = header.indexOf("Issue Date");
            int expires = header.indexOf("Vehicle Expiration Date");
            if (pipeline.equals("A")) {
                writer.writeRecord("vehicle_make", "issuing_agency", "address");
                while (it.hasNext()) {
                    CsvRecord r = it.next();
                    if (r.getField(state).equals("NJ")
                            && r.getField(make).equals("FORD")
                            && r.getField(agency).equals("P")) {
                        writer.writeRecord(
                                r.getField(make),
                                "police",
                                String.join(", ", r.getField(house), r.getField(street), r.getField(state)));
                    }
                }
            } else {
                List<String> h = new ArrayList<>(header);
                h.add("days_to_expiration");
                writer.writeRecord(h);
                List<String> row = new ArrayList<>(h.size());
                while (it.hasNext()) {
                    CsvRecord r = it.next();
                    row.clear();
                    row.addAll(r.getFields());
                    row.add(Long.toString(ParkingPipelines.daysToExpiration(r.getField(issued), r.getField(expires))));
                    writer.writeRecord(row);
                }
            }
        }
    }
}
