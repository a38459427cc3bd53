package org.bulwark.rfs.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Whether the primary's mounts still intercept its replicated directories (spec C.7,
 * docs/replication.md "The interception is lost"): once a second, each directory's device as the
 * application sees it is compared with the one its mount gave when it was mounted. A mount taken
 * away (unmounted by hand, {@code umount -l}, its FUSE session ended and the mount point released)
 * or covered by another shows the device of whatever is there now: from then on the application's
 * writes go there untracked, which is reported once, and the watch stops.
 *
 * <p>A directory that cannot be looked at (its mount not answering, or answering with an error) is
 * no such case: the application cannot write through it either, and the null request ({@link
 * MountProbe}, spec B.7 {@code checktime}) restarts the module. A stat that hangs holds this
 * watch's own thread only.
 */
final class InterceptionWatch {
  /** How often the devices are compared: untracked writes last at most this long unnoticed. */
  static final long EVERY_MILLIS = 1_000;

  /** A directory's device as a stat of it gives now (through the mount, if it is still there). */
  @FunctionalInterface
  interface Devices {
    long of(Path dir) throws IOException;
  }

  static final Devices STAT = dir -> ((Number) Files.getAttribute(dir, "unix:dev")).longValue();

  private final List<Path> dirs;
  private final long[] mounted;
  private final Devices devices;
  private final ScheduledExecutorService schedule;
  private volatile boolean stopped;

  private InterceptionWatch(List<Path> dirs, long[] mounted, Devices devices) {
    this.dirs = List.copyOf(dirs);
    this.mounted = mounted;
    this.devices = devices;
    this.schedule =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rfs-interception-watch");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Notes the devices of {@code dirs}, just mounted, and compares them every {@code everyMillis};
   * {@code lost} gets the first directory found no longer intercepted and why.
   *
   * @throws IOException if a directory cannot be looked at now
   */
  static InterceptionWatch start(
      List<Path> dirs, Devices devices, long everyMillis, BiConsumer<Path, String> lost)
      throws IOException {
    long[] mounted = new long[dirs.size()];
    for (int d = 0; d < mounted.length; d++) {
      mounted[d] = devices.of(dirs.get(d));
    }
    InterceptionWatch w = new InterceptionWatch(dirs, mounted, devices);
    w.schedule.scheduleWithFixedDelay(
        () -> w.check(lost), everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    return w;
  }

  private void check(BiConsumer<Path, String> lost) {
    if (stopped) {
      return;
    }
    Optional<Lost> gone = firstLost(dirs, mounted, devices);
    if (gone.isPresent() && !stopped) {
      stopped = true;
      schedule.shutdown();
      lost.accept(dirs.get(gone.get().dir()), gone.get().why());
    }
  }

  /** A directory no longer intercepted: its index, and why. */
  record Lost(int dir, String why) {}

  /**
   * The first directory whose device changed since it was mounted; empty when every one is still
   * intercepted or cannot be looked at (see the class comment).
   */
  static Optional<Lost> firstLost(List<Path> dirs, long[] mounted, Devices devices) {
    for (int d = 0; d < dirs.size(); d++) {
      long now;
      try {
        now = devices.of(dirs.get(d));
      } catch (IOException e) {
        continue; // the null request's case
      }
      if (now != mounted[d]) {
        return Optional.of(
            new Lost(
                d,
                "the directory is on device "
                    + Long.toHexString(now)
                    + ", no longer on its mount's device "
                    + Long.toHexString(mounted[d])));
      }
    }
    return Optional.empty();
  }

  /** Whether comparisons are still scheduled. */
  boolean watching() {
    return !schedule.isShutdown();
  }

  /** No more comparisons (before the role's own unmount). */
  void stop() {
    stopped = true;
    schedule.shutdownNow();
  }
}
