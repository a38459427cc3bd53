package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.automaton.HeartbeatMessage;
import org.bulwark.automaton.PeerView;
import org.bulwark.failover.Decision;
import org.bulwark.failover.FailoverMachine;
import org.bulwark.failover.FailoverRules;
import org.junit.Test;

/** The failover machine's loop-side part, on a virtual clock. */
public class FailoverLoopTest {

  private static FailoverLoop loop(String rules) {
    return loop(rules, Duration.ofSeconds(5), Duration.ofSeconds(15));
  }

  /** A mirror module's machine with these rules and timing. */
  static FailoverLoop loop(String rules, Duration period, Duration handleTime) {
    return new FailoverLoop(
        new FailoverMachine(
            FailoverRules.mirror()
                .timing(period, handleTime)
                .section(rules, 1, 1)
                .compile()
                .orThrow()));
  }

  private static List<String> run(FailoverLoop l, Map<String, String> res, ModuleState s, long t) {
    return l.tick(res, s, PeerView.UNDECIDED, t).stream().map(Decision::toString).toList();
  }

  @Test
  public void nothingWhileStoppedAndTheDurationsForgotten() {
    FailoverLoop l = loop("r: if (custom.x == down) then wait();");
    Map<String, String> down = Map.of("custom.x", "down");
    List<String> all = new ArrayList<>();
    for (long t = 0; t <= 10_000; t += 5_000) {
      all.addAll(run(l, down, ModuleState.ALONE, t));
    }
    assertEquals(List.of(), all); // 10 s of the 15 s handle_time
    assertEquals(List.of(), run(l, down, ModuleState.STOP, 15_000));
    // started again: the 15 s count from the first evaluation after the stop
    assertEquals(List.of(), run(l, down, ModuleState.WAIT, 20_000));
    assertEquals(List.of(), run(l, down, ModuleState.ALONE, 30_000));
    assertEquals(List.of("r: wait()"), run(l, down, ModuleState.ALONE, 35_000));
  }

  @Test
  public void clusterIsDownOnlyWhenNoLanCarriesThePeer() {
    FailoverLoop l = loop("");
    PeerView lost = PeerView.absent("n2", "no heartbeat", DataFreshness.NEVER_SYNCED);
    PeerView stopped = PeerView.absent("n2", "remote stop", DataFreshness.NEVER_SYNCED);
    assertEquals("down", l.snapshot(Map.of(), lost).cluster());
    assertEquals("up", l.snapshot(Map.of(), stopped).cluster());
    assertEquals("unknown", l.snapshot(Map.of(), lost).value(true, "custom.y").orElseThrow());
  }

  @Test
  public void heartbeatsCarryTheSetAfterAChangeThenNowAndThen() {
    FailoverLoop l = loop("");
    ResourceTable table = new ResourceTable(Map.of("custom.a", "up", "connections.10.0.0.1", "7"));
    HeartbeatMessage bare = bare(1, 1);
    List<Integer> carried = new ArrayList<>();
    for (int pulse = 0; pulse < 50; pulse++) {
      if (pulse == 30) {
        table.put("custom.a", "down");
      }
      HeartbeatMessage out = l.outgoing(bare, table);
      if (!out.resources().isEmpty()) {
        carried.add(pulse);
        assertTrue(!out.resources().containsKey("connections.10.0.0.1"));
      }
    }
    // three pulses after each change (the first set counts as one), then every 20th
    assertEquals(List.of(0, 1, 2, 22, 30, 31, 32), carried);
  }

  @Test
  public void anOlderSetArrivingLateIsIgnored() {
    FailoverLoop l = loop("");
    PeerView heard =
        new PeerView(
            PeerView.Presence.PRESENT,
            "n2",
            "",
            LocalState.STOPPED,
            DataFreshness.NEVER_SYNCED,
            false,
            false,
            false,
            false,
            false);
    l.received(pulse(7, 10, "down"));
    l.received(pulse(7, 9, "up")); // reordered: older
    assertEquals("down", l.snapshot(Map.of(), heard).value(true, "custom.y").orElseThrow());
    l.received(pulse(8, 1, "up")); // the peer restarted
    assertEquals("up", l.snapshot(Map.of(), heard).value(true, "custom.y").orElseThrow());
  }

  private static HeartbeatMessage pulse(long incarnation, long seq, String value) {
    return bare(incarnation, seq).withResources(Map.of("custom.y", value));
  }

  private static HeartbeatMessage bare(long incarnation, long seq) {
    return new HeartbeatMessage(
        "m",
        "n2",
        incarnation,
        seq,
        LocalState.STOPPED,
        DataFreshness.NEVER_SYNCED,
        false,
        false,
        false,
        false);
  }
}
