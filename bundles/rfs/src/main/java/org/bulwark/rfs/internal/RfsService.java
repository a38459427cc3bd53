package org.bulwark.rfs.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulwark.api.fs.FileSystemDriver;
import org.bulwark.api.fs.LocalTrees;
import org.bulwark.api.rfs.ModuleReplication;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.rfs.ReplicationService;
import org.bulwark.api.rfs.ReplicationSetup;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The replication service of the node: one Netty event loop group for every module's replication
 * channel, workers for reintegration, timers for flushes, pings and reconnections. Usable without
 * OSGi by construction (tests, benchmarks).
 */
@Component(service = ReplicationService.class)
public final class RfsService implements ReplicationService, AutoCloseable {
  private final FileSystemDriver driver;
  private final LocalTrees trees;
  private final EventLoopGroup loop;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final java.util.Map<String, ModuleRfs> modules =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Activate
  public RfsService(@Reference FileSystemDriver driver, @Reference LocalTrees trees) {
    this.driver = driver;
    this.trees = trees;
    this.loop = new NioEventLoopGroup(2, daemons("rfs-io"));
    this.workers = Executors.newCachedThreadPool(daemons("rfs-worker"));
    this.timers = Executors.newScheduledThreadPool(1, daemons("rfs-timer"));
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public ModuleReplication open(ReplicationSetup setup, ReplicationEvents events) {
    ModuleRfs m = new ModuleRfs(setup, events, driver, trees, loop, workers, timers);
    modules.put(setup.module(), m);
    m.onClose(closed -> modules.remove(closed.module(), closed));
    return m;
  }

  /** The replication of a module on this node, for the {@code rfs*} commands. */
  java.util.Optional<ModuleRfs> module(String name) {
    return java.util.Optional.ofNullable(name == null ? null : modules.get(name));
  }

  @Deactivate
  @Override
  public void close() {
    timers.shutdownNow();
    workers.shutdownNow();
    loop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
