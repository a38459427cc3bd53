package org.bulwark.automaton.sim;

import java.util.Map;
import java.util.Random;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Event;
import org.bulwark.automaton.RulesHarness;
import org.bulwark.failover.FailoverAction;
import org.bulwark.failover.FailoverRules;
import org.bulwark.failover.RuleSet;

/**
 * The failover machine of each node in the simulation (spec B.19), and a checker (spec B.11): every
 * scenario runs the internal rules of replication in the machine, as the module runtime does
 * (docs/failover.md "Internal rules"); a third of the scenarios also give each node a {@code <ping
 * ident="gw">} whose generated rule {@code p_gw} waits while {@code ping.gw} is down. The chaos
 * phase takes the gateway away from a node now and then; the quiet phase gives it back, and the
 * nodes must converge after {@code Implicit_wakeup}. The machine ticks every {@link #PERIOD} on
 * each node and its decisions go to the driver as the runtime gives them ({@link RulesHarness}).
 * The peer's resources are read from its table while this node hears it (their delay on the
 * heartbeats is not modelled).
 *
 * <p>Draws come from a random of their own, so that the scenarios without the checker keep their
 * faults.
 */
final class SimChecker {

  static final long PERIOD = 100;
  static final long HANDLE_TIME = 300;
  static final String RESOURCE = "ping.gw";

  private final Simulation sim;
  private final Random rnd;
  private final RuleSet rules;
  private final RulesHarness[] machines = new RulesHarness[2];
  private final String[] gatewayValue = {"up", "up"};

  /** The gateway checker is configured (else only the internal rules run). */
  final boolean gateway;

  private SimChecker(Simulation sim, Random rnd, boolean gateway) {
    this.sim = sim;
    this.rnd = rnd;
    this.gateway = gateway;
    FailoverRules r = RulesHarness.rules(sim.policy, PERIOD, HANDLE_TIME);
    if (gateway) {
      r.checker("p_gw", RESOURCE, FailoverAction.WAIT);
    }
    this.rules = r.compile().orThrow();
  }

  /** The machines of this scenario, with the gateway checker or not. */
  static SimChecker draw(Simulation sim, long seed) {
    Random r = new Random(seed ^ 0xFA11_0BE5L);
    return new SimChecker(sim, r, r.nextInt(3) == 0);
  }

  /** Gateway losses during the chaos phase, and the machines' ticks until the end. */
  void plan(long chaos) {
    if (gateway) {
      int losses = 1 + rnd.nextInt(4);
      for (int k = 0; k < losses; k++) {
        int i = rnd.nextInt(2);
        long at = 300 + rnd.nextInt((int) chaos - 300);
        long back = at + 100 + rnd.nextInt(1_500);
        sim.scheduleAt(at, () -> gateway(i, "down"));
        sim.scheduleAt(Math.min(back, chaos), () -> gateway(i, "up"));
      }
    }
    for (int i = 0; i < 2; i++) {
      int node = i;
      sim.scheduleAt(PERIOD, () -> tick(node));
    }
  }

  /** Quiet phase: every gateway answers again. */
  void heal() {
    if (gateway) {
      gateway(0, "up");
      gateway(1, "up");
    }
  }

  private void gateway(int i, String value) {
    SimNode n = sim.nodes[i];
    if (!gatewayValue[i].equals(value)) {
      gatewayValue[i] = value;
      n.lastDisturbed = sim.now;
      sim.trace.add(sim.now, n.name, "CHECKER", RESOURCE + "=" + value);
    }
  }

  private void tick(int i) {
    SimNode n = sim.nodes[i];
    sim.scheduleAt(sim.now + PERIOD, () -> tick(i));
    if (gateway && gatewayValue[i].equals("down")) {
      // without its gateway a node is meant to wait, not to fail over (invariant 2 skips it)
      n.lastDisturbed = sim.now;
    }
    if (sim.syncat()
        && n.alive
        && n.label().state() == org.bulwark.api.module.ModuleState.SECOND
        && !"up".equals(n.resources.get("rfs.syncat"))) {
      // a secondary outside its syncat window is meant to wait (rfs_syncat_wait, at the next
      // evaluation), not to fail over (invariant 2 skips it)
      n.lastDisturbed = sim.now;
    }
    if (!n.alive) {
      machines[i] = null; // a reboot starts a new machine
      return;
    }
    if (machines[i] == null) {
      machines[i] = new RulesHarness(rules);
      machines[i].table().putAll(n.resources); // the table survives in the store
    }
    RulesHarness m = machines[i];
    m.table().putAll(n.resources);
    if (gateway) {
      m.set(RESOURCE, gatewayValue[i]);
    }
    SimNode peer = sim.peerOf(n);
    Map<String, String> remote = peer.alive ? peer.resources : Map.of();
    for (RulesHarness.Decided d : m.decide(n.driver.state(), remote, sim.now, true)) {
      if (!d.decision().repeat()) {
        sim.trace.add(sim.now, n.name, "RULE", d.decision());
      }
      if (d.decision().action() == FailoverAction.WAKEUP) {
        sim.checkerWakeups++;
      }
      if (d.event() instanceof Event.Command c) {
        n.command(c);
      } else if (d.event() instanceof Event.ResourceSet rs) {
        n.resource(rs.name(), rs.value(), rs.by());
      }
    }
  }

  /** Counts the rules' waits as the driver logged them (a repeated wait is not logged). */
  static void observe(Simulation sim, Action.Log l) {
    if (l.message().equals("Action wait from failover rule p_gw")) {
      sim.checkerWaits++;
    } else if (l.message().equals("Action wait from failover rule notuptodate_server")) {
      sim.notuptodateWaits++;
    } else if (l.message().equals("Action wait from failover rule degraded_server")) {
      sim.degradedWaits++;
    } else if (l.message().startsWith("Action alone called by nfsadmin: ")) {
      sim.linkAlones++;
    }
  }
}
