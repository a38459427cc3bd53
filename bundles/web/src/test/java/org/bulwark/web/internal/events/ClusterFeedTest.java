package org.bulwark.web.internal.events;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleKind;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.runtime.ModuleStatus;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.api.store.ResourceHistory;
import org.junit.After;
import org.junit.Test;

/**
 * One feed for every node (spec G.4): this node's states and its peers', relayed; a peer that
 * cannot be reached is ERROR once, then UP again with its states; the peers' streams run only while
 * someone subscribes.
 */
public class ClusterFeedTest {
  private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");
  private static final String TIME = T.toString();

  private final OneModuleRegistry registry = new OneModuleRegistry();
  private final AtomicReference<LocalState> state = registry.state;

  private final ResourceHistory resources =
      new ResourceHistory() {
        @Override
        public void record(ResourceEntry entry) {}

        @Override
        public List<ResourceEntry> current(String module) {
          return List.of();
        }

        @Override
        public List<ResourceEntry> history(String module, String name, int limit) {
          return List.of();
        }
      };

  private final Clock clock = Clock.fixed(T, ZoneOffset.UTC);
  private final StateFeed local = new StateFeed(registry, resources, clock, 4);

  /** The peers' streams as the feed opened them, by node. */
  private final Map<String, PeerListener> peers = new ConcurrentHashMap<>();

  private final AtomicInteger open = new AtomicInteger();
  private final List<Optional<String>> authorizations = new ArrayList<>();

  private final AtomicReference<Topology> topology =
      new AtomicReference<>(
          new Topology(
              "node1",
              List.of(
                  new Topology.Peer("node2", URI.create("http://127.0.0.2:9010/api/v1.0/events"))),
              Optional.of("Basic cmNtZGFkbWluOnB3")));

  private final ClusterFeed feed =
      new ClusterFeed(
          local,
          topology::get,
          (peer, authorization, listener) -> {
            peers.put(peer.name(), listener);
            authorizations.add(authorization);
            open.incrementAndGet();
            return () -> {
              peers.remove(peer.name());
              open.decrementAndGet();
            };
          },
          clock,
          2);

  @After
  public void close() {
    feed.close();
    local.close();
  }

  private static ClusterEvent next(BlockingQueue<ClusterEvent> events) throws Exception {
    ClusterEvent e = events.poll(10, TimeUnit.SECONDS);
    assertNotNull("no event within 10 s", e);
    return e;
  }

  @Test
  public void everyNodesStatesInOneStream() throws Exception {
    BlockingQueue<ClusterEvent> events = new LinkedBlockingQueue<>();
    Runnable unsubscribe = feed.subscribe(events::add);
    assertEquals(new NodeStatus("node1", "UP", null, TIME), next(events));
    assertEquals(new NodeStateEvent("node1", "appa", "STOP NotReady", null, TIME), next(events));
    assertEquals(List.of(Optional.of("Basic cmNtZGFkbWluOnB3")), authorizations);

    PeerListener node2 = peers.get("node2");
    node2.connected();
    node2.state(new StateEvent("appa", "SECOND Ready", "PRIM", TIME));
    assertEquals(new NodeStatus("node2", "UP", null, TIME), next(events));
    assertEquals(new NodeStateEvent("node2", "appa", "SECOND Ready", "PRIM", TIME), next(events));

    // this node's own change comes through its feed
    state.set(LocalState.of(ModuleState.PRIM, Readiness.READY));
    local.stateChanged(new ModuleStatus("appa", 1, ModuleKind.MIRROR, state.get()));
    assertEquals(new NodeStateEvent("node1", "appa", "PRIM Ready", null, TIME), next(events));

    // a module gone from the peer
    node2.state(new StateEvent("appa", null, null, TIME));
    assertEquals(new NodeStateEvent("node2", "appa", null, null, TIME), next(events));

    unsubscribe.run();
    assertEquals(0, open.get());
    assertEquals(0, local.subscribers());
  }

  @Test
  public void aPeerThatIsDownIsErrorOnceThenUpWithItsStates() throws Exception {
    BlockingQueue<ClusterEvent> events = new LinkedBlockingQueue<>();
    feed.subscribe(events::add);
    next(events);
    next(events);
    PeerListener node2 = peers.get("node2");
    node2.lost("connection refused (127.0.0.2:9010)");
    node2.lost("connection refused (127.0.0.2:9010)"); // the next retry: nothing new to say
    assertEquals(
        new NodeStatus("node2", "ERROR", "connection refused (127.0.0.2:9010)", TIME),
        next(events));

    // a console that connects now learns at once that node2 is down
    BlockingQueue<ClusterEvent> late = new LinkedBlockingQueue<>();
    feed.subscribe(late::add);
    List<ClusterEvent> snapshot = new ArrayList<>();
    late.drainTo(snapshot);
    assertTrue(
        snapshot.toString(),
        snapshot.contains(
            new NodeStatus("node2", "ERROR", "connection refused (127.0.0.2:9010)", TIME)));

    node2.connected();
    node2.state(new StateEvent("appa", "ALONE Ready", null, TIME));
    assertEquals(new NodeStatus("node2", "UP", null, TIME), next(events));
    assertEquals(new NodeStateEvent("node2", "appa", "ALONE Ready", null, TIME), next(events));
    assertEquals(0, events.size());
  }

  @Test
  public void aNewClusterConfigurationIsFollowedByTheNextSubscriber() throws Exception {
    BlockingQueue<ClusterEvent> first = new LinkedBlockingQueue<>();
    feed.subscribe(first::add);
    PeerListener oldNode2 = peers.get("node2");
    topology.set(
        new Topology(
            "node1",
            List.of(
                new Topology.Peer("node3", URI.create("http://127.0.0.3:9010/api/v1.0/events"))),
            Optional.empty()));
    BlockingQueue<ClusterEvent> second = new LinkedBlockingQueue<>();
    feed.subscribe(second::add);
    assertEquals(1, open.get());
    assertTrue(peers.containsKey("node3"));
    // what the old stream still says is dropped
    oldNode2.state(new StateEvent("appa", "PRIM Ready", null, TIME));
    peers.get("node3").lost("no password");
    ClusterEvent e;
    do {
      e = next(second);
    } while (!(e instanceof NodeStatus s && s.node().equals("node3")));
    assertEquals(new NodeStatus("node3", "ERROR", "no password", TIME), e);
    assertTrue(second.stream().noneMatch(x -> x.node().equals("node2")));
  }

  @Test
  public void atMostMaxSubscribers() throws Exception {
    feed.subscribe(e -> {});
    feed.subscribe(e -> {});
    StateFeed.Full full = assertThrows(StateFeed.Full.class, () -> feed.subscribe(e -> {}));
    assertTrue(full.getMessage(), full.getMessage().contains("2 cluster event streams"));
  }
}
