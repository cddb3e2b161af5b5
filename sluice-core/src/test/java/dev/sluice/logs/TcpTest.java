package dev.sluice.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ErrorPolicy;
import dev.sluice.Flow;
import dev.sluice.Rejected;
import dev.sluice.RunSummary;
import dev.sluice.Sinks;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A real TCP listener on loopback, real client sockets. */
class TcpTest {
    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Socket connect(int port) throws Exception {
        for (int i = 0; i < 200; i++) {
            try {
                return new Socket("127.0.0.1", port);
            } catch (java.net.ConnectException e) {
                Thread.sleep(10); // the run has not opened its listener yet
            }
        }
        throw new AssertionError("nothing listens on " + port);
    }

    @Test
    void newlineAndOctetCountedFramesFromManyClientsAndAPartialOneRejected() throws Exception {
        int port = freePort();
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        List<Rejected> dead = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<RunSummary> summary = new AtomicReference<>();
        Thread run = new Thread(() -> summary.set(Flow.from(Tcp.listen(port))
                .limit(7)
                .onError(ErrorPolicy.deadLetter(Sinks.collect(dead)))
                .to(Sinks.collect(got))
                .run()));
        run.start();
        try (Socket a = connect(port);
                Socket b = connect(port)) {
            OutputStream oa = a.getOutputStream();
            OutputStream ob = b.getOutputStream();
            oa.write("one\r\ntwo\n".getBytes(StandardCharsets.UTF_8));
            String m = "<34>1 2003-10-11T22:14:15.003Z host su - ID47 - multi\nline";
            byte[] mb = m.getBytes(StandardCharsets.UTF_8);
            ob.write((mb.length + " ").getBytes(StandardCharsets.UTF_8));
            ob.write(mb);
            ob.write("3 abc".getBytes(StandardCharsets.UTF_8));
            oa.write("three\n".getBytes(StandardCharsets.UTF_8));
            oa.flush();
            ob.flush();
        }
        try (Socket c = connect(port)) {
            c.getOutputStream().write("cut in the mid".getBytes(StandardCharsets.UTF_8)); // then it dies
        }
        Thread.sleep(300); // the partial message is taken before the last two whole ones end the run
        try (Socket d = connect(port)) {
            d.getOutputStream().write("four\nfive\n".getBytes(StandardCharsets.UTF_8));
        }
        run.join(10_000);
        assertEquals(7, got.size(), got.toString());
        assertTrue(got.contains("<34>1 2003-10-11T22:14:15.003Z host su - ID47 - multi\nline"), got.toString());
        assertTrue(got.containsAll(List.of("one", "two", "three", "abc", "four", "five")), got.toString());
        assertEquals(1, dead.size());
        assertTrue(dead.get(0).reason().contains("closed the connection in the middle of a message"));
        assertTrue(
                dead.get(0).source().startsWith("tcp://127.0.0.1:"), dead.get(0).source());
        assertEquals(1, summary.get().rejected());
    }

    @Test
    void aSlowPipelineSlowsTheSenderDownAndNothingIsDropped() throws Exception {
        int port = freePort();
        int n = 200_000;
        long[] count = new long[1];
        Thread run = new Thread(() -> Flow.from(Tcp.listen(port).withQueue(16))
                .limit(n)
                .forEach(l -> {
                    if (count[0]++ % 20_000 == 0) {
                        Thread.sleep(50); // a slow sink now and then
                    }
                }));
        run.start();
        try (Socket s = connect(port)) {
            OutputStream o = new java.io.BufferedOutputStream(s.getOutputStream());
            for (int i = 0; i < n; i++) {
                o.write(("message " + i + " " + "x".repeat(100) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            o.flush();
        }
        run.join(30_000);
        assertEquals(n, count[0]);
    }
}
