package org.bulwark.automaton.farm;

import static org.junit.Assert.fail;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.Test;

/**
 * Deterministic simulation of farm membership (issue 10 item 3): {@code farmsim.scenarios}
 * scenarios (default 40) of 2 to 32 nodes, from base seed {@code farmsim.seed}, each with joins,
 * leaves, crashes and restarts, partitions and loss; a failing scenario prints its seed and trace,
 * and {@code -Dfarmsim.seed=<seed> -Dfarmsim.scenarios=1} replays exactly that one.
 */
public class FarmSimulationTest {

  static final long CHAOS = 20_000;

  @Test
  public void scenarios() {
    long base = Long.getLong("farmsim.seed", System.currentTimeMillis());
    int count = Integer.getInteger("farmsim.scenarios", 40);
    System.out.println(
        "FarmSimulationTest: base seed " + base + " (replay: -Dfarmsim.seed=" + base + ")");
    AtomicLong events = new AtomicLong();
    AtomicLong checks = new AtomicLong();
    AtomicLong firstFailing = new AtomicLong(Long.MAX_VALUE);
    java.util.concurrent.ConcurrentSkipListMap<Long, Long> busiest =
        new java.util.concurrent.ConcurrentSkipListMap<>();
    long t0 = System.nanoTime();
    LongStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              long seed = base + i;
              FarmSim s = scenario(seed);
              try {
                s.run(CHAOS + 1000 + 2 * s.convergence());
              } catch (RuntimeException e) {
                firstFailing.accumulateAndGet(seed, Math::min);
              }
              events.addAndGet(s.events);
              busiest.put(s.events, seed);
              checks.addAndGet(s.checks);
            });
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "farm simulation: %d scenarios, %d steps, %d invariant checks, %.1f s (base seed %d);"
            + " busiest scenario %d steps (seed %d)%n",
        count,
        events.get(),
        checks.get(),
        secs,
        base,
        busiest.lastKey(),
        busiest.lastEntry().getValue());
    if (firstFailing.get() != Long.MAX_VALUE) {
      long seed = firstFailing.get();
      FarmSim s = scenario(seed);
      String why;
      try {
        s.run(CHAOS + 1000 + 2 * s.convergence());
        why = "did not fail on replay (nondeterminism!)";
      } catch (RuntimeException e) {
        why = e.toString();
      }
      System.out.println(s.dump());
      fail(
          "scenario failed: "
              + why
              + "\nreplay: mvn -o -pl bundles/automaton -am test -Dsurefire.failIfNoSpecifiedTests=false"
              + " -Dtest=FarmSimulationTest -Dfarmsim.seed="
              + seed
              + " -Dfarmsim.scenarios=1");
    }
  }

  static FarmSim scenario(long seed) {
    FarmSim s = FarmSim.random(seed);
    s.chaos(CHAOS, 5 + s.rnd.nextInt(20));
    return s;
  }
}
