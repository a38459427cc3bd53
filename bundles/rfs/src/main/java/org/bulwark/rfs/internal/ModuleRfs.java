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
import org.bulwark.api.store.EventLevel;

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

  /**
   * The last primary role ended with its change record lost ({@link ReplicationFailure#fail}): the
   * next reintegration copies everything, even if {@link SyncState#markFull} could not be written
   * then (the same disk). Until it is durably marked.
   */
  private boolean recordLost;

  private SyncState sync;
  private final ExternalSync external;
  private final RfsCallbacks callbacks;
  private MountProbe probe;
  private InterceptionWatch watch;

  /** How the watch reads devices, and how often (tests). */
  private InterceptionWatch.Devices devices = InterceptionWatch.STAT;

  private long watchMillis = InterceptionWatch.EVERY_MILLIS;
  private java.time.Clock clock = java.time.Clock.systemUTC();

  /**
   * Memory for the written blocks of dirty zones (FineZones, docs/replication.md "Written blocks"):
   * within it, a reintegration copies the blocks written in a zone instead of the whole zone. Tests
   * set it with {@link #fineBudget}.
   */
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
    this.external = ExternalSync.load(setup.state(), resources, events);
    this.callbacks = new RfsCallbacks(setup, events);
    // The module's table may still say up from before a crash: nothing failed in this replication
    // yet, and a stale value would make the peer's degraded_server wait (spec C.7).
    resources.set("rfs.degraded", "down");
  }

  /** The {@code _rfs_*} callbacks of this module (tests). */
  RfsCallbacks callbacks() {
    return callbacks;
  }

  /** The running null-request probe of the primary's mounts, if any (tests). */
  synchronized MountProbe probe() {
    return probe;
  }

  /** The primary's replica while this node serves as primary, else null (tests). */
  synchronized PrimaryReplica primaryReplica() {
    return primary;
  }

  /** The clock of the rfssync marks (tests). */
  synchronized void clock(java.time.Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void startPrimary(boolean fullsync) throws IOException {
    stopRole(Duration.ZERO);
    trees = openTrees();
    openState();
    resources.roleStarted();
    if (fullsync) {
      sync.reset(); // prim fullsync, primforce: the next reintegration copies everything
    }
    ZoneLog epoch;
    try {
      callbacks.primaryStarting(); // a former primary from now on (spec E.7 _rfs_pritoscd)
      epoch = external.primaryStarting(trees, exclusions());
    } catch (IOException e) {
      closeTrees();
      throw e;
    }
    primary =
        new PrimaryReplica(
            setup, trees, events, resources, loop, workers, timers, zones, sync, external);
    primary.tracker().epoch(epoch); // before the first write can reach the mount
    boolean lost = recordLost;
    if (lost) {
      try {
        sync.markFull(); // spec C.7: the record of the failed role is incomplete
        recordLost = false;
      } catch (IOException e) {
        events.log(
            EventLevel.E,
            "nfsadmin",
            "Cannot mark the next reintegration full: " + e.getMessage() + " (kept in memory)");
      }
    }
    try {
      primary.start(driver, dirs, fullsync || lost);
    } catch (IOException e) {
      primary = null;
      external.primaryStopped(clock.millis());
      closeTrees();
      throw e;
    }
    probe = MountProbe.start(setup.rfs(), dirs, events);
    resources.traffic().start(timers);
    PrimaryReplica started = primary;
    try {
      watch =
          InterceptionWatch.start(dirs, devices, watchMillis, started.failure()::interceptionLost);
    } catch (IOException e) {
      // a mount that does not answer now: the null request's case (spec B.7), not this watch's
      events.log(
          EventLevel.W,
          "nfsadmin",
          "The interception of the replicated directories is not watched: " + e.getMessage());
    }
  }

  /** The interception watch's reading of devices and its period, from the next role on (tests). */
  synchronized void watch(InterceptionWatch.Devices devices, long everyMillis) {
    this.devices = devices;
    this.watchMillis = everyMillis;
  }

  @Override
  public synchronized void stopPrimary(Duration timeout) throws IOException {
    if (primary != null) {
      resources.traffic().stop();
    }
    if (watch != null) {
      watch.stop(); // before the unmount, which changes the directories' device
      watch = null;
    }
    if (probe != null) {
      probe.stop(); // before the unmount, which is no failure of the file system
      probe = null;
    }
    if (primary != null) {
      if (primary.failure().reason() != null) {
        recordLost = true;
      }
      try {
        primary.stop(timeout);
      } finally {
        primary = null;
        try {
          external.primaryStopped(clock.millis());
        } finally {
          closeTrees();
        }
      }
    }
  }

  @Override
  public synchronized void startSecondary(String policy) throws IOException {
    stopRole(Duration.ZERO);
    // a secondary's replication never failed as a primary's: a value kept from a degraded primary
    // role (even across a crash) must not hold its peer in degraded_server's wait (spec C.7)
    resources.set("rfs.degraded", "down");
    trees = openTrees();
    openState();
    resources.roleStarted();
    secondary =
        new SecondaryReplica(
            setup, trees, events, resources, loop, workers, timers, zones, sync, external,
            callbacks);
    try {
      secondary.start(driver, dirs, policy);
      resources.traffic().start(timers);
    } catch (IOException e) {
      secondary = null;
      closeTrees();
      throw e;
    }
  }

  /**
   * The primary's flush now, with the modification times pending (tests compare times after it):
   * its acknowledgement, or null when this node has no synchronous secondary.
   */
  java.util.concurrent.CompletableFuture<Integer> flushNow() {
    PrimaryReplica p;
    synchronized (this) {
      p = primary;
    }
    return p == null ? null : p.flushNow();
  }

  /** Tests: the handler of this node's secondary session, null when it follows no primary. */
  synchronized SecondaryHandler secondaryHandler() {
    return secondary == null ? null : secondary.handler();
  }

  @Override
  public void detachSecondary() {
    PrimaryReplica p;
    synchronized (this) {
      p = primary;
    }
    if (p != null) {
      p.link().detach("the secondary is no longer heard (heartbeats)");
    }
  }

  @Override
  public synchronized void stopSecondary(Duration timeout) throws IOException {
    if (secondary != null) {
      resources.traffic().stop();
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
      Progress p = primary.report().running();
      Progress.Reading r = p == null ? new Progress.Reading(0, 0, 0, 0, -1) : p.read();
      return new ReplicationStatus(
          "primary",
          primary.link().state().name().toLowerCase(java.util.Locale.ROOT),
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
    return RfsDiff.report(
        zones.dirtyBetween(-1, Long.MAX_VALUE),
        setup.rfs().ruzoneBlocksize(),
        sync.current() == 0,
        external);
  }

  /**
   * {@code safekit rfssync [full | external prim|second UID | -d prim|second UID]} (spec C.12):
   * sets the policy of the next synchronisation when asked, then shows it.
   *
   * @throws IllegalArgumentException for wrong arguments, before anything changes
   */
  List<String> rfssync(List<String> args) throws IOException {
    java.time.Clock c;
    synchronized (this) {
      c = clock;
    }
    java.util.Optional<RfssyncPolicy> requested = RfssyncPolicy.parse(args, c.millis());
    synchronized (this) {
      if (requested.isPresent()) {
        RfssyncPolicy p = requested.get();
        PrimaryReplica running = primary;
        if (running != null) {
          running.locks().lockNamespace(); // the mark falls between two writes
        }
        try {
          external.set(p, running == null ? null : running.tracker());
        } finally {
          if (running != null) {
            running.locks().unlockNamespace();
          }
        }
        if (p.mode() == RfssyncPolicy.Mode.FULL) {
          // no synchronisation point either: full whatever the peer's policy says
          syncState().reset();
        }
      }
      RfssyncPolicy now = external.policy();
      List<String> out = new ArrayList<>(now.describe(external.applicable()));
      if (now.mode() == RfssyncPolicy.Mode.DEFAULT && syncState().current() == 0) {
        out.add("no synchronisation point with the peer yet: the next one copies everything");
      }
      return out;
    }
  }

  /** The policy as it stands (tests, status). */
  RfssyncPolicy rfssyncPolicy() {
    return external.policy();
  }

  private SyncState syncState() throws IOException {
    return sync != null ? sync : SyncState.load(statePath(), signature());
  }

  private List<Exclusions> exclusions() {
    return setup.rfs().replicated().stream().map(r -> new Exclusions(r.notreplicated())).toList();
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
