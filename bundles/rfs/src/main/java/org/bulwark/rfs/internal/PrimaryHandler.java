package org.bulwark.rfs.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.rfs.SyncDate;
import org.bulwark.api.store.EventLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the primary's replication port: only the configured peer may connect; it says
 * who it is ({@link Msg.Hello}), is welcomed or refused, sends its tree, and is reintegrated on a
 * worker thread; then it acknowledges changes. Whatever breaks the protocol ends the session.
 */
final class PrimaryHandler extends SimpleChannelInboundHandler<Msg> {
  private static final Logger LOG = LoggerFactory.getLogger(PrimaryHandler.class);

  /** Entries a secondary may list (a tree of ten million files is far beyond a mirror's use). */
  static final int MAX_ENTRIES = 10_000_000;

  private final PrimaryReplica replica;
  private final ExecutorService workers;
  private PrimarySession session;

  /** The session this connection joined ({@link Msg.Join}): it carries changes, nothing else. */
  private PrimarySession joined;

  private List<Msg.Entry> listing = new ArrayList<>();
  private CompletableFuture<List<Msg.Entry>> listed = new CompletableFuture<>();

  PrimaryHandler(PrimaryReplica replica, ExecutorService workers) {
    this.replica = replica;
    this.workers = workers;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetSocketAddress from = (InetSocketAddress) ctx.channel().remoteAddress();
    InetSocketAddress peer = replica.setup().peer();
    if (!from.getAddress().equals(peer.getAddress())) {
      replica.refused();
      replica
          .events()
          .log(
              EventLevel.W,
              "nfsadmin",
              "Replication connection from "
                  + AddressText.of(from.getAddress())
                  + " refused: only the peer "
                  + AddressText.of(peer.getAddress())
                  + " may connect");
      ctx.close();
      return;
    }
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Msg msg) {
    if (msg instanceof Msg.Ack a && session != null) {
      replica.failure().fault().at(EngineFault.Point.ACK, null);
      if (!session.acknowledged(a)) {
        violation(ctx, "acknowledgement of change " + a.seq() + ", which is not pending");
      }
    } else if (msg instanceof Msg.Ping p) {
      if (!p.reply()) {
        DirectWriter.of(ctx.channel()).send(new Msg.Ping(p.nanos(), true));
      }
    } else if (msg instanceof Msg.Hello h && ofThisConnection() == null) {
      hello(ctx, h);
    } else if (msg instanceof Msg.Join j && ofThisConnection() == null) {
      join(ctx, j);
    } else if (msg instanceof Msg.Listing l && session != null) {
      if (listing.size() + l.entries().size() > MAX_ENTRIES) {
        violation(ctx, "more than " + MAX_ENTRIES + " entries listed");
        return;
      }
      listing.addAll(l.entries());
    } else if (msg instanceof Msg.ListingEnd && session != null) {
      List<Msg.Entry> done = listing;
      listing = new ArrayList<>();
      listed.complete(done);
    } else if (msg instanceof Msg.VerifyRequest v && session != null) {
      PrimarySession s = session;
      workers.execute(
          () -> {
            Msg.VerifyReport report;
            try {
              Verifier.Report r = replica.verify(s, v.resend());
              List<String> lines = r.lines();
              if (lines.size() > MsgCodec.MAX_REPORT_LINES) {
                lines = lines.subList(lines.size() - MsgCodec.MAX_REPORT_LINES, lines.size());
              }
              report = new Msg.VerifyReport(lines, r.differences().isEmpty());
            } catch (IOException | RuntimeException e) {
              report = new Msg.VerifyReport(List.of("verify failed: " + e.getMessage()), false);
            }
            s.sendNow(report);
          });
    } else if (msg instanceof Msg.Failure f && session != null) {
      session.end("the secondary failed: " + f.reason());
    } else {
      violation(ctx, "unexpected " + msg.getClass().getSimpleName());
    }
  }

  private void hello(ChannelHandlerContext ctx, Msg.Hello h) {
    Rfs rfs = replica.setup().rfs();
    List<String> dirs = rfs.replicated().stream().map(Rfs.Replicated::dir).toList();
    String refusal = null;
    if (!h.module().equals(replica.setup().module())) {
      refusal = "module " + h.module() + " is not " + replica.setup().module();
    } else if (!h.dirs().equals(dirs)) {
      refusal = "replicated directories differ: " + h.dirs() + " here " + dirs;
    }
    if (refusal != null) {
      DirectWriter.of(ctx.channel()).send(new Msg.Refuse(refusal)).addListener(f -> ctx.close());
      replica.events().log(EventLevel.E, "nfsadmin", "Secondary refused: " + refusal);
      return;
    }
    String failed = replica.failure().reason();
    if (failed != null) {
      // spec C.7: no secondary until the primary's module is stopped and started
      refuse(
          ctx,
          "replication failed on the primary ("
              + failed
              + "): stop and start its module to replicate again");
      return;
    }
    RfssyncPolicy mine = replica.external().policy();
    boolean external;
    try {
      Optional<RfssyncPolicy> theirs = RfssyncPolicy.fromWire(h.policy());
      String why = theirs.map(t -> RfssyncPolicy.refusal(mine, t)).orElse(null);
      if (why != null) {
        // spec C.12: the secondary stops with the reason, as for the synctimestamp refusal
        replica.external().refused(); // rfs.rfssync down here too, if it was up
        refuse(ctx, why);
        return;
      }
      external = theirs.isPresent();
      if (external) {
        replica.external().accepted();
      }
    } catch (IllegalArgumentException e) {
      refuse(ctx, "unknown synchronisation policy " + h.policy() + ": " + e.getMessage());
      return;
    }
    // rfssync full here: everything is copied, whatever the secondary's history
    boolean fullsync = h.policy().equals("fullsync") || mine.mode() == RfssyncPolicy.Mode.FULL;
    boolean nosync = h.policy().equals(SwapNosync.POLICY);
    Long since = null;
    if (!fullsync && !external && !nosync && !h.policy().isEmpty()) {
      try {
        since =
            SyncDate.parse(h.policy(), java.time.ZoneId.systemDefault()).toEpochMilli() * 1_000_000;
      } catch (IllegalArgumentException e) {
        refuse(ctx, "unknown synchronisation policy " + h.policy());
        return;
      }
    }
    try {
      replica.sync().configured(); // a live safekit config: the next copy is full (spec C.4)
    } catch (IOException e) {
      refuse(ctx, "cannot read the synchronisation point: " + e.getMessage());
      return;
    }
    if (!fullsync
        && !external
        && since == null
        && h.syncId() != 0
        && replica.sync().current() != 0
        && !replica.sync().fullNext()
        && !replica.sync().knows(h.syncId())) {
      // spec C.4 synctimestamp, by identity rather than by date (docs/replication.md): the two
      // nodes do not share a synchronisation point this primary's record describes; only an
      // explicit full copy may overwrite the secondary — asked there, or here, where the point was
      // forgotten (prim fullsync, primforce, config, first start: spec C.4 case 4) or the record
      // lost
      String reason =
          "Automatic synchronization cannot be applied due to an abnormal delta between the dates"
              + " of the last synchronization";
      DirectWriter.of(ctx.channel()).send(new Msg.Refuse(reason)).addListener(f -> ctx.close());
      replica.events().log(EventLevel.E, "reintegre", reason);
      return;
    }
    session = new PrimarySession(ctx.channel(), 0, replica.sendTimeoutMillis());
    long id = replica.link().attach(session, mine);
    session.number(id);
    // secondforce -d: the files changed since the date, whole; the secondary's record is not used
    // rfssync external: the secondary holds a backup taken after the mark, whatever its history
    boolean full =
        since == null
            && (fullsync
                | replica.failure().takeFullNext()
                | replica.sync().fullNext()
                | ((h.syncId() == 0 || replica.sync().current() == 0) && !external));
    boolean firstSession = replica.firstSession();
    String untrusted =
        nosync ? SwapNosync.refusal(replica.sync(), h, full, firstSession, mine) : null;
    DirectWriter.of(ctx.channel()).send(new Msg.Welcome(id, full, 0));
    PrimarySession s = session;
    if (nosync && untrusted == null) {
      replica
          .events()
          .log(
              EventLevel.I,
              "reintegre",
              "Swap nosync: the replicated directories are not compared, only what changed here"
                  + " since the swap is copied");
      workers.execute(() -> reintegrate(s, null, false, Plan.ANY_TIME, List.of(), false));
      return;
    }
    if (nosync) {
      // the secondary sends its tree only when asked (spec C.10): a plain reintegration
      replica
          .events()
          .log(EventLevel.I, "reintegre", "Swap nosync not applied (" + untrusted + ")");
      try {
        s.control(Msg.ListRequest::new);
      } catch (IOException e) {
        s.end("cannot ask the secondary for its tree: " + e.getMessage());
        return;
      }
    }
    List<ZoneLog.Zone> theirs =
        h.hotZones().stream().map(z -> new ZoneLog.Zone((int) z[0], z[1], (int) z[2])).toList();
    long sinceNanos = since == null ? Plan.ANY_TIME : since;
    // the zones changed since the mark: what differs from the restored backup (spec C.12)
    boolean epoch = external && !full;
    if (epoch) {
      replica
          .events()
          .log(
              EventLevel.I,
              "reintegre",
              "External synchronization "
                  + mine.uid()
                  + ": only what changed since the backup is copied ("
                  + replica.external().epochZones().size()
                  + " zones recorded)");
    }
    listed.thenAcceptAsync(
        first -> reintegrate(s, first, full, sinceNanos, theirs, epoch), workers);
  }

  /** The session this connection is the first of, or one it joined; null before either. */
  private PrimarySession ofThisConnection() {
    return session != null ? session : joined;
  }

  /** A further connection of the current session (spec B.7 {@code nbremconn}). */
  private void join(ChannelHandlerContext ctx, Msg.Join j) {
    PrimarySession s = replica.link().current();
    if (s == null || s.id() != j.session() || !s.isOpen()) {
      violation(
          ctx,
          "connection "
              + j.index()
              + " of session "
              + j.session()
              + ", which is not the current one");
      return;
    }
    if (!s.join(ctx.channel())) {
      violation(ctx, "connection " + j.index() + " of session " + j.session() + " is one too many");
      return;
    }
    joined = s;
    replica
        .events()
        .log(
            EventLevel.I,
            "nfsadmin",
            "Replication connection " + j.index() + " of the secondary joined (nbremconn)");
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    DirectWriter.of(ctx.channel()).send(new Msg.Refuse(reason)).addListener(f -> ctx.close());
    replica.events().log(EventLevel.E, "reintegre", reason);
  }

  /**
   * @param first the secondary's tree; null for a {@code swap nosync} ({@link
   *     Reintegrator#runNosync})
   */
  private void reintegrate(
      PrimarySession s,
      List<Msg.Entry> first,
      boolean full,
      long since,
      List<ZoneLog.Zone> theirs,
      boolean epoch) {
    Progress progress = new Progress();
    Reintegrator r = new Reintegrator(replica, s, this::requestListing, progress);
    long start = System.nanoTime();
    java.util.concurrent.ScheduledFuture<?> reporter = replica.report().start(s, progress);
    try {
      if (first == null) {
        if (!r.runNosync()) {
          replica
              .events()
              .log(
                  EventLevel.I,
                  "reintegre",
                  "Swap nosync: names changed here since the swap, the trees were compared");
        }
      } else {
        r.run(first, full, since, theirs, epoch);
      }
      long millis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
      replica
          .events()
          .log(
              EventLevel.I,
              "reintegre",
              "Secondary reintegrated: "
                  + r.filesCopied()
                  + " files, "
                  + r.bytesCopied()
                  + " bytes in "
                  + millis
                  + " ms ("
                  + (r.bytesCopied() * 1000 / 1024 / millis)
                  + " KB/s)");
    } catch (IOException | RuntimeException | Error e) {
      // what was copied stays recorded until a flush after the end: the next attempt redoes it
      // (an Error too: a session must end, never hang, whatever went wrong)
      LOG.debug("Reintegration of {} failed", replica.setup().module(), e);
      s.end("reintegration failed: " + e.getMessage());
    } finally {
      reporter.cancel(false);
      replica.report().ended();
    }
  }

  /** Asks the secondary for its tree again and waits for it (the next pass). */
  private List<Msg.Entry> requestListing() throws IOException {
    CompletableFuture<List<Msg.Entry>> next = new CompletableFuture<>();
    listed = next;
    session.control(Msg.ListRequest::new);
    try {
      return next.get(replica.lockTimeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IOException("the secondary did not list its tree: " + e);
    }
  }

  private void violation(ChannelHandlerContext ctx, String what) {
    replica.refused();
    replica
        .events()
        .log(EventLevel.E, "nfsadmin", "Replication message refused: " + what + ": session ended");
    PrimarySession s = ofThisConnection();
    if (s != null) {
      s.end("protocol violation: " + what);
    }
    ctx.close();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    PrimarySession s = ofThisConnection();
    if (s != null) {
      // later on this loop: this may run within a DirectWriter's write (its lock held), which a
      // sender may be waiting for while it holds the session's send lock, which writable() takes
      ctx.executor().execute(s::writable);
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    PrimarySession s = ofThisConnection();
    if (evt instanceof IdleStateEvent && s != null) {
      s.end("the secondary was silent for " + replica.sendTimeoutMillis() + " ms");
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    PrimarySession s = ofThisConnection();
    if (s != null) {
      s.end(session != null ? "connection closed" : "a replication connection closed");
    }
    listed.completeExceptionally(new IOException("connection closed"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof io.netty.handler.codec.DecoderException d) {
      violation(ctx, d.getCause() != null ? d.getCause().getMessage() : d.toString());
      return;
    }
    PrimarySession s = ofThisConnection();
    if (s != null && internal(cause)) {
      // the engine's own failure, not the link's or the secondary's (spec C.7): degraded
      replica.failure().engineFailed("the replication session", cause);
    } else if (s != null) {
      s.end(cause.toString());
    }
    ctx.close();
  }

  /**
   * Whether what reached the end of the pipeline is a failure of this code rather than of the
   * connection: the link fails with an I/O exception (reset, broken pipe, Netty's channel
   * exceptions), malformed input with a decoder's, handled above.
   */
  static boolean internal(Throwable cause) {
    return !(cause instanceof java.io.IOException)
        && !(cause instanceof io.netty.channel.ChannelException);
  }
}
