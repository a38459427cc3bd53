package org.bulwark.web.internal.events;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.web.internal.events.StateChanges.Look;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module state changes of this node for the {@code /events} streams. The module runtime
 * publishes no change notifications, so one sampler thread looks at the module registry every
 * {@link #TICK} (an in-memory read) and at the {@code state.remote} resources every {@link
 * #REMOTE_EVERY} ticks (a store read), and hands each change to every subscriber. It runs only
 * while someone subscribes; at most {@code maxSubscribers} at once.
 */
public final class StateFeed {
  private static final Logger LOG = LoggerFactory.getLogger(StateFeed.class);
  static final Duration TICK = Duration.ofMillis(50);
  static final int REMOTE_EVERY = 10;

  /** Thrown when {@code maxSubscribers} streams are already open, or the feed is closed. */
  public static final class Full extends Exception {
    private static final long serialVersionUID = 1L;

    Full(String message) {
      super(message);
    }
  }

  private final ModuleRegistry modules;
  private final ResourceHistory resources;
  private final Clock clock;
  private final int maxSubscribers;
  private final Set<Consumer<StateEvent>> subscribers = new CopyOnWriteArraySet<>();

  /** Guarded by this: the sampler, running while there are subscribers. */
  private ScheduledExecutorService sampler;

  private ScheduledFuture<?> sampling;

  private boolean closed;

  /** Used by the sampler thread only (and under this for snapshots). */
  private final StateChanges changes = new StateChanges();

  private List<Look> lastRemote = List.of();
  private long tick;

  public StateFeed(
      ModuleRegistry modules, ResourceHistory resources, Clock clock, int maxSubscribers) {
    this.modules = modules;
    this.resources = resources;
    this.clock = clock;
    this.maxSubscribers = maxSubscribers;
  }

  /**
   * Subscribes: {@code sink} gets the current state of every module at once, then each change, on
   * the sampler thread (it must not block). Returns what unsubscribes.
   */
  public synchronized Runnable subscribe(Consumer<StateEvent> sink) throws Full {
    if (closed) {
      throw new Full("the web service is stopping; retry later");
    }
    if (subscribers.size() >= maxSubscribers) {
      throw new Full(
          "this node already serves "
              + maxSubscribers
              + " event streams; close one or retry later");
    }
    if (sampler == null) {
      sampler =
          Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bulwark-web-events"));
      tick = 0;
      sample(); // the snapshot below is current
      sampling =
          sampler.scheduleWithFixedDelay(
              this::sampleQuietly, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }
    changes.snapshot(clock.instant()).forEach(sink);
    subscribers.add(sink);
    return () -> unsubscribe(sink);
  }

  /** False once {@link #close()} ran: streams end. */
  public synchronized boolean isOpen() {
    return !closed;
  }

  /** How many streams are open. */
  public int subscribers() {
    return subscribers.size();
  }

  private synchronized void unsubscribe(Consumer<StateEvent> sink) {
    if (subscribers.remove(sink) && subscribers.isEmpty() && sampler != null) {
      sampling.cancel(false);
      sampler.shutdown();
      sampler = null;
    }
  }

  /** Stops the sampler, dropping every subscriber. */
  public synchronized void close() {
    closed = true;
    subscribers.clear();
    if (sampler != null) {
      sampler.shutdownNow();
      sampler = null;
    }
  }

  private void sampleQuietly() {
    try {
      synchronized (this) {
        sample();
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot sample the module states", e);
    }
  }

  private void sample() {
    boolean readRemote = tick++ % REMOTE_EVERY == 0;
    List<Look> now = new ArrayList<>();
    for (ModuleStatus m : modules.modules()) {
      String remote = readRemote ? remote(m.name()) : lastRemoteOf(m.name());
      now.add(new Look(m.name(), m.local().toString(), remote));
    }
    if (readRemote) {
      lastRemote = List.copyOf(now);
    }
    for (StateEvent e : changes.step(now, clock.instant())) {
      subscribers.forEach(s -> s.accept(e));
    }
  }

  private String lastRemoteOf(String module) {
    return lastRemote.stream()
        .filter(l -> l.module().equals(module))
        .map(Look::remote)
        .findFirst()
        .orElse(null);
  }

  private String remote(String module) {
    try {
      return resources.current(module).stream()
          .filter(r -> r.name().equals("state.remote"))
          .map(ResourceEntry::value)
          .findFirst()
          .orElse(null);
    } catch (Exception e) {
      return lastRemoteOf(module);
    }
  }
}
