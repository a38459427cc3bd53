package org.bulwark.rfs.internal;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.fs.FileSystemDriver;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.fs.LocalTrees;
import org.bulwark.api.rfs.ModuleReplication;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.rfs.ReplicationSetup;
import org.bulwark.api.rfs.ReplicationStatus;

/**
 * The replication of one module: at most one role at a time, primary or secondary. The module
 * runtime calls it from its plan, one call at a time.
 */
final class ModuleRfs implements ModuleReplication {
  private final ReplicationSetup setup;
  private final ReplicationEvents events;
  private final Resources resources;
  private final FileSystemDriver driver;
  private final LocalTrees localTrees;
  private final EventLoopGroup loop;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final List<Path> dirs;
  private java.util.function.Consumer<ModuleRfs> onClose = m -> {};
  private PrimaryReplica primary;
  private SecondaryReplica secondary;
  private List<LocalTree> trees = List.of();
  private ZoneLog zones;
  private SyncState sync;
  private long fineBudget = FineZones.BUDGET;

  ModuleRfs(
      ReplicationSetup setup,
      ReplicationEvents events,
      FileSystemDriver driver,
      LocalTrees localTrees,
      EventLoopGroup loop,
      ExecutorService workers,
      ScheduledExecutorService timers) {
    this(
        setup,
        events,
        driver,
        localTrees,
        loop,
        workers,
        timers,
        setup.rfs().replicated().stream().map(r -> Path.of(r.dir())).toList());
  }

  /**
   * @param dirs where this node's replicated directories are, in configuration order: the
   *     configured paths, except in tests that run both nodes in one process
   */
  ModuleRfs(
      ReplicationSetup setup,
      ReplicationEvents events,
      FileSystemDriver driver,
      LocalTrees localTrees,
      EventLoopGroup loop,
      ExecutorService workers,
      ScheduledExecutorService timers,
      List<Path> dirs) {
    this.dirs = List.copyOf(dirs);
    this.setup = setup;
    this.events = events;
    this.resources = new Resources(events);
    this.driver = driver;
    this.localTrees = localTrees;
    this.loop = loop;
    this.workers = workers;
    this.timers = timers;
  }

  @Override
  public synchronized void startPrimary(boolean fullsync) throws IOException {
    stopRole(Duration.ZERO);
    trees = openTrees();
    openState();
    if (fullsync) {
      sync.reset(); // prim fullsync, primforce: the next reintegration copies everything
    }
    primary =
        new PrimaryReplica(setup, trees, events, resources, loop, workers, timers, zones, sync);
    try {
      primary.start(driver, dirs, fullsync);
    } catch (IOException e) {
      primary = null;
      closeTrees();
      throw e;
    }
  }

  @Override
  public synchronized void stopPrimary(Duration timeout) throws IOException {
    if (primary != null) {
      try {
        primary.stop(timeout);
      } finally {
        primary = null;
        closeTrees();
      }
    }
  }

  @Override
  public synchronized void startSecondary(String policy) throws IOException {
    stopRole(Duration.ZERO);
    trees = openTrees();
    openState();
    secondary =
        new SecondaryReplica(setup, trees, events, resources, loop, workers, timers, zones, sync);
    try {
      secondary.start(driver, dirs, policy);
    } catch (IOException e) {
      secondary = null;
      closeTrees();
      throw e;
    }
  }

  @Override
  public void detachSecondary() {
    PrimaryReplica p;
    synchronized (this) {
      p = primary;
    }
    if (p != null) {
      p.detach("the secondary is no longer heard (heartbeats)");
    }
  }

  @Override
  public synchronized void stopSecondary(Duration timeout) throws IOException {
    if (secondary != null) {
      try {
        secondary.stop(timeout);
      } finally {
        secondary = null;
        closeTrees();
      }
    }
  }

  @Override
  public synchronized ReplicationStatus status() {
    if (primary != null) {
      Progress p = primary.reintegration();
      Progress.Reading r = p == null ? new Progress.Reading(0, 0, 0, 0, -1) : p.read();
      return new ReplicationStatus(
          "primary",
          primary.link().name().toLowerCase(java.util.Locale.ROOT),
          r.filesLeft(),
          r.bytesLeft(),
          r.bytesCopied(),
          r.bytesPerSecond(),
          primary.dirtyZones(),
          primary.refusedCount());
    }
    if (secondary != null) {
      SecondaryHandler h = secondary.handler();
      Msg.Progress p = h == null ? null : h.progress();
      String link = h == null ? "absent" : h.link();
      return new ReplicationStatus(
          "secondary",
          link,
          p == null ? 0 : p.filesLeft(),
          p == null ? 0 : p.bytesLeft(),
          p == null ? 0 : p.bytesCopied(),
          p == null ? 0 : p.bytesPerSecond(),
          0,
          secondary.refusedCount());
    }
    return ReplicationStatus.NONE;
  }

  @Override
  public synchronized void close() throws IOException {
    stopRole(Duration.ZERO);
    onClose.accept(this);
  }

  /** The memory for written blocks ({@link FineZones#BUDGET}), from the next role on (tests). */
  synchronized void fineBudget(long bytes) {
    this.fineBudget = bytes;
  }

  /** Called when this module's replication closes (the service forgets it). */
  void onClose(java.util.function.Consumer<ModuleRfs> action) {
    this.onClose = action;
  }

  String module() {
    return setup.module();
  }

  /** {@code safekit rfsverify}: the report's lines, and whether both copies are the same. */
  record Verified(List<String> lines, boolean same) {}

  Verified verify(boolean resend, Duration limit) throws IOException {
    PrimaryReplica p;
    SecondaryReplica s;
    synchronized (this) {
      p = primary;
      s = secondary;
    }
    if (p != null) {
      Verifier.Report r = p.verify(resend);
      return new Verified(r.lines(), r.differences().isEmpty());
    }
    if (s != null && s.handler() != null) {
      try {
        Msg.VerifyReport r =
            s.handler()
                .verify(resend)
                .get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return new Verified(r.lines(), r.same());
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException(e.getCause().getMessage());
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IOException(
            "the primary did not finish the verify within " + limit.toSeconds() + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
    throw new IOException("module " + setup.module() + " is neither primary nor secondary here");
  }

  /**
   * {@code safekit rfsdiff} on the primary (spec C.12): what the next reintegration would copy of
   * the zones recorded (a full copy when the pair has no synchronisation point).
   */
  synchronized List<String> diff() throws IOException {
    if (primary == null) {
      throw new IOException("rfsdiff runs on the node that holds the primary role (ALONE or PRIM)");
    }
    ZoneLog.Dirty dirty = zones.dirtyBetween(-1, Long.MAX_VALUE);
    List<ZoneLog.Zone> all = dirty.zones();
    long files = all.stream().map(z -> z.dir() + ":" + z.ino()).distinct().count();
    long zoneSize = setup.rfs().ruzoneBlocksize();
    long data = all.stream().filter(z -> z.zone() >= 0).count();
    long whole = all.stream().filter(z -> z.zone() == ZoneLog.WHOLE).count();
    // a zone whose written blocks are known is copied as those blocks only (FineZones)
    long bytes =
        all.stream()
            .filter(z -> z.zone() >= 0)
            .mapToLong(
                z -> {
                  java.util.BitSet b = dirty.blocks().get(z);
                  return b == null
                      ? zoneSize
                      : Math.min(zoneSize, b.cardinality() * (long) FineZones.BLOCK);
                })
            .sum();
    List<String> out = new java.util.ArrayList<>();
    if (sync.current() == 0) {
      out.add(
          "no synchronisation point with a secondary: the next reintegration copies everything");
    }
    out.add(
        files
            + " files changed since the last synchronisation: "
            + data
            + " zones of "
            + zoneSize / 1024
            + " KB"
            + (whole > 0 ? " and " + whole + " whole files" : "")
            + ", at most "
            + bytes / 1024
            + " KB to copy"
            + (whole > 0 ? " plus the whole files" : ""));
    return out;
  }

  /** {@code safekit rfssync}: the policy of the next reintegration (spec C.12). */
  synchronized String syncPolicy() throws IOException {
    SyncState state = sync != null ? sync : SyncState.load(statePath(), signature());
    return state.current() == 0 ? "full" : "default";
  }

  /** {@code safekit rfssync full}: the next reintegration copies everything. */
  synchronized void requestFull() throws IOException {
    SyncState state = sync != null ? sync : SyncState.load(statePath(), signature());
    state.reset();
    resources.set("usersetting.rfssyncmode", "full");
  }

  private Path statePath() {
    return setup.state().resolve("sync.properties");
  }

  private void stopRole(Duration timeout) throws IOException {
    stopPrimary(timeout);
    stopSecondary(timeout);
  }

  /**
   * Opens every replicated directory before anything is mounted over it; {@code tocheck} paths must
   * be there (spec B.7: guards against replicating an empty or unmounted file system).
   */
  private List<LocalTree> openTrees() throws IOException {
    List<LocalTree> opened = new ArrayList<>();
    try {
      for (int d = 0; d < dirs.size(); d++) {
        Rfs.Replicated r = setup.rfs().replicated().get(d);
        Path dir = dirs.get(d);
        if (!Files.isDirectory(dir)) {
          throw new IOException("replicated directory " + dir + " is not a directory");
        }
        for (String check : r.tocheck()) {
          Path p = dir.resolve(check.startsWith("/") ? check.substring(1) : check);
          if (!Files.exists(p)) {
            throw new IOException(
                "tocheck path " + p + " is missing: replication of " + dir + " does not start");
          }
        }
        opened.add(localTrees.open(dir));
      }
    } catch (IOException e) {
      for (LocalTree t : opened) {
        t.close();
      }
      throw e;
    }
    return opened;
  }

  private void closeTrees() throws IOException {
    for (LocalTree t : trees) {
      t.close();
    }
    trees = List.of();
    if (zones != null) {
      zones.close();
      zones = null;
    }
  }

  /** What a synchronisation point belongs to: the directories and the peer (spec C.4 case 4). */
  private String signature() {
    return setup.rfs().replicated().stream().map(Rfs.Replicated::dir).toList()
        + " peer "
        + setup.peer().getAddress().getHostAddress();
  }

  /**
   * The durable state in {@code SAFEUSERVAR/rfs}: the zone record and the synchronisation point,
   * which a change of directories or of peer resets (spec C.4 case 4).
   */
  private void openState() throws IOException {
    sync = SyncState.load(statePath(), signature());
    zones = ZoneLog.open(setup.state().resolve("zones.log"), fineBudget);
    if (sync.current() == 0) {
      zones.clear(); // no synchronisation point: the record describes nothing useful
    }
  }
}
