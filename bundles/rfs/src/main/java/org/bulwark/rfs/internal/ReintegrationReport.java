package org.bulwark.rfs.internal;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.store.EventLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the primary's running reintegration is, told every {@link #PROGRESS_MILLIS} (spec C.4,
 * B.20): the resources {@code rfs.rei_bandwidth} and {@code rfs.rei_left} here, the same figures to
 * the secondary, a log line now and then. Apart from the write path: nothing here runs on an
 * application's call.
 */
final class ReintegrationReport {
  private static final Logger LOG = LoggerFactory.getLogger(ReintegrationReport.class);

  static final long PROGRESS_MILLIS = 3_000;
  private static final long PROGRESS_LOG_NANOS = 30_000_000_000L;

  private final String module;
  private final ReplicationEvents events;
  private final Resources resources;
  private final ScheduledExecutorService timers;

  private volatile Progress running;
  private long lastLog;

  ReintegrationReport(
      String module,
      ReplicationEvents events,
      Resources resources,
      ScheduledExecutorService timers) {
    this.module = module;
    this.events = events;
    this.resources = resources;
    this.timers = timers;
  }

  /** Starts reporting {@code progress} of the reintegration of session {@code s}. */
  ScheduledFuture<?> start(PrimarySession s, Progress progress) {
    running = progress;
    lastLog = System.nanoTime();
    return timers.scheduleWithFixedDelay(
        () -> {
          Progress.Reading r = progress.read();
          publish(resources, r);
          s.sendNow(
              new Msg.Progress(
                  r.filesLeft(),
                  r.bytesLeft(),
                  r.bytesCopied(),
                  r.bytesPerSecond(),
                  r.etaSeconds()));
          if (System.nanoTime() - lastLog > PROGRESS_LOG_NANOS) {
            lastLog = System.nanoTime();
            events.log(EventLevel.I, "reintegre", r.line());
          }
        },
        PROGRESS_MILLIS,
        PROGRESS_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** The reintegration ended, whichever way: nothing left, nothing copied now. */
  void ended() {
    running = null;
    resources.measured("rfs.rei_bandwidth", "0");
    resources.progress("rfs.rei_left", "0");
  }

  /** The running reintegration's progress, if one runs. */
  Progress running() {
    return running;
  }

  /** One pass's plan, for the technical log. */
  void pass(List<Plan.Step> steps) {
    LOG.debug("Module {}: reintegration pass: {}", module, Reintegrator.summary(steps));
  }

  /** Spec B.20: {@code rfs.rei_bandwidth} in KB/s, and what is left ({@code rfs.rei_left}). */
  static void publish(Resources resources, Progress.Reading r) {
    resources.measured("rfs.rei_bandwidth", Long.toString(r.bytesPerSecond() / 1024));
    resources.progress(
        "rfs.rei_left",
        r.filesLeft()
            + " files, "
            + r.bytesLeft() / 1024
            + " KB"
            + (r.etaSeconds() < 0 ? "" : ", " + r.etaSeconds() + " s"));
  }
}
