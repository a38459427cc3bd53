package org.bulwark.web.internal.events;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module states of every node of the cluster for {@code /events/cluster}: one console, on any
 * node, shows them all (spec G.4). This node's own come from its {@link StateFeed}; each peer's
 * from that peer's {@code /events}, which this node follows as the distributed-command user (one
 * stream per peer, shared by every console connected here). A peer that cannot be reached is a
 * {@link NodeStatus} {@code ERROR} until it answers again, found by the stream itself: no polling.
 * The streams run only while someone subscribes; at most {@code maxSubscribers} at once.
 */
public final class ClusterFeed {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterFeed.class);

  /** Opens a peer's stream; what it returns stops it. */
  interface PeerSource {
    AutoCloseable open(Topology.Peer peer, Optional<String> authorization, PeerListener listener);
  }

  private final StateFeed local;
  private final Supplier<Topology> topology;
  private final PeerSource source;
  private final Clock clock;
  private final int maxSubscribers;
  private final Set<Consumer<ClusterEvent>> subscribers = new CopyOnWriteArraySet<>();

  /** Guarded by this: what the streams follow now, null while nobody subscribes. */
  private Topology following;

  private Runnable stopLocal;

  /**
   * Guarded by this: passes this node's changes on. The local feed calls its subscribers under its
   * own lock, which {@link #subscribe} takes under this one: taking this lock on the local feed's
   * thread could deadlock, so its changes are handed to this thread.
   */
  private ExecutorService localEvents;

  private final List<AutoCloseable> links = new ArrayList<>();

  /** Guarded by this: the last state of each module on each node, by node then module. */
  private final Map<String, Map<String, NodeStateEvent>> states = new LinkedHashMap<>();

  /** Guarded by this: whether each node answers. */
  private final Map<String, NodeStatus> nodes = new LinkedHashMap<>();

  public ClusterFeed(
      StateFeed local, Supplier<Topology> topology, Clock clock, int maxSubscribers) {
    this(local, topology, PeerStream::open, clock, maxSubscribers);
  }

  ClusterFeed(
      StateFeed local,
      Supplier<Topology> topology,
      PeerSource source,
      Clock clock,
      int maxSubscribers) {
    this.local = local;
    this.topology = topology;
    this.source = source;
    this.clock = clock;
    this.maxSubscribers = maxSubscribers;
  }

  /**
   * Subscribes: {@code sink} gets every node's status and every module's state at once, then each
   * change (on the thread that saw it, under this lock: it must not block). Returns what
   * unsubscribes.
   */
  public synchronized Runnable subscribe(Consumer<ClusterEvent> sink) throws StateFeed.Full {
    if (!local.isOpen()) {
      throw new StateFeed.Full("the web service is stopping; retry later");
    }
    if (subscribers.size() >= maxSubscribers) {
      throw new StateFeed.Full(
          "this node already serves "
              + maxSubscribers
              + " cluster event streams; close one or retry later");
    }
    // a cluster.xml applied since the streams opened: follow the nodes it names now
    Topology now = topology.get();
    if (!now.equals(following)) {
      stop();
      start(now);
    }
    nodes.values().forEach(sink);
    states.values().forEach(m -> m.values().forEach(sink));
    subscribers.add(sink);
    return () -> unsubscribe(sink);
  }

  /** How many streams are open. */
  public int subscribers() {
    return subscribers.size();
  }

  /** False once the local feed is closed: streams end. */
  public boolean isOpen() {
    return local.isOpen();
  }

  private void start(Topology t) throws StateFeed.Full {
    ExecutorService handOver =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "bulwark-web-cluster-events"));
    try {
      stopLocal =
          local.subscribe(
              e -> {
                try {
                  handOver.execute(() -> onLocalState(t, e));
                } catch (RejectedExecutionException stopped) {
                  // nobody follows any more
                }
              });
    } catch (StateFeed.Full e) {
      handOver.shutdownNow();
      throw e;
    }
    localEvents = handOver;
    following = t;
    publish(new NodeStatus(t.self(), NodeStatus.UP, null, clock.instant().toString()));
    for (Topology.Peer peer : t.peers()) {
      links.add(source.open(peer, t.authorization(), new Listener(t, peer.name())));
    }
  }

  /** Stops following: the streams close, what they told is forgotten. */
  private void stop() {
    if (following == null) {
      return;
    }
    stopLocal.run();
    localEvents.shutdownNow();
    localEvents = null;
    for (AutoCloseable link : links) {
      try {
        link.close();
      } catch (Exception e) {
        LOG.debug("Cannot close a peer's event stream", e);
      }
    }
    links.clear();
    states.clear();
    nodes.clear();
    following = null;
  }

  private synchronized void unsubscribe(Consumer<ClusterEvent> sink) {
    if (subscribers.remove(sink) && subscribers.isEmpty()) {
      stop();
    }
  }

  /** Stops every stream, dropping every subscriber. */
  public synchronized void close() {
    subscribers.clear();
    stop();
  }

  private synchronized void onLocalState(Topology t, StateEvent e) {
    if (t.equals(following)) {
      onState(t.self(), e);
    }
  }

  private synchronized void onState(String node, StateEvent e) {
    NodeStateEvent event = NodeStateEvent.of(node, e);
    Map<String, NodeStateEvent> modules = states.computeIfAbsent(node, n -> new LinkedHashMap<>());
    if (e.local() == null) {
      modules.remove(e.module());
    } else {
      modules.put(e.module(), event);
    }
    publish(event);
  }

  /** Passes on a node's status when it changes (a down node stays ERROR through its retries). */
  private synchronized void onStatus(String node, String status, String detail) {
    NodeStatus before = nodes.get(node);
    if (before != null && before.status().equals(status)) {
      return;
    }
    if (NodeStatus.ERROR.equals(status)) {
      LOG.info("Node {} cannot be reached for its module states: {}", node, detail);
    } else if (before != null) {
      LOG.info("Node {} answers again", node);
    }
    publish(new NodeStatus(node, status, detail, clock.instant().toString()));
  }

  private void publish(ClusterEvent event) {
    if (event instanceof NodeStatus status) {
      nodes.put(status.node(), status);
    }
    subscribers.forEach(s -> s.accept(event));
  }

  /** One peer's stream: what it tells counts only while its topology is the one followed. */
  private final class Listener implements PeerListener {
    private final Topology topology;
    private final String node;

    Listener(Topology topology, String node) {
      this.topology = topology;
      this.node = node;
    }

    private boolean current() {
      synchronized (ClusterFeed.this) {
        return topology.equals(following);
      }
    }

    @Override
    public void connected() {
      synchronized (ClusterFeed.this) {
        if (current()) {
          // the peer sends its current states next: what it said before may be stale
          states.remove(node);
          onStatus(node, NodeStatus.UP, null);
        }
      }
    }

    @Override
    public void state(StateEvent event) {
      synchronized (ClusterFeed.this) {
        if (current()) {
          onState(node, event);
        }
      }
    }

    @Override
    public void lost(String why) {
      synchronized (ClusterFeed.this) {
        if (current()) {
          onStatus(node, NodeStatus.ERROR, why);
        }
      }
    }
  }
}
