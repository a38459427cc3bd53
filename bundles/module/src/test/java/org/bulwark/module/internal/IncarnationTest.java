package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;

/**
 * Heartbeat incarnations only grow (issue 13 item 5): a node restarted with its clock set back is
 * still heard by its peer, which drops messages of older incarnations.
 */
public class IncarnationTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();

  @Test
  public void theCounterGrowsWhateverTheClockSays() throws Exception {
    Path file = pair.newFolder().resolve("incarnation");
    assertEquals(1_000_000, Incarnation.next(file, 1_000_000));
    assertEquals(1_000_001, Incarnation.next(file, 5)); // clock set back
    assertEquals(1_000_002, Incarnation.next(file, 1_000_000)); // clock back where it was
    assertEquals(2_000_000, Incarnation.next(file, 2_000_000)); // clock ahead
    assertEquals("2000000", Files.readString(file).trim());
  }

  @Test
  public void anUnreadableCounterRestartsFromTheClock() throws Exception {
    Path file = pair.newFolder().resolve("incarnation");
    Files.writeString(file, "garbage");
    assertEquals(42_000, Incarnation.next(file, 42_000));
  }

  @Test
  public void aNodeRestartedWithItsClockSetBackIsHeardAgain() throws Exception {
    Duration limit = Duration.ofSeconds(20);
    Path file = pair.newFolder().resolve("incarnation");
    Clock now = Clock.systemUTC();
    ModuleRuntime a =
        pair.start(
            pair.heartbeats.a,
            MirrorRuntimes.driver("n1", Incarnation.next(file, now.millis()), now),
            new MemoryStore(),
            now);
    ModuleRuntime b =
        pair.start(pair.heartbeats.b, MirrorRuntimes.driver("n2", 1, now), new MemoryStore(), now);
    assertTrue(a.command(Verb.PRIM, Origin.admin("root"), "").get(20, TimeUnit.SECONDS).accepted());
    MirrorRuntimes.await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), limit);
    assertTrue(
        b.command(Verb.START, Origin.admin("root"), "").get(20, TimeUnit.SECONDS).accepted());
    MirrorRuntimes.await(a, s -> is(s, ModuleState.PRIM, Readiness.READY), limit);

    // node 1 dies; node 2 takes over
    pair.heartbeats.a.crash();
    MirrorRuntimes.await(b, s -> is(s, ModuleState.ALONE, Readiness.READY), limit);
    a.close(Duration.ofSeconds(5));

    // node 1 comes back an hour in the past (a clock stepped back across its restart)
    Clock back = Clock.offset(now, Duration.ofHours(-1));
    pair.heartbeats.a.revive();
    ModuleRuntime again =
        pair.start(
            pair.heartbeats.a,
            MirrorRuntimes.driver("n1", Incarnation.next(file, back.millis()), back),
            new MemoryStore(),
            back);
    assertTrue(
        again.command(Verb.START, Origin.admin("root"), "").get(20, TimeUnit.SECONDS).accepted());
    // the survivor hears it: the pair is whole again, node 2 primary
    MirrorRuntimes.await(b, s -> is(s, ModuleState.PRIM, Readiness.READY), limit);
    MirrorRuntimes.await(again, s -> is(s, ModuleState.SECOND, Readiness.READY), limit);
  }
}
