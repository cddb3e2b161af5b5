// Pipeline A as one file, run without a Maven project:
//
//   ./sluice run Pipeline.java parking.csv [nj_ford_police.csv]
//
// `sluice run` starts the JDK's source launcher with Sluice on the class path: the file is compiled in memory and
// its main method runs, like `python script.py`. Make a parking.csv with `./sluice generate parking --out parking.csv`.
import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.csv.Csv;
import java.nio.file.Path;

public class Pipeline {
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: sluice run Pipeline.java PARKING.csv [OUT.csv]");
      System.exit(2);
    }
    Path in = Path.of(args[0]);
    Path out = Path.of(args.length > 1 ? args[1] : "nj_ford_police.csv");
    // Building runs nothing; run() reads the file once, record by record, and returns what happened.
    RunSummary summary = Flow.from(Csv.read(in))
        .filter(r -> r.is("Registration State", "NJ") && r.is("Vehicle Make", "FORD") && r.is("Issuing Agency", "P"))
        .named("nj-ford-police")
        .map(r -> Row.of("vehicle_make", r.get("Vehicle Make"),
                         "issuing_agency", "police",
                         "address", String.join(", ", r.get("House Number"), r.get("Street Name"),
                                                      r.get("Registration State"))))
        .to(Csv.write(out))
        .run();
    System.out.println(summary);
  }
}
