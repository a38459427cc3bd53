package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.store.ResourceEntry;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;

/**
 * A slow disk never delays heartbeats (issue 13 item 2): with every journal row taking longer than
 * a third of the heartbeat timeout to commit, the pair starts without either side ever losing the
 * other, and a real crash is still detected within the timeout.
 */
public class SlowStoreTest {
  /** Each row's commit: a disk in trouble (a few rows already outlast the heartbeat timeout). */
  private static final long COMMIT_MILLIS = 350;

  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();

  /** The test hook: a store whose every write takes {@link #COMMIT_MILLIS}. */
  private static final class SlowStore extends MemoryStore {
    private static void slowCommit() {
      try {
        Thread.sleep(COMMIT_MILLIS); // the simulated disk, not a synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public long append(
        Instant time, String module, String component, EventLevel level, String message) {
      slowCommit();
      return super.append(time, module, component, level, message);
    }

    @Override
    public void record(ResourceEntry entry) {
      slowCommit();
      super.record(entry);
    }
  }

  @Test
  public void heartbeatsKeepTheirTimingWhileTheStoreCrawls() throws Exception {
    Clock clock = Clock.systemUTC();
    SlowStore storeA = new SlowStore();
    SlowStore storeB = new SlowStore();
    Duration limit = Duration.ofSeconds(60);
    ModuleRuntime a =
        pair.start(pair.heartbeats.a, MirrorRuntimes.driver("n1", 1, clock), storeA, clock);
    ModuleRuntime b =
        pair.start(pair.heartbeats.b, MirrorRuntimes.driver("n2", 1, clock), storeB, clock);
    assertTrue(a.command(Verb.PRIM, Origin.admin("root"), "").get(60, TimeUnit.SECONDS).accepted());
    MirrorRuntimes.await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), limit);
    assertTrue(
        b.command(Verb.START, Origin.admin("root"), "").get(60, TimeUnit.SECONDS).accepted());
    MirrorRuntimes.await(b, s -> is(s, ModuleState.SECOND, Readiness.READY), limit);
    MirrorRuntimes.await(a, s -> is(s, ModuleState.PRIM, Readiness.READY), limit);

    // Keep the store busy for seconds more: lines printed by scripts on both sides.
    List<java.util.concurrent.CompletableFuture<Void>> printed = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      printed.add(a.print(EventLevel.I, "userplug", "line " + i));
      printed.add(b.print(EventLevel.I, "userplug", "line " + i));
    }
    for (var p : printed) {
      p.get(60, TimeUnit.SECONDS);
    }

    // Once each side first heard the other, it never lost it: no false failover.
    assertEquals(List.of(), downsAfterFirstUp(storeA));
    assertEquals(List.of(), downsAfterFirstUp(storeB));

    long crashed = System.nanoTime();
    pair.heartbeats.a.crash();
    MirrorRuntimes.await(b, s -> is(s, ModuleState.ALONE, Readiness.READY), limit);
    Duration took = Duration.ofNanos(System.nanoTime() - crashed);
    assertTrue("took " + took, took.toMillis() < MirrorRuntimes.TIMEOUT + 4_000);
  }

  /**
   * Every "heartbeat.0 down" a side recorded after it first heard its peer (before that, a side
   * that waits for its peer to start times the silence out, as it should).
   */
  private static List<String> downsAfterFirstUp(SlowStore store) {
    List<ResourceEntry> rows = store.history("mirror", "heartbeat.0", 10_000);
    Instant firstUp =
        rows.stream()
            .filter(r -> r.value().equals("up"))
            .map(ResourceEntry::time)
            .min(Instant::compareTo)
            .orElseThrow(() -> new AssertionError("the peer was never heard: " + rows));
    return rows.stream()
        .filter(r -> r.value().equals("down") && r.time().isAfter(firstUp))
        .map(r -> r.time() + " " + r.name() + " " + r.value())
        .toList();
  }
}
