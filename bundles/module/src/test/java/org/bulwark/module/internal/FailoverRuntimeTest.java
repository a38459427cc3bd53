package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;

/**
 * The failover machine wired into the module runtime (docs/failover.md "Wiring"): a resource set as
 * {@code safekit set -r} sets it drives a rule to wait and {@code Implicit_wakeup} back, with the
 * log lines of spec B.19; a rule reading {@code remote.} follows the peer's resources as they come
 * on the heartbeats; {@code -n} and {@code -l} decide the history.
 */
public class FailoverRuntimeTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();
  private final MemoryStore storeA = pair.storeA;
  private final MemoryStore storeB = pair.storeB;

  /** Rules evaluated every 100 ms, acted on after 200 ms. */
  private static FailoverLoop machine(String rules) {
    return FailoverLoopTest.loop(rules, Duration.ofMillis(100), Duration.ofMillis(200));
  }

  private ModuleRuntime alone(String rules) throws Exception {
    ModuleRuntime a = pair.startA(pair.driver("n1"));
    a.failoverWith(machine(rules));
    return MirrorRuntimes.alone(a);
  }

  @Test
  public void aCustomResourceSetByHandWaitsAndWakesUp() throws Exception {
    ModuleRuntime a = alone("r1: if (custom.x == down) then wait();");
    a.setResource("custom.x", "up", "root").get(20, TimeUnit.SECONDS);
    a.setResource("custom.x", "down", "root").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(a, s -> is(s, ModuleState.WAIT, Readiness.NOT_READY), LIMIT);

    a.setResource("custom.x", "up", "root").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    a.print(org.bulwark.api.store.EventLevel.I, "test", "end").get(20, TimeUnit.SECONDS);

    List<String> log = storeA.messages();
    int set = log.indexOf("Resource custom.x set to down by root");
    int action = log.indexOf("Action wait from failover rule r1");
    int transition = log.indexOf("Transition WAIT_TR from failover rule r1");
    int up = log.lastIndexOf("Resource custom.x set to up by root");
    int wakeup = log.indexOf("Action wakeup from failover rule Implicit_wakeup");
    assertTrue(log.toString(), 0 <= set && set < action && action < transition);
    assertTrue(log.toString(), transition < up && up < wakeup);
    // the wait repeated at every evaluation is only acknowledged: one line, one count
    assertEquals(1, log.stream().filter("Action wait from failover rule r1"::equals).count());
    assertEquals("ALONE", a.resources().get("state.local"));
  }

  @Test
  public void aRuleReadsThePeersResourcesFromItsHeartbeats() throws Exception {
    ModuleRuntime a = alone("");
    ModuleRuntime b = pair.startB(pair.driver("n2"));
    b.failoverWith(machine("r2: if (remote.custom.y == down) then wait();"));
    MirrorRuntimes.secondOf(a, b);

    a.setResource("custom.y", "down", "root").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(b, s -> is(s, ModuleState.WAIT, Readiness.NOT_READY), LIMIT);
    a.setResource("custom.y", "up", "root").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(b, s -> is(s, ModuleState.SECOND, Readiness.READY), LIMIT);
    b.print(org.bulwark.api.store.EventLevel.I, "test", "end").get(20, TimeUnit.SECONDS);

    List<String> log = storeB.messages();
    assertTrue(log.toString(), log.contains("Transition WAIT_TR from failover rule r2"));
    assertTrue(log.toString(), log.contains("Action wakeup from failover rule Implicit_wakeup"));
    assertFalse(storeA.messages().contains("Action wait from failover rule r2"));
    // state.remote as the rules read it: the bare state of the peer, in the history
    assertTrue(
        storeB.history("mirror", "state.remote", 100).stream()
            .anyMatch(e -> e.value().equals("PRIM")));
  }

  @Test
  public void historyAsSetSays() throws Exception {
    ModuleRuntime a = alone("");
    a.setResource("custom.h", "up", "root").get(20, TimeUnit.SECONDS);
    a.setResource("custom.h", "up", "root").get(20, TimeUnit.SECONDS); // unchanged: no row
    a.setResource("custom.h", "up", "root", ResourceTable.History.ALWAYS)
        .get(20, TimeUnit.SECONDS); // -l
    a.setResource("custom.h", "down", "root", ResourceTable.History.NONE)
        .get(20, TimeUnit.SECONDS); // -n
    assertEquals("down", a.resources().get("custom.h"));
    assertEquals(
        List.of("up", "up"),
        storeA.history("mirror", "custom.h", 10).stream().map(e -> e.value()).toList());
    assertEquals(
        2,
        storeA.messages().stream().filter("Resource custom.h set to up by root"::equals).count());
    assertFalse(storeA.messages().contains("Resource custom.h set to down by root"));
  }

  @Test
  public void aResourceOfAWaitRuleStillInitHoldsTheStart() throws Exception {
    ModuleRuntime a = pair.startA(pair.driver("n1"));
    a.failoverWith(machine("r4: if (custom.c == down) then wait();"));
    a.setResource("custom.c", "init", "customcheck").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.accepted(a, Verb.PRIM);
    MirrorRuntimes.await(a, s -> is(s, ModuleState.WAIT, Readiness.TRANSIENT), LIMIT);
    a.setResource("custom.c", "up", "customcheck").get(20, TimeUnit.SECONDS);
    MirrorRuntimes.await(a, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    List<String> log = storeA.messages();
    int answered = log.indexOf("Resource custom.c set to up by customcheck");
    int alone = log.indexOf("Local state ALONE Ready");
    assertTrue(log.toString(), log.contains("Waiting for the first answer of [custom.c]"));
    assertTrue(log.toString(), 0 <= answered && answered < alone);
  }

  @Test
  public void anAssignmentRuleSetsItsResource() throws Exception {
    ModuleRuntime a = alone("a1: if (custom.q == down) then custom.r=down;");
    a.setResource("custom.q", "down", "root").get(20, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!"down".equals(a.resources().get("custom.r"))) {
      assertTrue("custom.r never set: " + a.resources(), System.nanoTime() < deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // polls the condition
    }
    a.print(org.bulwark.api.store.EventLevel.I, "test", "end").get(20, TimeUnit.SECONDS);
    assertTrue(
        storeA.messages().toString(),
        storeA.messages().contains("Resource custom.r set to down by failover rule a1"));
    assertEquals(ModuleState.ALONE, a.local().state());
  }
}
