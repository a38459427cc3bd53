package org.bulwark.automaton;

import static org.bulwark.api.module.ModuleState.ALONE;
import static org.bulwark.api.module.ModuleState.UP;
import static org.bulwark.api.module.ModuleState.WAIT;
import static org.bulwark.api.module.Readiness.NOT_READY;
import static org.bulwark.api.module.Readiness.READY;
import static org.bulwark.api.module.Readiness.TRANSIENT;
import static org.bulwark.automaton.Run.cmd;
import static org.bulwark.automaton.Run.ls;
import static org.bulwark.automaton.Run.peerGone;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

/**
 * Spec B.11: while a resource read by a wait rule is {@code init} (its checker has not answered),
 * the module stays WAIT Transient; once it has an answer the start goes on.
 */
public class InitPendingGoldenTest {
  private static final ServiceSettings NODE1 = ServiceSettings.defaults("node1");

  @Test
  public void b11_mirrorHoldsWaitTransientUntilTheCheckersAnswer() {
    DataFreshness uptodate = new DataFreshness(true, 5, true, true, 0, 3);
    Run r = Run.mirror(NODE1, uptodate);
    r.on(new Event.InitPending(true));
    r.on(cmd(Verb.START));
    r.on(peerGone("no heartbeat"));
    assertEquals(ls(WAIT, TRANSIENT), r.local()); // without the hold: ALONE
    r.on(new Event.Tick());
    assertEquals(ls(WAIT, TRANSIENT), r.local());
    r.on(new Event.InitPending(false));
    assertEquals(ls(ALONE, READY), r.local());
  }

  @Test
  public void b11_aWaitRuleStillBlocksNotReady() {
    Run r = Run.mirror(NODE1, new DataFreshness(true, 5, true, true, 0, 3));
    r.on(new Event.InitPending(true));
    r.on(cmd(Verb.START));
    r.on(peerGone("no heartbeat"));
    r.on(new Event.Command(Verb.WAIT, Origin.rule("r"), ""));
    assertEquals(ls(WAIT, NOT_READY), r.local());
  }

  @Test
  public void b11_farmHoldsWaitTransientUntilTheCheckersAnswer() {
    Run r = Run.farm(ServiceSettings.defaults("node1"));
    r.on(new Event.InitPending(true));
    r.on(cmd(Verb.START));
    assertEquals(ls(WAIT, TRANSIENT), r.local());
    r.on(new Event.InitPending(false));
    assertEquals(ls(UP, READY), r.local());
  }
}
