#!/usr/bin/env python3
"""The `sluice tail` figures (a benchmark, not a timed test): a writer appends N lines at a fixed rate to a log and
rotates it every K lines (by rename, by copytruncate and by delete-and-create, in turn), while `sluice tail --format
lines --state DIR --out copy.log` follows it. A checker reads copy.log as it grows and measures each line's delay
from its append to its arrival in the output. At the end the output must equal the input, in order: none lost, none
repeated. With --kills K the reader is killed with SIGKILL K times at random moments and restarted at once.
Peak memory: the largest VmHWM of the reader's JVMs.

Usage: bench/tail_bench.py [--lines 1000000] [--rate 50000] [--rotate-every 100000] [--kills 0] [--java-opts -Xmx64m]
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--rate", type=int, default=50_000)
    ap.add_argument("--rotate-every", type=int, default=100_000)
    ap.add_argument("--kills", type=int, default=0)
    ap.add_argument("--java-opts", default="-Xmx64m -XX:+UseSerialGC")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rotate-modes", default=None,
                    help="rename,copytruncate,delete in turn (default); with --kills, rename,copytruncate: a file "
                         "deleted while the reader is down before it read it all is gone for any reader")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="sluice-tail-bench-")
    try:
        run(a, rnd, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def start_reader(a, work):
    env = dict(os.environ, JAVA_OPTS=a.java_opts)
    cmd = [os.path.join(ROOT, "sluice"), "tail", os.path.join(work, "app.log"), "--format", "lines",
           "--state", os.path.join(work, "state"), "--out", os.path.join(work, "copy.log"), "--quiet",
           "--poll", "20ms", "--checkpoint-every", "100ms"]
    # its own process group, so that a kill reaches the JVM whether the launcher exec'd it or runs it as a child
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "reader.err"), "a"),
                            start_new_session=True)


def peak_kb(pid):
    """The largest VmHWM of the reader's processes: the launcher execs java, or (while it makes its class-data
    archive) runs it as a child, so the process and its descendants are looked at."""
    best = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        best = max(best, int(line.split()[1]))
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return best


def run(a, rnd, work):
    log = os.path.join(work, "app.log")
    copy = os.path.join(work, "copy.log")
    open(log, "w").close()
    # build, and make the launcher's class-data archive now: while it makes one it runs the JVM as its child, and a
    # kill -9 of the launcher would then leave the JVM running
    subprocess.run([os.path.join(ROOT, "sluice"), "tail", "--help"], stdout=subprocess.DEVNULL, check=True,
                   env=dict(os.environ, JAVA_OPTS=a.java_opts))
    subprocess.run([os.path.join(ROOT, "sluice"), "tail", "--help"], stdout=subprocess.DEVNULL, check=True,
                   env=dict(os.environ, JAVA_OPTS=a.java_opts))
    reader = {"p": start_reader(a, work), "peak": 0, "restarts": 0}
    lock = threading.Lock()
    time.sleep(2.0)  # the JVM starts; lines written meanwhile are read when it is up

    sent = {}  # line number -> append time (ns)
    done = threading.Event()

    def watch_peak():
        while not done.is_set():
            with lock:
                reader["peak"] = max(reader["peak"], peak_kb(reader["p"].pid))
            time.sleep(0.2)

    threading.Thread(target=watch_peak, daemon=True).start()

    delays = []
    received = []
    checker_done = threading.Event()

    def checker():
        pos = 0
        partial = b""
        while not checker_done.is_set() or len(received) < a.lines:
            try:
                with open(copy, "rb") as f:
                    size = os.fstat(f.fileno()).st_size
                    if size < pos:  # a restarted reader cut back what a killed one wrote after its checkpoint
                        # drop the lines that were cut, and the partial
                        data_all = f.read()
                        keep = data_all.count(b"\n")
                        del received[keep:]
                        pos = len(data_all) - len(data_all.split(b"\n")[-1])
                        partial = b""
                        continue
                    f.seek(pos)
                    data = f.read()
            except FileNotFoundError:
                data = b""
            now = time.time_ns()
            if data:
                pos += len(data)
                data = partial + data
                lines = data.split(b"\n")
                partial = lines.pop()
                for l in lines:
                    n = int(l.split(b" ", 2)[1])
                    received.append(n)
                    t = sent.get(n)
                    if t is not None and a.kills == 0:
                        delays.append((now - t) / 1e6)
            elif checker_done.is_set() and len(received) >= a.lines:
                break
            time.sleep(0.005)

    ct = threading.Thread(target=checker, daemon=True)
    ct.start()

    kills_at = sorted(rnd.uniform(0.5, a.lines / a.rate) for _ in range(a.kills))

    def killer():
        t0 = time.time()
        for k in kills_at:
            time.sleep(max(0, t0 + k - time.time()))
            with lock:
                p = reader["p"]
                reader["peak"] = max(reader["peak"], peak_kb(p.pid))
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
                reader["p"] = start_reader(a, work)
                reader["restarts"] += 1
                reader.setdefault("at", []).append(len(sent))

    kt = threading.Thread(target=killer, daemon=True)
    kt.start()

    # the writer: batches every 10 ms to hold the rate; rotation every rotate_every lines
    t0 = time.time()
    n = 0
    batch = max(1, a.rate // 100)
    f = open(log, "ab", buffering=0)
    rotation = 0
    modes = (a.rotate_modes or ("rename,copytruncate" if a.kills else "rename,copytruncate,delete")).split(",")
    pad = "x" * 60
    while n < a.lines:
        target = t0 + n / a.rate
        delay = target - time.time()
        if delay > 0:
            time.sleep(delay)
        chunk = []
        now = time.time_ns()
        for _ in range(min(batch, a.lines - n)):
            n += 1
            sent[n] = now
            chunk.append(f"line {n} {now} {pad}\n")
            if n % a.rotate_every == 0:
                f.write("".join(chunk).encode())
                chunk = []
                rotation += 1
                mode = modes[(rotation - 1) % len(modes)]
                f.close()
                if mode == "rename":
                    os.rename(log, f"{log}.{rotation}")
                elif mode == "copytruncate":
                    shutil.copyfile(log, f"{log}.{rotation}")
                    with open(log, "r+b") as t:
                        t.truncate(0)
                else:
                    os.remove(log)
                f = open(log, "ab", buffering=0)
        if chunk:
            f.write("".join(chunk).encode())
    f.close()
    wrote = time.time() - t0
    kt.join()
    deadline = time.time() + 60
    while len(received) < a.lines and time.time() < deadline:
        time.sleep(0.05)
    checker_done.set()
    ct.join(timeout=10)
    with lock:
        p = reader["p"]
        reader["peak"] = max(reader["peak"], peak_kb(p.pid))
        os.killpg(p.pid, signal.SIGINT)  # Ctrl-C: flush, save, stop
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
    done.set()
    with open(copy, "rb") as c:
        out = [int(l.split(b" ", 2)[1]) for l in c.read().split(b"\n") if l]
    ok = out == list(range(1, a.lines + 1))
    if not ok:
        have = set(out)
        missing = [n for n in range(1, a.lines + 1) if n not in have]
        ranges, start, prev = [], None, None
        for n in missing:
            if start is None:
                start = prev = n
            elif n == prev + 1:
                prev = n
            else:
                ranges.append((start, prev))
                start = prev = n
        if start is not None:
            ranges.append((start, prev))
        print(f"missing line ranges: {ranges[:10]}")
    lost = a.lines - len(set(out))
    repeated = len(out) - len(set(out))
    delays.sort()

    def pct(q):
        return delays[min(len(delays) - 1, int(q * len(delays)))] if delays else float("nan")

    print(f"lines {a.lines:,}  rate {a.lines / wrote:,.0f} lines/s written over {wrote:.1f} s  rotations {rotation}"
          f" ({'/'.join(modes)})"
          f"  kills {reader['restarts']}")
    print(f"output equals input in order: {ok}  (lines out {len(out):,}, lost {lost}, repeated {repeated})")
    if a.kills == 0:
        print(f"delay append->output: p50 {pct(0.5):.0f} ms  p99 {pct(0.99):.0f} ms  max {delays[-1] if delays else 0:.0f} ms")
    print(f"killed when about these many lines were written: {reader.get('at', [])}")
    print(f"reader peak RSS {reader['peak'] / 1024:.0f} MB  (JAVA_OPTS={a.java_opts})")
    err = open(os.path.join(work, "reader.err")).read().strip()
    if err:
        print("reader stderr:\n" + err[-2000:])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
