package org.bulwark.automaton.sim;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.bulwark.api.module.ModuleState;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Event;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.bulwark.failover.Decision;
import org.bulwark.failover.FailoverMachine;
import org.bulwark.failover.FailoverRules;
import org.bulwark.failover.ResourceSnapshot;
import org.bulwark.failover.RuleSet;

/**
 * A checker and the failover machine in the simulation (spec B.11, B.19): a third of the scenarios
 * without syncat give each node a {@code <ping ident="gw">} whose default rule {@code p_gw} waits
 * while {@code ping.gw} is down. The chaos phase takes the gateway away from a node now and then;
 * the quiet phase gives it back, and the nodes must converge after {@code Implicit_wakeup}. The
 * machine ticks every {@link #PERIOD} on each node and its decisions go to the driver as commands
 * from the rule, as the module runtime will give them.
 *
 * <p>Draws come from a random of its own, so that the scenarios without the checker stay as they
 * were. Scenarios with syncat are left out: that rule's wait is the automaton's own until the
 * machine takes it over, and two owners of one WAIT would wake each other's up.
 */
final class SimChecker {

  static final long PERIOD = 100;
  static final long HANDLE_TIME = 300;
  static final String RESOURCE = "ping.gw";

  private static final RuleSet RULES =
      FailoverRules.mirror()
          .timing(Duration.ofMillis(PERIOD), Duration.ofMillis(HANDLE_TIME))
          .checker("p_gw", RESOURCE, org.bulwark.failover.FailoverAction.WAIT)
          .compile()
          .orThrow();

  private final Simulation sim;
  private final Random rnd;
  private final FailoverMachine[] machines = new FailoverMachine[2];
  private final String[] gateway = {"up", "up"};

  private SimChecker(Simulation sim, Random rnd) {
    this.sim = sim;
    this.rnd = rnd;
  }

  /** The checker of this scenario, or null. */
  static SimChecker draw(Simulation sim, long seed) {
    Random r = new Random(seed ^ 0xFA11_0BE5L);
    return !sim.syncat() && r.nextInt(3) == 0 ? new SimChecker(sim, r) : null;
  }

  /** Gateway losses during the chaos phase, and the machines' ticks until {@code end}. */
  void plan(long chaos) {
    int losses = 1 + rnd.nextInt(4);
    for (int k = 0; k < losses; k++) {
      int i = rnd.nextInt(2);
      long at = 300 + rnd.nextInt((int) chaos - 300);
      long back = at + 100 + rnd.nextInt(1_500);
      sim.scheduleAt(at, () -> gateway(i, "down"));
      sim.scheduleAt(Math.min(back, chaos), () -> gateway(i, "up"));
    }
    for (int i = 0; i < 2; i++) {
      int node = i;
      sim.scheduleAt(PERIOD, () -> tick(node));
    }
  }

  /** Quiet phase: every gateway answers again. */
  void heal() {
    gateway(0, "up");
    gateway(1, "up");
  }

  private void gateway(int i, String value) {
    SimNode n = sim.nodes[i];
    if (!gateway[i].equals(value)) {
      gateway[i] = value;
      n.lastDisturbed = sim.now;
      sim.trace.add(sim.now, n.name, "CHECKER", RESOURCE + "=" + value);
    }
  }

  private void tick(int i) {
    SimNode n = sim.nodes[i];
    sim.scheduleAt(sim.now + PERIOD, () -> tick(i));
    if (gateway[i].equals("down")) {
      // without its gateway a node is meant to wait, not to fail over (invariant 2 skips it)
      n.lastDisturbed = sim.now;
    }
    if (!n.alive) {
      machines[i] = null; // a reboot starts a new machine
      return;
    }
    if (machines[i] == null) {
      machines[i] = new FailoverMachine(RULES);
    }
    FailoverMachine m = machines[i];
    if (n.label().state() == ModuleState.STOP) {
      m.reset(); // the checker is stopped with the module; its wait went with the stop
      return;
    }
    ResourceSnapshot s =
        ResourceSnapshot.of(Map.of(RESOURCE, gateway[i], "state.local", n.label().state().name()));
    for (Decision d : m.tick(s, sim.now)) {
      if (!d.repeat()) {
        sim.trace.add(sim.now, n.name, "RULE", d);
      }
      if (d.action() == org.bulwark.failover.FailoverAction.WAKEUP) {
        sim.checkerWakeups++;
      }
      n.command(new Event.Command(verb(d), Origin.rule(d.rule()), ""));
    }
  }

  /** Counts the rule's waits as the driver logged them (a repeated wait is not logged). */
  static void observe(Simulation sim, Action.Log l) {
    if (l.message().equals("Action wait from failover rule p_gw")) {
      sim.checkerWaits++;
    }
  }

  private static Verb verb(Decision d) {
    return switch (d.action()) {
      case WAIT -> Verb.WAIT;
      case WAKEUP -> Verb.WAKEUP;
      case RESTART -> Verb.RESTART;
      case STOPSTART -> Verb.STOPSTART;
      case STOP -> Verb.STOP;
      case SWAP -> Verb.SWAP;
      case SET_RESOURCE -> throw new IllegalStateException("no assignment rule here: " + d);
    };
  }
}
