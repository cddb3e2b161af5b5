package dev.sluice.cli;

import dev.sluice.RunListener;
import dev.sluice.RunProgress;
import dev.sluice.RunSummary;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run's progress on the terminal: percent of the input's bytes, records per second and time left. Shown
 * only when standard error is a terminal; otherwise it does nothing.
 */
final class Progress implements RunListener {
  private final String task;
  private final long totalMb;
  private final boolean enabled;
  private ScheduledExecutorService timer;
  private ProgressBar bar;

  /** Progress of a run over {@code input} (its size scales the bar; null if unknown). */
  Progress(String task, java.nio.file.Path input) {
    this.task = task;
    long mb = 1000;
    try {
      mb = input == null ? 1000 : Math.max(1, java.nio.file.Files.size(input) / 1_000_000);
    } catch (java.io.IOException e) {
      // keep the default scale; the run itself will report a missing file
    }
    this.totalMb = mb;
    this.enabled = System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  @Override
  public void started(RunProgress p) {
    if (!enabled) {
      return;
    }
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalMb).setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250).setUnit(" MB", 1)
        .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true), 100))
        .hideEta().build();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sluice-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> update(p), 200, 200, TimeUnit.MILLISECONDS);
  }

  private void update(RunProgress p) {
    double f = p.fraction();
    double secs = p.elapsedNanos() / 1e9;
    long records = p.recordsIn();
    double rate = secs > 0 ? records / secs : 0;
    String left = f > 0.001 ? String.format(Locale.ROOT, "%.0f s left", secs / f - secs) : "";
    if (f >= 0) {
      bar.stepTo((long) (f * totalMb));
    }
    bar.setExtraMessage(String.format(Locale.ROOT, "%,d records, %,.0f/s %s", records, rate, left));
  }

  private void stop() {
    if (timer != null) {
      timer.shutdownNow();
      bar.close();
      timer = null;
    }
  }

  @Override
  public void finished(RunSummary summary) {
    if (bar != null) {
      bar.stepTo(totalMb);
    }
    stop();
  }

  @Override
  public void failed(Throwable error) {
    stop();
  }
}
