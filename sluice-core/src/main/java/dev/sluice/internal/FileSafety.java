package dev.sluice.internal;

import dev.sluice.ErrorPolicy;
import dev.sluice.Output;
import dev.sluice.Sink;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: the checks a run makes before it opens anything. No output may be one of the run's inputs (the same
 * file, also through a link or another spelling of its path), no two outputs may be the same file, and each output
 * must be writable as configured (its directory exists, it is not a directory, overwriting is allowed).
 */
final class FileSafety {
    private FileSafety() {}

    static void check(Stage tail, ErrorPolicy policy, Sink<?> sink) {
        List<Path> inputs = new ArrayList<>();
        for (dev.sluice.Source<?> s : Graph.sources(tail)) {
            inputs.addAll(s.inputFiles());
        }
        List<Output> outputs = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        if (sink != null) {
            for (Output o : sink.outputs()) {
                outputs.add(o);
                roles.add("the output");
            }
        }
        Sink<?> dl = policy.deadLetters();
        if (dl != null && dl.output() != null) {
            outputs.add(dl.output());
            roles.add("the dead-letter file");
        }
        List<Path> targets = new ArrayList<>();
        try {
            for (int i = 0; i < outputs.size(); i++) {
                Output o = outputs.get(i);
                if (o.file() == null) {
                    targets.add(null);
                    continue;
                }
                Path t = OutputFiles.target(o);
                targets.add(t);
                for (Path in : inputs) {
                    if (same(in, t)) {
                        throw new SluiceException(roles.get(i) + " " + o.name() + " is an input of this run (" + in
                                + "); writing it would destroy what is being read. Choose another path.");
                    }
                }
                for (int j = 0; j < i; j++) {
                    if (targets.get(j) != null && same(targets.get(j), t)) {
                        throw new SluiceException(roles.get(i) + " " + o.name() + " is also "
                                + (roles.get(j).equals(roles.get(i)) ? "another output" : roles.get(j)) + " ("
                                + outputs.get(j).name() + "); choose different paths");
                    }
                }
                o.check();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean same(Path a, Path b) throws IOException {
        Path x = a.toAbsolutePath().normalize();
        Path y = b.toAbsolutePath().normalize();
        if (x.equals(y)) {
            return true;
        }
        return Files.exists(x) && Files.exists(y) && Files.isSameFile(x, y);
    }
}
