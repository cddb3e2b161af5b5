package dev.sluice.cli;

import dev.sluice.LocalRunner;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** How much memory a blocking verb (sort, group, ...) may hold, and where it spills past it. */
final class MemoryOptions {
    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            defaultValue = "64MB",
            description = "Memory for sorting and grouping (default ${DEFAULT-VALUE}; 512KB, 64MB, 2GB, binary "
                    + "units); past it, sorted runs spill to temporary files. The launcher sizes the heap to fit.")
    String memory;

    @Option(
            names = "--temp-dir",
            paramLabel = "DIR",
            description = "Where to spill (default: java.io.tmpdir). Removed when the command ends.")
    Path tempDir;

    @Option(
            names = "--max-temp",
            paramLabel = "SIZE",
            description = "Fail if spill files would hold more than SIZE at once (default: no cap).")
    String maxTemp;

    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);

    /** A size such as {@code 64MB}, {@code 512k}, {@code 2GiB} or {@code 1000} (bytes), in binary units. */
    static long parseSize(String s, String option) {
        Matcher m = SIZE.matcher(s.strip());
        if (!m.matches()) {
            throw new UsageError(option + " takes a size such as 64MB, 512KB or 2GB, not '" + s + "'");
        }
        double v = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long bytes = (long) (v * (1L << shift));
        if (bytes < 64 << 10 && option.equals("--memory")) {
            throw new UsageError("--memory must be at least 64KB, was " + s);
        }
        return bytes;
    }

    /** The local runner with this memory, temp directory and cap. */
    LocalRunner runner() {
        LocalRunner r =
                LocalRunner.get().withMemory(parseSize(memory, "--memory")).withTempDir(tempDir);
        return maxTemp == null ? r : r.withMaxSpill(parseSize(maxTemp, "--max-temp"));
    }
}
