package dev.sluice.logs;

import dev.sluice.Location;
import dev.sluice.Source;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP listener as an endless source of messages, like a syslog or Fluent Bit TCP input: many clients at once, each
 * message framed by a newline or, per RFC 6587, by octet counting ({@code 57 <34>1 2003-...}); {@link Framing#AUTO}
 * (the default) tells them apart by each message's first byte, as rsyslog does (a digit starts a count).
 *
 * <p><b>Back-pressure.</b> Messages pass through a small queue ({@link #withQueue}); when the pipeline is slower than
 * the clients, their reading threads wait, the sockets' buffers fill and TCP slows the senders down. Nothing is
 * dropped and memory stays flat. A client that closes in the middle of a message has it rejected as a partial record
 * (counted and dead-lettered through the run's error policy) with the client's address and message number; a message
 * longer than {@link #withMaxMessageBytes} is rejected and the connection closed.
 *
 * <p>Listens on {@code 127.0.0.1} unless told another address. A network input cannot be rewound, so a checkpointed
 * run saves no position for it.
 */
public final class Tcp implements Source<String> {
    private static final long serialVersionUID = 1L;

    /** How messages are delimited on a connection. */
    public enum Framing {
        /** Each message ends with LF (a CR before it is dropped). */
        NEWLINE,
        /** RFC 6587 octet counting: the message's length in ASCII digits, a space, the message. */
        OCTET_COUNTING,
        /** Either, message by message: a digit first means octet counting. */
        AUTO
    }

    private final String host;
    private final int port;
    private final Framing framing;
    private final int maxMessageBytes;
    private final int queue;

    private Tcp(String host, int port, Framing framing, int maxMessageBytes, int queue) {
        this.host = host;
        this.port = port;
        this.framing = framing;
        this.maxMessageBytes = maxMessageBytes;
        this.queue = queue;
    }

    /** Listens on {@code 127.0.0.1:port}. */
    public static Tcp listen(int port) {
        return listen("127.0.0.1", port);
    }

    /** Listens on {@code host:port} ({@code 0.0.0.0} for every interface). */
    public static Tcp listen(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a TCP port is 1 to 65535, was " + port);
        }
        return new Tcp(host, port, Framing.AUTO, 1 << 20, 1024);
    }

    /** How messages are framed (default {@link Framing#AUTO}). */
    public Tcp withFraming(Framing f) {
        return new Tcp(host, port, Objects.requireNonNull(f, "framing"), maxMessageBytes, queue);
    }

    /** The longest message accepted (default 1 MiB). */
    public Tcp withMaxMessageBytes(int bytes) {
        if (bytes < 16) {
            throw new IllegalArgumentException("the longest message must be at least 16 bytes, was " + bytes);
        }
        return new Tcp(host, port, framing, bytes, queue);
    }

    /** How many messages may wait for the pipeline before clients are slowed down (default 1024). */
    public Tcp withQueue(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("the queue holds at least 1 message, was " + messages);
        }
        return new Tcp(host, port, framing, maxMessageBytes, messages);
    }

    @Override
    public String name() {
        return "tcp(" + host + ":" + port + ")";
    }

    @Override
    public boolean bounded() {
        return false;
    }

    @Override
    public SourceReader<String> open(SourceContext context) throws Exception {
        return new Reader(context);
    }

    /** A message taken from a connection, or a partial one to reject. */
    private record Message(String text, Location where, String rejectReason) {}

    private final class Reader implements SourceReader<String> {
        private final SourceContext ctx;
        private final ServerSocket server;
        private final BlockingQueue<Message> messages = new ArrayBlockingQueue<>(queue);
        private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
        private final Thread acceptor;
        private volatile boolean closed;
        private Message current;

        Reader(SourceContext ctx) throws IOException {
            this.ctx = ctx;
            this.server = new ServerSocket();
            server.setReuseAddress(true);
            try {
                server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
            } catch (IOException e) {
                server.close();
                throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            acceptor = new Thread(this::accept, "sluice-tcp-accept(" + port + ")");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void accept() {
            while (!closed) {
                try {
                    Socket s = server.accept();
                    clients.add(s);
                    Thread t = new Thread(() -> serve(s), "sluice-tcp(" + s.getRemoteSocketAddress() + ")");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                }
            }
        }

        /** Reads one client's messages into the queue, waiting while it is full. */
        private void serve(Socket s) {
            String name = "tcp://" + s.getInetAddress().getHostAddress() + ":" + s.getPort();
            long n = 0;
            byte[] buf = new byte[1 << 16];
            java.io.ByteArrayOutputStream msg = new java.io.ByteArrayOutputStream();
            long expect = -1; // octet counting: bytes still to come of the message
            boolean counting = false; // reading the digits of a count
            long count = 0;
            boolean atStart = true;
            try (s;
                    InputStream in = s.getInputStream()) {
                int r;
                while ((r = in.read(buf)) > 0) {
                    for (int i = 0; i < r; i++) {
                        byte b = buf[i];
                        if (expect > 0) {
                            int take = (int) Math.min(expect, r - i);
                            msg.write(buf, i, take);
                            expect -= take;
                            i += take - 1;
                            if (expect == 0) {
                                put(msg, name, ++n, false);
                                expect = -1;
                                atStart = true;
                            }
                            continue;
                        }
                        if (atStart) {
                            atStart = false;
                            boolean digit = b >= '0' && b <= '9';
                            if (framing == Framing.OCTET_COUNTING || (framing == Framing.AUTO && digit)) {
                                if (!digit) {
                                    reject(name, ++n, "an octet-counted frame must start with its length");
                                    return;
                                }
                                counting = true;
                                count = 0;
                            }
                        }
                        if (counting) {
                            if (b >= '0' && b <= '9') {
                                count = count * 10 + (b - '0');
                                if (count > maxMessageBytes) {
                                    reject(
                                            name,
                                            ++n,
                                            "a message of " + count + " bytes, over the limit of " + maxMessageBytes
                                                    + "; the connection is closed");
                                    return;
                                }
                            } else if (b == ' ') {
                                counting = false;
                                expect = count;
                                if (expect == 0) {
                                    put(msg, name, ++n, false);
                                    expect = -1;
                                    atStart = true;
                                }
                            } else {
                                reject(name, ++n, "an octet count holds '" + (char) b + "'");
                                return;
                            }
                            continue;
                        }
                        if (b == '\n') {
                            put(msg, name, ++n, true);
                            atStart = true;
                        } else {
                            msg.write(b);
                            if (msg.size() > maxMessageBytes) {
                                reject(
                                        name,
                                        ++n,
                                        "a message longer than " + maxMessageBytes
                                                + " bytes; the connection is closed");
                                return;
                            }
                        }
                    }
                }
                if (msg.size() > 0 || counting || expect > 0) {
                    messages.put(new Message(
                            msg.toString(StandardCharsets.UTF_8),
                            new Location(name, n + 1, n + 1),
                            "the client closed the connection in the middle of a message (" + msg.size()
                                    + " bytes received" + (expect > 0 ? ", " + expect + " more announced" : "") + ")"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SocketException e) {
                // closed by the run's end, or reset by the client
            } catch (IOException e) {
                // the client's connection failed: what it sent whole was taken
            } finally {
                clients.remove(s);
            }
        }

        private void reject(String name, long n, String reason) throws InterruptedException {
            messages.put(new Message(null, new Location(name, n, n), reason));
        }

        private void put(java.io.ByteArrayOutputStream msg, String name, long n, boolean stripCr)
                throws InterruptedException {
            byte[] b = msg.toByteArray();
            int len = stripCr && b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
            msg.reset();
            messages.put(new Message(new String(b, 0, len, StandardCharsets.UTF_8), new Location(name, n, n), null));
        }

        @Override
        public String next() throws Exception {
            while (true) {
                Message m = messages.take();
                if (m.rejectReason() != null) {
                    current = m;
                    ctx.reject(m.where(), m.text(), m.rejectReason(), null);
                    continue;
                }
                current = m;
                return m.text();
            }
        }

        @Override
        public Location location() {
            Message m = current;
            return m == null ? null : m.where();
        }

        @Override
        public String rawText() {
            Message m = current;
            return m == null ? null : m.text();
        }

        @Override
        public void close() throws IOException {
            closed = true;
            server.close();
            for (Socket s : clients) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }
}
