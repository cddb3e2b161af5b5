package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.csv.Csv;
import dev.sluice.json.JsonLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs never harm a file: devices, pipes and links are written in place or through; inputs are never outputs. */
class FileSafetyTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static List<Path> parts(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void aFifoIsWrittenInPlaceNeverReplaced() throws Exception {
        Path in = csv("in.csv", "a,b\n1,2\n3,4\n");
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream s = Files.newInputStream(fifo)) {
                return s.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Flow.from(Csv.read(in)).to(Csv.write(fifo)).run();
        assertEquals("a,b\n1,2\n3,4\n", new String(reader.get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        assertFalse(Files.isRegularFile(fifo), "the FIFO is still a FIFO");
        assertTrue(parts(dir).isEmpty());
    }

    @Test
    void aFifoThroughALinkIsWrittenInPlaceAndTheLinkKept() throws Exception {
        Path in = csv("in.csv", "a\n1\n");
        Path fifo = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path link = dir.resolve("out-link.jsonl");
        Files.createSymbolicLink(link, fifo.getFileName());
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream s = Files.newInputStream(fifo)) {
                return s.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        RunSummary s = Flow.from(Csv.read(in)).to(JsonLines.write(link)).run();
        assertEquals(1, s.recordsOut());
        assertEquals("{\"a\":\"1\"}\n", new String(reader.get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        assertTrue(Files.isSymbolicLink(link));
        assertFalse(Files.isRegularFile(fifo), "the FIFO is still a FIFO");
        assertTrue(parts(dir).isEmpty());
    }

    /**
     * Only descriptor links (/dev/stdout, /dev/fd/N, /proc/self/fd/N) are special: any other path, even under /dev, is
     * an ordinary path. Checked without writing outside the test's directory: a missing directory under /dev is
     * reported as a missing directory, the way any ordinary output path is.
     */
    @Test
    void onlyDescriptorLinksAreSpecial() throws Exception {
        java.io.IOException e = assertThrows(
                java.io.IOException.class,
                () -> Output.file(Path.of("/dev/no-such-sluice-dir/out.csv")).check());
        assertTrue(e.getMessage().contains("no such directory: /dev/no-such-sluice-dir"), e.getMessage());
    }

    @Test
    void aSymlinkIsWrittenThroughToItsTarget() throws Exception {
        Path in = csv("in.csv", "a\n1\n");
        Path target = csv("target.csv", "old\n");
        Path link = dir.resolve("link.csv");
        Files.createSymbolicLink(link, target.getFileName());
        Flow.from(Csv.read(in)).to(Csv.write(link)).run();
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("a\n1\n", Files.readString(target));
        // a dangling link: its target is created
        Path dangling = dir.resolve("dangling.csv");
        Files.createSymbolicLink(dangling, Path.of("created.csv"));
        Flow.from(Csv.read(in)).to(Csv.write(dangling)).run();
        assertEquals("a\n1\n", Files.readString(dir.resolve("created.csv")));
        assertTrue(parts(dir).isEmpty());
    }

    @Test
    void anOutputThatIsAnInputIsRefusedBeforeAnythingRuns() throws Exception {
        String text = "a,b\n1,2\n";
        Path in = csv("in.csv", text);
        Path link = dir.resolve("alias.csv");
        Files.createSymbolicLink(link, in);
        for (Path out : List.of(in, dir.resolve(".").resolve("in.csv"), link, dir.resolve("sub/../in.csv"))) {
            SluiceException e = assertThrows(
                    SluiceException.class,
                    () -> Flow.from(Csv.read(in)).to(Csv.write(out)).run(),
                    out.toString());
            assertTrue(e.getMessage().contains("is an input of this run"), e.getMessage());
            assertEquals(text, Files.readString(in));
        }
        // also a JSON Lines output, and the input read through the link
        assertThrows(
                SluiceException.class,
                () -> Flow.from(Csv.read(link)).to(JsonLines.write(in)).run());
        assertEquals(text, Files.readString(in));
    }

    @Test
    void aDeadLetterFileThatIsTheInputOrTheOutputIsRefused() throws Exception {
        String text = "a,b\n1,2\n3\n4,5\n";
        Path in = csv("in.csv", text);
        Path out = dir.resolve("out.csv");
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> Flow.from(Csv.read(in))
                        .onError(ErrorPolicy.deadLetter(in))
                        .to(Csv.write(out))
                        .run());
        assertTrue(e.getMessage().contains("the dead-letter file"), e.getMessage());
        assertEquals(text, Files.readString(in));
        SluiceException e2 = assertThrows(
                SluiceException.class,
                () -> Flow.from(Csv.read(in))
                        .onError(ErrorPolicy.deadLetter(out))
                        .to(Csv.write(out))
                        .run());
        assertTrue(e2.getMessage().contains("is also the output"), e2.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void aDirectoryAMissingParentAndNoClobberAreRefused() throws Exception {
        Path in = csv("in.csv", "a\n1\n");
        Path sub = Files.createDirectory(dir.resolve("adir"));
        var e = assertThrows(
                java.io.UncheckedIOException.class,
                () -> Flow.from(Csv.read(in)).to(Csv.write(sub)).run());
        assertTrue(
                e.getCause().getMessage().contains("is a directory"),
                e.getCause().getMessage());
        assertTrue(Files.isDirectory(sub));
        Path missing = dir.resolve("no/such/out.csv");
        var e2 = assertThrows(
                java.io.UncheckedIOException.class,
                () -> Flow.from(Csv.read(in)).to(Csv.write(missing)).run());
        assertTrue(
                e2.getCause().getMessage().contains("no such directory: " + dir.resolve("no/such")),
                e2.getCause().getMessage());
        assertFalse(Files.exists(dir.resolve("no")));
        Flow.from(Csv.read(in))
                .to(Csv.write(missing).withCreateDirectories(true))
                .run();
        assertEquals("a\n1\n", Files.readString(missing));
        Path existing = csv("existing.csv", "keep\n");
        assertThrows(
                java.io.UncheckedIOException.class,
                () -> Flow.from(Csv.read(in))
                        .to(Csv.write(existing).withOverwrite(false))
                        .run());
        assertEquals("keep\n", Files.readString(existing));
        assertTrue(parts(dir).isEmpty());
    }

    @Test
    void aFailedRunLeavesThePreviousFileAndNoTemporaryFile() throws Exception {
        Path in = csv("in.csv", "a\n1\n2\n3\n");
        Path out = csv("out.csv", "previous good\n");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
        assertThrows(
                RuntimeException.class,
                () -> Flow.from(Csv.read(in))
                        .map(r -> {
                            if (r.get("a").equals("3")) {
                                throw new IllegalStateException("boom");
                            }
                            return r;
                        })
                        .to(Csv.write(out))
                        .run());
        assertEquals("previous good\n", Files.readString(out));
        assertTrue(parts(dir).isEmpty());
        // on success the file is replaced whole, keeping its permissions
        Flow.from(Csv.read(in)).to(Csv.write(out)).run();
        assertEquals("a\n1\n2\n3\n", Files.readString(out));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void temporaryFilesOfDeadProcessesAreSweptAndThoseOfLiveOnesKept() throws Exception {
        Path in = csv("in.csv", "a\n1\n");
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long dead = p.pid();
        Path stale = csv(".out.csv.sluice-" + dead + "-abc.part", "half a file");
        long live = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        Path busy = csv(".out.csv.sluice-" + live + "-def.part", "another run's file");
        Flow.from(Csv.read(in)).to(Csv.write(dir.resolve("out.csv"))).run();
        assertFalse(Files.exists(stale), "a kill -9's leftover is swept");
        assertTrue(Files.exists(busy), "a live process's temporary file is left alone");
    }

    @Test
    void streamsAndStandardOutputAreWrittenAndLeftOpen() throws Exception {
        Path in = csv("in.csv", "a,b\n1,\"x,y\"\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Flow.from(Csv.read(in)).to(Csv.write(bytes)).run();
        assertEquals("a,b\n1,\"x,y\"\n", bytes.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        Flow.from(Csv.read(in)).to(JsonLines.write(json)).run();
        assertEquals("{\"a\":\"1\",\"b\":\"x,y\"}\n", json.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDiskThatFillsDuringTheLastFlushLeavesThePreviousFile() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        boolean mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString())
                        .redirectErrorStream(true)
                        .start()
                        .waitFor()
                == 0;
        Assumptions.assumeTrue(
                mounted,
                "aDiskThatFillsDuringTheLastFlushLeavesThePreviousFile: needs root to mount a "
                        + "1 MB tmpfs; skipped");
        try {
            StringBuilder sb = new StringBuilder("a\n");
            for (int i = 0; i < 3000; i++) {
                sb.append("row-").append(i).append('\n');
            }
            Path in = csv("in.csv", sb.toString());
            for (String name : List.of("out.jsonl", "out.csv")) {
                Path out = mnt.resolve(name);
                Files.writeString(out, "PREVIOUS-GOOD\n");
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                Flow.from(Csv.read(in))
                        .to(name.endsWith(".csv") ? Csv.write(expected) : JsonLines.write(expected))
                        .run();
                // fill the disk to 4 KB short of what the output needs: the writer's 64 KB buffer fails only at close
                Path filler = mnt.resolve("filler");
                Files.deleteIfExists(filler);
                long free = Files.getFileStore(mnt).getUsableSpace();
                Files.write(filler, new byte[(int) Math.max(0, free - expected.size() + 4096)]);
                RuntimeException e = assertThrows(
                        RuntimeException.class,
                        () -> Flow.from(Csv.read(in))
                                .to(name.endsWith(".csv") ? Csv.write(out) : JsonLines.write(out))
                                .run(),
                        name);
                assertTrue(String.valueOf(e.getMessage()).contains(name), e.getMessage());
                assertArrayEquals(
                        "PREVIOUS-GOOD\n".getBytes(StandardCharsets.UTF_8),
                        Files.readAllBytes(out),
                        "the good file is left as it was");
                assertTrue(parts(mnt).isEmpty());
                Files.delete(filler);
            }
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
    }
}
