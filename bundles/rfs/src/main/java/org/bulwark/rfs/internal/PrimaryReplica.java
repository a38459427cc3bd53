package org.bulwark.rfs.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.fs.FileSystemDriver;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.rfs.ReplicationSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's side of a module's replication (spec B.7, C.4, C.7): its directories mounted over
 * themselves with every change intercepted, a listener for the secondary, the reintegration of a
 * secondary that connects, then synchronous replication: a change is on the secondary before the
 * application's call returns. Before each change runs, what it changes is recorded ({@link
 * Tracker}, {@link ZoneLog}) for the next reintegration, and the application never waits for it.
 *
 * <p>This class owns the role (mounts, listener, flushes, the end of a reintegration, online
 * verify) and hands its parts to each other: {@link PrimaryInterceptor} (one per directory: lock,
 * record, send, wait, in that order) and {@link ChangeSender} are the write path; {@link
 * SecondaryLink} is the session and how far it is; {@link ReplicationFailure} is replication
 * failing here; {@link PendingTimes} the modification times carried at barriers; {@link
 * ReintegrationReport} a reintegration's progress.
 */
final class PrimaryReplica {
  private static final Logger LOG = LoggerFactory.getLogger(PrimaryReplica.class);

  /** How often a synchronous secondary makes what it received durable (and old zones go). */
  static final long FLUSH_MILLIS = 2_000;

  private final ReplicationSetup setup;
  private final Rfs rfs;
  private final ReplicationEvents events;
  private final Resources resources;
  private final EventLoopGroup loop;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Locks locks = new Locks();
  private final ZoneLog zones;
  private final Tracker tracker;
  private final SyncState sync;
  private final ExternalSync external;
  private final List<LocalTree> trees;
  private final List<Exclusions> exclusions = new ArrayList<>();
  private final List<Mount> mounts = new ArrayList<>();
  private final ReintegrationReport report;
  private final PendingTimes times;
  private final SecondaryLink link;
  private final ReplicationFailure failure;
  private final ChangeSender sender;
  private Channel server;
  private ScheduledFuture<?> flusher;

  PrimaryReplica(
      ReplicationSetup setup,
      List<LocalTree> trees,
      ReplicationEvents events,
      Resources resources,
      EventLoopGroup loop,
      ExecutorService workers,
      ScheduledExecutorService timers,
      ZoneLog zones,
      SyncState sync,
      ExternalSync external) {
    this.setup = setup;
    this.rfs = setup.rfs();
    this.zones = zones;
    this.sync = sync;
    this.external = external;
    this.tracker = new Tracker(zones, trees, rfs.ruzoneBlocksize());
    tracker.onEpochFailure(e -> external.abandon(e, tracker));
    this.trees = trees;
    this.events = events;
    this.resources = resources;
    this.loop = loop;
    this.workers = workers;
    this.timers = timers;
    this.times = new PendingTimes(trees);
    this.link = new SecondaryLink(setup.module(), events);
    this.failure = new ReplicationFailure(setup.module(), events, resources, sync, link);
    this.sender = new ChangeSender(this, trees, exclusions, rfs, tracker, zones, times, link);
    this.report = new ReintegrationReport(setup.module(), events, resources, timers);
    for (Rfs.Replicated r : rfs.replicated()) {
      exclusions.add(new Exclusions(r.notreplicated()));
    }
  }

  // ---- for the reintegrator and the session handler ----

  Locks locks() {
    return locks;
  }

  Tracker tracker() {
    return tracker;
  }

  ZoneLog zones() {
    return zones;
  }

  SyncState sync() {
    return sync;
  }

  ExternalSync external() {
    return external;
  }

  int dirCount() {
    return trees.size();
  }

  LocalTree tree(int dir) {
    return trees.get(dir);
  }

  Exclusions exclusions(int dir) {
    return exclusions.get(dir);
  }

  boolean acl() {
    return rfs.acl();
  }

  long reiPacket() {
    return rfs.reipacketsize();
  }

  long lockTimeoutMillis() {
    return rfs.locktimeout().toMillis();
  }

  /** How long a reintegration waits for the secondary's acknowledgements of a pass (reitimeout). */
  long reiTimeoutMillis() {
    return rfs.reitimeout().toMillis();
  }

  long sendTimeoutMillis() {
    return rfs.sendtimeout().toMillis();
  }

  ReplicationSetup setup() {
    return setup;
  }

  Resources resources() {
    return resources;
  }

  ReplicationEvents events() {
    return events;
  }

  /** What happens when replication cannot go on on this primary, and whether it did. */
  ReplicationFailure failure() {
    return failure;
  }

  /**
   * Whether this is the first secondary session of this primary role: only then does the zone
   * record hold every change since the role began, which a {@code swap nosync} relies on (spec
   * C.10). Asked once per session.
   */
  boolean firstSession() {
    return firstSession.getAndSet(false);
  }

  private final java.util.concurrent.atomic.AtomicBoolean firstSession =
      new java.util.concurrent.atomic.AtomicBoolean(true);

  /** The link to the secondary: its session, how far it is. */
  SecondaryLink link() {
    return link;
  }

  /** A message or connection refused as malformed, out of order or not from the peer. */
  void refused() {
    resources.refused();
  }

  long refusedCount() {
    return resources.refusedCount();
  }

  long dirtyZones() {
    return zones.size();
  }

  /** The modification times to carry to the secondary at the next barrier. */
  PendingTimes times() {
    return times;
  }

  /** The running reintegration's progress, told here and to the secondary. */
  ReintegrationReport report() {
    return report;
  }

  // ---- role ----

  /** Mounts every directory over itself and listens for the secondary (spec B.7). */
  void start(FileSystemDriver driver, List<Path> dirs, boolean fullsync) throws IOException {
    failure.fullNext(fullsync);
    try {
      for (int d = 0; d < trees.size(); d++) {
        Path dir = dirs.get(d);
        MountOptions options =
            MountOptions.defaults().withInterceptor(new PrimaryInterceptor(this, d, sender));
        mounts.add(driver.mount(dir, options));
      }
      ServerBootstrap b =
          new ServerBootstrap()
              .group(loop)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(8 << 20, 32 << 20))
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(
                              new IdleStateHandler(
                                  sendTimeoutMillis(), 0, 0, TimeUnit.MILLISECONDS));
                      resources.traffic().install(ch.pipeline());
                      Framing.install(ch.pipeline());
                      ch.pipeline().addLast(new PrimaryHandler(PrimaryReplica.this, workers));
                    }
                  });
      server = b.bind(setup.local()).syncUninterruptibly().channel();
    } catch (RuntimeException | IOException e) {
      stop(Duration.ZERO);
      throw e instanceof IOException io
          ? io
          : new IOException(
              "replication cannot listen on " + setup.local() + ": " + e.getMessage(), e);
    }
    flusher =
        timers.scheduleWithFixedDelay(
            this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    // a new replica: whatever failed in the previous one is over (stop and start, spec C.7)
    resources.set("rfs.degraded", "down");
  }

  /** Ends the session, stops listening, unmounts (holders cut off after {@code timeout}). */
  void stop(Duration timeout) throws IOException {
    if (flusher != null) {
      flusher.cancel(false);
    }
    // the application has stopped: the last times go to the secondary, durably, before it is let
    // go (a swap then finds both copies equal, times included)
    CompletableFuture<Integer> last = flushNow();
    if (last != null) {
      try {
        last.get(Math.min(lockTimeoutMillis(), FLUSH_MILLIS), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.debug("Module {}: last flush before stopping: {}", setup.module(), e.toString());
      }
    }
    link.close();
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    link.detach("the primary stops");
    IOException failure = null;
    for (Mount m : mounts) {
      try {
        m.unmount(timeout);
      } catch (IOException e) {
        failure = e;
      }
    }
    mounts.clear();
    // the stop ends a failed replication (spec C.7): the peer's degraded_server wait is lifted
    resources.set("rfs.degraded", "down");
    if (failure != null) {
      throw failure;
    }
  }

  /** Called under the barrier: from now on changes go to the secondary before returning. */
  void goSynchronous(PrimarySession s, long passes) throws IOException {
    if (link.current() != s || !s.isOpen()) {
      throw new IOException("the session ended before its end of reintegration");
    }
    long id = newSyncId();
    sync.record(id);
    try {
      external.synchronised(link.policy(), tracker); // spec C.12: back to the default policy
    } catch (IOException e) {
      LOG.error("Module {}: cannot reset the rfssync policy", setup.module(), e);
    }
    tracker.orphansSettled();
    // the reintegration sent every copied file's time; what an earlier session left pending is
    // among the zones it copied
    times.clear();
    zones.inSync(); // from now on, the blocks written are the difference (FineZones)
    s.control(seq -> new Msg.InSync(seq, id));
    link.inSync();
  }

  /**
   * Online verify of the synchronous secondary (issue 9 item 6), one at a time.
   *
   * @throws IOException when no secondary follows synchronously, or it stops answering
   */
  Verifier.Report verify(PrimarySession s, boolean resend) throws IOException {
    synchronized (link) { // see SecondaryLink: not while a session begins or ends
      if (s == null || s != link.current() || !link.isSynchronous()) {
        throw new IOException("no secondary follows this primary synchronously: nothing to verify");
      }
      return new Verifier(this, s).run(resend);
    }
  }

  /** Online verify of the current secondary. */
  Verifier.Report verify(boolean resend) throws IOException {
    return verify(link.current(), resend);
  }

  private static long newSyncId() {
    long id = 0;
    while (id == 0) {
      id = java.util.concurrent.ThreadLocalRandom.current().nextLong();
    }
    return id;
  }

  /**
   * Every few seconds while synchronous: the secondary syncs its disks; what was written before is
   * then safe there, and no longer needs resending after a crash of the secondary.
   */
  private void flush() {
    try {
      flushNow();
    } catch (RuntimeException | Error e) {
      failure.engineFailed("the periodic flush", e); // else the timer would silently stop flushing
    }
  }

  /**
   * A flush now (see {@link #flush}), the modification times pending carried before it: its
   * acknowledgement, or null when no secondary follows synchronously. Tests compare times after it.
   */
  CompletableFuture<Integer> flushNow() {
    PrimarySession s = link.current();
    if (s == null || !link.isSynchronous()) {
      return null;
    }
    long upTo;
    CompletableFuture<Integer> ack;
    // every change tracked up to the mark is queued before the flush: the barrier waits for the
    // operations in flight to queue theirs
    locks.lockNamespace();
    try {
      times.carryAll(s); // made durable there by the flush: equal on both nodes from then on
      upTo = zones.advance();
      ack = s.send(new Change.Flush(0, "/"));
    } catch (IOException e) {
      return null; // the session ended: its zones stay recorded
    } finally {
      locks.unlockNamespace();
    }
    return ack.thenApply(
        errno -> {
          if (errno == 0) {
            try {
              zones.cool(upTo);
            } catch (IOException e) {
              LOG.warn("Module {}: cannot compact the zone log", setup.module(), e);
            }
          }
          return errno;
        });
  }
}
