package org.bulwark.automaton.farm;

import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.Test;

/**
 * Simulated convergence of a 32-node farm with the spec's defaults (pulse 100 ms, mlost_count 20,
 * slost_count 10, spec B.5), one lan, delays of 1 to 5 ms, no loss: the time from an event until
 * every node agrees on the view and every bucket has exactly one owner, the median over {@value
 * #RUNS} seeds, printed for docs/benchmarks.md. Each one is also bounded by what the protocol
 * promises: a member's loss within slost × pulse, the leader's within mlost × pulse, plus a few
 * pulses; a killed process's (its kernel refusing) within a few pulses.
 */
public class FarmConvergenceTest {

  static final int RUNS = 5;
  static final int NODES = 32;
  static final long PULSE = FarmConfig.DEFAULT_PULSE;

  private static FarmSim converged(long seed) {
    FarmSim s = new FarmSim(seed, new Random(seed), NODES, 1, 5, 0, true);
    for (FarmSim.Node n : s.nodes) {
      s.scheduleAt(s.rnd.nextInt((int) PULSE), () -> s.join(n));
    }
    s.runUntil(PULSE);
    long t = s.convergenceTime(10, 10_000);
    assertTrue("seed " + seed + ": no convergence at start", t >= 0);
    s.runUntil(s.now + 1_000);
    return s;
  }

  private static long median(String what, long bound, Consumer<FarmSim> event, boolean fresh) {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      long seed = 4242L + i;
      FarmSim s;
      long t;
      if (fresh) {
        s = new FarmSim(seed, new Random(seed), NODES, 1, 5, 0, true);
        event.accept(s);
        t = s.convergenceTime(10, 20_000);
      } else {
        s = converged(seed);
        event.accept(s);
        t = s.convergenceTime(10, 20_000);
      }
      assertTrue(what + ", seed " + seed + ": " + t + " ms, bound " + bound, t >= 0 && t <= bound);
      times.add(t);
    }
    Collections.sort(times);
    long median = times.get(times.size() / 2);
    System.out.printf(
        "farm convergence, %d nodes, %s: median %d ms, max %d ms (bound %d ms, %d seeds)%n",
        NODES, what, median, times.get(times.size() - 1), bound, RUNS);
    return median;
  }

  @Test
  public void thirtyTwoNodes() {
    FarmConfig c = converged(1).config;
    long slack = 3 * PULSE;
    median(
        "cold start (from the last of 32 joins within one pulse)",
        c.discovery() + slack,
        s -> {
          for (FarmSim.Node n : s.nodes) {
            s.scheduleAt(s.rnd.nextInt((int) PULSE), () -> s.join(n));
          }
          s.runUntil(PULSE);
        },
        true);
    median("crash of a member", c.memberTimeout() + slack, s -> s.crash(s.nodes[16]), false);
    median("crash of the leader", c.leaderTimeout() + slack, s -> s.crash(s.nodes[0]), false);
    // the process alone killed: its kernel refuses the next pulse of every survivor
    median("kill -9 of a member (its kernel refuses)", slack, s -> s.kill(s.nodes[16]), false);
    median("kill -9 of the leader (its kernel refuses)", slack, s -> s.kill(s.nodes[0]), false);
    median("graceful leave of a member", slack, s -> s.leave(s.nodes[16]), false);
    median("graceful leave of the leader", slack, s -> s.leave(s.nodes[0]), false);
    median(
        "a node joins",
        slack,
        s -> {
          s.leave(s.nodes[31]);
          s.runUntil(s.now + 3_000);
          s.join(s.nodes[31]);
        },
        false);
    median(
        "partition into two halves healed",
        slack,
        s -> {
          s.partition(2);
          s.runUntil(s.now + 5_000);
          s.heal();
        },
        false);
  }
}
