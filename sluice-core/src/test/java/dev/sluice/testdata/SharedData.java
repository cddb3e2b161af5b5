package dev.sluice.testdata;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared, read-only public test data in {@code ../shared/data} beside the repository (never copied into it).
 * Tests that need it call {@link #path}; where it is missing they report themselves skipped, saying why.
 */
public final class SharedData {
    private SharedData() {}

    /** The data directory, or null if absent. */
    public static Path dir() {
        String prop = System.getProperty("sluice.shared.data");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop).normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A file or folder under the shared data; skips the calling test if the shared data is not present. */
    public static Path path(String relative) {
        Path dir = dir();
        assumeTrue(dir != null, "skipped: ../shared/data is not present on this machine");
        Path p = dir.resolve(relative);
        assumeTrue(Files.exists(p), "skipped: ../shared/data/" + relative + " is not present on this machine");
        return p;
    }
}
