package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.junit.Rule;
import org.junit.Test;

/**
 * The module runtime keeps detecting failures and answering whatever one step does (issue 13 items
 * 1 and 3): a driver step that throws is logged and counted and the loop goes on; a command whose
 * step throws, or that reaches a closed module, is answered; a waiter is answered when its module
 * is removed.
 */
public class RuntimeResilienceTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();
  private final MemoryStore storeA = pair.storeA;
  private final MemoryStore storeB = pair.storeB;

  /** A primary on side a and a synchronised secondary on side b. */
  private ModuleRuntime[] primAndSecond(FlakyDriver secondDriver) throws Exception {
    ModuleRuntime a = pair.startA(pair.driver("n1"));
    ModuleRuntime b = pair.startB(secondDriver);
    MirrorRuntimes.alone(a);
    MirrorRuntimes.secondOf(a, b);
    return new ModuleRuntime[] {a, b};
  }

  @Test
  public void aTickThatThrowsIsLoggedAndTheSecondaryStillTakesOverInTime() throws Exception {
    FlakyDriver flaky = new FlakyDriver(pair.driver("n2"));
    ModuleRuntime b = primAndSecond(flaky)[1];

    long crashed = System.nanoTime();
    pair.heartbeats.a.crash(); // the primary dies: from now on only ticks can time it out
    flaky.tickBomb.set(true); // and the next tick of the secondary throws
    assertTrue(flaky.exploded.await(5, TimeUnit.SECONDS));

    MirrorRuntimes.await(b, s -> is(s, ModuleState.ALONE, Readiness.READY), LIMIT);
    Duration took = Duration.ofNanos(System.nanoTime() - crashed);
    // the heartbeat timeout plus what the failover itself takes, far from the test's deadline
    assertTrue("took " + took, took.toMillis() < MirrorRuntimes.TIMEOUT + 4_000);
    assertEquals(1, b.internalErrors());
    assertTrue(
        storeB.messages().toString(),
        storeB.messages().stream()
            .anyMatch(
                m ->
                    m.startsWith(
                            "Internal error #1 on tick: java.lang.IllegalStateException:"
                                + " injected failure in tick")
                        && m.endsWith("(the module goes on)")));
  }

  @Test
  public void aCommandWhoseStepThrowsIsAnsweredWithTheError() throws Exception {
    FlakyDriver flaky = new FlakyDriver(pair.driver("n2"));
    ModuleRuntime b = pair.startB(flaky);
    flaky.commandBomb.set(true);
    try {
      b.command(Verb.START, Origin.admin("root"), "").get(10, TimeUnit.SECONDS);
      fail("the command's step threw: its future must fail");
    } catch (ExecutionException e) {
      assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains("internal error"));
    }
    // the module is still there and takes the next command
    Action.Reply again =
        b.command(Verb.FAILOVER_OFF, Origin.admin("root"), "").get(10, TimeUnit.SECONDS);
    assertTrue(again.accepted());
  }

  @Test
  public void aCommandToAClosedModuleIsAnsweredNotLost() throws Exception {
    ModuleRuntime b = pair.startB(pair.driver("n2"));
    b.close(Duration.ofSeconds(5));
    try {
      b.command(Verb.START, Origin.admin("root"), "").get(10, TimeUnit.SECONDS);
      fail("a closed module cannot take commands");
    } catch (ExecutionException e) {
      assertTrue(e.getCause() instanceof ModuleRemovedException);
    }
    try {
      b.setResource("usersetting.errd", "off", "root").get(10, TimeUnit.SECONDS);
      fail("a closed module cannot record resources");
    } catch (ExecutionException e) {
      assertTrue(e.getCause() instanceof ModuleRemovedException);
    }
  }

  @Test
  public void removingAModuleAnswersItsWaiters() throws Exception {
    ModuleRuntime b = pair.startB(pair.driver("n2"));
    var waiting = b.await(s -> s.state() == ModuleState.PRIM);
    assertFalse(waiting.isDone());
    b.close(Duration.ofSeconds(5)); // what uninstalling the module does
    try {
      ModuleVerbs.within(waiting, Duration.ofSeconds(10), "reach PRIM");
      fail("the module is gone: the wait must fail");
    } catch (IllegalStateException e) {
      assertEquals(
          "module mirror was removed (uninstalled, reconfigured or node stopping)", e.getMessage());
    }
    // and a wait started after the removal fails at once
    assertTrue(b.await(s -> s.state() == ModuleState.PRIM).isCompletedExceptionally());
  }

  @Test
  public void everyWaitIsBounded() throws Exception {
    ModuleRuntime b = pair.startB(pair.driver("n2"));
    try {
      ModuleVerbs.within(
          b.await(s -> s.state() == ModuleState.PRIM), Duration.ofMillis(200), "reach PRIM");
      fail("PRIM cannot be reached by a stopped module: the wait must end");
    } catch (IllegalStateException e) {
      assertEquals("the module did not reach PRIM within 200 ms", e.getMessage());
    }
  }
}
