package org.bulwark.module.internal;

import static org.bulwark.module.internal.MirrorRuntimes.LIMIT;
import static org.bulwark.module.internal.MirrorRuntimes.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.bulwark.automaton.Action;
import org.bulwark.automaton.Origin;
import org.bulwark.automaton.Verb;
import org.bulwark.module.internal.VerbSupport.Args;
import org.junit.Rule;
import org.junit.Test;

/**
 * {@code safekit swap [nosync] -m AM} (spec C.10) through two module runtimes: the verb's argument
 * reaches the automaton, and the node that becomes SECOND starts its replication with the policy
 * {@code nosync} — asked on either node — or with none for a plain swap.
 */
public class SwapNosyncRuntimeTest {
  @Rule public final MirrorRuntimes pair = new MirrorRuntimes();
  private ModuleRuntime a;
  private ModuleRuntime b;
  private final PlayedReplication ra = new PlayedReplication();
  private final PlayedReplication rb = new PlayedReplication();

  @Test
  public void theVerbPassesNosyncOnAndRefusesAnythingElse() {
    assertEquals("nosync", argument("nosync"));
    assertEquals("", argument());
    try {
      argument("fullsync");
      fail("swap fullsync accepted");
    } catch (IllegalArgumentException e) {
      assertEquals("unexpected argument 'fullsync'", e.getMessage());
    }
  }

  private static String argument(String... words) {
    Args args = new Args(List.of(words));
    String argument = ModuleVerbs.argument(Verb.SWAP, args);
    args.end();
    return argument;
  }

  @Test
  public void swapNosyncOnTheSecond_theFormerPrimaryFollowsWithNosync() throws Exception {
    paired();
    swap(b, "nosync");
    assertEquals(List.of("nosync"), ra.secondaryStarts);
  }

  @Test
  public void swapNosyncOnThePrim_itFollowsWithNosync() throws Exception {
    paired();
    swap(a, "nosync");
    assertEquals(List.of("nosync"), ra.secondaryStarts);
  }

  @Test
  public void plainSwap_theFormerPrimaryReintegrates() throws Exception {
    paired();
    swap(b, "");
    assertEquals(List.of(""), ra.secondaryStarts);
  }

  /** n1 (a) PRIM Ready, n2 (b) SECOND Ready. */
  private void paired() throws Exception {
    a = pair.startA(pair.driver("n1"));
    b = pair.startB(pair.driver("n2"));
    a.replicateWith(ra);
    b.replicateWith(rb);
    MirrorRuntimes.alone(a);
    MirrorRuntimes.accepted(b, Verb.START);
    MirrorRuntimes.await(b, s -> s.state() == ModuleState.SECOND, LIMIT);
    a.replicationEvents().secondaryAttached();
    b.replicationEvents().reintegrationEnded(true, "");
    MirrorRuntimes.await(b, s -> is(s, ModuleState.SECOND, Readiness.READY), LIMIT);
    MirrorRuntimes.await(a, s -> is(s, ModuleState.PRIM, Readiness.READY), LIMIT);
  }

  /** {@code swap argument} on {@code on}: then n2 PRIM Ready and n1 SECOND Ready. */
  private void swap(ModuleRuntime on, String argument) throws Exception {
    Action.Reply reply =
        on.command(Verb.SWAP, Origin.admin("root"), argument).get(20, TimeUnit.SECONDS);
    assertTrue(reply.message(), reply.accepted());
    MirrorRuntimes.await(a, s -> s.state() == ModuleState.SECOND, LIMIT);
    MirrorRuntimes.await(b, s -> s.state() == ModuleState.PRIM, LIMIT);
    b.replicationEvents().secondaryAttached();
    a.replicationEvents().reintegrationEnded(true, "");
    MirrorRuntimes.await(a, s -> is(s, ModuleState.SECOND, Readiness.READY), LIMIT);
    MirrorRuntimes.await(b, s -> is(s, ModuleState.PRIM, Readiness.READY), LIMIT);
  }
}
