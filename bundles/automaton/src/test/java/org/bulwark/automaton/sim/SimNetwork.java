package org.bulwark.automaton.sim;

import java.util.Random;

/**
 * A two-node network with one link per heartbeat lan that loses, delays (hence reorders) and
 * duplicates messages, and can be cut and healed per lan. Lan 0 also carries replication (the
 * {@code flow} lan of spec B.4), so it is only ever cut together with all the others.
 */
final class SimNetwork {

  final int lans;
  final boolean[] cut;
  double loss;
  double duplicate;
  long maxDelay;
  long lastFullHeal = Long.MIN_VALUE / 2;
  long connectedSince;
  private final Random rnd;

  SimNetwork(int lans, Random rnd, long maxDelay) {
    this.lans = lans;
    this.cut = new boolean[lans];
    this.rnd = rnd;
    this.maxDelay = maxDelay;
  }

  /** Delays of the copies of one message on one lan: empty when lost. */
  long[] deliveries(int lan) {
    if (cut[lan] || rnd.nextDouble() < loss) {
      return new long[0];
    }
    long d1 = 1 + (long) (rnd.nextDouble() * maxDelay);
    if (rnd.nextDouble() < duplicate) {
      return new long[] {d1, 1 + (long) (rnd.nextDouble() * maxDelay)};
    }
    return new long[] {d1};
  }

  /** Some lan still joins the nodes (their heartbeats can reach each other). */
  boolean connected() {
    for (boolean c : cut) {
      if (!c) {
        return true;
      }
    }
    return false;
  }

  /** Replication path (lan 0) is up. */
  boolean replicationUp() {
    return !cut[0];
  }

  void cutAll(long now) {
    java.util.Arrays.fill(cut, true);
  }

  void cutOne(int lan) {
    cut[lan] = true;
  }

  void healAll(long now) {
    boolean was = connected();
    java.util.Arrays.fill(cut, false);
    if (!was) {
      lastFullHeal = now;
      connectedSince = now;
    }
  }
}
