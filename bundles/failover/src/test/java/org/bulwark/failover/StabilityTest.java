package org.bulwark.failover;

import static org.bulwark.failover.DecisionTableTest.strings;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.Test;

/**
 * {@code period} and {@code handle_time} with a virtual clock (spec B.19: "an action must stay the
 * same for handle_time before it is applied"): defaults 5 s and 15 s. No sleeps: time is the
 * argument of each tick.
 */
public class StabilityTest {

  private final RuleSet rules =
      FailoverRules.farm()
          .checker("t_web", "tcp.web", FailoverAction.RESTART)
          .checker("p_gw", "ping.gw", FailoverAction.WAIT)
          .compile()
          .orThrow();

  /** A clock and a machine ticking every second, as a module loop does. */
  private final class Clock {
    final FailoverMachine machine = new FailoverMachine(rules);
    long now;

    /** Ticks every second for {@code seconds}, returning the decisions with their second. */
    List<String> run(ResourceSnapshot s, int seconds) {
      List<String> out = new java.util.ArrayList<>();
      for (int i = 0; i < seconds; i++) {
        for (Decision d : machine.tick(s, now)) {
          out.add(now / 1000 + "s " + d);
        }
        now += 1000;
      }
      return out;
    }
  }

  @Test
  public void defaultsAreFiveAndFifteenSeconds() {
    assertEquals(Duration.ofMillis(5000), rules.period());
    assertEquals(Duration.ofMillis(15000), rules.handleTime());
  }

  @Test
  public void actionAppliedOnlyAfterHandleTime() {
    Clock c = new Clock();
    // evaluations at 0, 5, 10, 15 s: down since 0, stable from 15 s
    assertEquals(List.of("15s t_web: restart()"), c.run(Rows.local("tcp.web=down"), 16));
  }

  @Test
  public void aConditionThatFlapsNeverFires() {
    Clock c = new Clock();
    for (int i = 0; i < 6; i++) {
      assertEquals(List.of(), c.run(Rows.local("tcp.web=down"), 10));
      assertEquals(List.of(), c.run(Rows.local("tcp.web=up"), 5));
    }
  }

  @Test
  public void aRestartThatDoesNotHelpFiresAgainAfterAnotherHandleTime() {
    Clock c = new Clock();
    // maxloop is the runtime's: the machine asks again each handle_time while the rule holds
    assertEquals(
        List.of("15s t_web: restart()", "30s t_web: restart()", "45s t_web: restart()"),
        c.run(Rows.local("tcp.web=down"), 50));
  }

  @Test
  public void waitIsRepeatedWhileItHoldsThenImplicitWakeup() {
    Clock c = new Clock();
    List<String> down = c.run(Rows.local("ping.gw=down"), 26);
    assertEquals(
        List.of("15s p_gw: wait()", "20s p_gw: wait() (repeat)", "25s p_gw: wait() (repeat)"),
        down);
    assertEquals("p_gw", c.machine.waitInForce().orElseThrow());
    // back up at 26 s: evaluations at 30, 35, 40, 45; no wait rule since 30 s, wakeup at 45 s
    List<String> up = c.run(Rows.local("ping.gw=up"), 30);
    assertEquals(List.of("45s Implicit_wakeup: wakeup()"), up);
    assertTrue(c.machine.waitInForce().isEmpty());
  }

  @Test
  public void internalRulesAreMarkedAndNotCountedForMaxloop() {
    RuleSet mirror =
        FailoverRules.mirror()
            .replication(true, false, false)
            .timing(Duration.ofMillis(1000), Duration.ZERO)
            .checker("p_gw", "ping.gw", FailoverAction.WAIT)
            .compile()
            .orThrow();
    FailoverMachine m = new FailoverMachine(mirror);
    Decision d = m.evaluate(Rows.both("state.local=WAIT rfs.uptodate=down", null), 0).get(0);
    assertEquals("notuptodate_server", d.rule());
    assertTrue(d.internal());
    assertFalse(d.countsForLoop());
    m.reset();
    Decision user = m.evaluate(Rows.both("state.local=PRIM ping.gw=down", null), 0).get(0);
    assertEquals("p_gw", user.rule());
    assertTrue(user.countsForLoop());
    // wakeup from Implicit_wakeup, the machine's own rule
    Decision wakeup = m.evaluate(Rows.both("state.local=PRIM ping.gw=up", null), 1000).get(0);
    assertEquals("Implicit_wakeup: wakeup()", wakeup.toString());
    assertFalse(wakeup.countsForLoop());
  }

  @Test
  public void replicationRulesActAtTheirFirstEvaluationButTheWakeupWaitsHandleTime() {
    RuleSet mirror =
        FailoverRules.mirror()
            .replication(true, true, true)
            .timing(Duration.ofMillis(5000), Duration.ofMillis(15000))
            .compile()
            .orThrow();
    FailoverMachine m = new FailoverMachine(mirror);
    // the module's own bookkeeping, not a sampled checker: no handle_time (docs/failover.md)
    Decision w =
        m.tick(Rows.both("state.local=WAIT rfs.uptodate=down rfs.syncat=up", null), 0).get(0);
    assertEquals("notuptodate_server: wait()", w.toString());
    assertTrue(w.internal());
    // the peer answers up to date: no wait rule holds, Implicit_wakeup still needs handle_time
    String free = "state.local=WAIT rfs.uptodate=down rfs.syncat=up";
    assertEquals(List.of(), m.tick(Rows.both(free, "rfs.uptodate=up"), 5000));
    assertEquals(List.of(), m.tick(Rows.both(free, "rfs.uptodate=up"), 10000));
    assertEquals(List.of(), m.tick(Rows.both(free, "rfs.uptodate=up"), 15000));
    assertEquals(
        "Implicit_wakeup: wakeup()",
        m.tick(Rows.both(free, "rfs.uptodate=up"), 20000).get(0).toString());
    // an assignment of rfs_forceuptodate at the first evaluation too
    m.reset();
    Decision set =
        m.tick(
                Rows.local(
                        "state.local=WAIT rfs.uptodate=down rfs.synced=up rfs.syncat=up heartbeat.0=down")
                    .withCluster("down"),
                30000)
            .get(0);
    assertEquals("rfs_forceuptodate: rfs.uptodate=up", set.toString());
  }

  @Test
  public void anAssignmentNotTakenDefersTheModuleActionsOnceOnly() {
    RuleSet mirror =
        FailoverRules.mirror()
            .replication(true, true, false)
            .timing(Duration.ofMillis(1000), Duration.ZERO)
            .compile()
            .orThrow();
    FailoverMachine m = new FailoverMachine(mirror);
    ResourceSnapshot isolated =
        Rows.local("state.local=WAIT rfs.uptodate=down rfs.synced=up heartbeat.0=down")
            .withCluster("down");
    // both rules hold: the assignment first, alone
    assertEquals(
        List.of("rfs_forceuptodate: rfs.uptodate=up"),
        m.tick(isolated, 0).stream().map(Decision::toString).toList());
    // not taken (the value did not change): decided again, and the wait is not held back
    assertEquals(
        List.of("rfs_forceuptodate: rfs.uptodate=up", "notuptodate_server: wait()"),
        m.tick(isolated, 1000).stream().map(Decision::toString).toList());
  }

  @Test
  public void noWakeupWithoutAWait() {
    Clock c = new Clock();
    assertEquals(List.of(), c.run(Rows.local("ping.gw=up tcp.web=up"), 60));
  }

  @Test
  public void handleTimeZeroActsAtTheFirstEvaluation() {
    RuleSet fast =
        FailoverRules.farm()
            .timing(Duration.ofMillis(1000), Duration.ZERO)
            .checker("t_web", "tcp.web", FailoverAction.RESTART)
            .compile()
            .orThrow();
    FailoverMachine m = new FailoverMachine(fast);
    assertEquals(List.of("t_web: restart()"), strings(m.tick(Rows.local("tcp.web=down"), 7)));
  }

  @Test
  public void ticksBetweenPeriodsDecideNothing() {
    FailoverMachine m = new FailoverMachine(rules);
    ResourceSnapshot down = Rows.local("tcp.web=down");
    m.tick(down, 0);
    // tcp.web is down at 0 s only in evaluations; the ticks at 1..4 s do not evaluate
    for (long t = 1000; t < 5000; t += 1000) {
      assertEquals(List.of(), m.tick(Rows.local("tcp.web=up"), t));
    }
    m.tick(down, 5000);
    m.tick(down, 10000);
    assertEquals(List.of("t_web: restart()"), strings(m.tick(down, 15000)));
  }

  @Test
  public void resetForgetsStabilityAndWait() {
    Clock c = new Clock();
    c.run(Rows.local("ping.gw=down"), 16);
    c.machine.reset();
    assertTrue(c.machine.waitInForce().isEmpty());
    // after the reset the condition must hold a whole handle_time again
    List<String> again = c.run(Rows.local("ping.gw=down"), 16);
    assertEquals(List.of("31s p_gw: wait()"), again);
  }

  @Test
  public void pendingInitNamesTheResourcesOfWaitRules() {
    FailoverMachine m = new FailoverMachine(rules);
    assertEquals(
        List.of("ping.gw"), m.pendingInit(Rows.local("ping.gw=init tcp.web=init intf.x=up")));
    assertEquals(List.of("intf.a"), m.pendingInit(Rows.local("ping.gw=up intf.a=init")));
  }
}
