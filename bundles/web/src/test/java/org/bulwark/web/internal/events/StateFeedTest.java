package org.bulwark.web.internal.events;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

public class StateFeedTest {
  private final OneModuleRegistry registry = new OneModuleRegistry();
  private final AtomicReference<LocalState> state = registry.state;

  private final ResourceHistory resources =
      new ResourceHistory() {
        @Override
        public void record(ResourceEntry entry) {}

        @Override
        public List<ResourceEntry> current(String module) {
          return List.of(
              new ResourceEntry(Instant.EPOCH, module, "state.remote", "SECOND", "heart"));
        }

        @Override
        public List<ResourceEntry> history(String module, String name, int limit) {
          return List.of();
        }
      };

  private final StateFeed feed =
      new StateFeed(registry, resources, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), 2);

  @After
  public void close() {
    feed.close();
  }

  @Test
  public void aSubscriberGetsTheSnapshotThenEachChange() throws Exception {
    BlockingQueue<StateEvent> events = new LinkedBlockingQueue<>();
    Runnable unsubscribe = feed.subscribe(events::add);
    assertEquals(
        new StateEvent("appa", "STOP NotReady", "SECOND", Instant.EPOCH.toString()), events.poll());
    publish(LocalState.of(ModuleState.PRIM, Readiness.READY));
    StateEvent change = events.poll(10, TimeUnit.SECONDS);
    assertEquals("PRIM Ready", change.local());
    assertEquals("SECOND", change.remote());
    unsubscribe.run();
    assertEquals(0, feed.subscribers());
  }

  /** What the module runtime does: publishes the state, then tells the listeners. */
  private void publish(LocalState local) {
    state.set(local);
    feed.stateChanged(new ModuleStatus("appa", 1, ModuleKind.MIRROR, local));
  }

  @Test
  public void everyPublishedStateIsPassedOnInOrderEvenTheBriefOnes() throws Exception {
    BlockingQueue<StateEvent> events = new LinkedBlockingQueue<>();
    feed.subscribe(events::add);
    assertEquals("STOP NotReady", events.poll().local());
    publish(LocalState.of(ModuleState.WAIT, Readiness.TRANSIENT));
    publish(LocalState.of(ModuleState.ALONE, Readiness.TRANSIENT));
    publish(LocalState.of(ModuleState.ALONE, Readiness.TRANSIENT)); // no change: no event
    publish(LocalState.of(ModuleState.ALONE, Readiness.READY));
    feed.moduleRemoved("appa");
    assertEquals("WAIT Transient", events.poll(10, TimeUnit.SECONDS).local());
    assertEquals("ALONE Transient", events.poll(10, TimeUnit.SECONDS).local());
    assertEquals("ALONE Ready", events.poll(10, TimeUnit.SECONDS).local());
    StateEvent gone = events.poll(10, TimeUnit.SECONDS);
    assertEquals("appa", gone.module());
    assertEquals(null, gone.local());
    assertEquals(null, events.poll(100, TimeUnit.MILLISECONDS));
  }

  @Test
  public void withoutSubscribersNotificationsCostNothing() throws Exception {
    publish(LocalState.of(ModuleState.PRIM, Readiness.READY));
    feed.moduleRemoved("appa");
    BlockingQueue<StateEvent> events = new LinkedBlockingQueue<>();
    feed.subscribe(events::add);
    assertEquals("PRIM Ready", events.poll().local());
  }

  @Test
  public void streamsAreBoundedAndAClosedFeedTakesNone() throws Exception {
    Runnable a = feed.subscribe(e -> {});
    feed.subscribe(e -> {});
    StateFeed.Full full = assertThrows(StateFeed.Full.class, () -> feed.subscribe(e -> {}));
    assertTrue(full.getMessage(), full.getMessage().contains("already serves 2 event streams"));
    a.run();
    feed.subscribe(e -> {});
    feed.close();
    assertFalse(feed.isOpen());
    assertThrows(StateFeed.Full.class, () -> feed.subscribe(e -> {}));
  }
}
