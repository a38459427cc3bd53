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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.fs.FileInterceptor;
import org.bulwark.api.fs.FileOperation;
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
  private final AtomicLong refused = new AtomicLong();
  private final ReintegrationReport report;
  private final PendingTimes times;
  private final SecondaryLink link;
  private final ReplicationFailure failure;
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

  long sendTimeoutMillis() {
    return rfs.sendtimeout().toMillis();
  }

  ReplicationSetup setup() {
    return setup;
  }

  ReplicationEvents events() {
    return events;
  }

  /** What happens when replication cannot go on on this primary, and whether it did. */
  ReplicationFailure failure() {
    return failure;
  }

  /** The link to the secondary: its session, how far it is. */
  SecondaryLink link() {
    return link;
  }

  /** A message or connection refused as malformed, out of order or not from the peer. */
  void refused() {
    refused.incrementAndGet();
  }

  long refusedCount() {
    return refused.get();
  }

  long dirtyZones() {
    return zones.size();
  }

  /** The running reintegration's progress, told here and to the secondary. */
  ReintegrationReport report() {
    return report;
  }

  /**
   * Spec B.20's resources from a progress reading: {@link ReintegrationReport#publish}, kept here
   * for the secondary's side, which calls it by this name.
   */
  static void publish(Resources resources, Progress.Reading r) {
    ReintegrationReport.publish(resources, r);
  }

  // ---- role ----

  /** Mounts every directory over itself and listens for the secondary (spec B.7). */
  void start(FileSystemDriver driver, List<Path> dirs, boolean fullsync) throws IOException {
    failure.fullNext(fullsync);
    try {
      for (int d = 0; d < trees.size(); d++) {
        Path dir = dirs.get(d);
        MountOptions options = MountOptions.defaults().withInterceptor(new Intercept(d));
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

  // ---- the write path ----

  /** An fsync's barrier sent to the secondary before the local fsync ran, awaited after it. */
  private record EarlySync(
      FileOperation op, PrimarySession session, CompletableFuture<Integer> ack) {}

  /** A write sent to the secondary before it ran here. */
  private record EarlyWrite(
      FileOperation.Write op, PrimarySession session, CompletableFuture<Integer> ack) {}

  /**
   * Before a write runs here, under its file's lock: its change queued for the secondary, which
   * keeps the modification time its own write gives (the primary's is carried later: {@link
   * PendingTimes}); null when nothing is sent (excluded, no name, the session ended: the usual path
   * in {@code after} decides then).
   */
  private EarlyWrite sendWrite(int dir, FileOperation.Write w, PrimarySession s) {
    if (w.path() == null || excluded(dir, w)) {
      return null;
    }
    try {
      EarlyWrite sent = new EarlyWrite(w, s, s.send(ChangeOf.write(dir, w, Change.KEEP_TIME)));
      times.add(dir, w.path());
      return sent;
    } catch (IOException e) {
      s.end(e.getMessage());
      return null;
    }
  }

  /**
   * After a write sent early ran here: the acknowledgement to wait for. Null when the copies may
   * differ — the write failed here — and the session ends: the write's zones are recorded, the next
   * reintegration copies them again.
   */
  private static CompletableFuture<Integer> wroteHere(EarlyWrite sent, int errno) {
    if (errno != 0) {
      sent.session().end("a write sent to the secondary failed on the primary: errno " + errno);
      return null;
    }
    return sent.ack();
  }

  /** The modification times to carry to the secondary at the next barrier. */
  PendingTimes times() {
    return times;
  }

  private final class Intercept implements FileInterceptor {
    private final int dir;
    // before and after of one operation run on one thread (the driver's worker)
    private final ThreadLocal<EarlySync> early = new ThreadLocal<>();

    private final ThreadLocal<EarlyWrite> earlyWrite = new ThreadLocal<>();

    // the operation whose lock this thread holds, and one the engine let pass untouched
    private final ThreadLocal<FileOperation> held = new ThreadLocal<>();
    private final ThreadLocal<FileOperation> bypassed = new ThreadLocal<>();

    Intercept(int dir) {
      this.dir = dir;
    }

    /**
     * Spec C.7, docs/replication.md "Replication fails on the primary": whatever the engine throws
     * (a bug, an Error) ends replication, never the application's call. The call goes on as a pass-
     * through, the lock it took is released in {@link #after}, and from then on the interceptor
     * only passes calls through: the next reintegration is full.
     */
    @Override
    public void before(FileOperation op) {
      if (failure.passingThrough()) {
        bypassed.set(op);
        return;
      }
      try {
        replicateBefore(op);
        failure.fault().at(EngineFault.Point.BEFORE, op);
      } catch (RuntimeException | Error e) {
        bypassed.set(op);
        failure.engineFailed(op.getClass().getSimpleName(), e);
      }
    }

    @Override
    public void after(FileOperation op, int errno) {
      if (bypassed.get() == op) {
        bypassed.remove();
        early.remove();
        earlyWrite.remove();
        release(op);
        if (link.announcing()) {
          link.awaitAnnounced(); // as any write after a session ended: the peer knows first
        }
        return;
      }
      try {
        failure.fault().at(EngineFault.Point.AFTER, op);
        replicateAfter(op, errno);
      } catch (RuntimeException | Error e) {
        failure.engineFailed(op.getClass().getSimpleName(), e);
      } finally {
        release(op); // if the failure came before replicateAfter released it
      }
    }

    /** The lock {@link #replicateBefore} took for this operation, released once. */
    private void release(FileOperation op) {
      if (held.get() != op) {
        return;
      }
      held.remove();
      if (ChangeOf.namespace(op)) {
        locks.unlockNamespace();
      } else {
        locks.unlockFile(dir, op.path());
      }
    }

    private void replicateBefore(FileOperation op) {
      if (op instanceof FileOperation.Sync) {
        // The barrier goes to the secondary now, so that both disks flush at the same time: the
        // call still returns only once the file is durable on both (after). It covers what the
        // application's fsync must: every change acknowledged before the call was queued before
        // it. Sent after the local fsync, as it was, the two flushes took turns (benchmarks.md,
        // "Replication": a 4 KiB write+fsync waited for two disk flushes in a row).
        PrimarySession s = link.synchronous();
        CompletableFuture<Integer> ack = replicate(dir, op, s);
        if (ack != null) {
          early.set(new EarlySync(op, s, ack));
        }
        return;
      }
      if (ChangeOf.namespace(op)) {
        locks.lockNamespace();
        held.set(op);
        PrimarySession s = link.synchronous();
        if (s != null) {
          // a change of names may move or remove a written file: its time goes first
          try {
            times.carryAll(s);
          } catch (IOException e) {
            s.end(e.getMessage());
          }
        }
      } else {
        locks.lockFile(dir, op.path());
        held.set(op);
      }
      if (op instanceof FileOperation.Rename || !excluded(dir, op)) {
        track(dir, op);
      }
      if (op instanceof FileOperation.Write w && link.isSynchronous()) {
        // Sent now, so that the secondary receives (and with async="none" writes) it while the
        // local write runs: the two overlap instead of taking turns. Under the file's lock, as
        // after it ran: the order of changes is the same.
        PrimarySession s = link.current();
        EarlyWrite sent = s == null ? null : sendWrite(dir, w, s);
        if (sent != null) {
          earlyWrite.set(sent);
        }
      }
    }

    private void replicateAfter(FileOperation op, int errno) {
      CompletableFuture<Integer> ack = null;
      PrimarySession s = null;
      if (errno == 0 && !(op instanceof FileOperation.Sync) && ChangeOf.namespace(op)) {
        tracker.named(dir, op); // still under the namespace lock taken before
      }
      EarlySync sent = op instanceof FileOperation.Sync ? early.get() : null;
      if (sent != null) {
        early.remove();
      }
      EarlyWrite wrote = op instanceof FileOperation.Write ? earlyWrite.get() : null;
      if (wrote != null) {
        earlyWrite.remove();
      }
      try {
        if (sent != null && sent.op() == op) {
          s = sent.session(); // awaited even if the local fsync failed: its failure is reported
          ack = sent.ack();
        } else if (wrote != null && wrote.op() == op) {
          if (errno == 0) {
            tracked(dir, op);
          }
          s = wrote.session();
          ack = wroteHere(wrote, errno);
        } else if (errno == 0) {
          tracked(dir, op);
          s = link.synchronous();
          ack = replicate(dir, op, s);
        }
      } finally {
        release(op);
      }
      if (ack != null) {
        await(dir, op, s, ack);
      } else if (s != null && !s.isOpen()) {
        link.awaitSettled(s); // its session ended under it: acknowledged as the primary's alone
      } else if (link.announcing()) {
        link.awaitAnnounced();
      }
    }
  }

  /**
   * Records the intent of an operation before it runs. If the record cannot be written (the disk of
   * SAFEVAR failing), the next reintegration copies everything: the write itself goes on.
   */
  private void track(int dir, FileOperation op) {
    try {
      tracker.before(dir, op, link.isSynchronous());
    } catch (IOException e) {
      if (failure.reason() != null) {
        return; // said once (fail): the application goes on without replication
      }
      // a file that could not be looked at, or the record that could not be written
      LOG.error(
          "Module {}: cannot record a change: the next reintegration is full", setup.module(), e);
      failure.markFullNext();
      if (e instanceof ZoneLog.RecordLost) {
        // The record is what a reintegration trusts: without it, no zone the application changes
        // is known to differ. Unrecoverable while this primary runs (spec C.7).
        failure.fail("the change record cannot be written: " + e.getMessage());
      }
    }
  }

  /** After an operation ran, under its locks: what it made that the record must know. */
  private void tracked(int dir, FileOperation op) {
    if (op instanceof FileOperation.Sync || excluded(dir, op)) {
      return;
    }
    try {
      tracker.after(dir, op);
    } catch (IOException e) {
      zones.distrustBlocks(); // whole zones: as before blocks were kept
    }
  }

  /** Under the operation's locks: queues its change (recorded already) when a secondary follows. */
  private CompletableFuture<Integer> replicate(int dir, FileOperation op, PrimarySession s) {
    if (s == null) {
      return null;
    }
    if (op.path() == null && !(op instanceof FileOperation.Sync)) {
      if (tracker.mayWriteOrphans()) {
        // a file that lost this name may live on under another: its write cannot be named, so
        // the secondary is reintegrated (trees compared: the file's new time shows it)
        zones.namesChanged();
        s.end("a file was written through a descriptor after its name was removed");
      }
      return null; // else a file unlinked altogether: gone from both trees
    }
    if (op instanceof FileOperation.Rename r && !exclusions.get(dir).none()) {
      return acrossExclusions(dir, r, s);
    }
    if (excluded(dir, op)) {
      return null;
    }
    try {
      List<Change> changes = ChangeOf.of(dir, op, trees.get(dir), rfs.acl());
      if (changes.isEmpty()) {
        return null;
      }
      CompletableFuture<Integer> last = null;
      for (Change c : changes) {
        last = s.send(c); // acknowledged in order: the last one answers for all
      }
      if (op instanceof FileOperation.Write
          || op instanceof FileOperation.Truncate
          || op instanceof FileOperation.Fallocate) {
        times.add(dir, op.path());
      }
      return last;
    } catch (IOException e) {
      s.end(e.getMessage());
      return null;
    }
  }

  /** Waits for the secondary's acknowledgement, at most {@code locktimeout} (spec B.7, C.7). */
  private void await(int dir, FileOperation op, PrimarySession s, CompletableFuture<Integer> ack) {
    String failure;
    try {
      int errno = ack.get(lockTimeoutMillis(), TimeUnit.MILLISECONDS);
      if (errno == 0) {
        return;
      }
      failure =
          "the secondary could not apply " + op.getClass().getSimpleName() + ": errno " + errno;
    } catch (TimeoutException e) {
      failure = "locktimeout: no acknowledgement within " + rfs.locktimeout().toSeconds() + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    } catch (Exception e) {
      failure = e.getCause() == null ? e.toString() : e.getCause().getMessage();
    }
    s.end(failure);
    link.awaitSettled(s); // the session ended: this write is acknowledged as the primary's alone
  }

  /**
   * A rename that may cross the boundary of what is replicated (spec B.7: unsupported by the
   * original, replicated here as what it amounts to): out of it, the secondary's copy goes; into
   * it, the renamed file or tree is copied there.
   */
  private CompletableFuture<Integer> acrossExclusions(
      int dir, FileOperation.Rename r, PrimarySession s) {
    Exclusions x = exclusions.get(dir);
    try {
      boolean isDir =
          trees
              .get(dir)
              .stat(r.target())
              .map(st -> st.type() == org.bulwark.api.fs.FileType.DIRECTORY)
              .orElse(false);
      boolean from = x.excludes(r.path(), isDir);
      boolean to = x.excludes(r.target(), isDir);
      if (from && to) {
        return null;
      }
      if (!from && !to) {
        return sendAll(ChangeOf.of(dir, r, trees.get(dir), rfs.acl()), s);
      }
      if (to) {
        return sendAll(List.of(new Change.RemoveTree(dir, r.path())), s);
      }
      List<Msg.Entry> copied = TreeWalk.walkFrom(trees.get(dir), dir, r.target(), x);
      Reintegrator copy = new Reintegrator(this, s, () -> List.of());
      for (Plan.Step step : Plan.of(copied, List.of(), true, Dirt.Snapshot.EMPTY)) {
        copy.execute(step, true);
      }
      return s.send(new Change.Sync(dir, "/", false));
    } catch (IOException e) {
      s.end(e.getMessage());
      return null;
    }
  }

  private static CompletableFuture<Integer> sendAll(List<Change> changes, PrimarySession s)
      throws IOException {
    CompletableFuture<Integer> last = null;
    for (Change c : changes) {
      last = s.send(c);
    }
    return last;
  }

  private boolean excluded(int dir, FileOperation op) {
    Exclusions x = exclusions.get(dir);
    if (x.none()) {
      return false;
    }
    boolean isDir = op instanceof FileOperation.Mkdir || op instanceof FileOperation.Rmdir;
    return x.excludes(op.path(), isDir);
  }
}
