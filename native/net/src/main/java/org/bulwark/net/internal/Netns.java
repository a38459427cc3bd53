package org.bulwark.net.internal;

import com.sun.jna.LastErrorException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bulwark.api.net.NetException;

/**
 * The network namespace the drivers act in. In production that is the node's own ({@link #CURRENT}:
 * calls run on the caller's thread). Tests run several "nodes" in one JVM: {@link #named} runs
 * every call on one thread of its own that entered {@code /run/netns/<name>} with {@code setns(2)}
 * — a namespace change that concerns that thread only, and that every socket it opens (netlink,
 * packet, libnftables') keeps for its life.
 */
final class Netns implements AutoCloseable {
  /** The process's own namespace. */
  static final Netns CURRENT = new Netns(null, null);

  private final String name;
  private final ExecutorService thread;

  private Netns(String name, ExecutorService thread) {
    this.name = name;
    this.thread = thread;
  }

  /** A namespace made with {@code ip netns add <name>}. */
  static Netns named(String name) throws NetException {
    String path = "/run/netns/" + name;
    int fd;
    try {
      fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new NetException(e.getErrorCode(), "cannot open network namespace " + path);
    }
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "netns-" + name);
              t.setDaemon(true);
              return t;
            });
    Netns ns = new Netns(name, thread);
    try {
      ns.call(
          () -> {
            try {
              Libc.setns(fd, Libc.CLONE_NEWNET);
            } catch (LastErrorException e) {
              throw new NetException(e.getErrorCode(), "setns " + path + " failed");
            }
            return null;
          });
    } catch (NetException e) {
      ns.close();
      throw e;
    } finally {
      Libc.closeQuietly(fd);
    }
    return ns;
  }

  /** A callable that may fail with the driver's exception. */
  interface NetCall<T> {
    T call() throws NetException;
  }

  /** Runs {@code call} in this namespace. */
  <T> T call(NetCall<T> call) throws NetException {
    if (thread == null) {
      return call.call();
    }
    Callable<T> task = call::call;
    Future<T> f = thread.submit(task);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new NetException("interrupted in network namespace " + name, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof NetException n) {
        throw n;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new NetException("failed in network namespace " + name, e.getCause());
    }
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return name == null ? "current network namespace" : "network namespace " + name;
  }
}
