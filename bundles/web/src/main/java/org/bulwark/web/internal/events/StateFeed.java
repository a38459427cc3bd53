package org.bulwark.web.internal.events;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * {@link #TICK} (an in-memory read) and hands each change to every subscriber; a second thread
 * reads the {@code state.remote} resources every {@link #REMOTE_TICK} from the store, whose single
 * connection busy API readers can hold for hundreds of milliseconds: the local states never wait
 * for it. Both run only while someone subscribes; at most {@code maxSubscribers} at once.
 */
public final class StateFeed {
  private static final Logger LOG = LoggerFactory.getLogger(StateFeed.class);
  static final Duration TICK = Duration.ofMillis(50);
  static final Duration REMOTE_TICK = Duration.ofMillis(500);

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

  private ScheduledFuture<?> remoteSampling;

  private boolean closed;

  /** Used by the sampler thread only (and under this for snapshots). */
  private final StateChanges changes = new StateChanges();

  /** Each module's {@code state.remote}, written by the remote thread, read by the sampler. */
  private final Map<String, Optional<String>> remotes = new ConcurrentHashMap<>();

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
      sampler = Executors.newScheduledThreadPool(2, r -> new Thread(r, "bulwark-web-events"));
      readRemotes();
      sample(); // the snapshot below is current
      sampling =
          sampler.scheduleWithFixedDelay(
              this::sampleQuietly, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
      remoteSampling =
          sampler.scheduleWithFixedDelay(
              this::readRemotes,
              REMOTE_TICK.toMillis(),
              REMOTE_TICK.toMillis(),
              TimeUnit.MILLISECONDS);
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
      remoteSampling.cancel(false);
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
    List<Look> now = new ArrayList<>();
    for (ModuleStatus m : modules.modules()) {
      Optional<String> remote = remotes.getOrDefault(m.name(), Optional.empty());
      now.add(new Look(m.name(), m.local().toString(), remote.orElse(null)));
    }
    for (StateEvent e : changes.step(now, clock.instant())) {
      subscribers.forEach(s -> s.accept(e));
    }
  }

  /** On the remote thread, never under this object's lock. */
  private void readRemotes() {
    try {
      for (ModuleStatus m : modules.modules()) {
        remotes.put(
            m.name(),
            resources.current(m.name()).stream()
                .filter(r -> r.name().equals("state.remote"))
                .map(ResourceEntry::value)
                .findFirst());
      }
    } catch (Exception e) {
      LOG.debug("Cannot read the remote states", e);
    }
  }
}
