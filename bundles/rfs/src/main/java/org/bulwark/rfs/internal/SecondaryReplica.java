package org.bulwark.rfs.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.fs.FileHolder;
import org.bulwark.api.fs.FileSystemDriver;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.rfs.ReplicationSetup;
import org.bulwark.api.store.EventLevel;

/**
 * The secondary's side of a module's replication (spec B.7, C.4): its copies read-only to local
 * applications when configured, a connection to the primary (tried again every second while this
 * node is SECOND), the tree listed for the primary, and every change applied beneath its directory.
 * It is up to date from the end of reintegration until the stream breaks.
 */
final class SecondaryReplica {
  static final long RECONNECT_MILLIS = 1_000;
  static final long PING_MILLIS = 1_000;

  private final ReplicationSetup setup;
  private final Rfs rfs;
  private final ReplicationEvents events;
  private final Resources resources;
  private final EventLoopGroup loop;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final List<LocalTree> trees;
  private final List<Exclusions> exclusions = new ArrayList<>();
  private final List<Mount> mounts = new ArrayList<>();
  private final ZoneLog zones;
  private final SyncState sync;
  private final ExternalSync external;
  private final RfsCallbacks callbacks;
  private volatile RfssyncPolicy startPolicy = RfssyncPolicy.DEFAULT;
  private volatile boolean running;
  private boolean halted; // guarded by this
  private volatile String policy = "";
  private volatile Channel channel;
  private volatile SecondaryHandler handler;
  private ScheduledFuture<?> reconnect;
  private ScheduledFuture<?> pinger;
  private volatile FileSystemDriver driver;
  private volatile List<Path> dirs = List.of();

  SecondaryReplica(
      ReplicationSetup setup,
      List<LocalTree> trees,
      ReplicationEvents events,
      Resources resources,
      EventLoopGroup loop,
      ExecutorService workers,
      ScheduledExecutorService timers,
      ZoneLog zones,
      SyncState sync,
      ExternalSync external,
      RfsCallbacks callbacks) {
    this.callbacks = callbacks;
    this.zones = zones;
    this.sync = sync;
    this.external = external;
    this.setup = setup;
    this.rfs = setup.rfs();
    this.trees = trees;
    this.events = events;
    this.resources = resources;
    this.loop = loop;
    this.workers = workers;
    this.timers = timers;
    for (Rfs.Replicated r : rfs.replicated()) {
      exclusions.add(new Exclusions(r.notreplicated()));
    }
  }

  /** This node's record from when it was primary: sent to the new primary, cleared once synced. */
  ZoneLog zones() {
    return zones;
  }

  SyncState sync() {
    return sync;
  }

  ExternalSync external() {
    return external;
  }

  RfsCallbacks callbacks() {
    return callbacks;
  }

  /**
   * This synchronisation is refused here (a callback failed, files are open): no more connections
   * from this role, so that the refusal does not come again every second; the module goes WAIT and
   * tries again later with a new role (spec C.4, E.7).
   */
  synchronized void stopConnecting() {
    halted = true;
    if (reconnect != null) {
      reconnect.cancel(false);
    }
  }

  /**
   * The local processes that hold replicated files open, or have their working directory among them
   * (spec C.4: the secondary does not start a synchronisation while they do); this process is not
   * one of them, nor is what {@code notreplicated} leaves out.
   */
  List<FileHolder> holders() throws IOException {
    List<FileHolder> found = new ArrayList<>();
    for (int d = 0; d < dirs.size(); d++) {
      String root = dirs.get(d).toRealPath().toString();
      for (FileHolder h : driver.holders(dirs.get(d))) {
        String rel = h.path().length() > root.length() ? h.path().substring(root.length()) : "/";
        if (!exclusions.get(d).excludes(rel, Files.isDirectory(Path.of(h.path())))) {
          found.add(h);
        }
      }
    }
    return found;
  }

  ReplicationSetup setup() {
    return setup;
  }

  ReplicationEvents events() {
    return events;
  }

  Resources resources() {
    return resources;
  }

  List<LocalTree> trees() {
    return trees;
  }

  Exclusions exclusions(int dir) {
    return exclusions.get(dir);
  }

  ExecutorService workers() {
    return workers;
  }

  String policy() {
    return policy;
  }

  /**
   * The policy was honoured by a completed reintegration: the next one is the default, and so is
   * the rfssync policy if it did not change meanwhile (spec C.12).
   */
  void policyDone() {
    policy = "";
    try {
      external.synchronised(startPolicy, null);
    } catch (IOException e) {
      events.log(EventLevel.E, "nfsadmin", "Cannot reset the rfssync policy: " + e.getMessage());
    }
  }

  void refused() {
    resources.refused();
  }

  long refusedCount() {
    return resources.refusedCount();
  }

  /**
   * Tells the module how the reintegration ended; {@code rfs.reintegre_failed} (spec B.20) says
   * whether the last one failed.
   */
  void reintegrationEnded(boolean ok, String detail) {
    resources.set("rfs.reintegre_failed", ok ? "down" : "up");
    events.reintegrationEnded(ok, detail);
  }

  SecondaryHandler handler() {
    return handler;
  }

  /** Read-only copies if configured, then connects to the primary and keeps connecting. */
  void start(FileSystemDriver driver, List<Path> dirs, String policy) throws IOException {
    this.driver = driver;
    this.dirs = List.copyOf(dirs);
    // an explicit policy of the start (second fullsync, secondforce -d) wins over rfssync's
    startPolicy = external.policy();
    if (policy.equals(SwapNosync.POLICY) && startPolicy.mode() != RfssyncPolicy.Mode.DEFAULT) {
      // an rfssync policy set for this node's next synchronisation was asked on purpose (C.12)
      events.log(
          EventLevel.I,
          "reintegre",
          "Swap nosync: the rfssync policy " + startPolicy.mode() + " applies instead");
      policy = "";
    }
    this.policy = policy.isEmpty() ? external.secondaryStarting(trees, exclusions, zones) : policy;
    for (int d = 0; d < trees.size(); d++) {
      Rfs.Replicated r = rfs.replicated().get(d);
      if (r.readOnly()) {
        mounts.add(driver.mount(dirs.get(d), MountOptions.defaults().withReadOnly(true)));
      }
    }
    running = true;
    resources.set("rfs.uptodate", "down");
    long delay = callbacks.retryDelay().toMillis();
    if (delay > 0) {
      events.log(
          EventLevel.I,
          "reintegre",
          "Synchronization in " + (delay + 999) / 1000 + " s: a callback failed before");
      synchronized (this) {
        reconnect = timers.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
      }
    } else {
      connect();
    }
    pinger =
        timers.scheduleWithFixedDelay(this::ping, PING_MILLIS, PING_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** A ping on every connection of the session (each one's idle time watches its own). */
  private void ping() {
    List<Channel> all = new ArrayList<>();
    all.add(channel);
    SecondaryHandler h = handler;
    if (h != null) {
      all.addAll(h.further());
    }
    for (Channel c : all) {
      if (c != null && c.isActive()) {
        DirectWriter.of(c).send(new Msg.Ping(System.nanoTime(), false));
      }
    }
  }

  /**
   * One of the session's further connections ({@code nbremconn}, spec B.7), on the event loop of
   * its first one ({@code first}), whose handler orders what they all carry.
   */
  void connectFurther(Channel first, io.netty.channel.ChannelHandler further) {
    connection(first.eventLoop(), further);
  }

  /** A connection to the primary from this node's address, {@code handler} last in its pipeline. */
  private ChannelFuture connection(EventLoopGroup group, io.netty.channel.ChannelHandler handler) {
    long idle = Math.max(2_000, rfs.sendtimeout().toMillis() / 3);
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new IdleStateHandler(idle, 0, 0, TimeUnit.MILLISECONDS));
                    resources.traffic().install(ch.pipeline());
                    Framing.install(ch.pipeline());
                    ch.pipeline().addLast(handler);
                  }
                });
    return b.connect(setup.peer(), new InetSocketAddress(setup.local().getAddress(), 0));
  }

  private synchronized void connect() {
    if (!running || halted) {
      return;
    }
    SecondaryHandler h = new SecondaryHandler(this);
    ChannelFuture f = connection(loop, h);
    handler = h;
    channel = f.channel();
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            scheduleReconnect();
          }
        });
    f.channel().closeFuture().addListener(closed -> scheduleReconnect());
  }

  private synchronized void scheduleReconnect() {
    if (!running || halted || (reconnect != null && !reconnect.isDone())) {
      return;
    }
    reconnect = timers.schedule(this::connect, RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Stops following: the connection closes, the read-only mounts go. */
  void stop(Duration timeout) throws IOException {
    synchronized (this) {
      running = false;
      if (reconnect != null) {
        reconnect.cancel(false);
      }
    }
    if (pinger != null) {
      pinger.cancel(false);
    }
    Channel c = channel;
    if (c != null) {
      c.close().syncUninterruptibly();
    }
    SecondaryHandler h = handler;
    if (h != null) {
      h.stopApplying();
    }
    IOException failure = null;
    for (Mount m : mounts) {
      try {
        m.unmount(timeout);
      } catch (IOException e) {
        failure = e;
      }
    }
    mounts.clear();
    if (failure != null) {
      throw failure;
    }
  }

  boolean running() {
    return running;
  }

  void log(EventLevel level, String component, String message) {
    events.log(level, component, message);
  }
}
