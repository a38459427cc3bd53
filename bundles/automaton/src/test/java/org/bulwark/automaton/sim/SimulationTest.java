package org.bulwark.automaton.sim;

import static org.junit.Assert.fail;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.Test;

/**
 * Deterministic simulation of two mirror nodes (issue 5 item 5): {@code sim.scenarios} seeded
 * scenarios (default 10,000) from base seed {@code sim.seed}; a failing scenario prints its seed
 * and event trace, and {@code -Dsim.seed=<seed> -Dsim.scenarios=1} replays exactly that one.
 */
public class SimulationTest {

  @Test
  public void scenarios() {
    long base = Long.getLong("sim.seed", 20261122L);
    int count = Integer.getInteger("sim.scenarios", 10_000);
    AtomicLong events = new AtomicLong();
    AtomicLong failovers = new AtomicLong();
    AtomicLong splitBrains = new AtomicLong();
    AtomicLong forcedStarts = new AtomicLong();
    AtomicLong syncatWaits = new AtomicLong();
    AtomicLong checkerWaits = new AtomicLong();
    AtomicLong witnessAlones = new AtomicLong();
    AtomicLong witnessWaits = new AtomicLong();
    AtomicLong checkerWakeups = new AtomicLong();
    AtomicLong notuptodateWaits = new AtomicLong();
    AtomicLong syncatAloneFacingWait = new AtomicLong();
    AtomicLong replicationFailures = new AtomicLong();
    AtomicLong degradedWaits = new AtomicLong();
    AtomicLong maxFailover = new AtomicLong();
    AtomicLong firstFailing = new AtomicLong(Long.MAX_VALUE);
    long t0 = System.nanoTime();
    LongStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              long seed = base + i;
              Simulation s = new Simulation(seed);
              try {
                s.run();
              } catch (RuntimeException e) {
                firstFailing.accumulateAndGet(seed, Math::min);
              }
              events.addAndGet(s.events);
              failovers.addAndGet(s.failoversChecked);
              splitBrains.addAndGet(s.splitBrains);
              forcedStarts.addAndGet(s.forcedStarts);
              syncatWaits.addAndGet(s.syncatWaits);
              checkerWaits.addAndGet(s.checkerWaits);
              witnessAlones.addAndGet(s.witnessAlones);
              witnessWaits.addAndGet(s.witnessWaits);
              checkerWakeups.addAndGet(s.checkerWakeups);
              notuptodateWaits.addAndGet(s.notuptodateWaits);
              syncatAloneFacingWait.addAndGet(s.syncatAloneFacingWait);
              replicationFailures.addAndGet(s.replicationFailures);
              degradedWaits.addAndGet(s.degradedWaits);
              maxFailover.accumulateAndGet(s.maxFailoverMillis, Math::max);
            });
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "simulation: %d scenarios, %d events, %.1f s, %.0f events/s (base seed %d); %d primary"
            + " crashes checked (slowest failover %d ms, bound %d ms), %d split brains resolved,"
            + " %d primaries by rfs_forceuptodate (syncdelta), %d rfs_syncat_wait (%d starts ALONE"
            + " facing a peer held for syncat), %d"
            + " notuptodate_server, %d waits of"
            + " failover rule p_gw and %d wakeups decided by the machine; splitbrain witness"
            + " reached %d times, not reached %d times (splitbrain_failure); replication failed on"
            + " a primary %d times, degraded_server waits %d%n",
        count,
        events.get(),
        secs,
        events.get() / secs,
        base,
        failovers.get(),
        maxFailover.get(),
        Simulation.TIMEOUT + Simulation.PULSE,
        splitBrains.get(),
        forcedStarts.get(),
        syncatWaits.get(),
        syncatAloneFacingWait.get(),
        notuptodateWaits.get(),
        checkerWaits.get(),
        checkerWakeups.get(),
        witnessAlones.get(),
        witnessWaits.get(),
        replicationFailures.get(),
        degradedWaits.get());
    if (count >= 1_000
        && (checkerWaits.get() == 0 || checkerWakeups.get() == 0 || notuptodateWaits.get() == 0)) {
      fail("the failover machine never acted: its wait and wakeup went untested");
    }
    if (count >= 1_000 && syncatAloneFacingWait.get() == 0) {
      fail("no start ALONE facing a peer held for its syncat window: the hold went untested");
    }
    if (count >= 1_000 && (witnessAlones.get() == 0 || witnessWaits.get() == 0)) {
      fail("the splitbrain witness never decided: C.8 went untested");
    }
    if (count >= 1_000 && (replicationFailures.get() == 0 || degradedWaits.get() == 0)) {
      fail("replication never failed on a primary, or its peer never waited: C.7 went untested");
    }
    if (firstFailing.get() != Long.MAX_VALUE) {
      long seed = firstFailing.get();
      Simulation s = new Simulation(seed);
      String why;
      try {
        s.run();
        why = "did not fail on replay (nondeterminism!)";
      } catch (RuntimeException e) {
        why = e.toString();
        e.printStackTrace(System.out);
      }
      System.out.println(s.trace.dump());
      fail(
          "scenario failed: "
              + why
              + "\nreplay: mvn -o verify -pl bundles/automaton -am -Dtest=SimulationTest"
              + " -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed="
              + seed
              + " -Dsim.scenarios=1");
    }
  }
}
