package dev.sluice.logs;

import dev.sluice.Location;
import dev.sluice.Position;
import dev.sluice.SourceContext;
import dev.sluice.SourceReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/** The reader of a {@link Follow}: one {@link Follower} per followed name, read in turn. See {@link Follow}. */
final class FollowReader implements SourceReader<String> {
    private static final System.Logger LOG = System.getLogger(Follow.class.getName());
    static final int FINGERPRINT = 1024;
    static final int TAIL = 32;

    private final Follow spec;
    private final SourceContext ctx;
    private final Path dir;
    private final PathMatcher matcher; // null: one file
    private final List<Follower> followers = new ArrayList<>();
    private int current;
    private long nextRescan;
    private Location location;
    private String rawText;

    FollowReader(Follow spec, SourceContext ctx, Follow.Offsets resumeFrom) throws IOException {
        this.spec = spec;
        this.ctx = ctx;
        Path p = Path.of(spec.pattern).toAbsolutePath().normalize();
        this.dir = p.getParent();
        this.matcher = Follow.isGlob(p.getFileName().toString())
                ? p.getFileSystem().getPathMatcher("glob:" + p.getFileName())
                : null;
        try {
            if (resumeFrom != null) {
                for (Follow.FileOffset f : resumeFrom.files()) {
                    Follower fl = new Follower(Path.of(f.path()));
                    fl.resume(f);
                    followers.add(fl);
                }
            }
            if (matcher == null) {
                if (followers.isEmpty()) {
                    Follower fl = new Follower(p);
                    fl.start(spec.fromEnd);
                    followers.add(fl);
                }
            } else {
                rescan(spec.fromEnd);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        nextRescan = System.nanoTime() + spec.rescanNanos;
    }

    @Override
    public String next() throws Exception {
        while (true) {
            int n = followers.size();
            for (int k = 0; k < n; k++) {
                int i = (current + k) % n;
                Follower f = followers.get(i);
                String l = f.nextLine();
                if (l != null) {
                    current = i;
                    return l;
                }
            }
            current = n == 0 ? 0 : (current + 1) % n;
            if (housekeeping()) {
                continue;
            }
            if (spec.once) {
                return null; // every file read to its end as it was when reached
            }
            Thread.sleep(Math.max(1, spec.pollNanos / 1_000_000), (int) (spec.pollNanos % 1_000_000));
        }
    }

    /** With every file at its end: rotations, truncations, new files, partial lines. Whether anything may be read. */
    private boolean housekeeping() throws IOException {
        long now = System.nanoTime();
        boolean more = false;
        if (matcher != null && (now >= nextRescan || spec.once)) {
            nextRescan = now + spec.rescanNanos;
            more |= rescan(false);
        }
        for (Follower f : followers) {
            more |= f.check(now);
        }
        return more;
    }

    /** Follows new matches of the glob; true if there are any. */
    private boolean rescan(boolean atEnd) throws IOException {
        boolean found = false;
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, q -> matcher.matches(q.getFileName()))) {
            for (Path q : ds) {
                if (Files.isRegularFile(q)) {
                    matches.add(q);
                }
            }
        } catch (NoSuchFileException e) {
            return false; // the directory may come later
        }
        matches.sort(null);
        outer:
        for (Path q : matches) {
            for (Follower f : followers) {
                if (f.path.equals(q)) {
                    continue outer;
                }
            }
            Identity id = Identity.of(q);
            if (id == null) {
                continue;
            }
            for (Follower f : followers) {
                if (f.holds(id)) {
                    continue outer; // a followed file renamed to another matching name: already read
                }
            }
            Follower f = new Follower(q);
            f.start(atEnd);
            followers.add(f);
            found = true;
        }
        return found;
    }

    @Override
    public Location location() {
        return location;
    }

    @Override
    public String rawText() {
        return rawText;
    }

    @Override
    public Position position() {
        List<Follow.FileOffset> all = new ArrayList<>(followers.size());
        for (Follower f : followers) {
            Follow.FileOffset o = f.offset();
            if (o != null) {
                all.add(o);
            }
        }
        return new Follow.Offsets(all);
    }

    @Override
    public void close() {
        for (Follower f : followers) {
            f.close();
        }
    }

    /** A file's identity: device and inode. */
    record Identity(long device, long inode, long size, long modified) {
        static Identity of(Path p) throws IOException {
            try {
                Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,size,lastModifiedTime");
                return new Identity(
                        ((Number) a.get("dev")).longValue(),
                        ((Number) a.get("ino")).longValue(),
                        ((Number) a.get("size")).longValue(),
                        ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime"))
                                .to(java.util.concurrent.TimeUnit.MICROSECONDS));
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        boolean same(long dev, long ino) {
            return device == dev && inode == ino;
        }
    }

    static int crc(FileChannel ch, long from, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (ch.read(b, from + b.position()) < 0) {
                return -1;
            }
        }
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, len);
        return (int) c.getValue();
    }

    /** One followed name: the file read now, and the files to read after it (a rotation's new file). */
    private final class Follower {
        final Path path;
        final String name;
        final ArrayDeque<Segment> segments = new ArrayDeque<>();
        /** Files rotated away and read to their end, watched for late appends until the rotate wait is over. */
        final List<Segment> retired = new ArrayList<>();
        /**
         * Files beside it known not to be read (they were there before the follow began) or read already: device and
         * inode. A rotation reads every other rotated file newer than the one read, so that lines rotated twice while
         * the reader was behind are read too.
         */
        final java.util.LinkedHashMap<String, int[]> seen = new java.util.LinkedHashMap<>();

        Follow.FileOffset cached;

        /** Remembers a file by device, inode and a fingerprint of its first bytes (an inode is reused). */
        void see(long device, long inode, int fingerprintBytes, int fingerprint) {
            seen.put(device + ":" + inode, new int[] {fingerprintBytes, fingerprint});
            if (seen.size() > 4096) {
                java.util.Iterator<String> it = seen.keySet().iterator();
                it.next();
                it.remove();
            }
        }

        boolean seen(Path p, Identity id) throws IOException {
            int[] fp = seen.get(id.device() + ":" + id.inode());
            if (fp == null || id.size() < fp[0]) {
                return false;
            }
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                return crc(ch, 0, fp[0]) == fp[1]; // else a new file that got a deleted one's inode
            } catch (NoSuchFileException e) {
                return false;
            }
        }

        /**
         * The rotated files beside it that are not held, not read and not a copy of {@code next} (a copytruncate's copy
         * taken before the truncation: its lines are read through {@code next}, and after the truncation from the copy
         * from where {@code next} was read to), opened, oldest first; each is remembered as read.
         */
        List<Segment> missed(Segment next) throws IOException {
            List<Segment> out = new ArrayList<>();
            for (Path c : rotated()) {
                Identity ci = Identity.of(c);
                if (ci == null || holds(ci) || (next != null && ci.same(next.device, next.inode)) || seen(c, ci)) {
                    continue;
                }
                Segment m = Segment.open(c, name);
                if (m == null) {
                    continue;
                }
                // an empty file, or one that starts as the live file does, is (or is becoming) a copy of it whose
                // lines come through the live file; if the live file is then truncated, the copy is found there
                if (m.channel.size() == 0 || (next != null && m.sameStart(next))) {
                    m.close();
                    continue;
                }
                see(m.device, m.inode, m.fingerprintBytes, m.fingerprint);
                out.add(m);
            }
            out.sort((x, y) -> Long.compare(x.modifiedAtOpen, y.modifiedAtOpen));
            return out;
        }

        /**
         * Queues the rotated files not read yet ({@link #missed}) among the queued ones, oldest first, before the live
         * file (the last); with {@code keepHead}, the file being read stays first.
         */
        void addMissed(boolean keepHead) throws IOException {
            Segment live = segments.peekLast();
            if (live == null) {
                return;
            }
            List<Segment> missed = missed(live); // while the queue still holds what it holds
            if (missed.isEmpty()) {
                return;
            }
            segments.pollLast();
            Segment head = keepHead ? segments.pollFirst() : null;
            List<Segment> rest = new ArrayList<>(segments);
            segments.clear();
            rest.addAll(missed);
            rest.sort((x, y) -> Long.compare(x.modifiedAtOpen, y.modifiedAtOpen)); // stable: queued order kept
            if (head != null) {
                segments.add(head);
            }
            segments.addAll(rest);
            segments.addLast(live);
        }

        /** Marks the rotated files there now as not to be read: they predate what is followed. */
        void seeRotated() throws IOException {
            for (Path c : rotated()) {
                Identity id = Identity.of(c);
                if (id != null && !holds(id)) {
                    try (FileChannel ch = FileChannel.open(c, StandardOpenOption.READ)) {
                        int n = (int) Math.min(FINGERPRINT, ch.size());
                        see(id.device(), id.inode(), n, crc(ch, 0, n));
                    } catch (NoSuchFileException e) {
                        // gone
                    }
                }
            }
        }

        Follower(Path path) {
            this.path = path;
            this.name = path.toString();
        }

        boolean holds(Identity id) {
            for (Segment s : segments) {
                if (id.same(s.device, s.inode)) {
                    return true;
                }
            }
            for (Segment s : retired) {
                if (id.same(s.device, s.inode)) {
                    return true;
                }
            }
            return false;
        }

        /** Starts following with no saved position. */
        void start(boolean atEnd) throws IOException {
            Segment s = Segment.open(path, name);
            if (s != null) {
                if (atEnd) {
                    s.seekToLastLineStart();
                }
                segments.add(s);
            }
            seeRotated();
        }

        /** Finds the file a saved position was reading, and the files rotated after it. */
        void resume(Follow.FileOffset f) throws IOException {
            List<Path> candidates = new ArrayList<>();
            candidates.add(path);
            candidates.addAll(rotated());
            Segment found = null;
            for (int pass = 0; pass < 2 && found == null; pass++) {
                for (Path c : candidates) {
                    Identity id = Identity.of(c);
                    if (id == null || id.size() < f.offset()) {
                        continue;
                    }
                    if (pass == 0 && !id.same(f.device(), f.inode())) {
                        continue; // first by inode; then, after a copytruncate, by content alone
                    }
                    Segment s = Segment.open(c, name);
                    if (s != null && s.matches(f)) {
                        s.seek(f.offset(), f.line(), f.tailBytes(), f.tail());
                        found = s;
                        break;
                    }
                    if (s != null) {
                        s.close();
                    }
                }
            }
            if (found == null) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "{0}: the file read before ({1}) is gone; reading {0} from its start",
                        name,
                        f);
                start(false);
                return;
            }
            segments.add(found);
            // the files rotated after it, oldest first, then the live file
            List<Path> newer = new ArrayList<>();
            for (Path c : candidates) {
                Identity id = Identity.of(c);
                if (id == null || id.same(found.device, found.inode) || c.equals(path)) {
                    continue;
                }
                if (id.modified() >= found.modifiedAtOpen) {
                    newer.add(c);
                }
            }
            newer.sort((a, b) -> {
                try {
                    return Long.compare(
                            Identity.of(a).modified(), Identity.of(b).modified());
                } catch (IOException e) {
                    return 0;
                }
            });
            newer.add(path);
            for (Path c : newer) {
                Identity id = Identity.of(c);
                if (id == null || holds(id)) {
                    continue;
                }
                Segment s = Segment.open(c, name);
                if (s != null) {
                    segments.add(s);
                }
            }
            seeRotated();
        }

        /** Files beside this one whose names extend its name: its rotated copies ({@code app.log.1}, ...). */
        List<Path> rotated() throws IOException {
            List<Path> out = new ArrayList<>();
            String base = path.getFileName().toString();
            Path d = path.toAbsolutePath().getParent();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, q -> {
                String n = q.getFileName().toString();
                return n.length() > base.length()
                        && n.startsWith(base)
                        && ".-_".indexOf(n.charAt(base.length())) >= 0
                        && !n.matches(".*\\.(gz|bz2|xz|zst|zip|lz4)$");
            })) {
                for (Path q : ds) {
                    if (Files.isRegularFile(q)) {
                        out.add(q);
                    }
                }
            } catch (NoSuchFileException e) {
                // no directory
            }
            return out;
        }

        /** The next complete line of this name's files, or null if none is there yet. */
        String nextLine() throws IOException {
            while (true) {
                Segment s = segments.peekFirst();
                if (s == null) {
                    return null;
                }
                String l = s.nextLine(spec.maxLineBytes, FollowReader.this);
                if (l != null) {
                    cached = null;
                    location = s.lineLocation;
                    rawText = l;
                    return l;
                }
                if (s.rejected) {
                    s.rejected = false;
                    continue;
                }
                if (s.replaced) {
                    s.replaced = false;
                    truncated(s);
                    continue;
                }
                if (segments.size() > 1) {
                    // the file was rotated away and is read to its end: on to the next one, watching it a while
                    segments.pollFirst();
                    s.retiredAt = System.nanoTime();
                    retired.add(s);
                    cached = null;
                    // files rotated since the next ones were queued, not read yet (a copytruncate of the live file
                    // before it was reached leaves its first lines in the copy)
                    addMissed(false);
                    continue;
                }
                return null;
            }
        }

        /** Rotations, truncations and partial lines, with every file at its end; whether anything may be read. */
        boolean check(long now) throws IOException {
            boolean more = false;
            for (Iterator<Segment> it = retired.iterator(); it.hasNext(); ) {
                Segment s = it.next();
                if (s.channel.size() > s.fileEnd()) {
                    // the writer appended to the rotated file after it was replaced: read that too
                    it.remove();
                    segments.addFirst(s);
                    return true;
                }
                if (now - s.retiredAt > spec.rotateWaitNanos || spec.once) {
                    it.remove();
                    see(s.device, s.inode, s.fingerprintBytes, s.fingerprint);
                    s.close();
                }
            }
            Segment live = segments.peekLast();
            Identity id = Identity.of(path);
            if (live == null) {
                if (id != null) {
                    start(false);
                    return !segments.isEmpty();
                }
                return false;
            }
            if (id != null && !id.same(live.device, live.inode)) {
                // renamed away, or deleted and made again: the new file is read once the old one is at its end
                if (!holds(id)) {
                    Segment next = Segment.open(path, name);
                    if (next != null) {
                        segments.add(next);
                        addMissed(true); // and any file rotated since that was not read (rotated twice while behind)
                        more = true;
                    }
                }
            } else if (id != null) {
                more |= live.checkTruncated(this);
            }
            Segment head = segments.peekFirst();
            if (head != null && spec.flushPartialNanos > 0 && head.partialSince(now) >= spec.flushPartialNanos) {
                head.flushPartial = true;
                more = true;
            }
            if (head != null && head.fingerprintBytes < FINGERPRINT) {
                head.refreshFingerprint();
            }
            return more;
        }

        /** After a truncation of the live file: the lines it had beyond what was read come from its copy. */
        void truncated(Segment live) throws IOException {
            Segment copy = null;
            if (live.offset > 0 || live.fingerprintBytes > 0) {
                for (Path c : rotated()) {
                    Identity id = Identity.of(c);
                    if (id == null || id.same(live.device, live.inode) || id.size() < live.offset || holds(id)) {
                        // (a copy already queued, as a file rotated while behind, is read once)
                        continue;
                    }
                    Segment s = Segment.open(c, name);
                    if (s != null && s.matches(live.offset())) {
                        s.seek(live.offset, live.line, live.tailBytes, live.tail);
                        see(s.device, s.inode, s.fingerprintBytes, s.fingerprint);
                        copy = s;
                        break;
                    }
                    if (s != null) {
                        s.close();
                    }
                }
                if (copy == null) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "{0} was truncated after byte {1}; no copy of it was found beside it, so lines written"
                                    + " to it after the last read are lost",
                            name,
                            live.offset);
                }
            }
            live.restart();
            if (copy != null) {
                segments.remove(live);
                segments.addLast(copy);
                segments.addLast(live);
            }
            cached = null;
        }

        Follow.FileOffset offset() {
            Segment s = segments.peekFirst();
            if (s == null) {
                return null;
            }
            Follow.FileOffset o = cached;
            if (o == null || o.offset() != s.offset || o.inode() != s.inode) {
                o = s.offset();
                cached = o;
            }
            return o;
        }

        void close() {
            for (Segment s : segments) {
                s.close();
            }
            for (Segment s : retired) {
                s.close();
            }
            segments.clear();
            retired.clear();
        }
    }

    void reject(Location where, String raw, String reason) {
        ctx.reject(where, raw, reason, null);
    }

    /** One open file of a followed name, read from {@link #offset}. */
    static final class Segment {
        final Path file;
        final String name;
        final FileChannel channel;
        final long device;
        final long inode;
        final long modifiedAtOpen;
        int fingerprintBytes;
        int fingerprint;
        /** The offset after the last line consumed, the lines consumed, and the CRC of the bytes before it. */
        long offset;

        long line;
        int tailBytes;
        int tail;
        /** Bytes read ahead of {@link #offset}: buf[start, end) are the file's bytes from {@link #offset}. */
        byte[] buf = new byte[1 << 16];

        int start;
        int end;
        int scanned; // buf[start, scanned) holds no newline
        boolean discarding; // skipping the rest of a line that was too long
        boolean rejected;
        boolean replaced;
        boolean flushPartial;
        long grownAt = System.nanoTime();
        long retiredAt;
        Location lineLocation;

        private Segment(Path file, String name, FileChannel channel, Identity id) {
            this.file = file;
            this.name = name;
            this.channel = channel;
            this.device = id.device();
            this.inode = id.inode();
            this.modifiedAtOpen = id.modified();
        }

        /** Opens {@code file}, or returns null if it is not there. */
        static Segment open(Path file, String name) throws IOException {
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
            try {
                Identity id = Identity.of(file);
                if (id == null) {
                    ch.close();
                    return null;
                }
                Segment s = new Segment(file, name, ch, id);
                s.refreshFingerprint();
                return s;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        void refreshFingerprint() throws IOException {
            int n = (int) Math.min(FINGERPRINT, channel.size());
            if (n > fingerprintBytes) {
                if (fingerprintBytes > 0 && crc(channel, 0, fingerprintBytes) != fingerprint) {
                    return; // the file was replaced: kept as it was, for the truncation check to see
                }
                int c = crc(channel, 0, n);
                if (c != -1 || n == 0) {
                    fingerprintBytes = n;
                    fingerprint = c;
                }
            }
        }

        /** Whether this file and {@code other} start with the same bytes now (one is a copy of the other). */
        boolean sameStart(Segment other) throws IOException {
            int n = (int) Math.min(FINGERPRINT, Math.min(channel.size(), other.channel.size()));
            return n > 0 && crc(channel, 0, n) == crc(other.channel, 0, n);
        }

        /** Whether this file starts as the saved one did and holds its last consumed bytes where they were. */
        boolean matches(Follow.FileOffset f) throws IOException {
            long size = channel.size();
            if (size < f.offset() || size < f.fingerprintBytes()) {
                return false;
            }
            if (crc(channel, 0, f.fingerprintBytes()) != f.fingerprint()) {
                return false;
            }
            return f.tailBytes() == 0 || crc(channel, f.offset() - f.tailBytes(), f.tailBytes()) == f.tail();
        }

        void seek(long to, long lines, int tb, int t) {
            offset = to;
            line = lines;
            tailBytes = tb;
            tail = t;
            start = end = scanned = 0;
            discarding = false;
        }

        /** Starts after the last newline of the file as it is now (for {@link Follow#fromEnd()}). */
        void seekToLastLineStart() throws IOException {
            long size = channel.size();
            long at = size;
            ByteBuffer b = ByteBuffer.allocate(8192);
            outer:
            while (at > 0) {
                long from = Math.max(0, at - b.capacity());
                b.clear().limit((int) (at - from));
                channel.read(b, from);
                for (int i = b.position() - 1; i >= 0; i--) {
                    if (b.get(i) == '\n') {
                        at = from + i + 1;
                        break outer;
                    }
                }
                at = from;
            }
            int tb = (int) Math.min(TAIL, at);
            seek(at, 0, tb, tb == 0 ? 0 : crc(channel, at - tb, tb));
        }

        void restart() throws IOException {
            seek(0, 0, 0, 0);
            fingerprintBytes = 0;
            refreshFingerprint();
        }

        long fileEnd() {
            return offset + (end - start);
        }

        long partialSince(long now) {
            return end > start ? now - grownAt : -1;
        }

        Follow.FileOffset offset() {
            return new Follow.FileOffset(
                    name, device, inode, fingerprintBytes, fingerprint, offset, line, tailBytes, tail);
        }

        /**
         * Whether the file still holds what this segment has taken from it: the last bytes consumed where they were,
         * or, before anything was consumed, the first bytes it had when opened (a file truncated and written again
         * before it was first read shows it only there).
         */
        boolean intact() throws IOException {
            if (tailBytes > 0) {
                return crc(channel, offset - tailBytes, tailBytes) == tail;
            }
            return fingerprintBytes == 0 || crc(channel, 0, fingerprintBytes) == fingerprint;
        }

        boolean checkTruncated(Follower f) throws IOException {
            long size = channel.size();
            boolean gone = size < fileEnd();
            if (!gone && size == fileEnd()) {
                // nothing new: check that what was taken is still there (a same-size replacement, a truncation that
                // grew back past the offset between two polls)
                gone = !intact();
            }
            if (gone) {
                f.truncated(this);
                return true;
            }
            return false;
        }

        /** The next complete line, or null at the end of what is there (or after rejecting a line: see rejected). */
        String nextLine(int maxLine, FollowReader reader) throws IOException {
            while (true) {
                for (int i = scanned; i < end; i++) {
                    if (buf[i] == '\n') {
                        if (i - start > maxLine && !discarding) {
                            scanned = i; // too long, but whole: rejected, and its end consumed as a discarded one
                            reject(reader, maxLine, i);
                            return null;
                        }
                        return take(i, reader);
                    }
                }
                scanned = end;
                if (discarding && end > start) {
                    int tb = Math.min(TAIL, end - start); // the rest of a rejected line, dropped as it comes
                    CRC32C c = new CRC32C();
                    c.update(buf, end - tb, tb);
                    tail = (int) c.getValue();
                    tailBytes = tb;
                    offset += end - start;
                    start = end = scanned = 0;
                }
                if (end - start > maxLine) {
                    reject(reader, maxLine, end);
                    continue;
                }
                if (flushPartial && end > start) {
                    flushPartial = false;
                    return take(end, reader);
                }
                // read more
                if (start > 0 && (end == buf.length || start > buf.length / 2)) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    scanned -= start;
                    start = 0;
                }
                if (end == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) maxLine + 2));
                }
                int n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end), offset + (end - start));
                if (n <= 0) {
                    return null;
                }
                if (!intact()) {
                    // the bytes before the offset changed (or, before anything was consumed, the first bytes):
                    // truncated and written again, or replaced; what was just read is not the file that was opened
                    end -= n;
                    replaced = true;
                    return null;
                }
                end += n;
                grownAt = System.nanoTime();
                flushPartial = false;
            }
        }

        /** Rejects the line starting at {@code start}, dropping its bytes up to {@code upTo} and the rest as they come. */
        private void reject(FollowReader reader, int maxLine, int upTo) {
            String head = new String(buf, start, Math.min(200, upTo - start), StandardCharsets.UTF_8);
            Location at = new Location(name, line + 1, line + 1, offset);
            discarding = true;
            line++;
            int tb = Math.min(TAIL, upTo - start);
            CRC32C c = new CRC32C();
            c.update(buf, upTo - tb, tb);
            tail = (int) c.getValue();
            tailBytes = tb;
            offset += upTo - start;
            start = upTo;
            scanned = upTo;
            if (start == end) {
                start = end = scanned = 0;
            }
            rejected = true;
            reader.reject(
                    at,
                    head,
                    "a line longer than " + maxLine + " bytes, starting at byte " + at.byteOffset() + " of " + name
                            + "; it is skipped");
        }

        private String take(int nl, FollowReader reader) {
            int lineEnd = nl;
            boolean partial = nl == end;
            if (!partial && lineEnd > start && buf[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            long lineStart = offset;
            int consumed = (partial ? nl : nl + 1) - start;
            String s = discarding ? null : new String(buf, start, lineEnd - start, StandardCharsets.UTF_8);
            int tb = Math.min(TAIL, consumed);
            CRC32C c = new CRC32C();
            c.update(buf, start + consumed - tb, tb);
            tail = (int) c.getValue();
            tailBytes = tb;
            offset += consumed;
            start += consumed;
            scanned = start;
            if (discarding) {
                discarding = false; // the end of a line already rejected for its length
                rejected = true;
                return null;
            }
            line++;
            lineLocation = new Location(name, line, line, lineStart);
            return s;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // read only
            }
        }
    }
}
