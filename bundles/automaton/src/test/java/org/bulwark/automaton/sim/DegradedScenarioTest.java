package org.bulwark.automaton.sim;

import static org.junit.Assert.fail;

import java.util.Random;
import java.util.function.Consumer;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Block;
import org.bulwark.automaton.Event;
import org.bulwark.automaton.Verb;
import org.junit.Test;

/**
 * Degraded replication in the deterministic simulation (spec C.7, issue 11), over {@code
 * sim.degraded.scenarios} seeds each (default 1,000) from base seed {@code sim.seed}: the nodes of
 * a seed (heartbeat lans, failover, defaultprim, loss of the seed's draws, checkers) are paired
 * PRIM–SECOND, then
 *
 * <ul>
 *   <li>the replication path is cut while heartbeats flow on a second lan: the primary goes ALONE
 *       with {@code rfs.degraded} down, the secondary stays SECOND, no longer up to date, and once
 *       the path is back the pair is PRIM–SECOND again;
 *   <li>replication fails irrecoverably on the primary: ALONE with {@code rfs.degraded} up, the
 *       secondary WAIT NotReady held by {@code degraded_server}; stop then start of the primary
 *       makes a pair again.
 * </ul>
 *
 * The invariants of the simulation hold throughout. A failing seed is printed with its trace;
 * {@code -Dsim.seed=<seed> -Dsim.degraded.scenarios=1} replays it.
 */
public class DegradedScenarioTest {
  private static final long PAIRED_AT = 4_000;

  @Test
  public void linkCutWhileHeartbeatsFlow_primaryAloneThenPairedAgain() {
    runAll("link cut", this::linkCut, true);
  }

  @Test
  public void replicationFailsOnThePrimary_peerWaitsUntilThePrimaryIsRestarted() {
    runAll("replication failure", this::replicationFailure, false);
  }

  private void runAll(String what, Consumer<Simulation> scenario, boolean twoLans) {
    long base = Long.getLong("sim.seed", 20261205L);
    int count = Integer.getInteger("sim.degraded.scenarios", 1_000);
    int ran = 0;
    for (long seed = base; ran < count; seed++) {
      Simulation s = new Simulation(seed);
      if ((twoLans && s.net.lans < 2) || s.syncat()) {
        continue; // the path can be cut alone on a second lan only; syncat pairs only at times
      }
      ran++;
      try {
        scenario.accept(s);
      } catch (RuntimeException | AssertionError e) {
        System.out.println(s.trace.dump());
        fail(
            what
                + ", seed "
                + seed
                + ": "
                + e
                + "\nreplay: -Dtest=DegradedScenarioTest -Dsim.seed="
                + seed
                + " -Dsim.degraded.scenarios=1");
      }
    }
    System.out.printf("degraded scenarios: %d of %s from seed %d%n", ran, what, base);
  }

  /** node1 prim, node2 start: a PRIM–SECOND pair by {@link #PAIRED_AT}. */
  private static void pair(Simulation s) {
    for (SimNode n : s.nodes) {
      n.execute(java.util.List.of()); // first tick
    }
    s.checker.plan(400); // the machines' ticks; a gateway lost at all is back before the pair
    s.scheduleAt(100, () -> s.nodes[0].command(Event.Command.admin(Verb.PRIM)));
    s.scheduleAt(1_000, () -> s.nodes[1].command(Event.Command.admin(Verb.START)));
    s.runUntil(PAIRED_AT);
    s.invariants.checkConverged("before the fault");
  }

  private void linkCut(Simulation s) {
    pair(s);
    Random r = new Random(s.seed ^ 0x11_4C07L);
    SimNode primary = s.nodes[0].primary() ? s.nodes[0] : s.nodes[1];
    SimNode secondary = s.peerOf(primary);
    long cut = s.now + r.nextInt(500);
    long len = 1_500 + r.nextInt(1_500);
    s.scheduleAt(
        cut,
        () -> {
          s.trace.add(s.now, "-", "CUT lan 0 (replication)", len + " ms");
          s.net.cutOne(0);
          secondary.replicationLost();
        });
    s.runUntil(cut + 1_200);
    expect(primary.label().is(ModuleState.ALONE, Readiness.READY), primary, "ALONE Ready");
    expect(!"up".equals(primary.resources.get("rfs.degraded")), primary, "rfs.degraded not up");
    expect(secondary.label().state() == ModuleState.SECOND, secondary, "SECOND");
    expect(
        !secondary.driver.state().data().uptodate(),
        secondary,
        "not up to date (a new generation)");
    expect(s.linkAlones > 0, primary, "Action alone called by nfsadmin: …");
    s.scheduleAt(
        cut + len,
        () -> {
          s.trace.add(s.now, "-", "HEAL lan 0", "");
          s.net.cut[0] = false;
        });
    s.runUntil(cut + len + Simulation.SETTLE);
    s.invariants.checkConverged("after the replication path came back");
  }

  private void replicationFailure(Simulation s) {
    pair(s);
    Random r = new Random(s.seed ^ 0xFA_11EDL);
    SimNode primary = s.nodes[0].primary() ? s.nodes[0] : s.nodes[1];
    SimNode secondary = s.peerOf(primary);
    long at = s.now + r.nextInt(500);
    s.scheduleAt(at, primary::failReplication);
    s.runUntil(at + 1_500);
    expect(primary.label().is(ModuleState.ALONE, Readiness.READY), primary, "ALONE Ready");
    expect("up".equals(primary.resources.get("rfs.degraded")), primary, "rfs.degraded up");
    expect(
        secondary.label().is(ModuleState.WAIT, Readiness.NOT_READY)
            && secondary.driver.state().block() == Block.RESOURCE
            && "degraded_server".equals(secondary.driver.state().blockRule()),
        secondary,
        "WAIT NotReady held by degraded_server");
    expect(!secondary.driver.state().data().uptodate(), secondary, "rfs.uptodate down");
    expect(s.degradedWaits > 0, secondary, "Action wait from failover rule degraded_server");
    // no failover, however long it lasts, until the administrator restarts the primary
    s.runUntil(at + 3_000);
    expect(primary.label().is(ModuleState.ALONE, Readiness.READY), primary, "still ALONE Ready");
    expect(secondary.label().state() == ModuleState.WAIT, secondary, "still WAIT");
    s.scheduleAt(at + 3_000, () -> primary.command(Event.Command.admin(Verb.STOP)));
    s.scheduleAt(at + 4_000, () -> primary.command(Event.Command.admin(Verb.START)));
    s.runUntil(at + 4_000 + Simulation.SETTLE);
    s.invariants.checkConverged("after stop and start of the primary");
  }

  private static void expect(boolean ok, SimNode n, String what) {
    if (!ok) {
      throw new AssertionError(
          n.name + " expected " + what + ": " + n.label() + " " + n.driver.state());
    }
  }
}
