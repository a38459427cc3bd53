package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.SplitBrainWitness;
import org.bulwark.api.config.Check;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.junit.Rule;
import org.junit.Test;

/**
 * {@code <splitbrain>} through the module runtime (spec B.18, C.8): when every heartbeat is lost
 * the runtime asks the witness, sets {@code splitbrain.<ident>} and {@code splitbrain.uptodate}
 * with their log lines, and the node that reached it goes ALONE while the other waits in {@code
 * splitbrain_failure}; heartbeats back, the waiting node follows. The witnesses here answer as the
 * test says; the real ICMP round is {@code WitnessPingerTest} and the lab.
 */
public class SplitBrainRuntimeTest {
  private static final Check.SplitBrain WITNESS =
      new Check.SplitBrain("witness", "ping", List.of("192.0.2.1"));

  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();
  private final MemoryStore storeA = pair.storeA;
  private final MemoryStore storeB = pair.storeB;

  private static SplitBrainWitness answering(boolean reached) {
    return w ->
        reached ? ProbeResult.up(w.get(0) + " answers") : ProbeResult.down(w.get(0) + ": no reply");
  }

  @Test
  public void theSideThatReachesTheWitnessGoesAloneTheOtherWaitsUntilHeardAgain() throws Exception {
    ModuleRuntime a = pair.startA(pair.driver("n1").withWitness(true));
    ModuleRuntime b = pair.startB(pair.driver("n2").withWitness(true));
    // the primary (n1) cannot reach the witness, the secondary (n2) can
    a.splitbrainWith(Optional.of(WITNESS), () -> Optional.of(answering(false)));
    b.splitbrainWith(Optional.of(WITNESS), () -> Optional.of(answering(true)));
    MirrorRuntimes.alone(a);
    MirrorRuntimes.secondOf(a, b);

    // partition: neither side hears the other
    pair.heartbeats.a.crash();
    pair.heartbeats.b.crash();
    MirrorRuntimes.await(b, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    MirrorRuntimes.await(a, s -> is(s, ModuleState.WAIT, Readiness.NOT_READY), LIMIT);
    List<String> logA = storeA.messages();
    List<String> logB = storeB.messages();
    assertTrue(logA.toString(), logA.contains("Witness not reached: 192.0.2.1: no reply"));
    assertTrue(
        logA.toString(),
        logA.contains("Resource splitbrain.witness set to down by splitbraincheck"));
    assertTrue(
        logA.toString(),
        logA.contains("Resource splitbrain.uptodate set to down by splitbraincheck"));
    assertTrue(logA.toString(), logA.contains("Action wait from failover rule splitbrain_failure"));
    assertFalse(logA.toString(), logA.contains("Action alone called by heart: no heartbeat"));
    assertTrue(logB.toString(), logB.contains("Witness reached: 192.0.2.1 answers"));
    assertTrue(
        logB.toString(), logB.contains("Resource splitbrain.witness set to up by splitbraincheck"));
    assertTrue(logB.toString(), logB.contains("Action alone called by heart: no heartbeat"));
    assertFalse(
        logB.toString(), logB.contains("Action wait from failover rule splitbrain_failure"));

    // healed: the waiting node follows the one that stayed ALONE
    pair.heartbeats.a.revive();
    pair.heartbeats.b.revive();
    MirrorRuntimes.await(a, s -> is(s, ModuleState.SECOND, Readiness.READY), LIMIT);
    MirrorRuntimes.await(b, s -> is(s, ModuleState.PRIM, Readiness.READY), LIMIT);
    assertTrue(
        storeA.messages().toString(),
        storeA.messages().contains("Resource splitbrain.uptodate set to up by splitbraincheck"));
  }
}
