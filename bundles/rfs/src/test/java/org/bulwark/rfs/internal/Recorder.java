package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bulwark.api.rfs.ReplicationEvents;
import org.bulwark.api.store.EventLevel;

/** What a replication reports, kept for the test to wait on and look at. */
final class Recorder implements ReplicationEvents {
  private final String node;

  // guarded by this
  private final List<String> events = new ArrayList<>();

  Recorder(String node) {
    this.node = node;
  }

  /** Sees every event as it is reported (tests note what else happened at that moment). */
  private volatile java.util.function.Consumer<String> listener = e -> {};

  void listen(java.util.function.Consumer<String> listener) {
    this.listener = listener;
  }

  private synchronized void add(String e) {
    events.add(e);
    listener.accept(e);
    notifyAll();
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** Waits (with a deadline) until some event matches; returns it. */
  synchronized String await(Predicate<String> what, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      for (String e : events) {
        if (what.test(e)) {
          return e;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(node + ": no such event within " + millis + " ms in " + events);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Forgets what was seen (the next await looks at new events only). */
  synchronized void clear() {
    events.clear();
  }

  @Override
  public void log(EventLevel level, String component, String message) {
    add("log " + level + " " + component + " " + message);
  }

  @Override
  public void resource(String name, String value) {
    add("resource " + name + "=" + value);
  }

  @Override
  public void progress(String name, String value) {
    add("progress " + name + "=" + value);
  }

  @Override
  public void reintegrationEnded(boolean ok, String detail) {
    add("reintegrated " + ok + (detail.isEmpty() ? "" : " " + detail));
  }

  @Override
  public void replicationLost(String reason) {
    add("lost " + reason);
  }

  @Override
  public void reintegrationStarted() {
    add("reintegration started");
  }

  /** Exit codes the callbacks end with (0 when not given). */
  final java.util.Map<String, Integer> callbackExits =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** How long each callback takes (none by default). */
  volatile java.time.Duration callbackTime = java.time.Duration.ZERO;

  @Override
  public CompletableFuture<Integer> runCallback(String name) {
    add("callback " + name);
    int exit = callbackExits.getOrDefault(name, 0);
    long millis = callbackTime.toMillis();
    if (millis == 0) {
      return CompletableFuture.completedFuture(exit);
    }
    return CompletableFuture.supplyAsync(
        () -> exit, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
  }

  @Override
  public void stopstart(String reason) {
    add("stopstart " + reason);
  }

  @Override
  public void secondaryAttached() {
    add("attached");
  }

  @Override
  public CompletableFuture<Void> degraded(String reason) {
    add("degraded " + reason);
    return CompletableFuture.completedFuture(null);
  }
}
