package org.bulwark.automaton.farm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.farm.FarmView;
import org.bulwark.api.store.EventLevel;
import org.bulwark.automaton.Action;
import org.junit.Test;

/** The membership step function on two nodes, pulse by pulse, with the messages of spec D.1. */
public class MembershipTest {

  private static final List<String> NODES = List.of("node1", "node2");
  private static final FarmConfig CONFIG =
      new FarmConfig(
          "farm", "node1", NODES, 100, 20, 10, List.of(FarmGroup.all("FarmProto", 0, NODES)));

  /** Two nodes whose pulses reach each other at once unless cut. */
  private static final class Pair {
    final MembershipDriver[] n = {
      new MembershipDriver(CONFIG, 100), new MembershipDriver(CONFIG.as("node2"), 200)
    };
    final List<List<Action>> actions = List.of(new ArrayList<>(), new ArrayList<>());
    boolean cut;
    long now;

    void apply(int i, MembershipStep s) {
      actions.get(i).addAll(s.actions());
      if (!cut) {
        for (Pulse p : s.pulses()) {
          apply(1 - i, n[1 - i].received("0", p, now));
        }
      }
    }

    /** Ticks both nodes at each of their wakeups until {@code end}. */
    void runUntil(long end, boolean... alive) {
      while (true) {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
          if (alive.length == 0 || alive[i]) {
            next = Math.min(next, n[i].nextWakeup());
          }
        }
        if (next > end) {
          now = end;
          return;
        }
        now = next;
        for (int i = 0; i < 2; i++) {
          if ((alive.length == 0 || alive[i]) && n[i].nextWakeup() <= now) {
            apply(i, n[i].tick(now));
          }
        }
      }
    }

    List<String> log(int i) {
      return actions.get(i).stream()
          .filter(a -> a instanceof Action.Log)
          .map(a -> ((Action.Log) a).message())
          .toList();
    }
  }

  @Test
  public void aLeadersSilenceCountsFromTheArrivalOfItsLastPulse_notFromItsHandling() {
    Pair p = new Pair();
    p.apply(0, p.n[0].join(0));
    p.apply(1, p.n[1].join(0));
    p.runUntil(1_500);
    assertEquals(Role.FOLLOWER, p.n[1].state().role());
    // node1's last pulse arrives at 1,520 but node2's loop handles it only at 1,560
    p.cut = true;
    Pulse last =
        new Pulse(
            "farm",
            "node1",
            p.n[0].state().incarnation(),
            1_000_000,
            Role.LEADER,
            p.n[0].state().view());
    p.n[1].received("0", last, 1_520, 1_560);
    p.runUntil(3_519, false, true);
    assertEquals("mlost x pulse after the arrival, not yet", Role.FOLLOWER, p.n[1].state().role());
    p.runUntil(3_520, false, true);
    assertEquals(Role.LEADER, p.n[1].state().role());
    assertEquals(List.of("node2"), p.n[1].state().view().names());
  }

  @Test
  public void twoNodesShare128EachWithTheSpecsMessages() {
    Pair p = new Pair();
    p.apply(0, p.n[0].join(0));
    p.apply(1, p.n[1].join(0));
    assertEquals(Role.JOINING, p.n[0].state().role());
    p.runUntil(1_500);
    assertEquals(Role.LEADER, p.n[0].state().role());
    assertEquals(Role.FOLLOWER, p.n[1].state().role());
    FarmView v = p.n[0].state().view();
    assertEquals(List.of("node1", "node2"), v.names());
    assertEquals(v, p.n[1].state().view());
    assertEquals(
        List.of(
            "farm membership: node1 node2 (group FarmProto_0)",
            "farm load: 128/256 (group FarmProto_0)"),
        p.log(1));
    assertTrue(p.actions.get(0).contains(new Action.SetResource("FarmProto_0", "50%", "vipd")));
    assertTrue(
        p.actions
            .get(0)
            .contains(
                new Action.Log(EventLevel.E, "vipd", "farm load: 128/256 (group FarmProto_0)")));
    assertEquals(128, p.n[0].status().localBuckets("FarmProto").size());
    assertEquals(
        org.bulwark.api.farm.BucketSet.ALL,
        p.n[0]
            .status()
            .localBuckets("FarmProto_0")
            .union(p.n[1].status().localBuckets("FarmProto_0")));
  }

  @Test
  public void aNodeAloneTakesAllAfterDiscovery() {
    MembershipDriver d = new MembershipDriver(CONFIG, 1);
    List<Action> out = new ArrayList<>(d.join(0).actions());
    assertEquals(FarmView.NONE, d.state().view());
    long t = 0;
    while (t < CONFIG.discovery()) {
      t = d.nextWakeup();
      out.addAll(d.tick(t).actions());
    }
    assertEquals(Role.LEADER, d.state().role());
    assertTrue(
        out.contains(
            new Action.Log(EventLevel.E, "vipd", "farm membership: node1 (group FarmProto_0)")));
    assertTrue(out.contains(new Action.SetResource("FarmProto_0", "100%", "vipd")));
    assertEquals(256, d.status().localBuckets("FarmProto").size());
  }

  @Test
  public void aLeaveIsSeenAtOnceAndALostLeaderAfterMlostPulses() {
    Pair p = new Pair();
    p.apply(0, p.n[0].join(0));
    p.apply(1, p.n[1].join(0));
    p.runUntil(1_500);
    p.actions.forEach(List::clear);
    p.apply(1, p.n[1].leave(p.now));
    assertEquals(FarmView.NONE, p.n[1].state().view());
    assertEquals(List.of("node1"), p.n[0].state().view().names());
    assertEquals(
        List.of(
            "farm membership: node1 (group FarmProto_0)", "farm load: 256/256 (group FarmProto_0)"),
        p.log(0));
    assertEquals(List.of("farm load: 0/256 (group FarmProto_0)"), p.log(1));

    // node2 comes back; then node1 (the leader) falls silent: node2 takes over after mlost pulses
    p.apply(1, p.n[1].join(p.now));
    p.runUntil(p.now + 1_500);
    assertEquals(List.of("node1", "node2"), p.n[1].state().view().names());
    long silent = p.now;
    p.actions.get(1).clear();
    p.runUntil(silent + CONFIG.leaderTimeout() - 1, false, true);
    assertEquals(List.of("node1", "node2"), p.n[1].state().view().names());
    p.runUntil(silent + CONFIG.leaderTimeout() + CONFIG.pulseMillis(), false, true);
    assertEquals(Role.LEADER, p.n[1].state().role());
    assertEquals(List.of("node2"), p.n[1].state().view().names());
    assertTrue(p.log(1).contains("Lost contact from node1"));
    assertTrue(p.log(1).contains("farm load: 256/256 (group FarmProto_0)"));
  }

  @Test
  public void staleForeignAndOwnPulsesAreDroppedAndCounted() {
    MembershipDriver d = new MembershipDriver(CONFIG, 1);
    d.join(0);
    Pulse fresh = new Pulse("farm", "node2", 7, 5, Role.FOLLOWER, FarmView.NONE);
    d.received("0", fresh, 10);
    assertEquals(0, d.state().staleDropped());
    d.received("0", fresh, 11); // the same pulse on a second lan
    d.received("0", new Pulse("farm", "node2", 7, 4, Role.FOLLOWER, FarmView.NONE), 12);
    d.received("0", new Pulse("farm", "node2", 6, 99, Role.LEADER, FarmView.NONE), 13);
    d.received("0", new Pulse("other", "node2", 8, 1, Role.FOLLOWER, FarmView.NONE), 14);
    d.received("0", new Pulse("farm", "node9", 1, 1, Role.FOLLOWER, FarmView.NONE), 15);
    d.received("0", new Pulse("farm", "node1", 9, 1, Role.LEADER, FarmView.NONE), 16);
    assertEquals(6, d.state().staleDropped());
    // a newer incarnation (a restart) is taken, with its sequence starting again
    d.received("0", new Pulse("farm", "node2", 8, 1, Role.FOLLOWER, FarmView.NONE), 17);
    assertEquals(6, d.state().staleDropped());
  }

  // ---- the kernel's refusal (docs/farm.md "Two detections")

  /** Two nodes that agree, node1 leading; from now on nothing passes between them by itself. */
  private static Pair agreedThenCut() {
    Pair p = new Pair();
    p.apply(0, p.n[0].join(0));
    p.apply(1, p.n[1].join(0));
    p.runUntil(1_500);
    assertEquals(List.of("node1", "node2"), p.n[0].state().view().names());
    assertEquals(p.n[0].state().view(), p.n[1].state().view());
    p.cut = true;
    p.actions.forEach(List::clear);
    return p;
  }

  private static Pulse from(Pair p, int i, long seq, Role role) {
    Membership m = p.n[i].state();
    return new Pulse("farm", NODES.get(i), m.incarnation(), seq, role, m.view());
  }

  @Test
  public void aMembersRefusal_theLeaderDropsItAtOnce() {
    Pair p = agreedThenCut();
    p.apply(0, p.n[0].refused("0", "node2", 1_510, 1_512));
    assertEquals(List.of("node1"), p.n[0].state().view().names());
    assertEquals(1, p.n[0].state().refusals());
    assertTrue(
        p.log(0).toString(),
        p.log(0).contains("Farm node node2 refused our pulse on lan 0: its process is gone"));
    assertTrue(p.log(0).contains("Lost contact from node2"));
    assertTrue(p.log(0).contains("farm load: 256/256 (group FarmProto_0)"));
    // the next refusals of the same death change nothing and are not counted again
    p.apply(0, p.n[0].refused("0", "node2", 1_610, 1_610));
    assertEquals(1, p.n[0].state().refusals());
  }

  @Test
  public void theLeadersRefusal_theFollowerGivesItUpAtOnceAsAfterMlostPulses() {
    Pair p = agreedThenCut();
    p.apply(1, p.n[1].refused("0", "node1", 1_510, 1_530));
    assertEquals(Role.LEADER, p.n[1].state().role());
    assertEquals(List.of("node2"), p.n[1].state().view().names());
    assertTrue(p.log(1).contains("Lost contact from node1"));
    assertTrue(p.log(1).contains("farm load: 256/256 (group FarmProto_0)"));
  }

  @Test
  public void refusalsThatProveNothing_areIgnored() {
    Pair p = agreedThenCut();
    FarmView v = p.n[0].state().view();
    p.apply(0, p.n[0].refused("0", "node9", 1_510, 1_510)); // not a farm node
    p.apply(0, p.n[0].refused("0", "node1", 1_510, 1_510)); // our own name
    // node2 was heard at 1,520: a refusal stamped then or before is older than that sign of life
    p.apply(0, p.n[0].received("0", from(p, 1, 1_000, Role.FOLLOWER), 1_520, 1_525));
    p.apply(0, p.n[0].refused("0", "node2", 1_520, 1_530));
    p.apply(0, p.n[0].refused("0", "node2", 1_490, 1_530));
    assertEquals(v, p.n[0].state().view());
    assertEquals(0, p.n[0].state().refusals());

    // a joining peer may have just come back: a refusal may answer a pulse sent before it bound
    MembershipDriver d = new MembershipDriver(CONFIG, 1);
    d.join(0);
    d.received("0", new Pulse("farm", "node2", 7, 1, Role.JOINING, FarmView.NONE), 10, 10);
    d.refused("0", "node2", 20, 20);
    assertEquals(0, d.state().refusals());
    d.tick(CONFIG.discovery());
    assertEquals(List.of("node1", "node2"), d.state().view().names());

    // a node that takes no part hears nothing and decides nothing
    MembershipDriver out = new MembershipDriver(CONFIG, 1);
    out.refused("0", "node2", 20, 20);
    assertEquals(0, out.state().refusals());
  }

  @Test
  public void aRefusedPeer_backAtOnceWithANewIncarnation_laterPulsesOfTheDeadOneKeptOut() {
    Pair p = agreedThenCut();
    p.apply(0, p.n[0].refused("0", "node2", 1_510, 1_510));
    long refusedAt = 1_510;
    // a pulse the process sent before it died, arriving after the refusal, does not bring it back
    p.apply(0, p.n[0].received("0", from(p, 1, 1_000, Role.FOLLOWER), 1_540, 1_540));
    assertEquals(List.of("node1"), p.n[0].state().view().names());
    p.apply(
        0,
        p.n[0].received(
            "0",
            from(p, 1, 1_001, Role.FOLLOWER),
            refusedAt + CONFIG.leaderTimeout() - 1,
            refusedAt + CONFIG.leaderTimeout() - 1));
    assertEquals(List.of("node1"), p.n[0].state().view().names());
    // the same incarnation still pulsing mlost x pulse after the last refusal: a rejecting
    // firewall that was lifted, not a dead process
    long later = refusedAt + CONFIG.leaderTimeout();
    p.apply(0, p.n[0].received("0", from(p, 1, 1_002, Role.FOLLOWER), later, later));
    assertEquals(List.of("node1", "node2"), p.n[0].state().view().names());

    // refused again, then restarted: a new incarnation is taken at once, joining as any node
    p.apply(0, p.n[0].refused("0", "node2", later + 100, later + 100));
    assertEquals(List.of("node1"), p.n[0].state().view().names());
    Pulse restarted =
        new Pulse(
            "farm", "node2", p.n[1].state().incarnation() + 1000, 1, Role.JOINING, FarmView.NONE);
    p.apply(0, p.n[0].received("0", restarted, later + 150, later + 150));
    assertEquals(List.of("node1", "node2"), p.n[0].state().view().names());
    assertEquals(2, p.n[0].state().refusals());
  }
}
