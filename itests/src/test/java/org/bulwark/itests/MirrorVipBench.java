package org.bulwark.itests;

import static org.bulwark.itests.NodeProcess.ok;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.Test;

/**
 * Mirror VIP takeover times in the network lab (issue 10's benchmarks), from the client's side: the
 * milliseconds from the event until a new TCP connection to the VIP is answered by the other node,
 * the client asking every 20 ms (each attempt given up after 200 ms). Events: {@code safekit swap}
 * (switchover) and a crash of the primary's machine (every process killed, cable pulled), with the
 * heartbeat settings given by {@code -Dbench.heart} (default: the spec's, pulse 700 ms and timeout
 * 30 s) over {@code -Dbench.rounds} rounds (default 5), each round the other node's turn. Not part
 * of the test suite: run it on a quiet machine,
 *
 * <pre>
 * mvn -B -o verify -pl itests -Dit.test=MirrorVipBench -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false \
 *     [-Dbench.heart='pulse="100" timeout="2000"'] [-Dbench.rounds=5]
 * </pre>
 *
 * <p>It prints one line per measure and the medians.
 */
public class MirrorVipBench {
  private static final String MODULE = MirrorVipIT.MODULE;
  private static final Duration STEP = Duration.ofSeconds(120);
  private static final Duration TAKEOVER = Duration.ofSeconds(120);

  @Test
  public void takeoverTimes() throws Exception {
    String heart = System.getProperty("bench.heart", "");
    int rounds = Integer.getInteger("bench.rounds", 5);
    List<Long> swaps = new ArrayList<>();
    List<Long> crashes = new ArrayList<>();
    try (NetLab lab = NetLab.create(2)) {
      LabNode n1 = lab.node(1);
      LabNode n2 = lab.node(2);
      lab.startAll();
      lab.configureCluster();
      MirrorVipIT.SERVICE.install(lab, heart);
      n1.primWithSecond(n2, MODULE, STEP);
      LabNode prim = n1;
      LabNode second = n2;
      for (int round = 1; round <= rounds; round++) {
        // switchover: swap, asked on the secondary
        awaitAnswer(lab, prim);
        long t0 = System.nanoTime();
        ok(second.safekit("swap", "-m", MODULE));
        long swap = awaitAnswer(lab, second) - t0;
        swaps.add(swap / 1_000_000);
        print("swap", round, heart, swap);
        second.awaitState(MODULE, "PRIM", STEP);
        prim.awaitState(MODULE, "SECOND", STEP);
        LabNode t = prim;
        prim = second;
        second = t;

        // crash of the primary's machine
        t0 = System.nanoTime();
        prim.kill9();
        lab.pullCable(prim);
        long crash = awaitAnswer(lab, second) - t0;
        crashes.add(crash / 1_000_000);
        print("crash", round, heart, crash);
        second.awaitState(MODULE, "ALONE", STEP);
        ok(prim.start());
        lab.plugCable(prim);
        ok(prim.safekit("start", "-m", MODULE));
        prim.awaitState(MODULE, "SECOND", STEP);
        second.awaitState(MODULE, "PRIM", STEP);
        t = prim;
        prim = second;
        second = t;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "MirrorVipBench heart [%s] median of %d: swap %d ms %s, crash %d ms %s%n",
        heart,
        rounds,
        median(swaps),
        swaps,
        median(crashes),
        crashes);
  }

  /** Asks the VIP every 20 ms until {@code n} answers; returns the nanoTime of that answer. */
  private static long awaitAnswer(NetLab lab, LabNode n) throws Exception {
    long deadline = System.nanoTime() + TAKEOVER.toNanos();
    while (true) {
      // a short give-up, so that a connection lost to a dead machine does not blur the time
      String who = MirrorVipIT.SERVICE.ask(lab, "0.2");
      long now = System.nanoTime();
      if (who.equals(n.name)) {
        return now;
      }
      if (now > deadline) {
        throw new AssertionError(n + " never answered on the VIP; last answer: " + who);
      }
      Thread.sleep(20); // the client's pace between two connections, not a synchronisation
    }
  }

  private static void print(String what, int round, String heart, long nanos) {
    System.out.printf(
        Locale.ROOT,
        "MirrorVipBench %s round %d heart [%s]: %d ms%n",
        what,
        round,
        heart,
        nanos / 1_000_000);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
