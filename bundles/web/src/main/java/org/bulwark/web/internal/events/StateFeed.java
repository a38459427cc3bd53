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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.runtime.ModuleStateListener;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.web.internal.events.StateChanges.Look;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module state changes of this node for the {@code /events} streams. The module runtime tells
 * it of every local state it publishes ({@link ModuleStateListener}, on the module's loop): the
 * change is handed to one feed thread, which passes it to every subscriber in the order the module
 * published it. The peers' states ({@code state.remote}) are read from the store every {@link
 * #REMOTE_TICK} on another thread, whose single connection busy API readers can hold for hundreds
 * of milliseconds: the local states never wait for it. Both threads run only while someone
 * subscribes; at most {@code maxSubscribers} at once.
 */
public final class StateFeed implements ModuleStateListener {
  private static final Logger LOG = LoggerFactory.getLogger(StateFeed.class);
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

  /** Guarded by this: the feed thread, running while there are subscribers (read without lock). */
  private volatile ExecutorService feed;

  /** Guarded by this: the remote reader, running while there are subscribers. */
  private ScheduledExecutorService remoteReader;

  private boolean closed;

  /** Guarded by this. */
  private final StateChanges changes = new StateChanges();

  /** Each module's {@code state.remote}, written by the remote thread. */
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
   * the feed thread (it must not block). Returns what unsubscribes.
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
    if (feed == null) {
      feed = Executors.newSingleThreadExecutor(r -> new Thread(r, "bulwark-web-events"));
      remoteReader =
          Executors.newSingleThreadScheduledExecutor(
              r -> new Thread(r, "bulwark-web-events-remote"));
      readRemotes();
      sample(); // from now on the module runtime's notifications keep it current
      remoteReader.scheduleWithFixedDelay(
          this::refreshRemotes,
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

  @Override
  public void stateChanged(ModuleStatus module) {
    handOver(
        () -> {
          String remote = remotes.getOrDefault(module.name(), Optional.empty()).orElse(null);
          publish(
              changes.change(
                  new Look(module.name(), module.local().toString(), remote), clock.instant()));
        });
  }

  @Override
  public void moduleRemoved(String name) {
    handOver(() -> publish(changes.gone(name, clock.instant())));
  }

  /** Runs {@code task} on the feed thread, under this lock; nothing when nobody subscribes. */
  private void handOver(Runnable task) {
    ExecutorService f = feed;
    if (f == null) {
      return;
    }
    try {
      f.execute(
          () -> {
            try {
              synchronized (this) {
                task.run();
              }
            } catch (RuntimeException e) {
              LOG.warn("Cannot pass on a module state change", e);
            }
          });
    } catch (RejectedExecutionException e) {
      // the last stream just closed: nobody to tell
    }
  }

  private void publish(List<StateEvent> events) {
    for (StateEvent e : events) {
      subscribers.forEach(s -> s.accept(e));
    }
  }

  private synchronized void unsubscribe(Consumer<StateEvent> sink) {
    if (subscribers.remove(sink) && subscribers.isEmpty() && feed != null) {
      stopThreads(false);
    }
  }

  /** Stops the threads, dropping every subscriber. */
  public synchronized void close() {
    closed = true;
    subscribers.clear();
    if (feed != null) {
      stopThreads(true);
    }
  }

  private void stopThreads(boolean now) {
    if (now) {
      feed.shutdownNow();
      remoteReader.shutdownNow();
    } else {
      feed.shutdown();
      remoteReader.shutdown();
    }
    feed = null;
    remoteReader = null;
  }

  /** Every module as the registry has it now: the start of a feed. */
  private void sample() {
    List<Look> now = new ArrayList<>();
    for (ModuleStatus m : modules.modules()) {
      Optional<String> remote = remotes.getOrDefault(m.name(), Optional.empty());
      now.add(new Look(m.name(), m.local().toString(), remote.orElse(null)));
    }
    publish(changes.step(now, clock.instant()));
  }

  /** On the remote thread: reads the peers' states, and hands each change to the feed thread. */
  private void refreshRemotes() {
    Map<String, Optional<String>> before = Map.copyOf(remotes);
    readRemotes();
    remotes.forEach(
        (module, remote) -> {
          if (!remote.equals(before.get(module))) {
            handOver(() -> publish(changes.remote(module, remote.orElse(null), clock.instant())));
          }
        });
  }

  /** On the remote thread (or under this lock at the start), never on the feed thread. */
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
