package dev.sluice.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.json.JsonLines;
import dev.sluice.testdata.MiniJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sluice's lenient reading is defined as "what Python's csv module does": this test generates random messy and
 * malformed input (stray quotes, text after closing quotes, unclosed quotes, CR/LF anywhere) and compares every
 * record with what python3's csv.reader returns for the same text. Skipped, by name, where python3 is absent.
 */
class PythonDifferentialTest {

    private static final String SCRIPT = String.join(
            "\n",
            "import csv, io, json, sys",
            "out = []",
            "for text in json.load(open(sys.argv[1], encoding='utf-8')):",
            "    rows = [r for r in csv.reader(io.StringIO(text, newline='')) if r]",
            "    out.append(rows)",
            "json.dump(out, open(sys.argv[2], 'w', encoding='utf-8'))",
            "");

    @Test
    void lenientParsingMatchesPythonOnRandomMessyInput(@TempDir Path dir) throws Exception {
        assumeTrue(CsvWriterTest.pythonPresent(), "skipped: python3 is not installed, so there is no reference");
        Random rnd = new Random(20261121);
        String alphabet = "ab,\",\"\r\n é";
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(24);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            inputs.add(sb.toString());
        }
        Path in = dir.resolve("inputs.json");
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < inputs.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            JsonLines.string(json, inputs.get(i));
        }
        Files.writeString(in, json.append(']'));
        Path out = dir.resolve("python.json");
        Process p = new ProcessBuilder("python3", "-c", SCRIPT, in.toString(), out.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        List<?> expected = (List<?>) MiniJson.parse(Files.readString(out));
        for (int i = 0; i < inputs.size(); i++) {
            String text = inputs.get(i);
            List<List<String>> ours = CsvTesting.records(text, CsvFormat.DEFAULT);
            assertEquals(expected.get(i), ours, "input: " + CsvPropertyTest.escape(text));
        }
    }
}
