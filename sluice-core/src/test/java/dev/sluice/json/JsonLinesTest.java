package dev.sluice.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.DataException;
import dev.sluice.ErrorPolicy;
import dev.sluice.Flow;
import dev.sluice.Row;
import dev.sluice.RunSummary;
import dev.sluice.csv.Csv;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON Lines in and out: the reader's typing rules, rejections with line numbers, and Python's json as referee. */
class JsonLinesTest {
    @TempDir
    Path dir;

    private static List<Row> read(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return Flow.from(JsonLines.read("t.jsonl", () -> new ByteArrayInputStream(b)))
                .toList();
    }

    @Test
    void valuesBecomeTextAndNullIsAbsent() {
        List<Row> rows = read("{\"a\":\"x\",\"n\":-1.5e3,\"t\":true,\"z\":null,\"o\":{\"k\":[1,\"]\"]}}\n\n"
                + "{\"o\":[],\"a\":\"\\u00e9\\n\\\"\"}\n");
        assertEquals(2, rows.size());
        Row r = rows.get(0);
        assertEquals("x", r.get("a"));
        assertEquals("-1.5e3", r.get("n"));
        assertEquals("true", r.get("t"));
        assertNull(r.get("z"));
        assertEquals("{\"k\":[1,\"]\"]}", r.get("o"));
        Row s = rows.get(1);
        assertEquals("é\n\"", s.get("a"));
        assertEquals("[]", s.get("o"));
        assertNull(s.get("n"), "a key left out is absent");
        assertEquals(3, s.origin().line());
    }

    @Test
    void badLinesAndUnknownKeysAreRejectedWithTheirLine() {
        String text = "{\"a\":1}\n[1,2]\n{\"a\":2,\"b\":3}\n{\"a\":01}\n{\"a\":\"open\n{\"a\":4}\n";
        DataException e = assertThrows(DataException.class, () -> read(text));
        assertTrue(
                e.getMessage().startsWith("t.jsonl line 2: not a JSON object: expected '{' at column 1"),
                e.getMessage());
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        List<Row> kept = new ArrayList<>();
        RunSummary s = Flow.from(JsonLines.read("t.jsonl", () -> new ByteArrayInputStream(b)))
                .onError(ErrorPolicy.skip())
                .peek(kept::add)
                .run();
        assertEquals(2, s.recordsOut());
        assertEquals(4, s.rejected());
        assertEquals("4", kept.get(1).get("a"));
        String all = s.firstRejections().toString();
        assertTrue(all.contains("key 'b' is not one of the first object's keys [a]"), all);
        assertTrue(all.contains("'01' is not a JSON number"), all);
        assertTrue(all.contains("a string is not closed"), all);
    }

    @Test
    void csvToJsonLinesAndBackIsTheSameFile() throws Exception {
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, "a,b,c\n1,\"x,y\",\"q\"\"\"\n2,,\"line\nbreak\"\n");
        Path jsonl = dir.resolve("mid.jsonl.gz");
        Flow.from(Csv.read(csv)).to(JsonLines.write(jsonl)).run();
        Path back = dir.resolve("back.csv");
        Flow.from(JsonLines.read(jsonl)).to(Csv.write(back)).run();
        assertEquals(Files.readString(csv), Files.readString(back));
    }

    /** Python's json module reads what we write, and we read what it writes, on random strings. */
    @Test
    void pythonsJsonModuleAgrees() throws Exception {
        Assumptions.assumeTrue(python(), "pythonsJsonModuleAgrees: python3 not found; skipped");
        Random rnd = new Random(7);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(12);
            for (int k = 0; k < n; k++) {
                int kind = rnd.nextInt(6);
                sb.append(
                        kind == 0
                                ? (char) rnd.nextInt(0x20)
                                : kind == 1
                                        ? "\"\\/".charAt(rnd.nextInt(3))
                                        : kind == 2
                                                ? (char) (0xa0 + rnd.nextInt(0x2000))
                                                : kind == 3 ? "😀" : (char) (0x20 + rnd.nextInt(0x5f)));
            }
            rows.add(Row.of("id", Integer.toString(i), "text", sb.toString(), "maybe", rnd.nextBoolean() ? null : "v"));
        }
        Path ours = dir.resolve("ours.jsonl");
        Flow.from(rows).to(JsonLines.write(ours)).run();
        Path script = dir.resolve("rt.py");
        Files.writeString(
                script,
                "import json,sys\n"
                        + "out=open(sys.argv[2],'w',encoding='utf-8')\n"
                        + "for line in open(sys.argv[1],encoding='utf-8'):\n"
                        + "  o=json.loads(line)\n"
                        + "  out.write(json.dumps(o,ensure_ascii=(int(o['id'])%2==0))+'\\n')\n");
        Path theirs = dir.resolve("theirs.jsonl");
        Process p = new ProcessBuilder("python3", script.toString(), ours.toString(), theirs.toString())
                .redirectErrorStream(true)
                .start();
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), msg);
        List<Row> back = Flow.from(JsonLines.read(theirs)).toList();
        assertEquals(rows.size(), back.size());
        for (int i = 0; i < rows.size(); i++) {
            for (String c : List.of("id", "text", "maybe")) {
                assertEquals(rows.get(i).get(c), back.get(i).get(c), "row " + i + " column " + c);
            }
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        Flow.from(JsonLines.read(theirs)).to(JsonLines.write(again)).run();
        assertEquals(Files.readString(ours), again.toString(StandardCharsets.UTF_8), "our writing is stable");
    }

    private static boolean python() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
