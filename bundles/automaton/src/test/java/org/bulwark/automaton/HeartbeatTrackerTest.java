package org.bulwark.automaton;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.junit.Test;

/** Heartbeat peer tracking (spec B.4): lans, timeouts, remote stop, stale messages. */
public class HeartbeatTrackerTest {

  private static final HeartConfig HEART = HeartConfig.of(700, 30_000, "0", "flow");

  private static HeartbeatMessage msg(long inc, long seq, ModuleState s) {
    return new HeartbeatMessage(
        "mirror",
        "node2",
        inc,
        seq,
        LocalState.of(s, Readiness.READY),
        DataFreshness.NEVER_SYNCED,
        false,
        false,
        false,
        false);
  }

  private static List<String> logs(List<Action> a) {
    return Run.logs(a);
  }

  @Test
  public void peerIsUndecidedUntilHeardOrTimedOut() {
    HeartbeatTracker t = new HeartbeatTracker("mirror", "node1", HEART, 0);
    assertEquals(PeerView.Presence.UNKNOWN, t.view().presence());
    assertEquals(30_000, t.nextDeadline());
    List<Action> a = t.onTick(30_000);
    assertEquals(
        List.of(
            "Resource heartbeat.0 set to down by heart",
            "Resource heartbeat.flow set to down by heart"),
        logs(a));
    assertEquals(PeerView.absent("", "no heartbeat", DataFreshness.NEVER_SYNCED), t.view());
  }

  @Test
  public void losingOneOfTwoLansIsNotAPeerFailure() {
    HeartbeatTracker t = new HeartbeatTracker("mirror", "node1", HEART, 0);
    assertEquals(
        List.of("Resource heartbeat.0 set to up by heart"),
        logs(t.onMessage("0", msg(1, 1, ModuleState.PRIM), 100)));
    t.onMessage("flow", msg(1, 1, ModuleState.PRIM), 100);
    t.onMessage("0", msg(1, 2, ModuleState.PRIM), 20_000);
    List<Action> a = t.onTick(30_100);
    assertEquals(List.of("Resource heartbeat.flow set to down by heart"), logs(a));
    assertTrue(t.view().primary());
    t.onTick(50_000);
    assertEquals("no heartbeat", t.view().reason());
    assertTrue(t.view().absent());
  }

  /**
   * A peer lost on every lan returns with a burst of what it sent while unreachable (held by the
   * network), the oldest first: the view takes the newest once the burst is read, never the PRIM it
   * no longer is (found in the network lab, SplitBrainLabIT).
   */
  @Test
  public void aReturningPeerIsSeenAsItIsNowNotAsItsFirstQueuedHeartbeatSays() {
    HeartConfig one = HeartConfig.of(100, 2_000, "0");
    HeartbeatTracker t = new HeartbeatTracker("mirror", "node1", one, 0);
    t.onMessage("0", msg(1, 1, ModuleState.PRIM), 100);
    t.onTick(2_100);
    assertTrue(t.view().absent());
    List<Action> back = t.onMessage("0", msg(1, 30, ModuleState.PRIM), 5_000); // queued
    assertEquals(List.of("Resource heartbeat.0 set to up by heart"), logs(back));
    assertTrue(t.view().absent());
    t.onMessage("0", msg(1, 31, ModuleState.WAIT), 5_004); // sent since
    assertTrue(t.view().absent());
    assertEquals(5_000 + HeartbeatTracker.RETURN_SETTLE_MILLIS, t.nextDeadline());
    t.onTick(5_000 + HeartbeatTracker.RETURN_SETTLE_MILLIS);
    assertTrue(t.view().present());
    assertEquals(ModuleState.WAIT, t.view().state().state());
    // heard on: no wait any more
    t.onMessage("0", msg(1, 32, ModuleState.SECOND), 5_100);
    assertEquals(ModuleState.SECOND, t.view().state().state());
  }

  @Test
  public void remoteStopIsKnownAtOnce() {
    HeartbeatTracker t = new HeartbeatTracker("mirror", "node1", HEART, 0);
    t.onMessage("0", msg(1, 1, ModuleState.PRIM), 100);
    t.onMessage("0", msg(1, 2, ModuleState.STOP), 200);
    assertTrue(t.view().absent());
    assertEquals("remote stop", t.view().reason());
  }

  @Test
  public void staleDuplicatedAndOlderIncarnationMessagesAreDroppedAndCounted() {
    HeartbeatTracker t = new HeartbeatTracker("mirror", "node1", HEART, 0);
    t.onMessage("0", msg(2, 5, ModuleState.PRIM), 100);
    t.onMessage("0", msg(2, 5, ModuleState.PRIM), 110); // duplicate
    t.onMessage("0", msg(2, 4, ModuleState.WAIT), 120); // reordered, older
    t.onMessage("0", msg(1, 99, ModuleState.WAIT), 130); // previous incarnation
    assertEquals(3, t.staleDropped());
    assertTrue(t.view().in(ModuleState.PRIM));
    // a restarted peer (new incarnation) starts its sequence again
    t.onMessage("0", msg(3, 1, ModuleState.WAIT), 140);
    assertTrue(t.view().in(ModuleState.WAIT));
    // our own or another module's messages are ignored
    t.onMessage(
        "0",
        new HeartbeatMessage(
            "other",
            "node2",
            9,
            9,
            LocalState.STOPPED,
            DataFreshness.NEVER_SYNCED,
            false,
            false,
            false,
            false),
        150);
    assertEquals(4, t.staleDropped());
  }
}
