package org.bulwark.rfs.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.store.EventLevel;

/**
 * One connection of the secondary to its primary. Changes are checked in order (each numbered one
 * more than the last: a replayed or missing one ends the session), acknowledged on receipt with
 * {@code async="second"} or once written with {@code async="none"} (durability barriers always once
 * on disk), and applied in order on a thread of their own; reading from the primary pauses while
 * too much waits to be applied.
 *
 * <p>With {@code nbremconn} (spec B.7) the session has further connections ({@link Further}, on
 * this one's event loop), over which the primary spreads its changes: a change that comes before
 * its turn waits here until every one numbered before it has come ({@link #sequenced}); a
 * connection that holds only such changes stops being read while too many wait. Everything else
 * travels on the first connection.
 */
final class SecondaryHandler extends SimpleChannelInboundHandler<Msg> {
  private static final int LISTING_BATCH = 1_000;

  /** EINVAL (not a path), ELOOP (through a link), EXDEV: what confinement refuses. */
  private static final java.util.Set<Integer> REFUSED = java.util.Set.of(22, 40, 18);

  private static final long PAUSE_BYTES = 64L << 20;
  private static final long RESUME_BYTES = 16L << 20;

  private enum State {
    HELLO,
    REINTEGRATING,
    SYNCHRONOUS,
    ENDED
  }

  private final SecondaryReplica replica;
  private final boolean ackOnReceipt;
  private final ApplyLanes lanes;
  private final SecondaryAcks acks = new SecondaryAcks();

  /**
   * Whether changes to different files go to different lanes: from the welcome until the end of the
   * reintegration is received (the event loop only). Live changes apply on one lane, in order: the
   * write path counts on the last acknowledgement of an operation answering for all of them.
   */
  private boolean parallel;

  private final AtomicLong queued = new AtomicLong();

  /**
   * When reading from the primary last resumed after a pause (too much waited to be applied): while
   * paused, and shortly after, no read is not the primary's silence.
   */
  private volatile long resumed = System.nanoTime() - READING_AGAIN;

  /** After a pause, the time to read what waited in the socket: ample (on loopback, µs). */
  private static final long READING_AGAIN = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

  private volatile State state = State.HELLO;
  private volatile Msg.Progress lastProgress;
  private volatile ChannelHandlerContext ctx;
  private long expected = 1;

  /** Whether this session asked for further connections (set at the welcome, before any change). */
  private volatile boolean multi;

  /** The session's further connections ({@code nbremconn}); their handlers run on this loop. */
  private final List<io.netty.channel.Channel> further =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Changes that came before their turn, by number (the event loop only). */
  private final java.util.TreeMap<Long, Msg.Op> early = new java.util.TreeMap<>();

  private long earlyBytes;

  /** Control messages waiting for every change numbered up to their key (the event loop only). */
  private final java.util.TreeMap<Long, List<Runnable>> afterChanges = new java.util.TreeMap<>();

  /** Further connections not read while too much came early (the event loop only). */
  private final java.util.Map<io.netty.channel.Channel, Long> heldBack = new java.util.HashMap<>();

  /** Early changes held at most, in bytes, before connections that are ahead stop being read. */
  static final long EARLY_BYTES = 32L << 20;

  /** {@link #EARLY_BYTES}, but in tests (which hold connections back sooner). */
  static volatile long earlyLimit = EARLY_BYTES;

  /** Times a connection was held back (tests). */
  static final java.util.concurrent.atomic.AtomicLong HELD_BACK =
      new java.util.concurrent.atomic.AtomicLong();

  private long started;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong files = new AtomicLong();

  SecondaryHandler(SecondaryReplica replica) {
    this.replica = replica;
    this.ackOnReceipt = replica.setup().rfs().async() == Rfs.Async.SECOND;
    // spec B.7 nbrei: parallel reintegration threads, this node's own setting
    this.lanes =
        new ApplyLanes(replica.setup().rfs().nbrei(), replica.trees(), replica.setup().module());
  }

  private volatile CompletableFuture<Msg.VerifyReport> verifying;

  /** {@code safekit rfsverify} on the secondary: the primary runs it and reports. */
  CompletableFuture<Msg.VerifyReport> verify(boolean resend) {
    CompletableFuture<Msg.VerifyReport> report = new CompletableFuture<>();
    ChannelHandlerContext c = ctx;
    if (state != State.SYNCHRONOUS || c == null) {
      report.completeExceptionally(
          new IOException("this secondary does not follow its primary synchronously"));
      return report;
    }
    verifying = report;
    DirectWriter.of(c.channel()).send(new Msg.VerifyRequest(resend));
    return report;
  }

  /** {@code absent}, {@code reintegrating} or {@code synchronous}. */
  String link() {
    return switch (state) {
      case REINTEGRATING -> "reintegrating";
      case SYNCHRONOUS -> "synchronous";
      default -> "absent";
    };
  }

  /** The last progress the primary reported, while reintegrating. */
  Msg.Progress progress() {
    return state == State.REINTEGRATING ? lastProgress : null;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    acks.connected(ctx.channel());
    List<String> dirs =
        replica.setup().rfs().replicated().stream().map(Rfs.Replicated::dir).toList();
    List<long[]> hot =
        replica.zones().all().stream().map(z -> new long[] {z.dir(), z.ino(), z.zone()}).toList();
    if (hot.size() > MsgCodec.MAX_HOT_ZONES) {
      hot = List.of(); // too many to name: the trees compared again find the files that differ
    }
    DirectWriter.of(ctx.channel())
        .send(
            new Msg.Hello(
                replica.setup().module(),
                replica.setup().node(),
                0,
                replica.policy(),
                replica.sync().current(),
                dirs,
                hot));
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Msg msg) {
    if (msg instanceof Msg.Op op && state != State.HELLO) {
      sequenced(0, ctx.channel(), op);
    } else if (msg instanceof Msg.Progress p && state == State.REINTEGRATING) {
      lastProgress = p;
      ReintegrationReport.publish(
          replica.resources(),
          new Progress.Reading(
              p.filesLeft(), p.bytesLeft(), p.bytesCopied(), p.bytesPerSecond(), p.eta()));
    } else if (msg instanceof Msg.VerifyReport r) {
      CompletableFuture<Msg.VerifyReport> waiting = verifying;
      if (waiting != null) {
        waiting.complete(r);
      }
    } else if (msg instanceof Msg.Ping p) {
      if (!p.reply()) {
        DirectWriter.of(ctx.channel()).send(new Msg.Ping(p.nanos(), true));
      }
    } else if (msg instanceof Msg.Welcome w && state == State.HELLO) {
      welcome(w);
    } else if (msg instanceof Msg.ListRequest r && state == State.REINTEGRATING) {
      afterChange(r.seq(), () -> submit(this::sendListing));
    } else if (msg instanceof Msg.InSync s && state == State.REINTEGRATING) {
      afterChange(
          s.seq(),
          () -> {
            parallel = false; // after every copy: a barrier
            submit(() -> inSync(s.syncId()));
          });
    } else if (msg instanceof Msg.Refuse r && state == State.HELLO) {
      state = State.ENDED;
      replica.log(
          EventLevel.E, "reintegre", "Synchronization refused by the primary: " + r.reason());
      replica.external().refused();
      replica.reintegrationEnded(false, r.reason());
      ctx.close();
    } else {
      if (msg instanceof Msg.Op op) {
        Change.release(op.change());
      }
      violation("unexpected " + msg.getClass().getSimpleName());
    }
  }

  private void welcome(Msg.Welcome w) {
    state = State.REINTEGRATING;
    parallel = true;
    int connections = Math.min(replica.setup().rfs().nbremconn(), MsgCodec.MAX_CONNECTIONS);
    multi = connections > 1;
    for (int i = 1; i < connections; i++) {
      replica.connectFurther(ctx.channel(), new Further(w.session(), i));
    }
    // On the applying thread: the primary waits for the listing meanwhile, and this connection
    // still answers its pings however long the callbacks take.
    submit(
        () -> {
          if (!callbacksSucceeded() || !nothingOpen()) {
            return;
          }
          started = System.nanoTime();
          replica.events().reintegrationStarted();
          for (Rfs.Replicated r : replica.setup().rfs().replicated()) {
            replica.log(EventLevel.I, "reintegre", "Updating directory tree from " + r.dir());
          }
          if (w.full()) {
            replica.log(
                EventLevel.I, "reintegre", "Full synchronization of the replicated directories");
          }
          if (replica.policy().equals(SwapNosync.POLICY)) {
            // swap nosync (spec C.10): the primary asks for the tree only if it needs it
            replica.log(
                EventLevel.I,
                "reintegre",
                "Swap nosync: the replicated directories are not listed");
            return;
          }
          sendListing();
        });
  }

  /**
   * The {@code _rfs_*} callbacks due before this copy changes (spec E.7): when one fails, the
   * reintegration stops here, nothing changed, and the module decides what follows (the secondary
   * does not become SECOND Ready).
   */
  private boolean callbacksSucceeded() {
    String failure;
    try {
      failure = replica.callbacks().runBeforeSynchronisation();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false; // the session ended meanwhile
    }
    if (failure.isEmpty()) {
      return true;
    }
    replica.callbacks().failed();
    stopHere("Reintegration stopped: " + failure, failure);
    return false;
  }

  /** How many holders a refusal names; the others are counted. */
  static final int HOLDERS_NAMED = 8;

  /**
   * Spec C.4: the secondary does not start a synchronisation while local processes hold replicated
   * files open (the copy would change under them). Checked after the callbacks, which may be what
   * closes them (a VM unregistered by {@code _rfs_pritoscd}); refused as a failed callback is, and
   * the module tries again later.
   */
  private boolean nothingOpen() {
    List<org.bulwark.api.fs.FileHolder> open;
    try {
      open = replica.holders();
    } catch (IOException | RuntimeException e) {
      open = List.of(new org.bulwark.api.fs.FileHolder(0, "?", "cannot be told: " + e));
    }
    if (open.isEmpty()) {
      return true;
    }
    StringBuilder who = new StringBuilder();
    for (int i = 0; i < Math.min(open.size(), HOLDERS_NAMED); i++) {
      who.append(i == 0 ? "" : ", ").append(open.get(i));
    }
    if (who.length() > MsgCodec.MAX_TEXT / 4) {
      who.setLength(MsgCodec.MAX_TEXT / 4); // the reason is also the primary's (long paths)
      who.append("…");
    }
    if (open.size() > HOLDERS_NAMED) {
      who.append(" and ").append(open.size() - HOLDERS_NAMED).append(" more");
    }
    String reason = "replicated files are open on the secondary by " + who;
    stopHere(
        "Synchronization refused: " + reason + " (close them; the module tries again)", reason);
    return false;
  }

  /**
   * The reintegration stops before anything of the copy changed: no more connections from this
   * role, the primary told, the module deciding what follows (the secondary is not SECOND Ready).
   */
  private void stopHere(String logLine, String reason) {
    synchronized (this) {
      if (state == State.ENDED) {
        return;
      }
      state = State.ENDED;
    }
    replica.stopConnecting();
    replica.log(EventLevel.E, "reintegre", logLine);
    ChannelHandlerContext c = ctx;
    if (c != null) {
      DirectWriter.of(c.channel()).send(new Msg.Failure(reason)).addListener(f -> c.close());
    }
    replica.reintegrationEnded(false, reason);
    stopApplying();
  }

  /** The session's further connections ({@code nbremconn}). */
  List<io.netty.channel.Channel> further() {
    return further;
  }

  /**
   * On the event loop: a change from connection {@code from} (number {@code index}), applied in its
   * number's turn. With one connection each must be the next; with further ones a later one waits
   * for those before it (a replayed or repeated one ends the session, as does one too far ahead).
   */
  private void sequenced(int index, io.netty.channel.Channel from, Msg.Op op) {
    if (multi) {
      byConnection.incrementAndGet(index);
    }
    if (op.seq() == expected) {
      change(ctx, op);
      while (state != State.ENDED && !early.isEmpty() && early.firstKey() == expected) {
        Msg.Op next = early.pollFirstEntry().getValue();
        earlyBytes -= sizeOf(next.change());
        change(ctx, next);
      }
      runAfterChanges();
      readAgain();
      return;
    }
    if (op.seq() > expected
        && multi
        && op.seq() - expected <= MAX_AHEAD
        && !early.containsKey(op.seq())) {
      early.put(op.seq(), op);
      earlyBytes += sizeOf(op.change());
      if (earlyBytes > earlyLimit) {
        // ahead of the change awaited, which comes on another connection: this one waits
        if (heldBack.put(from, op.seq()) == null) {
          HELD_BACK.incrementAndGet();
        }
        from.config().setAutoRead(false);
      }
      return;
    }
    Change.release(op.change());
    violation("change " + op.seq() + " out of order: expected " + expected);
  }

  /** Changes received on each connection of the session, the first one's at 0 (with several). */
  private final java.util.concurrent.atomic.AtomicLongArray byConnection =
      new java.util.concurrent.atomic.AtomicLongArray(MsgCodec.MAX_CONNECTIONS);

  /** How many changes each connection of the session carried (the first one's first). */
  long[] changesByConnection() {
    long[] n = new long[Math.min(replica.setup().rfs().nbremconn(), MsgCodec.MAX_CONNECTIONS)];
    for (int i = 0; i < n.length; i++) {
      n[i] = byConnection.get(i);
    }
    return n;
  }

  /** Changes a further connection may be ahead of the one awaited, at most. */
  static final long MAX_AHEAD = 1L << 20;

  private static long sizeOf(Change c) {
    return c instanceof Change.Write w ? w.length() : 64;
  }

  /**
   * A control message numbered {@code seq} (the last change sent before it) runs once every change
   * up to it has come; at once with one connection, where they all came before it.
   */
  private void afterChange(long seq, Runnable control) {
    if (!multi || seq < expected) {
      control.run();
    } else {
      afterChanges.computeIfAbsent(seq, k -> new ArrayList<>()).add(control);
    }
  }

  private void runAfterChanges() {
    while (!afterChanges.isEmpty() && afterChanges.firstKey() < expected) {
      afterChanges.pollFirstEntry().getValue().forEach(Runnable::run);
    }
  }

  /**
   * Further connections held back while too much came early are read again once the change awaited
   * may be theirs (the last they gave comes before it) or little waits any more.
   */
  private void readAgain() {
    if (heldBack.isEmpty()) {
      return;
    }
    boolean little = earlyBytes <= earlyLimit / 2;
    var it = heldBack.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (little || e.getValue() < expected) {
        it.remove();
        if (!behind.get()) {
          e.getKey().config().setAutoRead(true); // else the appliers resume it
        }
      }
    }
  }

  /** Whether the appliers are behind, which pauses reading every connection of the session. */
  private final java.util.concurrent.atomic.AtomicBoolean behind =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** On the event loop: every connection paused, or resumed but those held back. */
  private void reading(boolean on) {
    ctx.channel().config().setAutoRead(on && !heldBack.containsKey(ctx.channel()));
    for (io.netty.channel.Channel c : further) {
      c.config().setAutoRead(on && !heldBack.containsKey(c));
    }
  }

  private void change(ChannelHandlerContext ctx, Msg.Op op) {
    Change c = op.change();
    expected++;
    if (c.dir() >= replica.trees().size()) {
      Change.release(c);
      violation("change to replicated directory number " + c.dir() + ", which does not exist");
      return;
    }
    if (c instanceof Change.Verify v) {
      submit(
          () ->
              DirectWriter.of(ctx.channel())
                  .send(
                      new Msg.Ack(op.seq(), lanes.first().verify(v, replica.exclusions(v.dir())))));
      return;
    }
    boolean receipt = ackOnReceipt && !c.barrier();
    if (receipt) {
      acks.received(op.seq());
    }
    long size = sizeOf(c);
    // the primary sends no live change until the reintegration's end (InSync): before it, every
    // write is a copy's
    boolean copy = parallel;
    if (!copy) {
      replica.resources().traffic().live(c); // spec B.20 rfs.rep_bandwidth
    }
    if (queued.addAndGet(size) > PAUSE_BYTES && behind.compareAndSet(false, true)) {
      reading(false);
    }
    submit(
        parallel ? lanes.laneOf(c, op.linked()) : -1,
        new Apply(c) {
          @Override
          public void run(Applier applier) {
            try {
              ApplyHook hook = beforeApply;
              if (hook != null) {
                hook.before(c);
              }
              applier.apply(c, copy);
              count(c, size);
              if (!receipt) {
                acks.applied(op.seq());
              }
            } catch (ErrnoException e) {
              if (REFUSED.contains(e.errno())) {
                // a path that is not one (.., empty, NUL) or that goes through a link: refused, as
                // a hostile or corrupt message, never applied (DESIGN: never leaves its root)
                violation("change refused: " + c.getClass().getSimpleName() + " " + e.getMessage());
              } else {
                fail("cannot apply " + c.getClass().getSimpleName() + " " + c.path() + ": " + e);
              }
            } catch (IOException | RuntimeException e) {
              fail("cannot apply " + c.getClass().getSimpleName() + " " + c.path() + ": " + e);
            } finally {
              discard();
              if (queued.addAndGet(-size) < RESUME_BYTES && behind.compareAndSet(true, false)) {
                resumed = System.nanoTime();
                // on the loop, which alone reads and writes what is held back; paused again
                // meanwhile (behind once more), it stays so
                ctx.channel().eventLoop().execute(() -> reading(!behind.get()));
              }
            }
          }
        });
  }

  /** Tests: what runs before each change is applied, on its lane's thread (fault injection). */
  interface ApplyHook {
    void before(Change change) throws IOException;
  }

  /** Null but in tests. */
  static volatile ApplyHook beforeApply;

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    // the lanes' tasks of this read batch, each lane's in one hand-off to its thread
    lanes.flush();
    acks.sendReceipts();
    super.channelReadComplete(ctx);
  }

  /** An application of a change: its data released once done, or if it is never run. */
  private abstract static class Apply implements ApplyLanes.Task {
    private final Change change;
    private boolean discarded;

    Apply(Change change) {
      this.change = change;
    }

    @Override
    public final void discard() {
      if (!discarded) {
        discarded = true;
        Change.release(change);
      }
    }
  }

  private void count(Change c, long size) {
    if (state != State.REINTEGRATING) {
      return;
    }
    if (c instanceof Change.Write) {
      bytes.addAndGet(size); // every lane's: the copy's total
    } else if (c instanceof Change.Truncate) {
      files.incrementAndGet(); // a reintegration copy ends with the file's size
    }
  }

  /** On the applying thread, after every change before it: the tree as it is now. */
  private void sendListing() {
    try {
      List<Msg.Entry> batch = new ArrayList<>();
      long[] total = {0};
      List<LocalTree> trees = replica.trees();
      for (int d = 0; d < trees.size(); d++) {
        TreeWalk.walk(
            trees.get(d),
            d,
            replica.exclusions(d),
            e -> {
              batch.add(e);
              total[0]++;
              if (batch.size() >= LISTING_BATCH) {
                DirectWriter.of(ctx.channel()).send(new Msg.Listing(List.copyOf(batch)));
                batch.clear();
              }
            });
      }
      DirectWriter.of(ctx.channel())
          .send(List.of(new Msg.Listing(List.copyOf(batch)), new Msg.ListingEnd(total[0])));
    } catch (IOException | RuntimeException e) {
      fail("cannot list the replicated directories: " + e);
    }
  }

  /** On the applying thread: every change of the reintegration is applied; make it durable. */
  private void inSync(long syncId) {
    try {
      for (LocalTree t : replica.trees()) {
        t.syncAll();
      }
      // a faithful copy from now on: the same synchronisation point as the primary, and nothing
      // of its own to report any more
      replica.sync().record(syncId);
      replica.zones().clear();
      replica.callbacks().synchronisedAsSecondary();
    } catch (IOException e) {
      fail("cannot sync the replicated directories: " + e);
      return;
    }
    long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
    long copied = bytes.get();
    replica.log(
        EventLevel.I,
        "reintegre",
        "Copied "
            + copied
            + " bytes, "
            + files.get()
            + " files in "
            + millis / 1000.0
            + " s ("
            + copied * 1000 / 1024 / millis
            + " KB/s)");
    replica.log(EventLevel.E, "reintegre", "Reintegration ended (synchronize)");
    replica.resources().measured("rfs.rei_bandwidth", "0");
    replica.resources().progress("rfs.rei_left", "0");
    state = State.SYNCHRONOUS;
    replica.policyDone();
    replica.reintegrationEnded(true, "");
  }

  /** A task ordered against every change before and after it (a barrier, on lane 0). */
  private void submit(Runnable task) {
    submit(-1, applier -> task.run());
  }

  private void submit(int lane, ApplyLanes.Task task) {
    ApplyLanes.Task counted = acks.counted(task);
    try {
      lanes.submit(lane, counted);
    } catch (RejectedExecutionException stopped) {
      counted.discard(); // the session is over
    }
  }

  /** This node cannot follow: the primary is told, the session ends. */
  private void fail(String reason) {
    replica.log(EventLevel.E, "nfsbox", "Replication stopped on the secondary: " + reason);
    ChannelHandlerContext c = ctx;
    if (c != null) {
      DirectWriter.of(c.channel()).send(new Msg.Failure(reason)).addListener(f -> c.close());
    }
    end(reason);
  }

  private void violation(String what) {
    replica.refused();
    replica.log(EventLevel.E, "nfsbox", "Replication message refused: " + what + ": session ended");
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.close();
    }
    end("protocol violation: " + what);
  }

  private void end(String reason) {
    State was;
    synchronized (this) {
      was = state;
      if (was == State.ENDED) {
        return;
      }
      state = State.ENDED;
    }
    if (was == State.REINTEGRATING) {
      replica.resources().set("rfs.reintegre_failed", "up"); // it did not end (spec B.20)
    }
    further.forEach(io.netty.channel.Channel::close); // the first one closes as its caller says
    stopApplying();
    Runnable report =
        () -> {
          // only the replica's current session speaks for it: an end that comes after the next
          // session began (or after the replica stopped) says nothing of the copy that one keeps
          if (replica.running() && replica.handler() == this) {
            replica.events().replicationLost(reason);
          }
        };
    java.util.function.Consumer<Runnable> hook = lostReport;
    if (hook == null) {
      report.run();
    } else {
      hook.accept(report);
    }
  }

  /**
   * Tests: takes the report of a session's end, to run it later (a late end). Null but in tests.
   */
  static volatile java.util.function.Consumer<Runnable> lostReport;

  /** No more changes are applied; open files close once the one being applied is done. */
  void stopApplying() {
    lanes.stop(replica.workers());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      idle(ctx.channel(), "");
    }
    super.userEventTriggered(ctx, evt);
  }

  /**
   * Connection {@code c} read nothing for the idle time: the link is lost, unless this node stopped
   * reading, not the primary sending — the appliers behind (many small files on a loaded machine
   * take longer than the idle time to bring the queue down; the primary's send timeout watches
   * appliers that never catch up) or changes held back.
   */
  private void idle(io.netty.channel.Channel c, String which) {
    if (!c.config().isAutoRead()
        || System.nanoTime() - resumed < READING_AGAIN
        || state == State.ENDED) {
      return;
    }
    replica.log(
        EventLevel.E, "nfsbox", "The primary is silent" + which + ": replication link lost");
    ctx.close();
    end("the primary is silent");
  }

  /** A decoding error is a refused message; any other failure of a connection ends the session. */
  private void failed(Throwable cause) {
    if (cause instanceof DecoderException d) {
      violation(d.getCause() != null ? d.getCause().getMessage() : d.toString());
      return;
    }
    ctx.close();
    end(cause.toString());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    end("connection to the primary closed");
    releaseEarly();
    lanes.flush(); // stopped: what a lane's batch still held is released
    super.channelInactive(ctx);
  }

  /** On the event loop, the session over: the changes that came early are released. */
  private void releaseEarly() {
    early.values().forEach(op -> Change.release(op.change()));
    early.clear();
    earlyBytes = 0;
    afterChanges.clear();
  }

  /**
   * One of the session's further connections ({@code nbremconn}, spec B.7), on the first one's
   * event loop: it names the session ({@link Msg.Join}), then carries changes (and pings); the
   * session ends with any of its connections.
   */
  private final class Further extends SimpleChannelInboundHandler<Msg> {
    private final long session;
    private final int index;

    Further(long session, int index) {
      this.session = session;
      this.index = index;
    }

    @Override
    public void channelActive(ChannelHandlerContext c) throws Exception {
      if (state == State.ENDED || !ctx.channel().isActive()) {
        c.close();
        return;
      }
      further.add(c.channel());
      DirectWriter.of(c.channel()).send(new Msg.Join(session, index));
      super.channelActive(c);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext c, Msg msg) {
      if (msg instanceof Msg.Op op && state != State.HELLO && state != State.ENDED) {
        sequenced(index, c.channel(), op);
      } else if (msg instanceof Msg.Ping p) {
        if (!p.reply()) {
          DirectWriter.of(c.channel()).send(new Msg.Ping(p.nanos(), true));
        }
      } else {
        if (msg instanceof Msg.Op op) {
          Change.release(op.change());
        }
        if (state != State.ENDED) {
          violation("unexpected " + msg.getClass().getSimpleName() + " on connection " + index);
        }
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext c) throws Exception {
      lanes.flush();
      acks.sendReceipts();
      super.channelReadComplete(c);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext c, Object evt) throws Exception {
      if (evt instanceof IdleStateEvent) {
        idle(c.channel(), " on replication connection " + index);
      }
      super.userEventTriggered(c, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) throws Exception {
      further.remove(c.channel());
      if (state != State.ENDED) {
        ctx.close(); // the session's first connection: the primary ends the session too
        end("replication connection " + index + " to the primary closed");
      }
      releaseEarly();
      lanes.flush();
      super.channelInactive(c);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
      failed(cause); // the session's end closes this connection
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failed(cause);
  }
}
