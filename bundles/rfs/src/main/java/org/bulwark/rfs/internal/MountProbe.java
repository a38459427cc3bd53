package org.bulwark.rfs.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.store.EventLevel;

/**
 * The null request of {@code checktime}/{@code checkintv} (spec B.7, Linux): every {@code
 * checkintv} the primary stats the root of each replicated directory through its mount, from a
 * thread of its own; when the answer does not come within {@code checktime}, the local replicated
 * file system hangs (the interception stuck, or the file system under it) and the module is
 * restarted ({@code stopstart}) — once per primary role: the restart stops this probe.
 *
 * <p>The stat reaches the FUSE driver every time: mounts cache no attributes (MountOptions
 * cacheTimeout 0). A request that fails with an error (a mount whose driver is gone answers
 * ENOTCONN) is a failure too: the application could not use the directory either. A hang is thus
 * noticed within {@code checkintv + checktime} of its start.
 */
final class MountProbe {
  private final List<Path> dirs;
  private final long checktimeMillis;
  private final ReplicationEvents events;
  private final ScheduledExecutorService schedule;
  private final ExecutorService requests;
  private final AtomicLong answered = new AtomicLong();
  private volatile Path probing;
  private volatile boolean stopped;

  private MountProbe(List<Path> dirs, Duration checktime, ReplicationEvents events) {
    this.dirs = List.copyOf(dirs);
    this.checktimeMillis = checktime.toMillis();
    this.events = events;
    this.schedule = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "rfs-checkintv"));
    // a thread that may stay stuck in the kernel until the mount is aborted
    this.requests = Executors.newSingleThreadExecutor(r -> thread(r, "rfs-null-request"));
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Probes {@code dirs} (the mount points, in configuration order) every {@code rfs.checkintv()};
   * null when either duration is zero (no probe).
   */
  static MountProbe start(Rfs rfs, List<Path> dirs, ReplicationEvents events) {
    Duration checktime = rfs.checktime();
    Duration checkintv = rfs.checkintv();
    if (checktime.isZero() || checkintv.isZero() || dirs.isEmpty()) {
      return null;
    }
    MountProbe p = new MountProbe(dirs, checktime, events);
    long every = checkintv.toMillis();
    p.schedule.scheduleWithFixedDelay(p::probe, every, every, TimeUnit.MILLISECONDS);
    return p;
  }

  /** Null requests that were answered in time (tests). */
  long answered() {
    return answered.get();
  }

  /** Waits until {@code count} null requests were answered in time, or the deadline (tests). */
  synchronized boolean awaitAnswered(long count, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (answered.get() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  private synchronized void answeredOne() {
    answered.incrementAndGet();
    notifyAll();
  }

  /** No more requests; one in flight is left to end by itself. */
  void stop() {
    stopped = true;
    schedule.shutdownNow();
    requests.shutdownNow();
  }

  /** One null request to every directory, on the scheduling thread: waits at most checktime. */
  private void probe() {
    if (stopped) {
      return;
    }
    Future<?> request = requests.submit(this::statAll);
    String failure;
    try {
      request.get(checktimeMillis, TimeUnit.MILLISECONDS);
      answeredOne();
      return;
    } catch (TimeoutException e) {
      failure = "did not answer a null request within " + checktimeMillis + " ms (checktime)";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.io.UncheckedIOException u) {
        cause = u.getCause();
      }
      failure = "does not answer a null request: " + cause;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // stopped
    }
    if (stopped) {
      return; // the role stops: what failed was the unmount
    }
    stopped = true;
    schedule.shutdown();
    String dir = String.valueOf(probing);
    events.log(
        EventLevel.E,
        "nfsadmin",
        "Replicated directory " + dir + " " + failure + ": module restarted (stopstart)");
    events.stopstart("replicated directory " + dir + " " + failure);
  }

  private void statAll() {
    for (Path dir : dirs) {
      probing = dir;
      try {
        Files.readAttributes(dir, BasicFileAttributes.class);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
