package org.bulwark.automaton.sim;

import java.util.Random;

/**
 * The splitbrain witness in the simulation (spec B.18, C.8): a fifth of the scenarios without the
 * gateway checker give both nodes a {@code <splitbrain>}. The chaos phase takes the witness away
 * from one node, from both, or from none at random times, so that partitions meet every case of
 * C.8; the quiet phase gives it back. A node asked answers after a script's time with what it can
 * reach at that moment. Checked: a node told that the witness is out of reach never becomes primary
 * until it hears its peer again or an administrator acts (see {@link SimNode#execute}).
 *
 * <p>Draws come from a random of its own, so that the other scenarios stay as they were.
 */
final class SimWitness {

  private final Simulation sim;
  private final Random rnd;
  private final boolean[] reached = {true, true};

  private SimWitness(Simulation sim, Random rnd) {
    this.sim = sim;
    this.rnd = rnd;
  }

  /** The witness of this scenario, or null; configures it on both nodes. */
  static SimWitness draw(Simulation sim, long seed) {
    Random r = new Random(seed ^ 0x5B17_B4A1L);
    if (sim.checker.gateway || r.nextInt(5) != 0) {
      return null;
    }
    SimWitness w = new SimWitness(sim, r);
    for (SimNode n : sim.nodes) {
      n.witness = true;
      n.driver.withWitness(true);
    }
    return w;
  }

  /** Witness losses during the chaos phase: one side, the other, or both, for a while. */
  void plan(long chaos) {
    int losses = 1 + rnd.nextInt(5);
    for (int k = 0; k < losses; k++) {
      int who = rnd.nextInt(3); // node1, node2, both
      long at = 300 + rnd.nextInt((int) chaos - 300);
      long back = Math.min(at + 300 + rnd.nextInt(3_000), chaos);
      for (int i = 0; i < 2; i++) {
        if (who == i || who == 2) {
          int node = i;
          sim.scheduleAt(at, () -> set(node, false));
          sim.scheduleAt(back, () -> set(node, true));
        }
      }
    }
  }

  /** Quiet phase: the witness answers both nodes. */
  void heal() {
    set(0, true);
    set(1, true);
  }

  private void set(int i, boolean value) {
    if (reached[i] != value) {
      reached[i] = value;
      sim.nodes[i].lastDisturbed = sim.now;
      sim.trace.add(sim.now, sim.nodes[i].name, "WITNESS", value ? "reachable" : "unreachable");
    }
  }

  /** The node pings its witness: the answer comes back as the end of the question. */
  void ask(SimNode n, long inc, long token) {
    long d = rnd.nextInt((int) Simulation.MAX_SCRIPT + 1);
    sim.schedule(
        d,
        () -> {
          if (!n.alive || inc != n.incarnation) {
            return;
          }
          boolean ok = reached[n.index];
          sim.trace.add(sim.now, n.name, "WITNESS ANSWER", ok ? "reached" : "not reached");
          if (ok) {
            sim.witnessAlones++;
          } else {
            sim.witnessWaits++;
            n.lastDisturbed = sim.now; // it is meant to wait, not to fail over
            n.witnessDenied = true;
          }
          n.scriptDone(inc, token, ok ? 0 : 1);
        });
  }
}
