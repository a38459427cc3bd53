package org.bulwark.automaton.farm;

import static org.junit.Assert.fail;

import java.util.Random;
import org.junit.Test;

/**
 * Issue 10: FarmBench's takeover rounds in the simulation. Three nodes; five rounds of a member's
 * crash and restart, then the leader's, each restart joining 0 to 3 s later; each crash either a
 * kill -9 of the process (its kernel refuses the survivors' pulses: lost at once) or silent (the
 * machine gone: lost after the timeout), and after a kill's restart a refusal of the victim
 * delivered to each survivor up to 300 ms late (it must not take the new life out); one or two
 * lans, 5 or 40 ms delays, some runs with 5 % loss throughout; after each join the loops stall now
 * and then (a loaded machine; the restarted JVM's longest), its pulses handled late with their
 * arrival time. After every restart the three must agree on one view of all of them and partition
 * the 256 buckets within FarmBench's 90 s. {@code -Dfarmrejoin.seed=S -Dfarmrejoin.scenarios=1}
 * replays one seed.
 */
public class FarmRejoinTest {

  @Test
  public void killAndRestartRepeatedly() {
    long base = Long.getLong("farmrejoin.seed", System.currentTimeMillis());
    int count = Integer.getInteger("farmrejoin.scenarios", 300);
    System.out.println("FarmRejoinTest: base seed " + base);
    for (long seed = base; seed < base + count; seed++) {
      Random r = new Random(BucketTable.mix(seed));
      FarmSim s =
          new FarmSim(
              seed,
              r,
              3,
              1 + r.nextInt(2),
              r.nextBoolean() ? 5 : 40,
              r.nextInt(3) == 0 ? 0.05 : 0,
              false);
      for (FarmSim.Node n : s.nodes) {
        s.join(n);
      }
      String why = null;
      if (s.convergenceTime(50, 90_000) < 0) {
        why = "initial";
      }
      for (int round = 0; round < 5 && why == null; round++) {
        for (FarmSim.Node victim : new FarmSim.Node[] {s.nodes[1 + round % 2], s.nodes[0]}) {
          boolean kill = r.nextBoolean();
          if (kill) {
            s.kill(victim);
          } else {
            s.crash(victim);
          }
          s.runUntil(s.now + 200 + r.nextInt(4000));
          s.restart(victim, false);
          s.runUntil(s.now + r.nextInt(3000));
          s.join(victim);
          if (kill) {
            for (FarmSim.Node n : s.nodes) {
              s.scheduleAt(s.now + r.nextInt(300), () -> s.lateRefusal(n, victim));
            }
          }
          // a loaded machine: the loops stall now and then, the restarted JVM's most
          for (int k = 0; k < 6; k++) {
            FarmSim.Node n = s.nodes[r.nextInt(3)];
            long stall = 100 + r.nextInt(n == victim ? 4000 : 1500);
            s.scheduleAt(s.now + r.nextInt(8000), () -> n.stall(stall));
          }
          if (s.convergenceTime(50, 90_000) < 0) {
            why = "round " + round + " after the restart of " + victim.name + ": " + s.violation();
            break;
          }
        }
      }
      if (why != null) {
        System.out.println(s.dump());
        fail(
            "seed "
                + seed
                + ": "
                + why
                + "\nreplay: -Dtest=FarmRejoinTest -Dfarmrejoin.seed="
                + seed
                + " -Dfarmrejoin.scenarios=1");
      }
    }
  }
}
